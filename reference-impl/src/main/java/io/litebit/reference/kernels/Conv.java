package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import java.util.Arrays;

/**
 * CONV_2D for float32, uint8 (per-tensor filter), int8 (per-tensor or per-channel filter) and
 * int16 activations with int8 filters ("16x8": an int64 bias, or an int32 bias when the options'
 * {@code quantized_bias_type} is INT32), with SAME/VALID padding,
 * strides, dilation, fused activations and grouped convolution (input channels a multiple of the
 * filter's). Mirrors TFLite 2.19's {@code kernels/conv.cc} as registered by {@code
 * Register_CONVOLUTION_REF} ({@code Prepare<kReference>}, {@code EvalFloat}, {@code
 * EvalQuantized}, {@code EvalQuantizedPerChannel}, {@code EvalQuantizedPerChannel16x8} with
 * {@code kernel_type == kReference}) and the loops of {@code reference_ops::Conv} ({@code
 * reference/conv.h}, float and uint8) and {@code reference_integer_ops::ConvPerChannel} ({@code
 * reference/integer_ops/conv.h}, int8 and int16).
 *
 * <p>Details that decide bits, kept on purpose:
 * <ul>
 *   <li>Multipliers: {@link ConvQuantization} ({@code PopulateConvolutionQuantizationParams}):
 *       int8 and int16 multiply the scales in double even for a per-tensor filter; uint8 uses
 *       the float product of {@code GetQuantizedConvolutionMultipler}.</li>
 *   <li>uint8 subtracts the filter zero point; int8/int16 filters must have zero points 0 and
 *       none is subtracted. Positions outside the image are skipped (as if padded with the
 *       input zero point).</li>
 *   <li>The int8/uint8 accumulator is int32 and wraps; the 16x8 accumulator with an int64 bias
 *       is int64 and is scaled with the int64 {@code MultiplyByQuantizedMultiplier} (15-bit
 *       multiplier, one rounding), in both rounding builds.</li>
 *   <li>16x8 with {@code quantized_bias_type} INT32 ({@link Accumulator16x8}): {@code
 *       EvalQuantizedPerChannel16x8} calls the {@code ConvPerChannel} instantiated for an int32
 *       bias, whose accumulator is int32 (wrapping) and whose requantization is the int32 {@code
 *       MultiplyByQuantizedMultiplier} of the build's rounding, as for int8. Without the option
 *       TFLite reads an int32 bias as int64, past its end: refused as unsupported.</li>
 *   <li>Float: the sum runs over filter rows, columns, then input channels, in float, and the
 *       bias is added after the sum.</li>
 * </ul>
 *
 * <p>Measured against TFLite 2.19 on x86-64 (randomized single-op models): BUILTIN_REF agrees
 * with this kernel on every element; BUILTIN (the optimized int8 kernel) differs from
 * BUILTIN_REF by 1 LSB in about 0.03% to 0.07% of int8 output elements (167 of 559,246 over
 * 2,001 models, per tensor and per channel; it matches neither the double- nor the
 * single-rounding profile), while its uint8, 16x8 and grouped results are identical to
 * BUILTIN_REF. The exception is 16x8 with {@code quantized_bias_type} INT32: there BUILTIN differs
 * from BUILTIN_REF on 16 of 42,779 output elements over 651 fuzz cases (seed 7), e.g. it rounds the
 * tie -1.5 to -1 where the reference kernel (and this one) gives -2.
 */
final class Conv implements Kernel {

    /** The shapes and window parameters of one convolution ({@code ConvParams} plus the dimensions). */
    record Geometry(int batches, int inHeight, int inWidth, int inDepth, int filterHeight, int filterWidth,
                    int filterInDepth, int outHeight, int outWidth, int outDepth, int strideHeight, int strideWidth,
                    int dilationHeight, int dilationWidth, int padHeight, int padWidth) {

        int[] outputShape() {
            return new int[] {batches, outHeight, outWidth, outDepth};
        }
    }

    private enum Path { FLOAT, UINT8, INT8, INT16_INT64_BIAS, INT16_INT32_BIAS }

