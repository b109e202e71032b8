package io.litebit.reference.fixedpoint;

/**
 * XNNPACK's quantized arithmetic, bit for bit, as the XNNPACK that TFLite 2.19's delegate links
 * computes it on x86-64 (read from XNNPACK's {@code src/xnnpack/requantization.h}, {@code
 * src/microparams-init.c}, {@code src/reference/} and the scalar microkernels, at the early-2025
 * commits TFLite 2.19 builds; proven against the native delegate by the conformance suite).
 *
 * <p>What sets it apart from TFLite's own kernels: scales stay in float (a product or quotient of
 * float scales, rounded to float at each step), accumulators are scaled in float and rounded to
 * nearest with ties to even ({@code lrintf}), element-wise ops use their own small integer
 * multipliers, and fused-activation bounds are quantized in float.
 *
 * <pre>{@code
 * float scale = XnnpackMath.convScale(inputScale, filterScale, outputScale);
 * int y = XnnpackMath.requantizeFp32(acc, scale, outputZeroPoint, -128, 127);
 * }</pre>
 */
public final class XnnpackMath {
    private XnnpackMath() {
    }

    /**
     * The requantization scale of convolution, deconvolution and fully-connected operators:
     * {@code input_scale * kernel_scale / output_scale}, evaluated in float left to right.
     */
    public static float convScale(float inputScale, float kernelScale, float outputScale) {
        return inputScale * kernelScale / outputScale;
    }

    /**
     * The per-channel ({@code qc8w}) requantization scale as the aarch64 build of TFLite 2.19's
     * XNNPACK computes it: {@code (input_scale / output_scale) * kernel_scale}, in float. The source
     * ({@code create_convolution2d_nhwc_qx8_qc8w} in {@code src/operators/convolution-nhwc.c},
     * {@code create_fully_connected_nc_qx8_qc8w} in {@code fully-connected-nc.c}, {@code
     * xnn_create_deconvolution2d_nhwc_qs8_qc8w} in {@code deconvolution-nhwc.c}, XNNPACK {@code
     * 5b4978cae}) writes {@code input_scale * kernel_scale[c] / output_scale} in a loop over the
     * channels; the preset's {@code linux-arm64} library divides {@code input_scale / output_scale}
     * once before the loop and multiplies each kernel scale by it (reassociated by the compiler),
     * while the {@code linux-x86_64} one multiplies then divides per channel ({@link #convScale}).
     * The two differ by one ulp on some channels (MobileNetV2 int8 op 5: 8 of 16).
     */
    public static float convScaleArm64PerChannel(float inputScale, float kernelScale, float outputScale) {
        float ratio = inputScale / outputScale;
        return ratio * kernelScale;
    }

    /**
     * {@code xnn_qs8_quantize} / {@code xnn_qu8_quantize} for fused-activation bounds as the aarch64
     * build computes them (the subgraph's convolution, depthwise, deconvolution and fully-connected
     * nodes): the reciprocal {@code 1.0f / scale} once, then one fused multiply-add {@code
     * fma(value, reciprocal, zero_point)} (an {@code fdiv} and {@code fmadd} in the machine code),
     * clamped to the type's range in float, {@code lrintf}. The source divides; x86 computes {@code
     * value / scale + zero_point} with two roundings ({@link #quantizeBound}). Differs only for
     * finite non-zero bounds (RELU6, RELU_N1_TO_1) near a half-integer.
     */
    public static int quantizeBoundArm64(float value, float scale, int zeroPoint, int typeMin, int typeMax) {
        float reciprocal = 1.0f / scale;
        float v = Math.fma(value, reciprocal, (float) zeroPoint);
        v = Math.min(Math.max(v, (float) typeMin), (float) typeMax);
        return (int) Math.rint(v);
    }

    /**
     * The {@code rndnu} requantization of XNNPACK's NEON uint8 convolution and fully-connected
     * kernels (aarch64: {@code xnn_init_qu8_conv_minmax_rndnu_neon_params} in {@code
     * src/microparams-init.c}, selected for {@code qu8} by {@code src/configs/gemm-config.c} and
     * {@code dwconv-config.c}; the kernels' tail {@code vqshlq_s32}, {@code vqdmulhq_s32}, {@code
     * vrshlq_s32}). The float scale {@code 1.m * 2^e} becomes a Q31 multiplier (its 24-bit
     * mantissa shifted left 7) and a total right shift split into a saturating left pre-shift and a
     * rounding right post-shift of at least 1. Without saturation the result is the exact product
     * {@code acc * scale} rounded half up ({@code floor(x + 1/2)}); the float path ({@link
     * #requantizeFp32}) instead rounds {@code acc} and the product to float and ties to even.
     *
     * @param multiplier  in [2^30, 2^31 - 128]
     * @param preShift    left shift before the multiply, in [0, 9]
     * @param postShift   rounding right shift after it, at least 1
     */
    public record Rndnu(int multiplier, int preShift, int postShift) {

