package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.CppMath;
import io.litebit.reference.fixedpoint.FixedPoint;
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
 * reference/reduce.h}); under the {@code BUILTIN_*} profiles also the one path where {@code
 * Register_MEAN_OPT} computes otherwise (below). {@link NumericsProfile#XNNPACK} computes XNNPACK's
 * own mean on every int8 and uint8 MEAN ({@code xnnpackMean}).
 *
 * <p>Details that decide bits, kept on purpose:
 * <ul>
 *   <li>The reference kernel sends every quantized MEAN through {@code QuantizedMeanOrSum}
 *       ({@link NumericsProfile#TFLITE}). The optimized kernel ({@code EvalMean<kGenericOptimized>},
 *       the {@code builtin} backends, {@link NumericsProfile#BUILTIN_X86} and {@link
 *       NumericsProfile#BUILTIN_ARM64}) does too, except on one path: int8 or uint8, keep_dims, a
 *       4-D input and an axis tensor of exactly {@code [1, 2]} or {@code [2, 1]} as written (not
 *       {@code [-3, -2]}: {@code ResolveAxis} does not normalize; see {@link #takesSpatialFastPath}).
 *       There it calls {@code optimized_integer_ops::Mean} (int8, {@code
 *       optimized/integer_ops/mean.h}) or {@code optimized_ops::Mean} (uint8, {@code
 *       optimized/reduce.h}), which compute differently from the reference in three ways:
 *       <ol>
 *         <li>the sum is of the raw inputs, without the zero point: {@code acc = Σ q};</li>
 *         <li>the multiplier is {@code QuantizeMultiplier(double(real_scale))} with {@code
 *             real_scale = in_scale / (float(h * w) * out_scale)} computed in float, not the
 *             reference's double {@code in_scale / out_scale} multiplier divided by n in
 *             integers;</li>
 *         <li>the input zero point is folded into a bias rounded on its own: {@code t = float(in_zp)
 *             * in_scale / out_scale} in float, {@code bias = out_zp - (int32)(t > 0 ? t + 0.5f : t
 *             - 0.5f)} (float additions, truncation); the result is {@code clamp(MBQM(acc) + bias)}.
 *             Rounding the mean of the raw values and the zero-point term separately can land 1
 *             LSB from rounding their difference once (MobileNetV2's 7×7 average pool: 45 of
 *             1,280 int8 outputs on x86).</li>
 *       </ol>
 *       x86-64 (this TFLite build has no {@code USE_NEON}: {@code neon_check.h} defines it only for
 *       ARM NEON or with SSE4.1 at compile time) runs the scalar loop of {@code MeanImpl} on every
 *       channel: {@code MultiplyByQuantizedMultiplier} ({@code common.cc}, double rounding: the high
 *       multiply with ties up, then {@code RoundingDivideByPOT} with ties away from zero). aarch64
 *       ({@code USE_NEON}) runs the 16-channel NEON loop on channels {@code [0, 16 * floor(depth /
 *       16))} and the scalar loop on the rest; the NEON loop applies the multiplier with {@code
 *       MultiplyByQuantizedMultiplier4Rows} ({@code common.h}: {@code vqrdmulhq_s32} then the
 *       rounding shift {@code vrshlq_s32}), whose right shift rounds ties towards +infinity, so a
 *       negative sum ({@code int8} only: uint8 sums are never negative) landing on a half after the
 *       high multiply rounds up by one there ({@link QuantizedMultiplier#multiplyDoubleHalfUp}). The kernel
 *       splits channels across threads ({@code depth / 8} tasks at most), which moves the NEON/scalar
 *       boundary; the native backends run one thread, which is what is modelled.</li>
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
            boolean arm64 = ctx.profile() == NumericsProfile.XNNPACK_ARM64;
            return inputs -> new TensorValue[] {xnnpackMean(inputs[0], g, inputScale, inputZeroPoint, outputScale,
                    outputZeroPoint, arm64)};
        }
        if (ctx.profile().isOptimized() && (t == DType.INT8 || t == DType.UINT8)
                && takesSpatialFastPath(input.shape().length, axis, options.keepDims())) {
            SpatialMean spatial = SpatialMean.of(inputScale, inputZeroPoint, outputScale, outputZeroPoint, g.inputShape(),
                    ctx.profile().isBuiltinArm64());
            return inputs -> new TensorValue[] {spatial.apply(inputs[0], g)};
        }
        Rounding rounding = ctx.profile().isFixedPoint() ? ctx.profile().rounding() : null;
        QuantizedMultiplier m = rounding == null ? null : QuantizationUtil.quantizeMultiplier(real, rounding);
        return inputs -> new TensorValue[] {quantizedMean(inputs[0], g, m, rounding, real, inputZeroPoint, outputZeroPoint)};
    }

    private static long zeroPoint(Tensor t) {
        return t.quantization().isNone() ? 0 : t.quantization().zeroPoint(0);
    }

    /**
     * The condition under which {@code EvalMean<kGenericOptimized>} ({@code reduce.cc}) sends an
     * int8 or uint8 MEAN to its 4-D spatial kernel: keep_dims, a 4-D input, and an axis tensor of
     * exactly two elements that are {@code {1, 2}} or {@code {2, 1}} as written in the model ({@code
     * ResolveAxis} copies them without normalizing, so {@code {-3, -2}} or {@code {1, 2, 2}} take the
     * general path). An empty input never gets there (it returns early).
     */
    static boolean takesSpatialFastPath(int rank, int[] axis, boolean keepDims) {
        return keepDims && rank == 4 && axis.length == 2
                && ((axis[0] == 1 && axis[1] == 2) || (axis[0] == 2 && axis[1] == 1));
    }

    /**
     * TFLite 2.19's optimized 4-D mean over height and width, int8 ({@code
     * optimized_integer_ops::Mean} and {@code MeanImpl} in {@code
     * kernels/internal/optimized/integer_ops/mean.h}) and uint8 ({@code optimized_ops::Mean} and
     * {@code MeanImpl} in {@code kernels/internal/optimized/reduce.h}), which compute the same way
     * for both types. See the class Javadoc for what it rounds differently.
     *
     * @param multiplier  {@code QuantizeMultiplier(double(real_scale))} with {@code real_scale =
     *                    in_scale / (float(h * w) * out_scale)} in float
     * @param bias        {@code out_zp - (int32)(t ± 0.5f)}, {@code t = float(in_zp) * in_scale /
     *                    out_scale} in float
     * @param neonDepth   the channels {@code [0, neonDepth)} go through the 16-lane NEON loop
     *                    (aarch64, one thread: {@code 16 * floor(depth / 16)}); 0 on x86, whose
     *                    build has no {@code USE_NEON}
     */
    record SpatialMean(QuantizedMultiplier multiplier, int bias, int neonDepth) {

        static SpatialMean of(float inputScale, int inputZeroPoint, float outputScale, int outputZeroPoint, int[] inputShape,
                              boolean arm64) {
            float elements = (float) (inputShape[1] * inputShape[2]);
            float temp = (float) inputZeroPoint * inputScale / outputScale;
            temp = temp > 0 ? temp + 0.5f : temp - 0.5f;
            // static_cast<int32_t>(float): cvttss2si on x86-64, fcvtzs (saturating, NaN to 0) on aarch64.
            int truncated = arm64 ? (int) temp : CppMath.castToInt32X86(temp);
            int bias = outputZeroPoint - truncated;
            float realScale = inputScale / (elements * outputScale);
            QuantizedMultiplier m = QuantizationUtil.quantizeMultiplier((double) realScale, Rounding.DOUBLE);
            int depth = inputShape[3];
            return new SpatialMean(m, bias, arm64 ? depth / 16 * 16 : 0);
        }

        /** {@code MeanImpl} over every batch and channel. */
        TensorValue apply(TensorValue input, Geometry g) {
            DType t = input.dtype();
            int[] shape = g.inputShape();
            int outputs = outputCount(g);
            if (input.elementCount() == 0) {
                return emptyInput(t, g.outputShape(), outputs);
            }
            int batches = shape[0];
            int spatial = shape[1] * shape[2];
            int depth = shape[3];
            int[] x = input.toIntArray();
            int min = (int) t.minValue();
            int max = (int) t.maxValue();
            int[] out = new int[outputs];
            for (int b = 0; b < batches; b++) {
                for (int d = 0; d < depth; d++) {
                    int acc = 0;
                    for (int p = 0, i = b * spatial * depth + d; p < spatial; p++, i += depth) {
                        acc += x[i];
                    }
                    int v = d < neonDepth
                            ? QuantizedMultiplier.multiplyDoubleHalfUp(acc, multiplier.multiplier(), multiplier.shift())
                            : QuantizedMultiplier.multiply(acc, multiplier.multiplier(), multiplier.shift(), Rounding.DOUBLE);
                    out[b * depth + d] = Math.min(Math.max(v + bias, min), max);
                }
            }
            return TensorValue.fromInts(t, g.outputShape(), out);
        }
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
     * {@code zp' = out_zp - float(n * in_zp) * inv}, all in float ({@code reduce-nd.c} folds the
     * input zero point into the convert's). The aarch64 build ({@code arm64}: {@link
     * NumericsProfile#XNNPACK_ARM64}) computes both with fused multiply-adds, and the zero point
     * reassociated: {@code zp' = fma(-n, float(in_zp * inv), out_zp)}, {@code y = fma(float(sum),
     * inv, zp')} (established by measurement on {@code arm64:xnnpack}, consistent with the
     * contraction and reassociation found in that library's machine code elsewhere: a mean of ten
     * int8 values summing to 475, scales 0.5, zero points 74 in and 16 out, gives -10 fused and
     * -11 on x86; 800 fuzzed MEAN cases agree).
     */
    private static TensorValue xnnpackMean(TensorValue input, Geometry g, float inputScale, int inputZeroPoint,
                                           float outputScale, int outputZeroPoint, boolean arm64) {
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
        float zeroPoint = arm64 ? Math.fma(-(float) (int) n, (float) inputZeroPoint * inv, (float) outputZeroPoint)
                : (float) outputZeroPoint - (float) (int) n * (float) inputZeroPoint * inv;
        int[] out = new int[outputs];
        for (int o = 0; o < outputs; o++) {
            float y = arm64 ? Math.fma((float) sum[o], inv, zeroPoint) : (float) sum[o] * inv + zeroPoint;
            out[o] = XnnpackMath.roundHalfAway(y, (int) t.minValue(), (int) t.maxValue());
        }
        return TensorValue.fromInts(t, g.outputShape(), out);
    }
}