    @Override
    public PreparedOp prepare(OpContext ctx) {
        // Prepare: node shape and types, in the order TFLite checks them.
        if (ctx.inputCount() != 2 && ctx.inputCount() != 3) {
            throw ctx.invalid("CONV_2D takes 2 or 3 inputs, given " + ctx.inputCount());
        }
        if (ctx.outputCount() != 1) {
            throw ctx.invalid("CONV_2D has one output, given " + ctx.outputCount());
        }
        BuiltinOptions.Conv2D options = ctx.options(BuiltinOptions.Conv2D.class);
        Tensor output = ctx.output(0);
        Tensor input = ctx.requireInput(0, "input");
        Tensor filter = ctx.requireInput(1, "filter");
        if (input.rank() != 4 || filter.rank() != 4) {
            throw ctx.invalid("input and filter must have rank 4, given " + Arrays.toString(input.shape()) + " and "
                    + Arrays.toString(filter.shape()));
        }
        int inputChannels = input.dim(3);
        int filterInputChannels = filter.dim(3);
        if (filterInputChannels <= 0 || inputChannels % filterInputChannels != 0) {
            throw ctx.invalid("the input's " + inputChannels + " channels are not a multiple of the filter's "
                    + filterInputChannels);
        }
        int groups = inputChannels / filterInputChannels;
        DType in = input.dtype();
        DType f = filter.dtype();
        if (in != DType.FLOAT32 && in != DType.UINT8 && in != DType.INT8 && in != DType.INT16) {
            throw ctx.invalid("CONV_2D needs a float32, uint8, int8 or int16 input, given " + in.displayName());
        }
        if (output.dtype() != in) {
            throw ctx.invalid("the output type " + output.dtype().displayName() + " differs from the input's " + in.displayName());
        }
        if (in == DType.INT8 || in == DType.INT16) {
            if (filter.quantization().isNone()) {
                throw ctx.invalid("an " + in.displayName() + " CONV_2D needs an affine-quantized filter");
            }
            for (long zp : filter.quantization().zeroPoints()) {
                if (zp != 0) {
                    throw ctx.invalid("the filter's zero points must be 0, given " + Arrays.toString(filter.quantization().zeroPoints()));
                }
            }
        }
        Tensor bias = ctx.input(2);
        if (bias == null) {
            throw ctx.invalid("TF_LITE_ENSURE(context, has_bias) fails: the reference conv needs a bias");
        }
        int outChannels = filter.dim(0);
        DType b = bias.dtype();
        long biasZeroPoint = bias.quantization().isNone() ? 0 : bias.quantization().zeroPoint(0);
        if (in == DType.UINT8 || in == DType.INT8) {
            if (b != DType.INT32 || biasZeroPoint != 0) {
                throw ctx.invalid("a " + in.displayName() + " CONV_2D needs an int32 bias with zero point 0, given "
                        + b.displayName());
            }
        } else if (in == DType.INT16) {
            if ((b != DType.INT32 && b != DType.INT64) || biasZeroPoint != 0) {
                throw ctx.invalid("an int16 CONV_2D needs an int32 or int64 bias with zero point 0, given " + b.displayName());
            }
        } else if (b != in) {
            throw ctx.invalid("the bias type " + b.displayName() + " differs from the input's " + in.displayName());
        }
        if (bias.elementCount() != outChannels) {
            throw ctx.invalid("the bias has " + bias.elementCount() + " elements for " + outChannels + " output channels");
        }
        if (in == DType.INT16) {
            if (zeroPoint(input) != 0 || zeroPoint(output) != 0) {
                throw ctx.invalid("int16 input and output need zero point 0, given " + zeroPoint(input) + " and "
                        + zeroPoint(output));
            }
        }
        if (in == DType.FLOAT32 && (f == DType.UINT8 || f == DType.INT8 || f == DType.INT4)) {
            throw ctx.unsupported("hybrid float input with " + f.displayName() + " filters is not implemented");
        }
        Path path = switch (in) {
            case FLOAT32 -> Path.FLOAT;
            case UINT8 -> Path.UINT8;
            case INT8 -> Path.INT8;
            default -> Accumulator16x8.of(ctx, options.quantizedBiasType(), bias) == Accumulator16x8.INT32
                    ? Path.INT16_INT32_BIAS : Path.INT16_INT64_BIAS;
        };
        DType expectedFilter = switch (path) {
            case FLOAT -> DType.FLOAT32;
            case UINT8 -> DType.UINT8;
            default -> DType.INT8;
        };
        if (f != expectedFilter) {
            throw ctx.unsupported("a " + f.displayName() + " filter with a " + in.displayName() + " input (TFLite reads the "
                    + "filter as " + expectedFilter.displayName() + "; int4 filters are not implemented)");
        }
        Geometry g = geometry(ctx, input, filter, options, groups);
        ConvQuantization populated = path == Path.FLOAT ? null
                : ConvQuantization.populate(ctx, input, filter, bias, output, options.activation(), outChannels, 0);
        // The optimized ConvPerChannel (int8, and 16x8 with an int32 bias) runs one GEMM through
        // cpu_backend_gemm (OptimizedGemm); uint8's optimized Conv reaches gemmlowp, which rounds as
        // the reference; grouped convolutions and the int64-bias 16x8 kernel run the reference code.
        boolean gemm = ctx.profile().isFixedPoint() && groups == 1
                && (path == Path.INT8 || path == Path.INT16_INT32_BIAS);
        if (gemm && path == Path.INT8) {
            OptimizedGemm.refuseArm64NullBiasCrash(ctx, true, bias != null, g.outDepth(),
                    g.filterHeight() * g.filterWidth() * g.filterInDepth(), g.batches() * g.outHeight() * g.outWidth());
        }
        // The GEMM: output channels x (window x depth) times (window x depth) x output positions.
        ConvQuantization q = !gemm ? populated : populated.withRounding(OptimizedGemm.rounding(ctx.profile(),
                path == Path.INT8 ? OptimizedGemm.Operands.INT8 : OptimizedGemm.Operands.INT16_BY_INT8, true,
                g.outDepth(), g.filterHeight() * g.filterWidth() * g.filterInDepth(),
                g.batches() * g.outHeight() * g.outWidth()));
        if (path == Path.FLOAT) {
            ActivationRange.Floats range = ActivationRange.floats(options.activation());
            return inputs -> new TensorValue[] {evalFloat(inputs[0], inputs[1], inputs[2], g, range)};
        }
        int inputOffset = -(int) zeroPoint(input);
        int filterOffset = path == Path.UINT8 ? -(int) filter.quantization().zeroPoint(0) : 0;
        int outputOffset = (int) zeroPoint(output);
        DType outType = output.dtype();
        boolean windowInPadding = ctx.profile().isXnnpack() && (path == Path.UINT8 || path == Path.INT8)
                && ConvPadding.xnnpackSamePaddingWraps(options.padding(), input.dim(1), input.dim(2), filter.dim(1),
                filter.dim(2), options.strideH(), options.strideW(), options.dilationH(), options.dilationW());
        return inputs -> new TensorValue[] {evalQuantized(inputs[0], inputs[1], inputs[2], g, q, path,
                inputOffset, filterOffset, outputOffset, outType, windowInPadding)};
    }

