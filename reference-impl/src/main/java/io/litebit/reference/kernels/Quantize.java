package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.Tensor;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.Aarch64Math;
import io.litebit.reference.fixedpoint.CppMath;
import io.litebit.reference.fixedpoint.QuantizationUtil;
import io.litebit.reference.fixedpoint.QuantizedMultiplier;
import io.litebit.reference.fixedpoint.Rounding;
import io.litebit.reference.fixedpoint.XnnpackMath;
import java.util.EnumSet;
import java.util.Set;

/**
 * QUANTIZE: float32 to int8/uint8/int16 (per tensor or per channel), and requantization between
 * integer types. Mirrors TFLite's {@code kernels/quantize.cc} ({@code Prepare}, {@code
 * Eval<kReference>}) with {@code reference_ops::AffineQuantize}, {@code PerChannelQuantize}
 * ({@code reference/quantize.h}) and {@code reference_ops::Requantize} ({@code
 * reference/requantize.h}).
 *
 * <p>The requantizations TFLite 2.19 accepts, and only those: int16 to int8/int16/int32, int32
 * to int8/int16, int8/uint8 to int8/uint8 (so int8 to int16 is refused by TFLite's Prepare).
 *
 * <p>The optimized kernels ({@code Eval<kGenericOptimized>}, {@code optimized_ops.h}) differ from
 * the reference per platform: per-tensor float input on x86-64 divides in double ({@link
 * #affineQuantizeX86}); on aarch64 it multiplies by the float reciprocal and rounds half to even
 * in blocks of 8, and by the double reciprocal, half away from zero, on the rest ({@link
 * #affineQuantizeArm64}); 8-bit to 8-bit requantization on aarch64 rounds its right shift half up
 * in blocks of 16 ({@link #requantizeNeon}). Per-channel float input and the other
 * requantizations run the reference code in both builds.
 */
final class Quantize implements Kernel {

