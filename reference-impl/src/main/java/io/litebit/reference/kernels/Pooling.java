package io.litebit.reference.kernels;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.TensorValue;
import java.util.Arrays;

/**
 * AVERAGE_POOL_2D and MAX_POOL_2D for float32, uint8, int8 and int16, SAME/VALID padding,
 * strides and fused activations. Mirrors TFLite 2.19's {@code kernels/pooling.cc} as registered
 * by {@code Register_AVERAGE_POOL_REF} / {@code Register_MAX_POOL_REF} ({@code GenericPrepare},
 * {@code AverageEval}/{@code MaxEval} with {@code kReference}) and {@code
 * reference_ops::AveragePool}/{@code MaxPool} ({@code reference/pooling.h}, float and uint8) and
 * {@code reference_integer_ops::AveragePool}/{@code MaxPool} ({@code
 * reference/integer_ops/pooling.h}, int8 and int16).
 *
 * <p>Details that decide bits, kept on purpose:
 * <ul>
 *   <li>Quantized pooling works on the raw integers: the output keeps the input's scale and
 *       zero point (Prepare only DCHECKs that they match) and no zero point is subtracted.</li>
 *   <li>The average divides by the number of window positions inside the image (padding is not
 *       counted). int8 and int16 round the raw sum half away from zero ({@code (acc ± n/2) / n}
 *       with C++'s truncating division); uint8 sums are non-negative and use {@code (acc + n/2) /
 *       n}. Float divides the float sum (in window order) by the count as a float.</li>
 *   <li>A window with no position inside the image makes the reference AveragePool return false
 *       and Eval fail; this is known from the shapes, so it is refused when preparing. MaxPool
 *       yields the type's lowest value there, then clamps.</li>
 *   <li>Max pool starts from the type's lowest value ({@code -FLT_MAX} for float, 0 for uint8)
 *       and keeps it with {@code std::max}, so a NaN input never replaces the running maximum.</li>
 *   <li>The activation range is {@code CalculateActivationRangeQuantized} on the output; only
 *       the uint8 average pool checks its status, the other paths would use uninitialized bounds
 *       when it fails, which the reference refuses as unsupported.</li>
 * </ul>
 */
final class Pooling implements Kernel {
    private final boolean average;

    private Pooling(boolean average) {
        this.average = average;
    }

    static Pooling average() {
        return new Pooling(true);
    }

    static Pooling max() {
        return new Pooling(false);
    }

    /** The pooling window over the input ({@code PoolParams} plus the dimensions). */
    record Geometry(int batches, int inHeight, int inWidth, int depth, int filterHeight, int filterWidth,
                    int outHeight, int outWidth, int strideHeight, int strideWidth, int padHeight, int padWidth) {

        int[] outputShape() {
            return new int[] {batches, outHeight, outWidth, depth};
        }
    }

    @Override
    public PreparedOp prepare(OpContext ctx) {
        String name = average ? BuiltinOp.AVERAGE_POOL_2D.name() : BuiltinOp.MAX_POOL_2D.name();
        if (ctx.inputCount() != 1 || ctx.outputCount() != 1) {
            throw ctx.invalid(name + " takes one input and one output, given " + ctx.inputCount() + " and " + ctx.outputCount());
        }
        BuiltinOptions.Pool2D options = ctx.options(BuiltinOptions.Pool2D.class);
        Tensor output = ctx.output(0);
        Tensor input = ctx.requireInput(0, "input");
        if (input.rank() != 4) {
            throw ctx.invalid("the input must have rank 4, given " + Arrays.toString(input.shape()));
        }
        DType t = input.dtype();
        if (output.dtype() != t) {
            throw ctx.invalid("the output type " + output.dtype().displayName() + " differs from the input's " + t.displayName());
        }
        if (options.strideH() <= 0 || options.strideW() <= 0) {
            throw ctx.invalid("strides must be positive, given " + options.strideH() + "x" + options.strideW());
        }
        ConvPadding p = ConvPadding.compute(options.padding(), input.dim(1), input.dim(2), options.filterHeight(),
                options.filterWidth(), options.strideH(), options.strideW(), 1, 1);
        if (p.outHeight() < 0 || p.outWidth() < 0) {
            throw ctx.invalid("the output size " + p.outHeight() + "x" + p.outWidth() + " is negative (ResizeTensor fails)");
        }
        if (t != DType.FLOAT32 && t != DType.UINT8 && t != DType.INT8 && t != DType.INT16) {
            throw ctx.invalid(name + " supports float32, uint8, int8 and int16 (Eval fails), given " + t.displayName());
        }
        Geometry g = new Geometry(input.dim(0), input.dim(1), input.dim(2), input.dim(3), options.filterHeight(),
                options.filterWidth(), p.outHeight(), p.outWidth(), options.strideH(), options.strideW(), p.padHeight(),
                p.padWidth());
        if (average && g.batches() * g.depth() > 0 && hasEmptyWindow(g)) {
            throw ctx.invalid("a pooling window lies entirely in the padding: the reference AveragePool returns false "
                    + "and Eval fails");
        }
        if (t == DType.FLOAT32) {
            ActivationRange.Floats range = ActivationRange.floats(options.activation());
            return inputs -> new TensorValue[] {average ? averageFloat(inputs[0], g, range) : maxFloat(inputs[0], g, range)};
        }
        ActivationRange.Ints range;
        try {
            range = ActivationRange.quantized(options.activation(), output);
        } catch (IllegalArgumentException e) {
            if (average && t == DType.UINT8) {
                throw ctx.invalid(e.getMessage(), e);
            }
            throw ctx.unsupported("CalculateActivationRangeQuantized fails and this path ignores its status (it would "
                    + "clamp to uninitialized bounds): " + e.getMessage());
        }
        return inputs -> new TensorValue[] {average ? averageQuantized(inputs[0], g, range) : maxQuantized(inputs[0], g, range)};
    }

