package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.TensorValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * TRANSPOSE_CONV for float32, uint8 (per-tensor filter), int8 (per-tensor or per-channel filter)
 * and int16 activations with int8 filters ("16x8": an int64 bias or none, or an int32 bias when the
 * options' {@code quantized_bias_type} is INT32), from an int32 {@code
 * output_shape} input (constant, or given at run time: the output is then sized in Eval, as
 * TFLite does for a dynamic output), with an optional bias, SAME/VALID padding, strides and fused
 * activations. Mirrors TFLite 2.19's {@code kernels/transpose_conv.cc} as registered by {@code
 * Register_TRANSPOSECONV_REF} ({@code Prepare<kReference>}, {@code Eval<kReference>}: {@code
 * EvalFloat}, {@code EvalQuantized}, {@code EvalQuantizedPerChannel}, {@code
 * EvalQuantizedPerChannel16x8}) and the scatter loops of {@code reference_ops::TransposeConv}
 * ({@code reference/transpose_conv.h}) and {@code reference_integer_ops::TransposeConv} ({@code
 * reference/integer_ops/transpose_conv.h}).
 *
 * <p>Details that decide bits, kept on purpose:
 * <ul>
 *   <li>Inputs are (output_shape, weights [out, h, w, in], input, bias). Eval computes the
 *       padding with {@code ComputePaddingHeightWidth} applied to the <em>output</em> size as if
 *       it were the input of a convolution: {@code pad = max(0, ((ComputeOutSize(out) - 1) *
 *       stride + filter - out) / 2)}.</li>
 *   <li>Every input position scatters {@code (x + x_off) * (w + w_off)} into the output
 *       positions its window reaches; out-of-range targets are dropped. The integer scratch is
 *       int32 (wrapping) for uint8 and int8, int64 for 16x8 with an int64 bias, int32 (wrapping)
 *       for 16x8 with {@code quantized_bias_type} INT32; float accumulates in the loop order
 *       batch, input row, column, channel, filter row, column, output channel.</li>
 *   <li>Multipliers: {@link ConvQuantization}. uint8 subtracts the filter zero point; int8 and
 *       16x8 ignore it (Prepare does not check it).</li>
 *   <li>16x8 with {@code quantized_bias_type} INT32 ({@link Accumulator16x8}): the reference
 *       {@code TransposeConv} instantiated for an int32 bias keeps its scratch and accumulator in
 *       int32 (wrapping) and requantizes with the int32 {@code MultiplyByQuantizedMultiplier} of
 *       the build's rounding. Without the option TFLite reads an int32 bias as int64, past its
 *       end: refused as unsupported.</li>
 *   <li>Prepare reads the fused activation through a {@code TfLiteConvParams} cast of the
 *       {@code TfLiteTransposeConvParams}; the field sits at the same offset in both, so the
 *       activation is the model's.</li>
 * </ul>
 */
final class TransposeConv implements Kernel {

    /** Shapes and window of one transposed convolution. */
    record Geometry(int batches, int inHeight, int inWidth, int inDepth, int filterHeight, int filterWidth,
                    int outHeight, int outWidth, int outDepth, int strideHeight, int strideWidth, int padHeight,
                    int padWidth) {

        int[] outputShape() {
            return new int[] {batches, outHeight, outWidth, outDepth};
        }
    }