    @Override
    public PreparedOp prepare(OpContext ctx) {
        Tensor input = ctx.requireInput(0, "input");
        Tensor output = ctx.output(0);
        DType in = input.dtype();
        DType out = output.dtype();
        Quantization outQ = output.quantization();
        if (outQ.isNone()) {
            throw ctx.invalid("the output has no affine quantization (scale, zero point)");
        }
        int[] shape = input.shape();
        NumericsProfile profile = ctx.profile();
        if (in == DType.FLOAT32) {
            if (out != DType.UINT8 && out != DType.INT8 && out != DType.INT16) {
                throw ctx.invalid("quantizing float32 needs a uint8, int8 or int16 output, given " + out.displayName());
            }
            if (outQ.isPerChannel()) {
                int axis = outQ.quantizedDimension();
                if (axis < 0 || axis >= shape.length || shape[axis] != outQ.channelCount()) {
                    throw ctx.invalid("per-channel output quantization has " + outQ.channelCount() + " scales along dimension "
                            + axis + " of shape " + java.util.Arrays.toString(shape));
                }
                return inputs -> new TensorValue[] {perChannelQuantize(inputs[0], outQ, out, profile)};
            }
            float scale = outQ.scale(0);
            int zeroPoint = (int) outQ.zeroPoint(0);
            if (profile.isXnnpack() && out != DType.INT16) {
                // f32-qs8-vcvt / f32-qu8-vcvt: multiply by the float reciprocal, round half to even.
                float reciprocal = 1.0f / scale;
                int min = (int) out.minValue();
                int max = (int) out.maxValue();
                return inputs -> {
                    TensorValue x = inputs[0];
                    int[] q = new int[x.elementCount()];
                    for (int i = 0; i < q.length; i++) {
                        q[i] = XnnpackMath.quantizeFloat(x.getFloat(i), reciprocal, zeroPoint, min, max);
                    }
                    return new TensorValue[] {TensorValue.fromInts(out, x.shape(), q)};
                };
            }
            NumericsProfile kernels = profile.builtinKernels();
            if (kernels == NumericsProfile.BUILTIN_X86) {
                return inputs -> new TensorValue[] {affineQuantizeX86(inputs[0], scale, zeroPoint, out)};
            }
            if (kernels == NumericsProfile.BUILTIN_ARM64) {
                return inputs -> new TensorValue[] {affineQuantizeArm64(inputs[0], scale, zeroPoint, out)};
            }
            if (profile == NumericsProfile.TFLITE_ARM64) {
                return inputs -> new TensorValue[] {affineQuantizeReciprocal(inputs[0], scale, zeroPoint, out)};
            }
            return inputs -> new TensorValue[] {affineQuantize(inputs[0], scale, zeroPoint, out, profile)};
        }
        Set<DType> allowed = switch (in) {
            case INT16 -> EnumSet.of(DType.INT8, DType.INT16, DType.INT32);
            case INT32 -> EnumSet.of(DType.INT8, DType.INT16);
            case INT8, UINT8 -> EnumSet.of(DType.UINT8, DType.INT8);
            default -> EnumSet.noneOf(DType.class);
        };
        if (!allowed.contains(out)) {
            throw ctx.invalid("requantizing " + in.displayName() + " to " + out.displayName() + " is not supported "
                    + "(TFLite accepts int16 -> int8/int16/int32, int32 -> int8/int16, int8/uint8 -> int8/uint8)");
        }
        Quantization inQ = input.quantization();
        float inScale = inQ.isNone() ? 0f : inQ.scale(0);
        int inZeroPoint = inQ.isNone() ? 0 : (int) inQ.zeroPoint(0);
        float outScale = outQ.scale(0);
        int outZeroPoint = (int) outQ.zeroPoint(0);
        if (in == DType.INT16 && out == DType.INT16 && (inZeroPoint != 0 || outZeroPoint != 0)) {
            throw ctx.invalid("int16 to int16 requantization needs zero points 0, given " + inZeroPoint + " and " + outZeroPoint);
        }
        double effectiveScale = (double) inScale / (double) outScale;
        float xnnpackRatio = inScale / outScale;
        if (profile.isXnnpack() && in == out && (in == DType.INT8 || in == DType.UINT8)
                && xnnpackRatio >= 0x1.0p-8f && xnnpackRatio <= 0x1.0p+7f) {
            // qs8-vcvt / qu8-vcvt: a Q8 multiplier, lrintf(256 * in_scale / out_scale); XNNPACK
            // takes ratios in [2^-8, 2^7] only (else the delegate leaves the op to TFLite).
            int multiplier = XnnpackMath.q8Multiplier(xnnpackRatio);
            int min = (int) out.minValue();
            int max = (int) out.maxValue();
            return inputs -> {
                TensorValue x = inputs[0];
                int[] q = new int[x.elementCount()];
                for (int i = 0; i < q.length; i++) {
                    q[i] = XnnpackMath.q8Requantize(x.getInt(i) - inZeroPoint, multiplier, outZeroPoint, min, max);
                }
                return new TensorValue[] {TensorValue.fromInts(out, x.shape(), q)};
            };
        }
        if (!profile.isFixedPoint()) {
            return inputs -> new TensorValue[] {naiveRequantize(inputs[0], effectiveScale, inZeroPoint, outZeroPoint, out)};
        }
        Rounding rounding = profile.rounding();
        QuantizedMultiplier m = QuantizationUtil.quantizeMultiplier(effectiveScale, rounding);
        if (profile.builtinKernels() == NumericsProfile.BUILTIN_ARM64 && (in == DType.INT8 || in == DType.UINT8)) {
            return inputs -> new TensorValue[] {requantizeNeon(inputs[0], m, inZeroPoint, outZeroPoint, out)};
        }
        return inputs -> new TensorValue[] {requantize(inputs[0], m, rounding, inZeroPoint, outZeroPoint, out)};
    }

