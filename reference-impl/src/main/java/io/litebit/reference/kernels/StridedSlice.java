package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.TensorValue;
import java.util.ArrayList;
import java.util.List;

/**
 * STRIDED_SLICE with constant begin, end and strides (ranks up to 5, including added axes), for
 * every type the reference holds: begin, end, shrink-axis, ellipsis and new-axis masks, negative
 * indices and strides, and the {@code offset} option where TFLite's result is well defined.
 * Mirrors TFLite 2.19's {@code kernels/strided_slice.cc} ({@code BuildStridedSliceParams}, which
 * expands the ellipsis and new axes into an "effective" input shape, {@code ResizeOutputTensor},
 * {@code Eval<kReference>}) with {@code strided_slice_logic.h}'s {@code
 * StridedSliceStartForAxis}/{@code StridedSliceEndForAxis} and {@code reference_ops::StridedSlice}.
 *
 * <p>With {@code offset}, TFLite sizes each output dimension as {@code ceil(end / stride)} but
 * its copy loop runs from the clamped begin to the clamped {@code begin + end}; where the two
 * counts differ it writes past the output or leaves part of it unwritten (a heap corruption was
 * observed). The reference computes only the cases where they agree and refuses the others, as
 * it refuses a shrunk axis whose index lies outside the input (TFLite copies nothing there).
 */
final class StridedSlice implements Kernel {