    private static long zeroPoint(Tensor t) {
        return t.quantization().isNone() ? 0 : t.quantization().zeroPoint(0);
    }

    /** The window of Prepare: {@code ComputePaddingHeightWidth} and the output shape it sizes. */
    private static Geometry geometry(OpContext ctx, Tensor input, Tensor filter, BuiltinOptions.Conv2D o, int groups) {
        if (o.strideH() <= 0 || o.strideW() <= 0 || o.dilationH() <= 0 || o.dilationW() <= 0) {
            throw ctx.unsupported("non-positive strides or dilations (" + o.strideH() + ", " + o.strideW() + ", "
                    + o.dilationH() + ", " + o.dilationW() + ")");
        }
        int outDepth = filter.dim(0);
        if (outDepth % groups != 0) {
            // reference ConvPerChannel only DCHECKs this; the group index would run past the input's channels.
            throw ctx.unsupported(outDepth + " output channels in " + groups + " groups (not a multiple: TFLite reads past "
                    + "the input)");
        }
        ConvPadding p = ConvPadding.compute(o.padding(), input.dim(1), input.dim(2), filter.dim(1), filter.dim(2),
                o.strideH(), o.strideW(), o.dilationH(), o.dilationW());
        if (p.outHeight() < 0 || p.outWidth() < 0) {
            throw ctx.invalid("the output size " + p.outHeight() + "x" + p.outWidth() + " is negative (ResizeTensor fails)");
        }
        return new Geometry(input.dim(0), input.dim(1), input.dim(2), input.dim(3), filter.dim(1), filter.dim(2),
                filter.dim(3), p.outHeight(), p.outWidth(), outDepth, o.strideH(), o.strideW(),
                o.dilationH(), o.dilationW(), p.padHeight(), p.padWidth());
    }