    /**
     * {@code optimized_ops::AffineQuantize} as TFLite 2.19's x86-64 build runs it: no {@code
     * USE_NEON} there, so every element takes the scalar loop, {@code
     * static_cast<int32_t>(TfLiteRound(val / scale)) + zero_point} with {@code scale} a double: the
     * float is widened and divided in double ({@code divsd}), rounded half away from zero ({@code
     * round}), converted with {@code cvttsd2si} (INT32_MIN for NaN and out-of-range values), the
     * zero point added with int32 wrap-around, then clamped. The reference kernel divides in
     * float instead, which can round the quotient onto a tie: {@code 2.5E-6f / 1E-6f} is 2.5 in
     * float (reference: 3) and 2.49999994 in double (here: 2).
     */
    static TensorValue affineQuantizeX86(TensorValue input, float scale, int zeroPoint, DType out) {
        int n = input.elementCount();
        int min = (int) out.minValue();
        int max = (int) out.maxValue();
        int[] q = new int[n];
        for (int i = 0; i < n; i++) {
            int unclamped = CppMath.castToInt32X86(CppMath.round((double) input.getFloat(i) / (double) scale)) + zeroPoint;
            q[i] = Math.min(Math.max(unclamped, min), max);
        }
        return TensorValue.fromInts(out, input.shape(), q);
    }

    /**
     * {@code optimized_ops::AffineQuantize} as TFLite 2.19's aarch64 build runs it (read from the
     * preset's {@code linux-arm64} library, GCC 11.4, which was compiled with reciprocal math: a
     * loop-invariant division becomes a multiplication by the reciprocal).
     *
     * <ul>
     *   <li>The first {@code 8 * floor(n / 8)} elements take the {@code USE_NEON} loop: {@code x *
     *       (float) (1.0 / scale)} in float ({@code vmulq_f32}), rounded to nearest with ties to
     *       even ({@code RoundToNearest} = {@code vcvtnq_s32_f32}: saturating, NaN to 0), the zero
     *       point added with int32 wrap-around, clamped.</li>
     *   <li>The remaining {@code n mod 8} take the scalar loop, {@code TfLiteRound(val / scale)} in
     *       double, which GCC compiled as {@code (double) x * (1.0 / scale)} (one reciprocal,
     *       {@code fmul d}), rounded half away from zero ({@code fcvtas}, saturating, NaN to 0),
     *       plus the zero point, clamped. For int16 outputs GCC vectorized four of those tail
     *       elements (when there are at least four) with {@code frinta}, a 64-bit {@code fcvtzs}
     *       and a narrowing {@code xtn}: they keep the low 32 bits instead of saturating.</li>
     * </ul>
     */
    static TensorValue affineQuantizeArm64(TensorValue input, float scale, int zeroPoint, DType out) {
        int n = input.elementCount();
        int min = (int) out.minValue();
        int max = (int) out.maxValue();
        int[] q = new int[n];
        float reciprocal = (float) (1.0 / (double) scale);
        int vectorEnd = n / 8 * 8;
        for (int i = 0; i < vectorEnd; i++) {
            int unclamped = Aarch64Math.roundHalfEvenToInt32(input.getFloat(i) * reciprocal) + zeroPoint;
            q[i] = Math.min(Math.max(unclamped, min), max);
        }
        double reciprocalDouble = 1.0 / (double) scale;
        int wrappingEnd = out == DType.INT16 && n - vectorEnd >= 4 ? vectorEnd + 4 : vectorEnd;
        for (int i = vectorEnd; i < n; i++) {
            double v = (double) input.getFloat(i) * reciprocalDouble;
            int rounded = i < wrappingEnd ? Aarch64Math.roundHalfAwayToInt64Low32(v) : Aarch64Math.roundHalfAwayToInt32(v);
            q[i] = Math.min(Math.max(rounded + zeroPoint, min), max);
        }
        return TensorValue.fromInts(out, input.shape(), q);
    }

