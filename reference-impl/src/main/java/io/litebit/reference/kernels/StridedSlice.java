package io.litebit.reference.kernels;

import io.litebit.model.Tensor;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.TensorValue;
import java.util.ArrayList;
import java.util.List;

/**
 * STRIDED_SLICE with constant begin, end and strides (ranks up to 5), for every type the
 * reference holds: begin, end and shrink-axis masks, negative indices and strides. Mirrors TFLite 2.19's {@code
 * kernels/strided_slice.cc} ({@code ResizeOutputTensor}, {@code Eval<kReference>}) with {@code
 * strided_slice_logic.h}'s {@code StartForAxis}/{@code StopForAxis} and {@code
 * reference_ops::StridedSlice}. The ellipsis and new-axis masks and the {@code offset} option
 * are not implemented.
 */
final class StridedSlice implements Kernel {

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 4) {
            throw ctx.invalid("STRIDED_SLICE takes 4 inputs, given " + ctx.inputCount());
        }
        BuiltinOptions.StridedSlice o = ctx.options(BuiltinOptions.StridedSlice.class);
        Tensor input = ctx.requireInput(0, "input");
        if (ctx.output(0).dtype() != input.dtype()) {
            throw ctx.invalid("input and output types differ");
        }
        if (o.ellipsisMask() != 0 || o.newAxisMask() != 0) {
            throw ctx.unsupported("the ellipsis and new-axis masks");
        }
        if (o.offset()) {
            // Measured against native TFLite 2.19: with offset its output shapes match neither
            // reading of the option, and some cases corrupt the heap ("free(): invalid size").
            throw ctx.unsupported("the offset option (TFLite 2.19's results for it could not be reproduced; some such "
                    + "models corrupt its heap)");
        }
        int[] shape = input.shape();
        int rank = shape.length;
        if (rank > 5) {
            throw ctx.invalid("StridedSlice op only supports 1D-5D input arrays, given " + rank + "D");
        }
        long[] begin = constant(ctx, 1, "begin");
        long[] end = constant(ctx, 2, "end");
        long[] strides = constant(ctx, 3, "strides");
        if (begin.length != rank || end.length != rank || strides.length != rank) {
            throw ctx.unsupported("begin/end/strides with fewer elements than the input's rank " + rank);
        }
        int[] start = new int[rank];
        int[] stop = new int[rank];
        int[] step = new int[rank];
        List<Integer> outDims = new ArrayList<>();
        int[] fullShape = new int[rank];
        for (int d = 0; d < rank; d++) {
            step[d] = (int) strides[d];
            if (step[d] == 0) {
                throw ctx.invalid("stride value has to be non-zero");
            }
            int e = (int) end[d];
            start[d] = startForAxis(o.beginMask(), (int) begin[d], step[d], shape[d], d);
            stop[d] = stopForAxis(o.endMask(), o.shrinkAxisMask(), e, step[d], shape[d], d, start[d]);
            boolean shrink = (o.shrinkAxisMask() & (1 << d)) != 0;
            if (shrink) {
                stop[d] = start[d] + 1;
            }
            // int32 dim = std::ceil((end - begin) / static_cast<float>(stride)), negative -> 0.
            int dim = (int) Math.ceil((float) (stop[d] - start[d]) / (float) step[d]);
            dim = Math.max(dim, 0);
            fullShape[d] = dim;
            if (!shrink) {
                outDims.add(dim);
            }
        }
        int[] outShape = outDims.stream().mapToInt(Integer::intValue).toArray();
        return inputs -> new TensorValue[] {slice(inputs[0], start, step, fullShape, outShape)};
    }

    private static long[] constant(OpContext ctx, int i, String what) {
        return ctx.constantInput(i)
                .orElseThrow(() -> ctx.unsupported("a non-constant " + what + " (the reference fixes shapes at prepare time)"))
                .toLongArray();
    }

    /** {@code StartForAxis}: the mask, then negative indices, then the clamp ([0, n] forwards, [-1, n - 1] backwards). */
    static int startForAxis(int beginMask, int begin, int stride, int axisSize, int axis) {
        if (axisSize == 0) {
            return 0;
        }
        int start = begin;
        if ((beginMask & (1 << axis)) != 0) {
            start = stride > 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
        if (start < 0) {
            start += axisSize;
        }
        return stride > 0 ? clamp(start, 0, axisSize) : clamp(start, -1, axisSize - 1);
    }

    /** {@code StopForAxis}: a shrunk axis stops one after its start; otherwise as {@link #startForAxis}. */
    static int stopForAxis(int endMask, int shrinkMask, int end, int stride, int axisSize, int axis, int startForAxis) {
        if (axisSize == 0) {
            return 0;
        }
        if ((shrinkMask & (1 << axis)) != 0) {
            return startForAxis + 1;
        }
        int stop = end;
        if ((endMask & (1 << axis)) != 0) {
            stop = stride > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        }
        if (stop < 0) {
            stop += axisSize;
        }
        return stride > 0 ? clamp(stop, 0, axisSize) : clamp(stop, -1, axisSize - 1);
    }

    private static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    /** {@code reference_ops::StridedSlice}: element {@code idx} of each axis reads {@code start + idx * stride}. */
    static TensorValue slice(TensorValue x, int[] start, int[] step, int[] fullShape, int[] outShape) {
        int rank = fullShape.length;
        int[] inStrides = Elements.strides(x.shape());
        int n = Elements.count(fullShape);
        int[] from = new int[n];
        int[] index = new int[rank];
        for (int i = 0; i < n; i++) {
            int offset = 0;
            for (int d = 0; d < rank; d++) {
                offset += (start[d] + index[d] * step[d]) * inStrides[d];
            }
            from[i] = offset;
            for (int d = rank - 1; d >= 0; d--) {
                if (++index[d] < fullShape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return Elements.gather(x, from, outShape, null);
    }
}