    private enum Path { FLOAT, UINT8, INT8, INT16 }

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 3 && ctx.inputCount() != 4) {
            throw ctx.invalid("TRANSPOSE_CONV takes 3 or 4 inputs, given " + ctx.inputCount());
        }
        if (ctx.outputCount() != 1) {
            throw ctx.invalid("TRANSPOSE_CONV has one output, given " + ctx.outputCount());
        }
        BuiltinOptions.TransposeConv options = ctx.options(BuiltinOptions.TransposeConv.class);
        Tensor outputShape = ctx.requireInput(0, "output_shape");
        Tensor weights = ctx.requireInput(1, "weights");
        Tensor input = ctx.requireInput(2, "input");
        Tensor bias = ctx.input(3);
        Tensor output = ctx.output(0);
        if (outputShape.rank() != 1 || input.rank() != 4 || weights.rank() != 4) {
            throw ctx.invalid("output_shape must have rank 1 and input and weights rank 4, given "
                    + Arrays.toString(outputShape.shape()) + ", " + Arrays.toString(input.shape()) + " and "
                    + Arrays.toString(weights.shape()));
        }
        DType in = input.dtype();
        DType w = weights.dtype();
        if (in != DType.FLOAT32 && in != DType.UINT8 && in != DType.INT8 && in != DType.INT16) {
            throw ctx.invalid("TRANSPOSE_CONV needs a float32, uint8, int8 or int16 input, given " + in.displayName());
        }
        int outChannels = weights.dim(0);
        if (bias != null) {
            DType b = bias.dtype();
            long biasZeroPoint = zeroPoint(bias);
            if (in == DType.UINT8 || in == DType.INT8) {
                if (b != DType.INT32 || (in == DType.INT8 && biasZeroPoint != 0)) {
                    throw ctx.invalid("a " + in.displayName() + " TRANSPOSE_CONV needs an int32 bias"
                            + (in == DType.INT8 ? " with zero point 0" : "") + ", given " + b.displayName());
                }
            } else if (in == DType.INT16) {
                if ((b != DType.INT64 && b != DType.INT32) || biasZeroPoint != 0) {
                    throw ctx.invalid("an int16 TRANSPOSE_CONV needs an int32 or int64 bias with zero point 0, given "
                            + b.displayName());
                }
            } else if (b != in) {
                throw ctx.invalid("the bias type " + b.displayName() + " differs from the input's " + in.displayName());
            }
            if (bias.elementCount() != outChannels) {
                throw ctx.invalid("the bias has " + bias.elementCount() + " elements for " + outChannels + " output channels");
            }
        }
        if (in == DType.INT16) {
            if (w != DType.INT8) {
                throw ctx.invalid("int16 TRANSPOSE_CONV needs int8 weights, given " + w.displayName());
            }
            if (zeroPoint(input) != 0 || zeroPoint(output) != 0) {
                throw ctx.invalid("int16 input and output need zero point 0, given " + zeroPoint(input) + " and "
                        + zeroPoint(output));
            }
        }
        if (output.dtype() != in) {
            throw ctx.invalid("the output type " + output.dtype().displayName() + " differs from the input's " + in.displayName());
        }
        if (input.dim(3) != weights.dim(3)) {
            throw ctx.invalid("the input's " + input.dim(3) + " channels differ from the weights' " + weights.dim(3));
        }
        if (in == DType.FLOAT32 && w == DType.INT8) {
            throw ctx.unsupported("hybrid float input with int8 weights is not implemented");
        }
        Path path = switch (in) {
            case FLOAT32 -> Path.FLOAT;
            case UINT8 -> Path.UINT8;
            case INT8 -> Path.INT8;
            default -> Path.INT16;
        };
        DType expectedWeights = switch (path) {
            case FLOAT -> DType.FLOAT32;
            case UINT8 -> DType.UINT8;
            default -> DType.INT8;
        };
        if (w != expectedWeights) {
            throw ctx.unsupported("a " + w.displayName() + " filter with a " + in.displayName() + " input (TFLite reads it as "
                    + expectedWeights.displayName() + ")");
        }
        boolean int64Accumulator = path == Path.INT16
                && Accumulator16x8.of(ctx, options.quantizedBiasType(), bias) == Accumulator16x8.INT64;
        if (outputShape.dtype() != DType.INT32) {
            throw ctx.invalid("output_shape must be int32, given " + outputShape.dtype().displayName());
        }
        ConvQuantization q = path == Path.FLOAT ? null
                : ConvQuantization.populate(ctx, input, weights, bias, output, options.activation(), outChannels, 0);
        if (options.strideH() <= 0 || options.strideW() <= 0) {
            throw ctx.invalid("strides must be positive, given " + options.strideH() + "x" + options.strideW() + " (Eval fails)");
        }
        Eval eval;
        if (path == Path.FLOAT) {
            ActivationRange.Floats range = ActivationRange.floats(options.activation());
            eval = (inputs, g) -> evalFloat(inputs[2], inputs[1], inputs.length > 3 ? inputs[3] : null, g, range);
        } else {
            int inputOffset = -(int) zeroPoint(input);
            int filterOffset = path == Path.UINT8 ? -(int) zeroPoint(weights) : 0;
            int outputOffset = (int) zeroPoint(output);
            DType outType = output.dtype();
            eval = (inputs, g) -> evalQuantized(inputs[2], inputs[1], inputs.length > 3 ? inputs[3] : null, g, q,
                    int64Accumulator, inputOffset, filterOffset, outputOffset, outType);
        }
        Optional<TensorValue> constantShape = ctx.constantInput(0);
        if (constantShape.isPresent()) {
            // Prepare: ResizeTensor from the constant output_shape input.
            Geometry g = geometry(ctx, constantShape.get().toIntArray(), input.shape(), weights.shape(), options);
            return inputs -> new TensorValue[] {eval.apply(inputs, g)};
        }
        // A non-constant output_shape: Prepare marks the output dynamic and Eval resizes it from
        // the value it is given (ResizeTensor under IsDynamicTensor), then derives the padding.
        int[] inShape = input.shape();
        int[] wShape = weights.shape();
        return inputs -> {
            TensorValue shapeValue = inputs[0];
            if (shapeValue.rank() != 1) {
                throw ctx.invalid("output_shape must have rank 1, given " + Arrays.toString(shapeValue.shape()));
            }
            Geometry g = geometry(ctx, shapeValue.toIntArray(), inShape, wShape, options);
            return new TensorValue[] {eval.apply(inputs, g)};
        };
    }

    /** The evaluation of one path with its geometry fixed. */
    @FunctionalInterface
    private interface Eval {
        TensorValue apply(TensorValue[] inputs, Geometry g);
    }

    /**
     * The output shape ResizeTensor sets from {@code output_shape}, checked as Eval checks it,
     * and the padding Eval derives from it.
     */
    private static Geometry geometry(OpContext ctx, int[] outShape, int[] inShape, int[] wShape,
                                     BuiltinOptions.TransposeConv options) {
        if (outShape.length != 4) {
            throw ctx.unsupported("an output_shape of rank " + outShape.length + " (the kernel indexes a 4-D output)");
        }
        if (outShape[0] != inShape[0]) {
            throw ctx.invalid("the output batch " + outShape[0] + " differs from the input's " + inShape[0] + " (Eval fails)");
        }
        if (outShape[3] != wShape[0]) {
            throw ctx.unsupported("an output depth " + outShape[3] + " different from the weights' " + wShape[0]
                    + " (the reference kernel only DCHECKs it)");
        }
        for (int d : outShape) {
            if (d < 0) {
                throw ctx.invalid("output_shape " + Arrays.toString(outShape) + " has a negative dimension");
            }
        }
        // Eval: the padding from the output size, as if it were a convolution's input.
        ConvPadding p = ConvPadding.compute(options.padding(), outShape[1], outShape[2], wShape[1], wShape[2],
                options.strideH(), options.strideW(), 1, 1);
        return new Geometry(inShape[0], inShape[1], inShape[2], inShape[3], wShape[1], wShape[2],
                outShape[1], outShape[2], outShape[3], options.strideH(), options.strideW(), p.padHeight(), p.padWidth());
    }

    private static long zeroPoint(Tensor t) {
        return t.quantization().isNone() ? 0 : t.quantization().zeroPoint(0);
    }

    private static int outputSize(Geometry g) {
        return g.batches() * g.outHeight() * g.outWidth() * g.outDepth();
    }

    /**
     * The scatter of {@code reference_ops::TransposeConv} (uint8) and {@code
     * reference_integer_ops::TransposeConv} (int8, 16x8) into the scratch accumulators, then the
     * requantizing tail per output element.
     */
    private static TensorValue evalQuantized(TensorValue input, TensorValue weights, TensorValue bias, Geometry g,
                                             ConvQuantization q, boolean int64, int inputOffset, int filterOffset,
                                             int outputOffset, DType outType) {
        int[] x = input.toIntArray();
        int[] w = weights.toIntArray();
        long[] bv = bias == null ? null : bias.toLongArray();
        long[] scratch = new long[outputSize(g)];
        for (int b = 0; b < g.batches(); b++) {
            for (int inY = 0; inY < g.inHeight(); inY++) {
                for (int inX = 0; inX < g.inWidth(); inX++) {
                    for (int ic = 0; ic < g.inDepth(); ic++) {
                        int outXOrigin = inX * g.strideWidth() - g.padWidth();
                        int outYOrigin = inY * g.strideHeight() - g.padHeight();
                        int xv = x[((b * g.inHeight() + inY) * g.inWidth() + inX) * g.inDepth() + ic] + inputOffset;
                        for (int fy = 0; fy < g.filterHeight(); fy++) {
                            for (int fx = 0; fx < g.filterWidth(); fx++) {
                                int outX = outXOrigin + fx;
                                int outY = outYOrigin + fy;
                                if (outX < 0 || outX >= g.outWidth() || outY < 0 || outY >= g.outHeight()) {
                                    continue;
                                }
                                int outBase = ((b * g.outHeight() + outY) * g.outWidth() + outX) * g.outDepth();
                                for (int oc = 0; oc < g.outDepth(); oc++) {
                                    int wv = w[((oc * g.filterHeight() + fy) * g.filterWidth() + fx) * g.inDepth() + ic];
                                    scratch[outBase + oc] += (long) xv * (wv + filterOffset);
                                }
                            }
                        }
                    }
                }
            }
        }
        int[] result = new int[scratch.length];
        for (int i = 0; i < scratch.length; i++) {
            int oc = i % g.outDepth();
            long acc = scratch[i] + (bv == null ? 0 : bv[oc]);
            // int32 paths: the scratch and the accumulator wrap to 32 bits as the C++ does.
            result[i] = int64 ? q.requantizeInt64(acc, oc) : q.requantize((int) acc, acc, oc, outputOffset);
        }
        return TensorValue.fromInts(outType, g.outputShape(), result);
    }

    /** {@code reference_ops::TransposeConv} for float: the scatter in float, then bias and clamp. */
    private static TensorValue evalFloat(TensorValue input, TensorValue weights, TensorValue bias, Geometry g,
                                         ActivationRange.Floats range) {
        float[] x = input.toFloatArray();
        float[] w = weights.toFloatArray();
        float[] bv = bias == null ? null : bias.toFloatArray();
        float[] out = new float[outputSize(g)];
        for (int b = 0; b < g.batches(); b++) {
            for (int inY = 0; inY < g.inHeight(); inY++) {
                for (int inX = 0; inX < g.inWidth(); inX++) {
                    for (int ic = 0; ic < g.inDepth(); ic++) {
                        int outXOrigin = inX * g.strideWidth() - g.padWidth();
                        int outYOrigin = inY * g.strideHeight() - g.padHeight();
                        float xv = x[((b * g.inHeight() + inY) * g.inWidth() + inX) * g.inDepth() + ic];
                        for (int fy = 0; fy < g.filterHeight(); fy++) {
                            for (int fx = 0; fx < g.filterWidth(); fx++) {
                                int outX = outXOrigin + fx;
                                int outY = outYOrigin + fy;
                                if (outX < 0 || outX >= g.outWidth() || outY < 0 || outY >= g.outHeight()) {
                                    continue;
                                }
                                int outBase = ((b * g.outHeight() + outY) * g.outWidth() + outX) * g.outDepth();
                                for (int oc = 0; oc < g.outDepth(); oc++) {
                                    out[outBase + oc] += xv * w[((oc * g.filterHeight() + fy) * g.filterWidth() + fx) * g.inDepth() + ic];
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            float acc = out[i];
            if (bv != null) {
                acc += bv[i % g.outDepth()];
            }
            out[i] = ActivationRange.clamp(acc, range.min(), range.max());
        }
        return TensorValue.ofFloat32(g.outputShape(), out);
    }
}
