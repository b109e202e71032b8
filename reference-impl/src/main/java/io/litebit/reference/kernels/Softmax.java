package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.Aarch64Math;
import io.litebit.reference.fixedpoint.CppMath;
import io.litebit.reference.fixedpoint.FixedPoint;
import io.litebit.reference.fixedpoint.LookupTables;
import io.litebit.reference.fixedpoint.QuantizationUtil;
import io.litebit.reference.fixedpoint.QuantizedMultiplier;
import io.litebit.reference.fixedpoint.Rounding;

/**
 * SOFTMAX over the last dimension, for float32, uint8 → uint8/int16, int8 → int8/int16 and
 * int16 → int16. Mirrors TFLite 2.19's {@code kernels/activations.cc} as registered by {@code
 * Register_SOFTMAX_REF} ({@code SoftmaxPrepare<kReference>}, {@code SoftmaxEval<kReference>})
 * with {@code reference_ops::Softmax} (float and quantized) and {@code reference_ops::SoftmaxInt16}
 * ({@code reference/softmax.h}).
 *
 * <p>The 8-bit paths are the reference kernel's fixed-point exp, not the optimized kernel's
 * float lookup table: {@code Prepare<kReference>} derives {@code input_beta_multiplier} and
 * {@code diff_min} with {@code PreprocessSoftmaxScaling}/{@code CalculateInputRadius} (5 integer
 * bits for the scaled difference); the row's differences to its maximum are rescaled to Q5.26,
 * exponentiated with {@code exp_on_negative_values}, summed in Q12.19, and each exp is
 * multiplied by the reciprocal of the sum ({@code GetReciprocal}). The builtin (optimized)
 * kernel instead uses {@code PopulateSoftmaxLookupTable} (a float table of exp) and computes in
 * float ({@link #softmaxLookupTable}), which the {@code BUILTIN_*} profiles (and XNNPACK's
 * undelegated 8-bit softmax) compute; it differs from the reference by an LSB on a few elements.
 * The int16 path is {@code SoftmaxInt16} with its two 513-entry tables (exp on [-10, 0] and
 * 1/(1+x) on [0, 1]) in both kernels.
 */