    /**
     * {@code reference_ops::Conv} (uint8) and {@code reference_integer_ops::ConvPerChannel}
     * (int8, int16): {@code acc = sum (f + f_off) * (x + x_off)} over the window's positions
     * inside the image and the group's input channels, plus the bias, then the requantizing tail.
     *
     * <p>The window is first gathered into one patch per output position and group, in the
     * filter's (row, column, channel) order, with 0 for positions outside the image (the C++
     * skips them, which adds the same nothing); each output channel is then one dot product of
     * its filter row with the patch. The sum is integer, so the order does not change a bit.
     * {@code windowInPadding}: XNNPACK's wrapped SAME padding ({@link
     * ConvPadding#xnnpackSamePaddingWraps}), where every sum is the bias alone.
     */
    private static TensorValue evalQuantized(TensorValue input, TensorValue filter, TensorValue bias, Geometry g,
                                             ConvQuantization q, Path path, int inputOffset, int filterOffset,
                                             int outputOffset, DType outType, boolean windowInPadding) {
        int[] x = Accumulation.addInPlace(input.toIntArray(), inputOffset);
        int[] w = Accumulation.addInPlace(filter.toIntArray(), filterOffset);
        long[] bv = bias == null ? null : bias.toLongArray();
        int windowSize = g.filterHeight() * g.filterWidth() * g.filterInDepth();
        // The int32 paths are computed in int where the sum provably cannot wrap (then it equals
        // the exact sum NAIVE_FLOAT scales), else in long and wrapped afterwards.
        boolean inInt = path != Path.INT16_INT64_BIAS
                && Accumulation.fitsInt(windowSize, Accumulation.maxAbs(w), Accumulation.maxAbs(x), Accumulation.maxAbs(bv));
        int[] patch = new int[windowSize];
        int[] sums = new int[4];
        int[] result = new int[g.batches() * g.outHeight() * g.outWidth() * g.outDepth()];
        int groups = g.inDepth() / g.filterInDepth();
        int filtersPerGroup = g.outDepth() / groups;
        int o = 0;
        for (int batch = 0; batch < g.batches(); batch++) {
            for (int outY = 0; outY < g.outHeight(); outY++) {
                for (int outX = 0; outX < g.outWidth(); outX++) {
                    for (int group = 0; group < groups; group++) {
                        gatherPatch(x, g, batch, outY, outX, group, patch);
                        int oc = group * filtersPerGroup;
                        int end = oc + filtersPerGroup;
                        if (inInt && !windowInPadding) {
                            for (; oc + 4 <= end; oc += 4) {
                                Accumulation.dotInt4(w, oc * windowSize, patch, windowSize, sums);
                                for (int j = 0; j < 4; j++) {
                                    result[o++] = tail(sums[j], oc + j, bv, q, path, outputOffset);
                                }
                            }
                        }
                        for (; oc < end; oc++) {
                            long sum = windowInPadding ? 0
                                    : inInt ? Accumulation.dotInt(w, oc * windowSize, patch, 0, windowSize)
                                    : Accumulation.dotLong(w, oc * windowSize, patch, 0, windowSize);
                            result[o++] = tail(sum, oc, bv, q, path, outputOffset);
                        }
                    }
                }
            }
        }
        return TensorValue.fromInts(outType, g.outputShape(), result);
    }