    private static boolean hasEmptyWindow(Geometry g) {
        for (int outY = 0; outY < g.outHeight(); outY++) {
            for (int outX = 0; outX < g.outWidth(); outX++) {
                if (windowCount(outY, outX, g) == 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Positions of the window at (outY, outX) inside the image. */
    private static int windowCount(int outY, int outX, Geometry g) {
        int inXOrigin = outX * g.strideWidth() - g.padWidth();
        int inYOrigin = outY * g.strideHeight() - g.padHeight();
        int xs = Math.max(0, -inXOrigin);
        int xe = Math.min(g.filterWidth(), g.inWidth() - inXOrigin);
        int ys = Math.max(0, -inYOrigin);
        int ye = Math.min(g.filterHeight(), g.inHeight() - inYOrigin);
        return Math.max(0, xe - xs) * Math.max(0, ye - ys);
    }

    /**
     * {@code reference_integer_ops::AveragePool} (int8, int16) and {@code reference_ops::AveragePool}
     * (uint8): the raw sum over the window's positions inside the image, divided by their count
     * with rounding half away from zero, clamped.
     */
    private static TensorValue averageQuantized(TensorValue input, Geometry g, ActivationRange.Ints range) {
        int[] x = input.toIntArray();
        int[] result = new int[g.batches() * g.outHeight() * g.outWidth() * g.depth()];
        int o = 0;
        for (int b = 0; b < g.batches(); b++) {
            for (int outY = 0; outY < g.outHeight(); outY++) {
                for (int outX = 0; outX < g.outWidth(); outX++) {
                    for (int c = 0; c < g.depth(); c++) {
                        int inXOrigin = outX * g.strideWidth() - g.padWidth();
                        int inYOrigin = outY * g.strideHeight() - g.padHeight();
                        int xs = Math.max(0, -inXOrigin);
                        int xe = Math.min(g.filterWidth(), g.inWidth() - inXOrigin);
                        int ys = Math.max(0, -inYOrigin);
                        int ye = Math.min(g.filterHeight(), g.inHeight() - inYOrigin);
                        int acc = 0;
                        int count = 0;
                        for (int fy = ys; fy < ye; fy++) {
                            for (int fx = xs; fx < xe; fx++) {
                                acc += x[((b * g.inHeight() + inYOrigin + fy) * g.inWidth() + inXOrigin + fx) * g.depth() + c];
                                count++;
                            }
                        }
                        // Java's int division truncates towards zero, as C++'s does.
                        acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                        result[o++] = Math.min(Math.max(acc, range.min()), range.max());
                    }
                }
            }
        }
        return TensorValue.fromInts(input.dtype(), g.outputShape(), result);
    }

    /** {@code reference_ops::AveragePool} for float: the float sum divided by the count as a float, clamped. */
    private static TensorValue averageFloat(TensorValue input, Geometry g, ActivationRange.Floats range) {
        float[] x = input.toFloatArray();
        float[] result = new float[g.batches() * g.outHeight() * g.outWidth() * g.depth()];
        int o = 0;
        for (int b = 0; b < g.batches(); b++) {
            for (int outY = 0; outY < g.outHeight(); outY++) {
                for (int outX = 0; outX < g.outWidth(); outX++) {
                    for (int c = 0; c < g.depth(); c++) {
                        int inXOrigin = outX * g.strideWidth() - g.padWidth();
                        int inYOrigin = outY * g.strideHeight() - g.padHeight();
                        int xs = Math.max(0, -inXOrigin);
                        int xe = Math.min(g.filterWidth(), g.inWidth() - inXOrigin);
                        int ys = Math.max(0, -inYOrigin);
                        int ye = Math.min(g.filterHeight(), g.inHeight() - inYOrigin);
                        float total = 0f;
                        float count = 0f;
                        for (int fy = ys; fy < ye; fy++) {
                            for (int fx = xs; fx < xe; fx++) {
                                total += x[((b * g.inHeight() + inYOrigin + fy) * g.inWidth() + inXOrigin + fx) * g.depth() + c];
                                count++;
                            }
                        }
                        result[o++] = ActivationRange.clamp(total / count, range.min(), range.max());
                    }
                }
            }
        }
        return TensorValue.ofFloat32(g.outputShape(), result);
    }

    /** {@code MaxPool} for uint8, int8, int16: from the type's lowest value, the maximum, clamped. */
    private static TensorValue maxQuantized(TensorValue input, Geometry g, ActivationRange.Ints range) {
        int[] x = input.toIntArray();
        int lowest = (int) input.dtype().minValue();
        int[] result = new int[g.batches() * g.outHeight() * g.outWidth() * g.depth()];
        int o = 0;
        for (int b = 0; b < g.batches(); b++) {
            for (int outY = 0; outY < g.outHeight(); outY++) {
                for (int outX = 0; outX < g.outWidth(); outX++) {
                    for (int c = 0; c < g.depth(); c++) {
                        int inXOrigin = outX * g.strideWidth() - g.padWidth();
                        int inYOrigin = outY * g.strideHeight() - g.padHeight();
                        int xs = Math.max(0, -inXOrigin);
                        int xe = Math.min(g.filterWidth(), g.inWidth() - inXOrigin);
                        int ys = Math.max(0, -inYOrigin);
                        int ye = Math.min(g.filterHeight(), g.inHeight() - inYOrigin);
                        int max = lowest;
                        for (int fy = ys; fy < ye; fy++) {
                            for (int fx = xs; fx < xe; fx++) {
                                max = Math.max(max, x[((b * g.inHeight() + inYOrigin + fy) * g.inWidth() + inXOrigin + fx)
                                        * g.depth() + c]);
                            }
                        }
                        result[o++] = Math.min(Math.max(max, range.min()), range.max());
                    }
                }
            }
        }
        return TensorValue.fromInts(input.dtype(), g.outputShape(), result);
    }

    /** {@code reference_ops::MaxPool} for float: {@code max = std::max(max, x)} from {@code lowest()}, clamped. */
    private static TensorValue maxFloat(TensorValue input, Geometry g, ActivationRange.Floats range) {
        float[] x = input.toFloatArray();
        float[] result = new float[g.batches() * g.outHeight() * g.outWidth() * g.depth()];
        int o = 0;
        for (int b = 0; b < g.batches(); b++) {
            for (int outY = 0; outY < g.outHeight(); outY++) {
                for (int outX = 0; outX < g.outWidth(); outX++) {
                    for (int c = 0; c < g.depth(); c++) {
                        int inXOrigin = outX * g.strideWidth() - g.padWidth();
                        int inYOrigin = outY * g.strideHeight() - g.padHeight();
                        int xs = Math.max(0, -inXOrigin);
                        int xe = Math.min(g.filterWidth(), g.inWidth() - inXOrigin);
                        int ys = Math.max(0, -inYOrigin);
                        int ye = Math.min(g.filterHeight(), g.inHeight() - inYOrigin);
                        float max = -Float.MAX_VALUE;
                        for (int fy = ys; fy < ye; fy++) {
                            for (int fx = xs; fx < xe; fx++) {
                                float v = x[((b * g.inHeight() + inYOrigin + fy) * g.inWidth() + inXOrigin + fx) * g.depth() + c];
                                // std::max(max, v) returns max unless max < v.
                                max = max < v ? v : max;
                            }
                        }
                        result[o++] = ActivationRange.clamp(max, range.min(), range.max());
                    }
                }
            }
        }
        return TensorValue.ofFloat32(g.outputShape(), result);
    }
}