        /** The parameters XNNPACK derives from a scale in [2^-32, 256). */
        public static Rndnu of(float scale) {
            int bits = Float.floatToRawIntBits(scale);
            int multiplier = ((bits & 0x007FFFFF) | 0x00800000) << 7;
            int shift = 127 + 31 - 32 - (bits >>> 23);
            int post = Math.max(shift, 1);
            return new Rndnu(multiplier, post - shift, post);
        }

        /**
         * The accumulator scaled: saturating left shift, {@code SQDMULH} (high half of the doubled
         * product, rounded down), rounding right shift (halves up).
         */
        public int scale(int acc) {
            long shifted = Math.max(Math.min((long) acc << preShift, Integer.MAX_VALUE), Integer.MIN_VALUE);
            long high = (2L * shifted * multiplier) >> 32;
            if (postShift >= 63) {
                return 0;
            }
            return (int) ((high + (1L << (postShift - 1))) >> postShift);
        }

        /**
         * The kernel's tail: scaled, saturated to int16, plus the zero point (saturating), saturated
         * to uint8, clamped to {@code [min, max]} — the same as clamping {@code scaled + zp}.
         */
        public int requantize(int acc, int zeroPoint, int min, int max) {
            long v = (long) scale(acc) + zeroPoint;
            return (int) Math.min(Math.max(v, min), max);
        }
    }

    /**
     * {@code xnn_qs8_requantize_fp32} / {@code xnn_qu8_requantize_fp32}: the int32 accumulator
     * converted to float (rounded to nearest even above 2^24), multiplied by the float scale
     * (one float rounding), clamped to {@code [min - zp, max - zp]}, rounded to nearest with ties
     * to even, plus the zero point.
     */
    public static int requantizeFp32(int acc, float scale, int zeroPoint, int min, int max) {
        float scaled = (float) acc * scale;
        scaled = Math.max(scaled, (float) (min - zeroPoint));
        scaled = Math.min(scaled, (float) (max - zeroPoint));
        return (int) Math.rint(scaled) + zeroPoint;
    }

    /**
     * {@code xnn_qs8_quantize} / {@code xnn_qu8_quantize}, used for fused-activation bounds:
     * {@code lrintf(clamp(value / scale + zero_point, typeMin, typeMax))} in float. Infinite
     * bounds (no activation) saturate to the type's range.
     */
    public static int quantizeBound(float value, float scale, int zeroPoint, int typeMin, int typeMax) {
        float v = value / scale + (float) zeroPoint;
        v = Math.min(Math.max(v, (float) typeMin), (float) typeMax);
        return (int) Math.rint(v);
    }

    /**
     * {@code lrintf(256.0f * scale)}: the Q8 multiplier of the requantizing converts and of
     * leaky ReLU ({@code xnn_init_qs8_cvt_scalar_params}, {@code xnn_init_qs8_lrelu_scalar_params}).
     */
    public static int q8Multiplier(float scale) {
        return (int) Math.rint(256.0f * scale);
    }

    /**
     * The Q8 element-wise tail of {@code qs8-vcvt} and {@code qs8-vlrelu}: {@code ((zp_out << 8)
     * + 0x80 + centred * multiplier) >> 8} (an arithmetic shift: halves round towards +infinity),
     * clamped to the type's range. {@code centred} is the input less its zero point.
     */
    public static int q8Requantize(int centred, int multiplier, int outputZeroPoint, int typeMin, int typeMax) {
        int acc = (outputZeroPoint << 8) + 0x80 + centred * multiplier;
        int out = acc >> 8;
        return Math.min(Math.max(out, typeMin), typeMax);
    }

    /**
     * {@code f32-qs8-vcvt} / {@code f32-qu8-vcvt} (QUANTIZE from float): {@code x * (1.0f /
     * scale)} in float, clamped to {@code [typeMin - zp, typeMax - zp]}, rounded to nearest with
     * ties to even, plus the zero point. NaN clamps to the lower bound, as {@code maxps(x, lo)}
     * returns its second operand for a NaN first one.
     */
    public static int quantizeFloat(float x, float reciprocalScale, int zeroPoint, int typeMin, int typeMax) {
        float v = x * reciprocalScale;
        float lo = (float) (typeMin - zeroPoint);
        float hi = (float) (typeMax - zeroPoint);
        v = Float.isNaN(v) ? lo : Math.max(v, lo);
        v = Math.min(v, hi);
        return (int) Math.rint(v) + zeroPoint;
    }