    /** Adds the bias to a channel's window sum and requantizes it. */
    private static int tail(long sum, int oc, long[] bias, ConvQuantization q, Path path, int outputOffset) {
        long acc = bias == null ? sum : sum + bias[oc];
        // int32 paths: the C++ int32 accumulator is this sum wrapped to 32 bits.
        return path == Path.INT16_INT64_BIAS ? q.requantizeInt64(acc, oc) : q.requantize((int) acc, acc, oc, outputOffset);
    }

    /** The offset input under one output position's window, for one group's channels; 0 outside the image. */
    private static void gatherPatch(int[] x, Geometry g, int batch, int outY, int outX, int group, int[] patch) {
        int inYOrigin = outY * g.strideHeight() - g.padHeight();
        int inXOrigin = outX * g.strideWidth() - g.padWidth();
        int depth = g.filterInDepth();
        int p = 0;
        for (int fy = 0; fy < g.filterHeight(); fy++) {
            int inY = inYOrigin + g.dilationHeight() * fy;
            for (int fx = 0; fx < g.filterWidth(); fx++) {
                int inX = inXOrigin + g.dilationWidth() * fx;
                if (inX < 0 || inX >= g.inWidth() || inY < 0 || inY >= g.inHeight()) {
                    Arrays.fill(patch, p, p + depth, 0);
                } else {
                    int xBase = ((batch * g.inHeight() + inY) * g.inWidth() + inX) * g.inDepth() + group * depth;
                    System.arraycopy(x, xBase, patch, p, depth);
                }
                p += depth;
            }
        }
    }

    /** {@code reference_ops::Conv} for float: the window sum in float, plus the bias, clamped. */
    private static TensorValue evalFloat(TensorValue input, TensorValue filter, TensorValue bias, Geometry g,
                                         ActivationRange.Floats range) {
        float[] x = input.toFloatArray();
        float[] w = filter.toFloatArray();
        float[] bv = bias == null ? null : bias.toFloatArray();
        float[] result = new float[g.batches() * g.outHeight() * g.outWidth() * g.outDepth()];
        int groups = g.inDepth() / g.filterInDepth();
        int filtersPerGroup = g.outDepth() / groups;
        int o = 0;
        for (int batch = 0; batch < g.batches(); batch++) {
            for (int outY = 0; outY < g.outHeight(); outY++) {
                int inYOrigin = outY * g.strideHeight() - g.padHeight();
                for (int outX = 0; outX < g.outWidth(); outX++) {
                    int inXOrigin = outX * g.strideWidth() - g.padWidth();
                    for (int oc = 0; oc < g.outDepth(); oc++) {
                        int group = oc / filtersPerGroup;
                        float total = 0f;
                        for (int fy = 0; fy < g.filterHeight(); fy++) {
                            int inY = inYOrigin + g.dilationHeight() * fy;
                            for (int fx = 0; fx < g.filterWidth(); fx++) {
                                int inX = inXOrigin + g.dilationWidth() * fx;
                                if (inX < 0 || inX >= g.inWidth() || inY < 0 || inY >= g.inHeight()) {
                                    continue;
                                }
                                int xBase = ((batch * g.inHeight() + inY) * g.inWidth() + inX) * g.inDepth()
                                        + group * g.filterInDepth();
                                int wBase = ((oc * g.filterHeight() + fy) * g.filterWidth() + fx) * g.filterInDepth();
                                for (int ic = 0; ic < g.filterInDepth(); ic++) {
                                    total += x[xBase + ic] * w[wBase + ic];
                                }
                            }
                        }
                        float biasValue = bv == null ? 0f : bv[oc];
                        result[o++] = ActivationRange.clamp(total + biasValue, range.min(), range.max());
                    }
                }
            }
        }
        return TensorValue.ofFloat32(g.outputShape(), result);
    }
}