    /**
     * {@code optimized_ops::Requantize} for int8/uint8 to int8/uint8 on aarch64 ({@code USE_NEON}):
     * blocks of 16 elements go through {@code MultiplyByQuantizedMultiplier4Rows} ({@link
     * QuantizedMultiplier#multiplyDoubleHalfUp}: the right shift rounds half up), the
     * remaining {@code n mod 16} through the scalar {@code MultiplyByQuantizedMultiplier} (half
     * away from zero), each plus the output zero point and clamped. The x86 build has no NEON
     * path and computes {@link #requantize} on every element.
     */
    static TensorValue requantizeNeon(TensorValue input, QuantizedMultiplier m, int inZeroPoint, int outZeroPoint, DType out) {
        int n = input.elementCount();
        int[] q = new int[n];
        int min = (int) out.minValue();
        int max = (int) out.maxValue();
        int vectorEnd = n / 16 * 16;
        for (int i = 0; i < n; i++) {
            int centred = input.getInt(i) - inZeroPoint;
            int scaled = i < vectorEnd
                    ? QuantizedMultiplier.multiplyDoubleHalfUp(centred, m.multiplier(), m.shift())
                    : m.apply(centred, Rounding.DOUBLE);
            q[i] = Math.min(Math.max(scaled + outZeroPoint, min), max);
        }
        return TensorValue.fromInts(out, input.shape(), q);
    }

    /**
     * {@code reference_ops::AffineQuantize}: {@code clamp((int32) roundf(x / scale) + zp)}. The
     * division is in float (TFLite stores the scale as double and divides by it cast back to
     * float); the conversion of an out-of-range or NaN value gives INT32_MIN on x86-64, and the
     * zero point is then added with int32 wrap-around before clamping.
     */
    static TensorValue affineQuantize(TensorValue input, float scale, int zeroPoint, DType out, NumericsProfile profile) {
        int n = input.elementCount();
        int min = (int) out.minValue();
        int max = (int) out.maxValue();
        int[] q = new int[n];
        for (int i = 0; i < n; i++) {
            float x = input.getFloat(i);
            if (profile.isFixedPoint()) {
                int unclamped = CppMath.castToInt32X86(CppMath.round(x / scale)) + zeroPoint;
                q[i] = Math.min(Math.max(unclamped, min), max);
            } else {
                q[i] = Naive.requantize((double) x / (double) scale, zeroPoint, min, max);
            }
        }
        return TensorValue.fromInts(out, input.shape(), q);
    }

    /**
     * {@code reference_ops::AffineQuantize} as the preset's aarch64 library runs it ({@link
     * NumericsProfile#TFLITE_ARM64}): compiled with reciprocal math, the loop-invariant {@code val /
     * scale} is {@code val * (1.0f / scale)} (one {@code fdiv} before the loop, {@code fmul} in it),
     * rounded half away from zero and converted saturating ({@code frinta}/{@code fcvtzs} or
     * {@code fcvtas}), the zero point added, then clamped. {@code -2.5108424E-5 / 5.0216848E-5} is
     * -0.5 in float (x86: -1) but -0.49999997 through the reciprocal (here: 0).
     */
    static TensorValue affineQuantizeReciprocal(TensorValue input, float scale, int zeroPoint, DType out) {
        float reciprocal = 1.0f / scale;
        int min = (int) out.minValue();
        int max = (int) out.maxValue();
        int[] q = new int[input.elementCount()];
        for (int i = 0; i < q.length; i++) {
            int unclamped = Aarch64Math.roundHalfAwayToInt32(input.getFloat(i) * reciprocal) + zeroPoint;
            q[i] = Math.min(Math.max(unclamped, min), max);
        }
        return TensorValue.fromInts(out, input.shape(), q);
    }

