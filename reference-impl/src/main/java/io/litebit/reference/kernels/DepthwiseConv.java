package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.Rounding;
import java.util.Arrays;

/**
 * DEPTHWISE_CONV_2D for float32, uint8 (per-tensor filter), int8 (per-tensor or per-channel
 * filter) and int16 activations with int8 filters and an int64 bias ("16x8"), with depth
 * multipliers, SAME/VALID padding, strides, dilation and fused activations; the bias is optional.
 * Mirrors TFLite 2.19's {@code kernels/depthwise_conv.cc} as registered by {@code
 * Register_DEPTHWISE_CONVOLUTION_REF} ({@code Prepare}, {@code EvalFloat}, {@code
 * EvalQuantized}, {@code EvalQuantizedPerChannel} with {@code kReference}, {@code
 * EvalQuantizedPerChannel16x8}) and the loops of {@code reference_ops::DepthwiseConv} ({@code
 * reference/depthwiseconv_float.h}, {@code reference/depthwiseconv_uint8.h}) and {@code
 * reference_integer_ops::DepthwiseConvPerChannel} ({@code reference/integer_ops/depthwise_conv.h}).
 *
 * <p>Details that decide bits, kept on purpose:
 * <ul>
 *   <li>Output channel {@code oc = ic * depth_multiplier + m} reads input channel {@code ic} and
 *       filter column {@code oc}. The float, uint8 and int8 paths take the depth multiplier from
 *       the shapes ({@code ComputeDepthMultiplier}: filter channels / input channels, which must
 *       divide); the 16x8 path takes the options' {@code depth_multiplier}, so a model whose
 *       option disagrees with its shapes is refused here (TFLite would index past the output).</li>
 *   <li>uint8 subtracts the filter zero point; int8 ignores it (weights_offset 0) and, unlike
 *       CONV_2D, Prepare does not insist that it is 0.</li>
 *   <li>uint8 requantizes through {@code DepthwiseConvRound<kAwayFromZero>}: {@code
 *       MultiplyByQuantizedMultiplier} in the default build but, in a {@code
 *       TFLITE_SINGLE_ROUNDING} build, still the double-rounding formula ({@code
 *       RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(...))}); the {@code
 *       TFLITE_SINGLE_ROUNDING} profile reproduces that (its multipliers still come from the
 *       single-rounding {@code QuantizeMultiplier}).</li>
 *   <li>Multipliers: {@link ConvQuantization}; int32 accumulators wrap; 16x8 accumulates in
 *       int64 and scales with the int64 {@code MultiplyByQuantizedMultiplier}.</li>
 * </ul>
 */
final class DepthwiseConv implements Kernel {

    /** Shapes and window of one depthwise convolution. */
    record Geometry(int batches, int inHeight, int inWidth, int inDepth, int filterHeight, int filterWidth,
                    int depthMultiplier, int outHeight, int outWidth, int outDepth, int strideHeight, int strideWidth,
                    int dilationHeight, int dilationWidth, int padHeight, int padWidth) {

        int[] outputShape() {
            return new int[] {batches, outHeight, outWidth, outDepth};
        }
    }