    /**
     * {@code std::round} on a float (halves away from zero), as XNNPACK's reference {@code
     * round_float_to_int} uses it, clamped to the type's range; NaN gives 0.
     */
    public static int roundHalfAway(float x, int typeMin, int typeMax) {
        if (Float.isNaN(x)) {
            return 0;
        }
        float r = (float) (x < 0 ? -Math.floor(-(double) x + 0.5) : Math.floor((double) x + 0.5));
        // floor(x + 0.5) in double is exact for every float, so it is std::round's result.
        r = Math.max(r, (float) typeMin);
        r = Math.min(r, (float) typeMax);
        return (int) r;
    }

    /**
     * The parameters of XNNPACK's quantized ADD ({@code xnn_init_qs8_add_minmax_scalar_params}):
     * each input's scale relative to the output's, as integer multipliers under a common shift,
     * with the rounding constant and both zero points folded into one bias.
     *
     * <pre>{@code
     * XnnpackMath.AddParams p = XnnpackMath.AddParams.of(aScale, aZp, bScale, bZp, outScale, outZp, -128, 127);
     * int y = p.add(a, b);
     * }</pre>
     *
     * @param aMultiplier     {@code a_scale / out_scale} as an integer under {@code shift}
     * @param bMultiplier     {@code b_scale / out_scale} likewise (negative for SUB's negated input)
     * @param shift           the common right shift, in [12, 30]
     * @param bias            {@code 2^(shift-1) - aMultiplier * a_zp - bMultiplier * b_zp}
     * @param outputZeroPoint added after the shift
     * @param min             lower clamp (the activation's quantized bound)
     * @param max             upper clamp
     */
    public record AddParams(int aMultiplier, int bMultiplier, int shift, int bias, int outputZeroPoint, int min, int max) {

        /**
         * Derives the parameters as XNNPACK does.
         *
         * @throws IllegalArgumentException when a scale ratio is outside [2^-10, 2^8), which
         *                                  XNNPACK does not accept
         */
        public static AddParams of(float aScale, int aZeroPoint, float bScale, int bZeroPoint, float outputScale,
                                   int outputZeroPoint, int min, int max) {
            return fromRatios(aScale / outputScale, aZeroPoint, bScale / outputScale, bZeroPoint, outputZeroPoint,
                    min, max);
        }

        /**
         * The parameters as the aarch64 build derives them: {@code xnn_init_qs8_add_minmax_scalar_params}
         * (and its qu8 twin) divide both input scales by the output scale; the preset's {@code
         * linux-arm64} library computes {@code 1.0f / output_scale} once and multiplies each input
         * scale by it ({@code fdiv} then two {@code fmul}), which can be one ulp off the quotient.
         *
         * @throws IllegalArgumentException as {@link #of}
         */
        public static AddParams ofArm64(float aScale, int aZeroPoint, float bScale, int bZeroPoint, float outputScale,
                                        int outputZeroPoint, int min, int max) {
            float reciprocal = 1.0f / outputScale;
            return fromRatios(reciprocal * aScale, aZeroPoint, reciprocal * bScale, bZeroPoint, outputZeroPoint, min,
                    max);
        }

        private static AddParams fromRatios(float aRatio, int aZeroPoint, float bRatio, int bZeroPoint,
                                            int outputZeroPoint, int min, int max) {
            float absA = Math.abs(aRatio);
            float absB = Math.abs(bRatio);
            for (float r : new float[] {absA, absB}) {
                if (!(r >= 0x1.0p-10f && r < 0x1.0p+8f)) {
                    throw new IllegalArgumentException("XNNPACK's quantized add needs input/output scale ratios in "
                            + "[2^-10, 2^8), given " + aRatio + " and " + bRatio);
                }
            }
            float maxAbs = Math.max(absA, absB);
            int maxExponent = (Float.floatToRawIntBits(maxAbs) >>> 23) - 127;
            int shift = 20 - maxExponent;
            // lrintf of the ratio with its exponent raised by shift: the ratio times 2^shift, rounded.
            int a = (int) Math.rint(Float.intBitsToFloat(Float.floatToRawIntBits(absA) + (shift << 23)));
            int b = (int) Math.rint(Float.intBitsToFloat(Float.floatToRawIntBits(absB) + (shift << 23)));
            if (aRatio < 0 || (aRatio == 0 && 1 / aRatio < 0)) {
                a = -a;
            }
            if (bRatio < 0 || (bRatio == 0 && 1 / bRatio < 0)) {
                b = -b;
            }
            int rounding = 1 << (shift - 1);
            int bias = rounding - a * aZeroPoint - b * bZeroPoint;
            return new AddParams(a, b, shift, bias, outputZeroPoint, min, max);
        }

        /** {@code xnn_qs8_quantize_add}: the int32 sum, an arithmetic right shift, the zero point, the clamp. */
        public int add(int x, int y) {
            int acc = bias + x * aMultiplier + y * bMultiplier;
            int out = (acc >> shift) + outputZeroPoint;
            return Math.min(Math.max(out, min), max);
        }
    }
}