    /**
     * {@code reference_ops::PerChannelQuantize}: as {@link #affineQuantize} with the channel's scale
     * and zero point. The optimized kernels call it too, on both platforms; on aarch64 ({@link
     * NumericsProfile#isArm64()}) the float quotient (a division: the scale varies in the loop) is
     * rounded and converted with {@code fcvtas}, which saturates (NaN to 0) where x86-64's {@code
     * cvttss2si} gives INT32_MIN.
     */
    static TensorValue perChannelQuantize(TensorValue input, Quantization q, DType out, NumericsProfile profile) {
        int[] shape = input.shape();
        int axis = q.quantizedDimension();
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int channels = shape[axis];
        int n = input.elementCount();
        int min = (int) out.minValue();
        int max = (int) out.maxValue();
        int[] result = new int[n];
        boolean arm64 = profile.isFixedPoint() && profile.isArm64();
        for (int i = 0; i < n; i++) {
            int c = (i / inner) % channels;
            float scale = q.scale(c);
            int zeroPoint = (int) q.zeroPoint(c);
            float x = input.getFloat(i);
            if (arm64) {
                int unclamped = (int) CppMath.round(x / scale) + zeroPoint;
                result[i] = Math.min(Math.max(unclamped, min), max);
            } else if (profile.isFixedPoint()) {
                int unclamped = CppMath.castToInt32X86(CppMath.round(x / scale)) + zeroPoint;
                result[i] = Math.min(Math.max(unclamped, min), max);
            } else {
                result[i] = Naive.requantize((double) x / (double) scale, zeroPoint, min, max);
            }
        }
        return TensorValue.fromInts(out, shape, result);
    }

    /**
     * {@code reference_ops::Requantize}: {@code clamp(MultiplyByQuantizedMultiplier(q - zp_in) +
     * zp_out)}, with TFLite's shortcut for an int8/uint8 conversion at the same scale whose zero
     * points differ by exactly 128 (flip the top bit). The shortcut computes what the general
     * path would; it is kept so that the two stay visibly the same code path as TFLite's.
     */
    static TensorValue requantize(TensorValue input, QuantizedMultiplier m, Rounding rounding, int inZeroPoint,
                                  int outZeroPoint, DType out) {
        int n = input.elementCount();
        int[] q = new int[n];
        DType in = input.dtype();
        boolean sameScale = m.multiplier() == 1 << 30 && m.shift() == 1;
        int zeroPointDiff = inZeroPoint - outZeroPoint;
        if (sameScale && ((in == DType.INT8 && out == DType.UINT8 && zeroPointDiff == -128)
                || (in == DType.UINT8 && out == DType.INT8 && zeroPointDiff == 128))) {
            for (int i = 0; i < n; i++) {
                int flipped = (input.getInt(i) ^ 0x80) & 0xff;
                q[i] = out == DType.INT8 ? (byte) flipped : flipped;
            }
            return TensorValue.fromInts(out, input.shape(), q);
        }
        long min = out.minValue();
        long max = out.maxValue();
        for (int i = 0; i < n; i++) {
            int centred = input.getInt(i) - inZeroPoint;
            int v = m.apply(centred, rounding) + outZeroPoint;
            q[i] = (int) Math.max(Math.min(v, max), min);
        }
        return TensorValue.fromInts(out, input.shape(), q);
    }

    private static TensorValue naiveRequantize(TensorValue input, double effectiveScale, int inZeroPoint, int outZeroPoint,
                                               DType out) {
        int n = input.elementCount();
        int[] q = new int[n];
        int min = (int) out.minValue();
        int max = (int) out.maxValue();
        for (int i = 0; i < n; i++) {
            q[i] = Naive.requantize(((long) input.getInt(i) - inZeroPoint) * effectiveScale, outZeroPoint, min, max);
        }
        return TensorValue.fromInts(out, input.shape(), q);
    }
}