    private enum Path { FLOAT, UINT8, INT8, INT16 }

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 2 && ctx.inputCount() != 3) {
            throw ctx.invalid("DEPTHWISE_CONV_2D takes 2 or 3 inputs, given " + ctx.inputCount());
        }
        BuiltinOptions.DepthwiseConv2D options = ctx.options(BuiltinOptions.DepthwiseConv2D.class);
        Tensor input = ctx.requireInput(0, "input");
        Tensor filter = ctx.requireInput(1, "filter");
        Tensor bias = ctx.input(2);
        if (ctx.outputCount() != 1) {
            throw ctx.invalid("DEPTHWISE_CONV_2D has one output, given " + ctx.outputCount());
        }
        Tensor output = ctx.output(0);
        if (input.rank() != 4 || filter.rank() != 4) {
            throw ctx.invalid("input and filter must have rank 4, given " + Arrays.toString(input.shape()) + " and "
                    + Arrays.toString(filter.shape()));
        }
        if (options.dilationH() <= 0 || options.dilationW() <= 0) {
            throw ctx.invalid("dilation factors must be positive, given " + options.dilationH() + "x" + options.dilationW());
        }
        DType in = input.dtype();
        DType f = filter.dtype();
        boolean hybrid = in == DType.FLOAT32 && f == DType.INT8;
        if (in != DType.FLOAT32 && in != DType.UINT8 && in != DType.INT8 && in != DType.INT16) {
            throw ctx.invalid("DEPTHWISE_CONV_2D needs a float32, uint8, int8 or int16 input, given " + in.displayName());
        }
        if (output.dtype() != in) {
            throw ctx.invalid("the output type " + output.dtype().displayName() + " differs from the input's " + in.displayName());
        }
        if (!hybrid && !(f == in || in == DType.INT16 || f == DType.INT4)) {
            throw ctx.invalid("the filter type " + f.displayName() + " does not match the input's " + in.displayName());
        }
        if (in == DType.INT16 && (zeroPoint(input) != 0 || zeroPoint(output) != 0)) {
            throw ctx.invalid("int16 input and output need zero point 0, given " + zeroPoint(input) + " and " + zeroPoint(output));
        }
        if (filter.dim(0) != 1) {
            throw ctx.invalid("the filter's first dimension must be 1, given " + Arrays.toString(filter.shape()));
        }
        int outChannels = filter.dim(3);
        if (bias != null) {
            DType b = bias.dtype();
            long biasZeroPoint = zeroPoint(bias);
            DType expected = switch (in) {
                case UINT8, INT8 -> DType.INT32;
                case INT16 -> DType.INT64;
                default -> in;
            };
            if (b != expected || biasZeroPoint != 0) {
                throw ctx.invalid("a " + in.displayName() + " DEPTHWISE_CONV_2D needs a " + expected.displayName()
                        + " bias with zero point 0, given " + b.displayName());
            }
            if (bias.rank() != 1 || bias.dim(0) != outChannels) {
                throw ctx.invalid("the bias must be [" + outChannels + "], given " + Arrays.toString(bias.shape()));
            }
        }
        if (options.strideH() <= 0 || options.strideW() <= 0) {
            throw ctx.unsupported("non-positive strides " + options.strideH() + "x" + options.strideW());
        }
        ConvPadding p = ConvPadding.compute(options.padding(), input.dim(1), input.dim(2), filter.dim(1), filter.dim(2),
                options.strideH(), options.strideW(), options.dilationH(), options.dilationW());
        if (p.outHeight() < 0 || p.outWidth() < 0) {
            throw ctx.invalid("the output size " + p.outHeight() + "x" + p.outWidth() + " is negative (ResizeTensor fails)");
        }
        if (hybrid) {
            throw ctx.unsupported("hybrid float input with int8 filters is not implemented");
        }
        Path path = switch (in) {
            case FLOAT32 -> Path.FLOAT;
            case UINT8 -> Path.UINT8;
            case INT8 -> Path.INT8;
            default -> Path.INT16;
        };
        if (f == DType.INT4 || (path == Path.INT16 && f != DType.INT8)) {
            throw ctx.unsupported("a " + f.displayName() + " filter with a " + in.displayName() + " input is not implemented");
        }
        ConvQuantization q = path == Path.FLOAT ? null
                : ConvQuantization.populate(ctx, input, filter, bias, output, options.activation(), outChannels, 3);
        // ComputeDepthMultiplier (Eval) for float, uint8 and int8; the option itself for 16x8.
        int inChannels = input.dim(3);
        int depthMultiplier;
        if (path == Path.INT16) {
            depthMultiplier = options.depthMultiplier();
            if (depthMultiplier * inChannels != outChannels) {
                throw ctx.unsupported("16x8 takes the depth multiplier from the options (" + depthMultiplier + "), which "
                        + "disagrees with " + inChannels + " input and " + outChannels + " output channels");
            }
        } else {
            if (inChannels == 0 || outChannels % inChannels != 0) {
                throw ctx.invalid("the filter's " + outChannels + " channels are not a multiple of the input's " + inChannels
                        + " (ComputeDepthMultiplier)");
            }
            depthMultiplier = outChannels / inChannels;
        }
        Geometry g = new Geometry(input.dim(0), input.dim(1), input.dim(2), inChannels, filter.dim(1), filter.dim(2),
                depthMultiplier, p.outHeight(), p.outWidth(), outChannels, options.strideH(), options.strideW(),
                options.dilationH(), options.dilationW(), p.padHeight(), p.padWidth());
        if (path == Path.FLOAT) {
            ActivationRange.Floats range = ActivationRange.floats(options.activation());
            return inputs -> new TensorValue[] {evalFloat(inputs[0], inputs[1], inputs.length > 2 ? inputs[2] : null, g, range)};
        }
        // DepthwiseConvRound<kAwayFromZero> is the double-rounding formula in both builds.
        ConvQuantization tail = path == Path.UINT8 ? q.withRounding(Rounding.DOUBLE) : q;
        int inputOffset = -(int) zeroPoint(input);
        int filterOffset = path == Path.UINT8 ? -(int) filter.quantization().zeroPoint(0) : 0;
        int outputOffset = (int) zeroPoint(output);
        DType outType = output.dtype();
        boolean windowInPadding = ctx.profile().isXnnpack() && path != Path.INT16
                && ConvPadding.xnnpackSamePaddingWraps(options.padding(), input.dim(1), input.dim(2), filter.dim(1),
                filter.dim(2), options.strideH(), options.strideW(), options.dilationH(), options.dilationW());
        int headChannels = path == Path.INT8 && ctx.profile() == NumericsProfile.BUILTIN_ARM64 ? neonHalfUpChannels(g) : 0;
        ConvQuantization head = headChannels == 0 ? tail : tail.withRounding(Rounding.DOUBLE_HALF_UP);
        return inputs -> new TensorValue[] {evalQuantized(inputs[0], inputs[1], inputs.length > 2 ? inputs[2] : null, g, tail,
                head, headChannels, path == Path.INT16, inputOffset, filterOffset, outputOffset, outType, windowInPadding)};
    }

    /**
     * How many leading output channels TFLite's aarch64 build requantizes with a rounding shift
     * that breaks ties upwards ({@code vqrdmulhq_s32} then {@code vrshlq_s32}: {@link
     * Rounding#DOUBLE_HALF_UP}) in {@code optimized_integer_ops::DepthwiseConvWithRounding}:
     * {@code DepthwiseConvGeneral}'s {@code optimized_ops::Quantize} runs blocks of 8 channels
     * through NEON and the rest through the scalar {@code MultiplyByQuantizedMultiplier}; the 3x3
     * kernel ({@code Fast3x3FilterKernelSupported}, {@code DepthwiseConvOutputRounding::kUpward})
     * rounds every channel so, and it only runs with a depth multiplier of 1 and an input depth
     * that is a multiple of 8, so the count is the same. x86 (no {@code USE_NEON}) runs the scalar
     * loop only.
     */
    static int neonHalfUpChannels(Geometry g) {
        return g.outDepth() / 8 * 8;
    }

    private static long zeroPoint(Tensor t) {
        return t.quantization().isNone() ? 0 : t.quantization().zeroPoint(0);
    }

    /**
     * {@code DepthwiseConvBasicKernel::Run} (uint8) and {@code DepthwiseConvPerChannel} (int8,
     * int16): per output channel, the window's positions inside the image of its one input channel.
     *
     * <p>The sums run window position by window position over all output channels at once (each
     * output channel {@code oc} reading input channel {@code oc / depth_multiplier}, so the input
     * is first widened to the output's channels); integer sums do not depend on that order.
     * {@code windowInPadding}: XNNPACK's wrapped SAME padding ({@link
     * ConvPadding#xnnpackSamePaddingWraps}), where every sum is the bias alone.
     */
    private static TensorValue evalQuantized(TensorValue input, TensorValue filter, TensorValue bias, Geometry g,
                                             ConvQuantization q, ConvQuantization head, int headChannels, boolean int64,
                                             int inputOffset, int filterOffset, int outputOffset, DType outType,
                                             boolean windowInPadding) {
        int[] x = widenToOutputChannels(Accumulation.addInPlace(input.toIntArray(), inputOffset), g);
        int[] w = Accumulation.addInPlace(filter.toIntArray(), filterOffset);
        long[] bv = bias == null ? null : bias.toLongArray();
        int depth = g.outDepth();
        // Where the int32 sum provably cannot wrap it is computed in int (vectorizable); else in long.
        boolean inInt = !int64 && Accumulation.fitsInt((long) g.filterHeight() * g.filterWidth(),
                Accumulation.maxAbs(w), Accumulation.maxAbs(x), Accumulation.maxAbs(bv));
        int[] intAcc = new int[depth];
        long[] longAcc = new long[depth];
        int[] result = new int[g.batches() * g.outHeight() * g.outWidth() * depth];
        for (int b = 0; b < g.batches(); b++) {
            for (int outY = 0; outY < g.outHeight(); outY++) {
                for (int outX = 0; outX < g.outWidth(); outX++) {
                    int inXOrigin = outX * g.strideWidth() - g.padWidth();
                    int inYOrigin = outY * g.strideHeight() - g.padHeight();
                    Arrays.fill(intAcc, 0);
                    Arrays.fill(longAcc, 0);
                    for (int fy = 0; fy < g.filterHeight(); fy++) {
                        for (int fx = 0; fx < g.filterWidth(); fx++) {
                            int inX = inXOrigin + g.dilationWidth() * fx;
                            int inY = inYOrigin + g.dilationHeight() * fy;
                            if (!windowInPadding && inX >= 0 && inX < g.inWidth() && inY >= 0 && inY < g.inHeight()) {
                                int xBase = ((b * g.inHeight() + inY) * g.inWidth() + inX) * depth;
                                int wBase = (fy * g.filterWidth() + fx) * depth;
                                if (inInt) {
                                    for (int oc = 0; oc < depth; oc++) {
                                        intAcc[oc] += w[wBase + oc] * x[xBase + oc];
                                    }
                                } else {
                                    for (int oc = 0; oc < depth; oc++) {
                                        longAcc[oc] += (long) w[wBase + oc] * x[xBase + oc];
                                    }
                                }
                            }
                        }
                    }
                    int outBase = ((b * g.outHeight() + outY) * g.outWidth() + outX) * depth;
                    for (int oc = 0; oc < depth; oc++) {
                        long acc = inInt ? intAcc[oc] : longAcc[oc];
                        if (bv != null) {
                            acc += bv[oc];
                        }
                        result[outBase + oc] = int64 ? q.requantizeInt64(acc, oc)
                                : (oc < headChannels ? head : q).requantize((int) acc, acc, oc, outputOffset);
                    }
                }
            }
        }
        return TensorValue.fromInts(outType, g.outputShape(), result);
    }

    /** The input with each channel repeated depth_multiplier times, so that channel {@code oc} holds input channel {@code oc / depth_multiplier}. */
    private static int[] widenToOutputChannels(int[] x, Geometry g) {
        int m = g.depthMultiplier();
        if (m == 1) {
            return x;
        }
        int[] wide = new int[x.length * m];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = x[i / m];
        }
        return wide;
    }

    /** {@code reference_ops::DepthwiseConv} for float: the window sum in float, plus the bias, clamped. */
    private static TensorValue evalFloat(TensorValue input, TensorValue filter, TensorValue bias, Geometry g,
                                         ActivationRange.Floats range) {
        float[] x = input.toFloatArray();
        float[] w = filter.toFloatArray();
        float[] bv = bias == null ? null : bias.toFloatArray();
        float[] result = new float[g.batches() * g.outHeight() * g.outWidth() * g.outDepth()];
        for (int b = 0; b < g.batches(); b++) {
            for (int outY = 0; outY < g.outHeight(); outY++) {
                for (int outX = 0; outX < g.outWidth(); outX++) {
                    int inXOrigin = outX * g.strideWidth() - g.padWidth();
                    int inYOrigin = outY * g.strideHeight() - g.padHeight();
                    int outBase = ((b * g.outHeight() + outY) * g.outWidth() + outX) * g.outDepth();
                    for (int ic = 0; ic < g.inDepth(); ic++) {
                        for (int m = 0; m < g.depthMultiplier(); m++) {
                            int oc = m + ic * g.depthMultiplier();
                            float total = 0f;
                            for (int fy = 0; fy < g.filterHeight(); fy++) {
                                for (int fx = 0; fx < g.filterWidth(); fx++) {
                                    int inX = inXOrigin + g.dilationWidth() * fx;
                                    int inY = inYOrigin + g.dilationHeight() * fy;
                                    if (inX >= 0 && inX < g.inWidth() && inY >= 0 && inY < g.inHeight()) {
                                        total += x[((b * g.inHeight() + inY) * g.inWidth() + inX) * g.inDepth() + ic]
                                                * w[(fy * g.filterWidth() + fx) * g.outDepth() + oc];
                                    }
                                }
                            }
                            float biasValue = bv == null ? 0f : bv[oc];
                            result[outBase + oc] = ActivationRange.clamp(total + biasValue, range.min(), range.max());
                        }
                    }
                }
            }
        }
        return TensorValue.ofFloat32(g.outputShape(), result);
    }
}
