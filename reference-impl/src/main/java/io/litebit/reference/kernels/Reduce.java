package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.QuantizationUtil;
import io.litebit.reference.fixedpoint.QuantizedMultiplier;
import io.litebit.reference.fixedpoint.Rounding;
import io.litebit.reference.fixedpoint.XnnpackMath;
import java.util.Arrays;

/**
 * MEAN for float32, int32, int64, uint8, int8 and int16 over constant axes, with or without
 * keep_dims. Mirrors TFLite 2.19's {@code kernels/reduce.cc} as registered by {@code
 * Register_MEAN_REF} ({@code PrepareMeanOrSum} with {@code PrepareSimple} and {@code
 * GetOutputShape}, {@code EvalMean<kReference>}) and {@code reference_ops::Mean} / {@code
 * QuantizedMeanOrSum} with {@code ResolveAxis} and {@code ReduceSumImpl} ({@code
 * reference/reduce.h}).
 *
 * <p>Details that decide bits, kept on purpose:
 * <ul>
 *   <li>The reference kernel sends every quantized MEAN through {@code QuantizedMeanOrSum}. The
 *       4-D keep_dims mean over height and width that TFLite's optimized kernel special-cases
 *       ({@code optimized_integer_ops::Mean}, its own multiplier and shift) is not taken by
 *       {@code EvalMean<kReference>}, so it is not reproduced here. Measured on TFLite 2.19 (x86-64):
 *       on that path BUILTIN differs from BUILTIN_REF by 1 LSB in about 17% of int8 and uint8
 *       output elements; on every other axis combination, and for int16, the two agree.</li>
 *   <li>{@code QuantizedMeanOrSum}: the raw int32 sum of each output (wrapping), minus {@code
 *       input_zero_point * n} in int64 then truncated to int32; Prepare's multiplier {@code
 *       QuantizeMultiplier(double(input_scale) / double(output_scale))} is divided by n with
 *       {@code s = min(floor(log2 n), 32, 31 + shift)}: {@code m' = (int32)((int64(m) << s) / n)},
 *       {@code shift' = shift - s}; then {@code MultiplyByQuantizedMultiplier(sum, m', shift')}
 *       plus the output zero point, clamped to the type's range (no fused activation).</li>
 *   <li>Float: the float sum in input order, divided by the count as a float; int32 and int64:
 *       the int64 sum divided by the count with truncation.</li>
 *   <li>An empty input gives zeros (NaN for float) as {@code InitializeMeanOutput} writes them.</li>
 * </ul>
 */
final class Reduce implements Kernel {