final class Softmax implements Kernel {
    private static final int SCALED_DIFF_INTEGER_BITS = 5;
    private static final int ACCUMULATION_INTEGER_BITS = 12;

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 1 || ctx.outputCount() != 1) {
            throw ctx.invalid("SOFTMAX takes 1 input and 1 output");
        }
        BuiltinOptions.Softmax options = ctx.options(BuiltinOptions.Softmax.class);
        Tensor input = ctx.requireInput(0, "input");
        Tensor output = ctx.output(0);
        if (input.shape().length < 1) {
            throw ctx.invalid("NumDimensions(input) >= 1 fails: the input is a scalar");
        }
        DType in = input.dtype();
        DType out = output.dtype();
        float beta = options.beta();
        // SoftmaxPrepare's output checks (TF_LITE_ENSURE_NEAR compares |a - b| <= eps in float).
        if (in == DType.INT8 && out == DType.INT8) {
            checkOutput(ctx, output, -128, 1f / 256);
        } else if (in == DType.INT16 && out == DType.INT16) {
            checkOutput(ctx, output, 0, 1f / 32768);
        }
        switch (in) {
            case FLOAT32 -> {
                if (out != DType.FLOAT32) {
                    throw ctx.unsupported("a float32 input with a " + out.displayName() + " output");
                }
                return inputs -> new TensorValue[] {softmaxFloat(inputs[0], beta)};
            }
            case UINT8, INT8 -> {
                if (!(out == in || out == DType.INT16)) {
                    throw ctx.invalid("Eval: only " + in.displayName() + " and int16 outputs are supported with "
                            + in.displayName() + " inputs, given " + out.displayName());
                }
                float inputScale = QuantParams.scale(input);
                NumericsProfile profile = ctx.profile();
                NumericsProfile kernels = profile.builtinKernels();
                if (kernels.isOptimized()) {
                    float[] exps = populateLookupTable(inputScale, beta);
                    float outputScale = QuantParams.scale(output);
                    int outputZeroPoint = QuantParams.zeroPoint(output);
                    return inputs -> new TensorValue[] {softmaxLookupTable(inputs[0], exps, outputScale, outputZeroPoint, out,
                            kernels == NumericsProfile.BUILTIN_ARM64)};
                }
                if (!profile.isFixedPoint()) {
                    return inputs -> new TensorValue[] {naive(inputs[0], inputScale, beta, out)};
                }
                Rounding rounding = profile.rounding();
                QuantizedMultiplier m = QuantizationUtil.preprocessSoftmaxScaling(beta, inputScale,
                        SCALED_DIFF_INTEGER_BITS, rounding);
                // diff_min = -1.0 * CalculateInputRadius(...), stored in an int.
                int diffMin = (int) (-1.0 * QuantizationUtil.calculateInputRadius(SCALED_DIFF_INTEGER_BITS, m.shift()));
                return inputs -> new TensorValue[] {softmaxQuantized(inputs[0], m, diffMin, out, rounding)};
            }
            case INT16 -> {
                if (out != DType.INT16) {
                    throw ctx.unsupported("an int16 input with a " + out.displayName() + " output");
                }
                if (QuantParams.zeroPoint(input) != 0 || QuantParams.zeroPoint(output) != 0) {
                    throw ctx.invalid("int16 SOFTMAX needs zero points 0, given " + QuantParams.zeroPoint(input) + " and "
                            + QuantParams.zeroPoint(output));
                }
                if (input.shape().length > 4) {
                    throw ctx.invalid("Eval: only 1D, 2D, 3D and 4D tensors are supported for int16 input with int16 output, given "
                            + input.shape().length + "D");
                }
                if (!ctx.profile().isFixedPoint()) {
                    float inputScale = QuantParams.scale(input);
                    return inputs -> new TensorValue[] {naive(inputs[0], inputScale, beta, out)};
                }
                Int16Params p = prepareInt16(QuantParams.scale(input), beta, ctx.profile().rounding());
                return inputs -> new TensorValue[] {softmaxInt16(inputs[0], p)};
            }
            default -> throw ctx.invalid("Eval: only float32, uint8, int8 and int16 are supported, given " + in.displayName());
        }
    }

    private static void checkOutput(OpContext ctx, Tensor output, int zeroPoint, float scale) {
        if (QuantParams.zeroPoint(output) != zeroPoint) {
            throw ctx.invalid("the output zero point must be " + zeroPoint + ", given " + QuantParams.zeroPoint(output));
        }
        float s = QuantParams.scale(output);
        if (Math.abs(s - scale) > 0.001f * scale) {
            throw ctx.invalid("the output scale must be within 0.1% of " + scale + ", given " + s);
        }
    }

    /**
     * {@code reference_ops::Softmax<float>}: per row, {@code expf((x - max) * beta)} in float,
     * summed in float in order, each divided by the sum.
     */
    static TensorValue softmaxFloat(TensorValue x, float beta) {
        int depth = x.dim(x.rank() - 1);
        int n = x.elementCount();
        float[] out = new float[n];
        for (int row = 0; row < n; row += depth) {
            float max = -Float.MAX_VALUE;
            for (int c = 0; c < depth; c++) {
                float v = x.getFloat(row + c);
                max = max < v ? v : max;   // std::max(max, v)
            }
            float sum = 0f;
            for (int c = 0; c < depth; c++) {
                float e = LookupTables.expf((x.getFloat(row + c) - max) * beta);
                out[row + c] = e;
                sum += e;
            }
            for (int c = 0; c < depth; c++) {
                out[row + c] = out[row + c] / sum;
            }
        }
        return TensorValue.ofFloat32(x.shape(), out);
    }

    /** {@code reference_ops::Softmax<InputT, OutputT>}: the fixed-point exp path. */
    static TensorValue softmaxQuantized(TensorValue x, QuantizedMultiplier m, int diffMin, DType outType, Rounding rounding) {
        int depth = x.dim(x.rank() - 1);
        int n = x.elementCount();
        int outMin = QuantParams.min(outType);
        int outMax = QuantParams.max(outType);
        int outBits = outType == DType.INT16 ? 16 : 8;
        int[] out = new int[n];
        for (int row = 0; row < n; row += depth) {
            int maxInRow = QuantParams.min(x.dtype());
            for (int c = 0; c < depth; c++) {
                maxInRow = Math.max(maxInRow, x.getInt(row + c));
            }
            // sum_of_exps is a FixedPoint<int32, 12>; its + wraps.
            int sumOfExps = 0;
            for (int c = 0; c < depth; c++) {
                int diff = x.getInt(row + c) - maxInRow;
                if (diff >= diffMin) {
                    int exp = FixedPoint.expOnNegativeValues(rescaledDiff(diff, m, rounding), SCALED_DIFF_INTEGER_BITS);
                    sumOfExps += FixedPoint.rescale(exp, 0, ACCUMULATION_INTEGER_BITS);
                }
            }
            QuantizationUtil.Reciprocal reciprocal = QuantizationUtil.reciprocal(sumOfExps, ACCUMULATION_INTEGER_BITS);
            int exponent = reciprocal.numBitsOverUnit() + 31 - outBits;
            if (exponent < 0 || exponent > 31) {
                throw new IllegalStateException("TFLITE_CHECK(0 <= exponent && exponent <= 31) fails in Softmax: " + exponent);
            }
            for (int c = 0; c < depth; c++) {
                int diff = x.getInt(row + c) - maxInRow;
                if (diff >= diffMin) {
                    int exp = FixedPoint.expOnNegativeValues(rescaledDiff(diff, m, rounding), SCALED_DIFF_INTEGER_BITS);
                    int unsat = FixedPoint.roundingDivideByPot(FixedPoint.saturatingRoundingDoublingHighMul(reciprocal.raw(), exp),
                            exponent);
                    int shifted = unsat + outMin;
                    out[row + c] = Math.max(Math.min(shifted, outMax), outMin);
                } else {
                    out[row + c] = outMin;
                }
            }
        }
        return TensorValue.fromInts(outType, x.shape(), out);
    }

    /**
     * {@code optimized_ops::PopulateSoftmaxLookupTable}, as {@code SoftmaxPrepare<kGenericOptimized>}
     * calls it for every 8-bit input: {@code table[255 - d] = expf(scale * d)} with {@code scale =
     * -input_scale * beta}, both products in float. Returned indexed by the difference {@code d}
     * to the row's maximum, in [0, 255].
     */
    static float[] populateLookupTable(float inputScale, float beta) {
        float scale = -inputScale * beta;
        float[] exps = new float[256];
        for (int d = 0; d < 256; d++) {
            exps[d] = LookupTables.expf(scale * d);
        }
        return exps;
    }

    /**
     * {@code optimized_ops::Softmax<In, Out>} (the float-table kernel) for uint8 and int8 inputs,
     * as TFLite 2.19's optimized builtin kernels run it on x86-64 and on aarch64 (the preset's
     * arm64 library is built with GCC, so {@code TFLITE_SOFTMAX_USE_UINT16_LUT}, which needs clang,
     * is off and 8-bit outputs take this kernel too). Per row: the maximum; {@code sum_exp}, the
     * table values of every element added in float in order; {@code inv_sum_exp = 1.0f / (sum_exp
     * * output_scale)} in float; each output {@code table * inv_sum_exp} in float, quantized by
     * {@code QuantizeSoftmaxOutput}: {@code (int32) std::round(p) + output_zero_point}, except
     * uint8 outputs off aarch64, {@code (int32) (p + 0.5f)} with no zero point; then clamped to
     * the output type. Unlike the reference kernel it uses the output's own scale and zero point.
     */
    static TensorValue softmaxLookupTable(TensorValue x, float[] exps, float outputScale, int outputZeroPoint, DType outType,
                                          boolean aarch64) {
        int depth = x.dim(x.rank() - 1);
        int n = x.elementCount();
        int outMin = QuantParams.min(outType);
        int outMax = QuantParams.max(outType);
        int[] out = new int[n];
        for (int row = 0; row < n; row += depth) {
            int maxInRow = QuantParams.min(x.dtype());
            for (int c = 0; c < depth; c++) {
                maxInRow = Math.max(maxInRow, x.getInt(row + c));
            }
            float sumExp = 0f;
            for (int c = 0; c < depth; c++) {
                sumExp += exps[maxInRow - x.getInt(row + c)];
            }
            float invSumExp = 1.0f / (sumExp * outputScale);
            for (int c = 0; c < depth; c++) {
                float prob = exps[maxInRow - x.getInt(row + c)] * invSumExp;
                int quantized;
                if (aarch64) {
                    quantized = Aarch64Math.roundHalfAwayToInt32(prob) + outputZeroPoint;   // fcvtas
                } else if (outType == DType.UINT8) {
                    quantized = CppMath.castToInt32X86(prob + 0.5f);
                } else {
                    quantized = CppMath.castToInt32X86(CppMath.round(prob)) + outputZeroPoint;
                }
                out[row + c] = Math.max(Math.min(quantized, outMax), outMin);
            }
        }
        return TensorValue.fromInts(outType, x.shape(), out);
    }

    /** {@code MultiplyByQuantizedMultiplierGreaterThanOne(input_diff, input_beta_multiplier, input_beta_left_shift)}. */
    private static int rescaledDiff(int diff, QuantizedMultiplier m, Rounding rounding) {
        return QuantizedMultiplier.multiplyGreaterThanOne(diff, m.multiplier(), m.shift(), rounding);
    }

    /** What {@code SoftmaxPrepare} stores for the int16 path. */
    record Int16Params(short[] expLut, short[] oneOverOnePlusXLut, QuantizedMultiplier inputMultiplier, Rounding rounding) {
    }

    /**
     * {@code SoftmaxPrepare} for int16: the exp table over [-10, 0] and the 1/(1+x) table over
     * [0, 1], both {@code LUTPopulate<int16_t>} in double with an output range of [-1, 1], and
     * the multiplier taking an input difference to 10/65535 units ({@code input scale * beta} is
     * a float product, the division a double one).
     */
    static Int16Params prepareInt16(float inputScale, float beta, Rounding rounding) {
        final int range = Short.MAX_VALUE - Short.MIN_VALUE;
        short[] expLut = LookupTables.populateInt16(10.0 / range, Short.MAX_VALUE, 2.0 / range, 0, Math::exp);
        short[] recipLut = LookupTables.populateInt16(1.0 / range, Short.MIN_VALUE, 2.0 / range, 0, v -> 1.0 / (1.0 + v));
        double rescale = (double) (inputScale * beta) / (10.0 / 65535.0);
        QuantizedMultiplier m = QuantizationUtil.quantizeMultiplier(rescale, rounding);
        return new Int16Params(expLut, recipLut, m, rounding);
    }

    /** {@code reference_ops::SoftmaxInt16} with {@code SoftMaxCalculateExp}. */
    static TensorValue softmaxInt16(TensorValue x, Int16Params p) {
        int depth = x.dim(x.rank() - 1);
        int n = x.elementCount();
        int[] out = new int[n];
        short[] exps = new short[depth];
        for (int row = 0; row < n; row += depth) {
            int maxInRow = Short.MIN_VALUE;
            for (int c = 0; c < depth; c++) {
                maxInRow = Math.max(maxInRow, x.getInt(row + c));
            }
            int sumOfExps = 0;   // Q16.15
            for (int c = 0; c < depth; c++) {
                int diff = x.getInt(row + c) - maxInRow;
                int scaled = p.inputMultiplier().apply(diff, p.rounding());
                int sym = scaled + 32767;
                short sat = (short) Math.min(Math.max(sym, -32768), 32767);
                exps[c] = LookupTables.lookup(sat, p.expLut());
                sumOfExps += exps[c];
            }
            int headroomPlusOne = Integer.numberOfLeadingZeros(sumOfExps);
            int shiftedSum = (int) ((((long) sumOfExps << (headroomPlusOne - 1)) + (1 << 13)) >> 14);
            int symShiftedSum = shiftedSum + (-((1 << 15) + (1 << 16)));
            short satSymShiftedSum = (short) Math.min(Math.max(symShiftedSum, -32768), 32767);
            short reciprocal = LookupTables.lookup(satSymShiftedSum, p.oneOverOnePlusXLut());
            int rightShift = 31 - headroomPlusOne;
            long round = 1 << (rightShift - 1);
            for (int c = 0; c < depth; c++) {
                int result = (int) (((long) exps[c] * (long) reciprocal + round) >> rightShift);
                out[row + c] = Math.min(Math.max(result, 0), 32767);
            }
        }
        return TensorValue.fromInts(DType.INT16, x.shape(), out);
    }

    /**
     * NAIVE_FLOAT: the real softmax of the dequantized row in double, quantized with the output
     * type's conventional parameters (zero point at the type's minimum, scale 1/2^8 for 8-bit
     * and 1/2^16 for int16 outputs of 8-bit inputs; zero point 0, scale 1/2^15 for int16).
     */
    static TensorValue naive(TensorValue x, float inputScale, float beta, DType outType) {
        int depth = x.dim(x.rank() - 1);
        int n = x.elementCount();
        int[] out = new int[n];
        boolean int16In = x.dtype() == DType.INT16;
        int zp = int16In ? 0 : QuantParams.min(outType);
        double inv = int16In ? 32768.0 : outType == DType.INT16 ? 65536.0 : 256.0;
        for (int row = 0; row < n; row += depth) {
            int max = Integer.MIN_VALUE;
            for (int c = 0; c < depth; c++) {
                max = Math.max(max, x.getInt(row + c));
            }
            double sum = 0;
            for (int c = 0; c < depth; c++) {
                sum += Math.exp((double) beta * inputScale * (x.getInt(row + c) - max));
            }
            for (int c = 0; c < depth; c++) {
                double real = Math.exp((double) beta * inputScale * (x.getInt(row + c) - max)) / sum;
                out[row + c] = Naive.requantize(real * inv, zp, QuantParams.min(outType), QuantParams.max(outType));
            }
        }
        return TensorValue.fromInts(outType, x.shape(), out);
    }
}