    /** The per-axis parameters after {@code BuildStridedSliceParams}. */
    record Axis(int size, int start, int stride, int count, boolean shrink) {
    }

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 4 || ctx.outputCount() != 1) {
            throw ctx.invalid("STRIDED_SLICE takes 4 inputs and 1 output, given " + ctx.inputCount());
        }
        BuiltinOptions.StridedSlice o = ctx.options(BuiltinOptions.StridedSlice.class);
        Tensor input = ctx.requireInput(0, "input");
        if (ctx.output(0).dtype() != input.dtype()) {
            throw ctx.invalid("input and output types differ");
        }
        for (int i = 1; i <= 3; i++) {
            Tensor t = ctx.input(i);
            if (t.dtype() != DType.INT32) {
                throw ctx.invalid("begin, end and strides must be int32, input " + i + " is " + t.dtype().displayName());
            }
            if (t.shape().length != 1) {
                throw ctx.invalid("begin, end and strides must be 1-D, input " + i + " has rank " + t.shape().length);
            }
        }
        int[] shape = input.shape();
        int rank = shape.length;
        if (rank > 5) {
            throw ctx.invalid("StridedSlice op only supports 1D-5D input arrays, given " + rank + "D");
        }
        int[] begin = constant(ctx, 1, "begin");
        int[] end = constant(ctx, 2, "end");
        int[] strides = constant(ctx, 3, "strides");
        if (begin.length != end.length) {
            throw ctx.invalid("begin and end have " + begin.length + " and " + end.length + " elements");
        }
        if (strides.length != begin.length) {
            throw ctx.unsupported("strides with a different length than begin (TFLite reads past it)");
        }
        int beginCount = begin.length;

        // BuildStridedSliceParams: count the new axes that are not also ellipses.
        int numAddAxis = 0;
        for (int i = 0; i < beginCount; i++) {
            if ((o.ellipsisMask() & (1 << i)) == 0 && (o.newAxisMask() & (1 << i)) != 0) {
                numAddAxis++;
            }
        }
        int dims = rank + numAddAxis;
        if (dims > 5) {
            throw ctx.invalid("StridedSlice op only supports up to 5D output including added axis.");
        }
        // The ellipsis expands to as many axes as begin leaves unspecified.
        int effEllipsis = 0;
        int effNewAxis = 0;
        int ellipsisStart = dims;
        int expandedEllipsis = 0;
        for (int i = 0; i < dims;) {
            if ((o.ellipsisMask() & (1 << i)) != 0) {
                ellipsisStart = i;
                int ellipsisEnd = Math.max(i + 1, Math.min(i + 1 + numAddAxis + rank - beginCount, dims));
                expandedEllipsis = ellipsisEnd - ellipsisStart - 1;
                for (; i < ellipsisEnd; i++) {
                    effEllipsis |= 1 << i;
                }
                continue;
            }
            if ((o.newAxisMask() & (1 << (i - expandedEllipsis))) != 0) {
                effNewAxis |= 1 << i;
            }
            i++;
        }
        int[] start = new int[dims];
        int[] stop = new int[dims];
        int[] stride = new int[dims];
        int[] effShape = new int[dims];
        int beginMask = 0;
        int endMask = 0;
        int shrinkMask = 0;
        int[] endAtEffectiveIndex = new int[dims];
        int addedEllipsis = 0;
        int addedAxes = 0;
        for (int i = 0; i < dims; i++) {
            if ((effEllipsis & (1 << i)) != 0) {
                addedEllipsis = Math.max(0, i - ellipsisStart);
                beginMask |= 1 << i;
                endMask |= 1 << i;
                stride[i] = 1;
                effShape[i] = inputDim(ctx, shape, i - addedAxes);
            } else if ((effNewAxis & (1 << i)) != 0) {
                start[i] = 0;
                stop[i] = 1;
                stride[i] = 1;
                effShape[i] = 1;
                addedAxes++;
            } else if (i >= beginCount + expandedEllipsis) {
                stride[i] = 1;
                beginMask |= 1 << i;
                endMask |= 1 << i;
                effShape[i] = inputDim(ctx, shape, i - addedAxes);
            } else {
                int orig = i - addedEllipsis;
                start[i] = begin[orig];
                stop[i] = end[orig];
                stride[i] = strides[orig];
                if ((o.beginMask() & (1 << orig)) != 0) {
                    beginMask |= 1 << i;
                }
                if ((o.endMask() & (1 << orig)) != 0) {
                    endMask |= 1 << i;
                }
                if ((o.shrinkAxisMask() & (1 << orig)) != 0) {
                    shrinkMask |= 1 << i;
                }
                effShape[i] = inputDim(ctx, shape, i - addedAxes);
            }
            // ResizeOutputTensor reads end_data[idx] at the effective index in the offset case.
            endAtEffectiveIndex[i] = i < end.length ? end[i] : Integer.MIN_VALUE;
        }

        Axis[] axes = new Axis[dims];
        List<Integer> outDims = new ArrayList<>();
        for (int d = 0; d < dims; d++) {
            if (stride[d] == 0) {
                throw ctx.invalid("stride value has to be non-zero");
            }
            boolean shrink = (shrinkMask & (1 << d)) != 0;
            int s = startForAxis(effShape[d], start[d], stride[d], (beginMask & (1 << d)) != 0);
            int e = endForAxis(effShape[d], stop[d], stride[d], (endMask & (1 << d)) != 0, shrink, o.offset(), s);
            int count = loopCount(s, e, stride[d]);
            if (shrink) {
                if (count != 1) {
                    throw ctx.unsupported("a shrunk axis " + d + " whose index lies outside the input (TFLite copies nothing)");
                }
            } else {
                int dim;
                if (o.offset()) {
                    if (d >= end.length) {
                        throw ctx.unsupported("offset with ellipsis or new axes (TFLite reads end past its length)");
                    }
                    dim = ceilDiv(endAtEffectiveIndex[d], stride[d]);
                    if (dim != count) {
                        throw ctx.unsupported("offset where the slice of axis " + d + " leaves the input: TFLite sizes the "
                                + "output for " + dim + " elements but copies " + count);
                    }
                } else {
                    dim = ceilDiv(e - s, stride[d]);
                }
                outDims.add(dim);
            }
            axes[d] = new Axis(effShape[d], s, stride[d], count, shrink);
        }
        int[] outShape = outDims.stream().mapToInt(Integer::intValue).toArray();
        return inputs -> new TensorValue[] {slice(inputs[0], effShape, axes, outShape)};
    }

    private static int inputDim(OpContext ctx, int[] shape, int i) {
        if (i < 0 || i >= shape.length) {
            throw ctx.unsupported("masks that address dimension " + i + " of a rank-" + shape.length + " input");
        }
        return shape[i];
    }

    private static int[] constant(OpContext ctx, int i, String what) {
        long[] v = ctx.constantInput(i)
                .orElseThrow(() -> ctx.unsupported("a non-constant " + what + " (the reference fixes shapes at prepare time)"))
                .toLongArray();
        int[] out = new int[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = (int) v[k];
        }
        return out;
    }

    /** {@code std::ceil(x / static_cast<float>(stride))} as an int, negative results 0. */
    private static int ceilDiv(int x, int stride) {
        int dim = (int) Math.ceil(x / (float) stride);
        return Math.max(dim, 0);
    }

    /** {@code StridedSliceStartForAxis}: negative indices wrap, then the clamp, then the begin mask. */
    static int startForAxis(int axisSize, int begin, int stride, boolean masked) {
        if (axisSize == 0) {
            return 0;
        }
        int start = begin;
        if (start < 0) {
            start += axisSize;
        }
        start = stride > 0 ? clamp(start, 0, axisSize) : clamp(start, -1, axisSize - 1);
        if (masked) {
            start = stride > 0 ? 0 : axisSize - 1;
        }
        return start;
    }

    /**
     * {@code StridedSliceEndForAxis}: a shrunk axis ends one after its start (or at it, when the
     * start is past the axis); with {@code offset} the end counts from the clamped start; then as
     * {@link #startForAxis}.
     */
    static int endForAxis(int axisSize, int stop, int stride, boolean masked, boolean shrink, boolean offset, int start) {
        if (shrink) {
            return start >= axisSize ? start : start + 1;
        }
        int end = stop;
        if (offset) {
            end += start;
        }
        if (end < 0) {
            end += axisSize;
        }
        end = stride > 0 ? clamp(end, 0, axisSize) : clamp(end, -1, axisSize - 1);
        if (masked) {
            end = stride > 0 ? axisSize : -1;
        }
        return end;
    }

    private static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    /** How many times {@code reference_ops::StridedSlice}'s loop runs from start towards stop. */
    private static int loopCount(int start, int stop, int stride) {
        int n = 0;
        for (int i = start; stride > 0 ? i < stop : i > stop; i += stride) {
            n++;
        }
        return n;
    }

    /** {@code reference_ops::StridedSlice}: nested loops over the effective axes, copying in order. */
    static TensorValue slice(TensorValue x, int[] effShape, Axis[] axes, int[] outShape) {
        int dims = axes.length;
        int[] inStrides = Elements.strides(effShape);
        int n = 1;
        for (Axis a : axes) {
            n *= a.count();
        }
        int[] from = new int[n];
        int[] index = new int[dims];
        for (int i = 0; i < n; i++) {
            int offset = 0;
            for (int d = 0; d < dims; d++) {
                offset += (axes[d].start() + index[d] * axes[d].stride()) * inStrides[d];
            }
            from[i] = offset;
            for (int d = dims - 1; d >= 0; d--) {
                if (++index[d] < axes[d].count()) {
                    break;
                }
                index[d] = 0;
            }
        }
        return Elements.gather(x, from, outShape, null);
    }
}