    /** Input dimensions, the resolved (deduplicated, non-negative) axes and the output shape. */
    record Geometry(int[] inputShape, int[] axes, int[] outputShape, long elementsInAxes) {
    }

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 2 || ctx.outputCount() != 1) {
            throw ctx.invalid("MEAN takes 2 inputs and 1 output, given " + ctx.inputCount() + " and " + ctx.outputCount());
        }
        BuiltinOptions.Reducer options = ctx.options(BuiltinOptions.Reducer.class);
        Tensor input = ctx.requireInput(0, "input");
        Tensor axisTensor = ctx.requireInput(1, "axis");
        Tensor output = ctx.output(0);
        if (axisTensor.dtype() != DType.INT32) {
            throw ctx.invalid("the axis tensor must be int32, given " + axisTensor.dtype().displayName());
        }
        DType t = input.dtype();
        if (t == DType.INT16 && (zeroPoint(input) != 0 || zeroPoint(output) != 0)) {
            throw ctx.invalid("int16 input and output need zero point 0, given " + zeroPoint(input) + " and " + zeroPoint(output));
        }
        if (t != DType.FLOAT32 && t != DType.INT32 && t != DType.INT64 && t != DType.UINT8 && t != DType.INT8
                && t != DType.INT16) {
            throw ctx.invalid("MEAN supports float32, int32, int64, uint8, int8 and int16 (Eval fails), given " + t.displayName());
        }
        if (output.dtype() != t) {
            throw ctx.unsupported("an output type " + output.dtype().displayName() + " different from the input's "
                    + t.displayName() + " (TFLite writes the input type into it)");
        }
        TensorValue axisValue = ctx.constantInput(1).orElseThrow(
                () -> ctx.unsupported("a non-constant axis tensor (a dynamic output shape)"));
        int[] axis = axisValue.toIntArray();
        Geometry g = geometry(ctx, input.shape(), axis, options.keepDims());
        if (t == DType.FLOAT32 || t == DType.INT32 || t == DType.INT64) {
            return inputs -> new TensorValue[] {meanPlain(inputs[0], g)};
        }
        if (input.quantization().isNone()) {
            throw ctx.invalid("a quantized MEAN needs a quantized input");
        }
        float inputScale = input.quantization().scale(0);
        float outputScale = output.quantization().isNone() ? 0f : output.quantization().scale(0);
        double real = (double) inputScale / (double) outputScale;
        int inputZeroPoint = (int) zeroPoint(input);
        int outputZeroPoint = (int) zeroPoint(output);
        if (ctx.profile().isXnnpack() && t != DType.INT16) {
            return inputs -> new TensorValue[] {xnnpackMean(inputs[0], g, inputScale, inputZeroPoint, outputScale,
                    outputZeroPoint)};
        }
        Rounding rounding = ctx.profile().isFixedPoint() ? ctx.profile().rounding() : null;
        QuantizedMultiplier m = rounding == null ? null : QuantizationUtil.quantizeMultiplier(real, rounding);
        return inputs -> new TensorValue[] {quantizedMean(inputs[0], g, m, rounding, real, inputZeroPoint, outputZeroPoint)};
    }

    private static long zeroPoint(Tensor t) {
        return t.quantization().isNone() ? 0 : t.quantization().zeroPoint(0);
    }

    /** {@code GetOutputShape} and {@code ResolveAxis}. */
    private static Geometry geometry(OpContext ctx, int[] in, int[] axis, boolean keepDims) {
        int rank = in.length;
        int[] resolved = new int[axis.length];
        int count = 0;
        for (int a : axis) {
            int current = a < 0 ? a + rank : a;
            if (rank > 0 && (current < 0 || current >= rank)) {
                throw ctx.invalid("axis " + a + " is out of range for rank " + rank);
            }
            boolean dup = false;
            for (int j = 0; j < count; j++) {
                dup |= resolved[j] == current;
            }
            if (!dup && rank > 0) {
                resolved[count++] = current;
            }
        }
        int[] axes = Arrays.copyOf(resolved, count);
        int[] out;
        if (rank == 0) {
            out = new int[0];
        } else if (keepDims) {
            out = in.clone();
            for (int a : axes) {
                out[a] = 1;
            }
        } else {
            out = new int[rank - count];
            int k = 0;
            for (int d = 0; d < rank; d++) {
                if (!contains(axes, d)) {
                    out[k++] = in[d];
                }
            }
        }
        long n = 1;
        for (int a : axes) {
            n *= in[a];
        }
        return new Geometry(in.clone(), axes, out, n);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    /**
     * For each input element in row-major order, the index of the output element it reduces into
     * ({@code ReducedOutputOffset} as {@code Reduce} walks the input).
     */
    private static int[] outputIndexOfEachInput(Geometry g) {
        int[] in = g.inputShape();
        int n = 1;
        for (int d : in) {
            n *= d;
        }
        int[] result = new int[n];
        int[] idx = new int[in.length];
        for (int i = 0; i < n; i++) {
            int offset = 0;
            for (int d = 0; d < in.length; d++) {
                if (!contains(g.axes(), d)) {
                    offset = offset * in[d] + idx[d];
                }
            }
            result[i] = offset;
            for (int d = in.length - 1; d >= 0; d--) {
                if (++idx[d] < in[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return result;
    }

    private static int outputCount(Geometry g) {
        int n = 1;
        for (int d : g.outputShape()) {
            n *= d;
        }
        return n;
    }

    /** {@code reference_ops::Mean<float, float>}, {@code <int, int64_t>} and {@code <int64_t, int64_t>}. */
    private static TensorValue meanPlain(TensorValue input, Geometry g) {
        int outputs = outputCount(g);
        DType t = input.dtype();
        if (input.elementCount() == 0) {
            return emptyInput(t, g.outputShape(), outputs);
        }
        int[] target = outputIndexOfEachInput(g);
        if (t == DType.FLOAT32) {
            float[] x = input.toFloatArray();
            float[] sum = new float[outputs];
            for (int i = 0; i < x.length; i++) {
                sum[target[i]] += x[i];
            }
            float[] out = new float[outputs];
            if (g.elementsInAxes() > 0) {
                for (int o = 0; o < outputs; o++) {
                    out[o] = sum[o] / (float) g.elementsInAxes();
                }
            }
            return TensorValue.ofFloat32(g.outputShape(), out);
        }
        long[] x = input.toLongArray();
        long[] sum = new long[outputs];
        for (int i = 0; i < x.length; i++) {
            sum[target[i]] += x[i];
        }
        long[] out = new long[outputs];
        for (int o = 0; o < outputs; o++) {
            out[o] = g.elementsInAxes() > 0 ? sum[o] / g.elementsInAxes() : 0;
        }
        if (t == DType.INT64) {
            return TensorValue.ofInt64(g.outputShape(), out);
        }
        int[] o32 = new int[outputs];
        for (int o = 0; o < outputs; o++) {
            o32[o] = (int) out[o];
        }
        return TensorValue.ofInt32(g.outputShape(), o32);
    }

    /** {@code InitializeMeanOutput}: {@code quiet_NaN()} of the type, NaN for float and 0 for integers. */
    private static TensorValue emptyInput(DType t, int[] shape, int outputs) {
        if (t == DType.FLOAT32) {
            float[] nan = new float[outputs];
            Arrays.fill(nan, Float.NaN);
            return TensorValue.ofFloat32(shape, nan);
        }
        return TensorValue.zeros(t, shape);
    }

    /** {@code reference_ops::QuantizedMeanOrSum} with {@code compute_sum} false. */
    private static TensorValue quantizedMean(TensorValue input, Geometry g, QuantizedMultiplier m, Rounding rounding,
                                             double real, int inputZeroPoint, int outputZeroPoint) {
        int outputs = outputCount(g);
        DType t = input.dtype();
        if (input.elementCount() == 0) {
            return emptyInput(t, g.outputShape(), outputs);
        }
        int[] target = outputIndexOfEachInput(g);
        int[] x = input.toIntArray();
        int[] sum = new int[outputs];
        long[] exact = new long[outputs];
        for (int i = 0; i < x.length; i++) {
            sum[target[i]] += x[i];
            exact[target[i]] += x[i];
        }
        long n = g.elementsInAxes();
        int min = (int) t.minValue();
        int max = (int) t.maxValue();
        int[] out = new int[outputs];
        if (n == 0) {
            return TensorValue.fromInts(t, g.outputShape(), out);
        }
        int multiplier = 0;
        int shift = 0;
        if (m != null) {
            int s = 63 - Long.numberOfLeadingZeros(n);
            s = Math.min(s, 32);
            s = Math.min(s, 31 + m.shift());
            multiplier = (int) (((long) m.multiplier() << s) / n);
            shift = m.shift() - s;
        }
        for (int o = 0; o < outputs; o++) {
            int v;
            if (m != null) {
                int shiftedSum = (int) (sum[o] - (long) inputZeroPoint * n);
                v = QuantizedMultiplier.multiply(shiftedSum, multiplier, shift, rounding) + outputZeroPoint;
                v = Math.min(Math.max(v, min), max);
            } else {
                v = Naive.requantize((exact[o] - (double) inputZeroPoint * n) * real / n, outputZeroPoint, min, max);
            }
            out[o] = v;
        }
        return TensorValue.fromInts(t, g.outputShape(), out);
    }
    /**
     * XNNPACK's 8-bit mean (its reduce operator with a reference int32-to-8-bit convert): the raw
     * inputs summed in int32, then {@code round(float(sum) * inv + zp')} with halves away from
     * zero ({@code std::round}), clamped; {@code inv = (in_scale / out_scale) * (1.0f / n)} and
     * {@code zp' = out_zp - float(n * in_zp) * inv}, all in float.
     */
    private static TensorValue xnnpackMean(TensorValue input, Geometry g, float inputScale, int inputZeroPoint,
                                           float outputScale, int outputZeroPoint) {
        int outputs = outputCount(g);
        DType t = input.dtype();
        long n = g.elementsInAxes();
        if (input.elementCount() == 0 || n == 0) {
            return emptyInput(t, g.outputShape(), outputs);
        }
        int[] target = outputIndexOfEachInput(g);
        int[] x = input.toIntArray();
        int[] sum = new int[outputs];
        for (int i = 0; i < x.length; i++) {
            sum[target[i]] += x[i];
        }
        float inv = (inputScale / outputScale) * (1.0f / (float) n);
        float zeroPoint = (float) outputZeroPoint - (float) (int) n * (float) inputZeroPoint * inv;
        int[] out = new int[outputs];
        for (int o = 0; o < outputs; o++) {
            out[o] = XnnpackMath.roundHalfAway((float) sum[o] * inv + zeroPoint, (int) t.minValue(), (int) t.maxValue());
        }
        return TensorValue.fromInts(t, g.outputShape(), out);
    }
}
