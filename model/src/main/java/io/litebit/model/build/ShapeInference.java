package io.litebit.model.build;

import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.options.Padding;
import java.util.Arrays;
import java.util.List;

/**
 * Output shapes of operators, computed the way TFLite's kernels compute them in {@code Prepare}
 * (each method names the TFLite function it follows). Written from TFLite's documented
 * semantics, not copied. Errors are {@link IllegalArgumentException}s that say what was expected
 * and what was given; {@link SubgraphBuilder} prefixes them with the operator.
 *
 * <p>Shapes are NHWC, as in TFLite; convolution filters are {@code [out, h, w, in]}, depthwise
 * filters {@code [1, h, w, out]}, fully-connected weights {@code [units, input_size]}.
 *
 * <pre>{@code
 * // SAME padding, stride 2: ceil(7 / 2) = 4
 * int[] out = ShapeInference.conv2d(new int[] {1, 7, 7, 3}, new int[] {8, 3, 3, 3},
 *         new BuiltinOptions.Conv2D(Padding.SAME, 2, 2, Activation.NONE, 1, 1));   // [1, 4, 4, 8]
 * }</pre>
 */
public final class ShapeInference {
    private ShapeInference() {
    }

    /**
     * Output size of a window op along one axis, as TFLite's {@code ComputeOutSize}
     * (kernels/padding.h): SAME gives {@code ceil(in / stride)}, VALID gives {@code
     * ceil((in - effective_filter + 1) / stride)} with {@code effective_filter = (filter - 1) *
     * dilation + 1}.
     */
    public static int outSize(Padding padding, int in, int filter, int stride, int dilation) {
        if (stride < 1 || dilation < 1 || filter < 1) {
            throw new IllegalArgumentException("stride, dilation and filter size must be >= 1, given stride " + stride
                    + ", dilation " + dilation + ", filter " + filter);
        }
        int effectiveFilter = (filter - 1) * dilation + 1;
        int out = padding == Padding.SAME ? (in + stride - 1) / stride : (in + stride - effectiveFilter) / stride;
        if (out <= 0) {
            throw new IllegalArgumentException("input size " + in + " is smaller than the effective filter size "
                    + effectiveFilter + " (filter " + filter + ", dilation " + dilation + ") with VALID padding: "
                    + "the output would be empty");
        }
        return out;
    }

    /** CONV_2D, as {@code conv::Prepare}: {@code [batch, out_h, out_w, filter[0]]}. */
    public static int[] conv2d(int[] input, int[] filter, BuiltinOptions.Conv2D o) {
        requireRank("input", input, 4);
        requireRank("filter", filter, 4);
        // Grouped convolution (TFLite >= 2.9): input channels a multiple of the filter's.
        if (filter[3] <= 0 || input[3] % filter[3] != 0) {
            throw new IllegalArgumentException("input has " + input[3] + " channels but the filter " + Arrays.toString(filter)
                    + " takes " + filter[3] + " (input channels must equal, or for grouped convolution be a multiple of, filter dim 3)");
        }
        int groups = input[3] / filter[3];
        if (filter[0] % groups != 0) {
            throw new IllegalArgumentException("grouped convolution with " + groups + " groups needs a filter count divisible by "
                    + groups + ", given " + filter[0]);
        }
        int h = outSize(o.padding(), input[1], filter[1], o.strideH(), o.dilationH());
        int w = outSize(o.padding(), input[2], filter[2], o.strideW(), o.dilationW());
        return new int[] {input[0], h, w, filter[0]};
    }

    /**
     * DEPTHWISE_CONV_2D, as {@code depthwise_conv::Prepare}: filter {@code [1, h, w, in * m]},
     * output {@code [batch, out_h, out_w, filter[3]]}.
     */
    public static int[] depthwiseConv2d(int[] input, int[] filter, BuiltinOptions.DepthwiseConv2D o) {
        requireRank("input", input, 4);
        requireRank("filter", filter, 4);
        if (filter[0] != 1) {
            throw new IllegalArgumentException("depthwise filter must be [1, h, w, channels], given " + Arrays.toString(filter));
        }
        if (input[3] <= 0 || filter[3] % input[3] != 0) {
            throw new IllegalArgumentException("depthwise filter channels " + filter[3] + " must be a multiple of the input's "
                    + input[3] + " channels");
        }
        int multiplier = filter[3] / input[3];
        if (o.depthMultiplier() != 0 && o.depthMultiplier() != multiplier) {
            throw new IllegalArgumentException("depth_multiplier " + o.depthMultiplier() + " does not match the filter: "
                    + filter[3] + " filter channels / " + input[3] + " input channels = " + multiplier);
        }
        int h = outSize(o.padding(), input[1], filter[1], o.strideH(), o.dilationH());
        int w = outSize(o.padding(), input[2], filter[2], o.strideW(), o.dilationW());
        return new int[] {input[0], h, w, filter[3]};
    }

    /**
     * TRANSPOSE_CONV. TFLite takes the output shape from its {@code output_shape} input, so this
     * gives the shape TensorFlow's {@code conv2d_transpose} would ask for: SAME {@code in *
     * stride}, VALID {@code (in - 1) * stride + filter}; filter {@code [out, h, w, in]}.
     */
    public static int[] transposeConv(int[] input, int[] filter, BuiltinOptions.TransposeConv o) {
        requireRank("input", input, 4);
        requireRank("filter", filter, 4);
        if (input[3] != filter[3]) {
            throw new IllegalArgumentException("input has " + input[3] + " channels but the filter " + Arrays.toString(filter)
                    + " takes " + filter[3] + " (filter dim 3)");
        }
        if (o.strideH() < 1 || o.strideW() < 1) {
            throw new IllegalArgumentException("strides must be >= 1, given " + o.strideH() + "x" + o.strideW());
        }
        int h = o.padding() == Padding.SAME ? input[1] * o.strideH() : (input[1] - 1) * o.strideH() + filter[1];
        int w = o.padding() == Padding.SAME ? input[2] * o.strideW() : (input[2] - 1) * o.strideW() + filter[2];
        return new int[] {input[0], h, w, filter[0]};
    }

    /**
     * Checks an explicit TRANSPOSE_CONV output shape: the forward convolution of the output must
     * give back the input's spatial size, otherwise TFLite's padding arithmetic
     * ({@code ComputePaddingHeightWidth}) goes negative.
     */
    public static void checkTransposeConvOutput(int[] input, int[] filter, int[] output, BuiltinOptions.TransposeConv o) {
        requireRank("output_shape", output, 4);
        if (output[0] != input[0] || output[3] != filter[0]) {
            throw new IllegalArgumentException("output shape " + Arrays.toString(output) + " must be [" + input[0]
                    + ", h, w, " + filter[0] + "] (batch of the input, channels = filter dim 0)");
        }
        int backH = outSize(o.padding(), output[1], filter[1], o.strideH(), 1);
        int backW = outSize(o.padding(), output[2], filter[2], o.strideW(), 1);
        if (backH != input[1] || backW != input[2]) {
            throw new IllegalArgumentException("output shape " + Arrays.toString(output) + " does not invert to the input: a "
                    + o.padding() + " convolution of it gives " + backH + "x" + backW + ", the input is " + input[1] + "x" + input[2]);
        }
    }

    /** AVERAGE_POOL_2D / MAX_POOL_2D, as {@code pooling::GenericPrepare} (dilation 1). */
    public static int[] pool2d(int[] input, BuiltinOptions.Pool2D o) {
        requireRank("input", input, 4);
        int h = outSize(o.padding(), input[1], o.filterHeight(), o.strideH(), 1);
        int w = outSize(o.padding(), input[2], o.filterWidth(), o.strideW(), 1);
        return new int[] {input[0], h, w, input[3]};
    }

    /**
     * FULLY_CONNECTED, as {@code fully_connected::PrepareImpl}: {@code input_size = weights[1]},
     * {@code batch = elements(input) / input_size}; output {@code [batch, units]}, or with
     * keep_num_dims the input shape with its last dimension replaced by {@code units}.
     */
    public static int[] fullyConnected(int[] input, int[] weights, boolean keepNumDims) {
        requireRank("weights", weights, 2);
        int inputSize = weights[1];
        int units = weights[0];
        long elements = elements(input);
        if (inputSize == 0 || elements % inputSize != 0) {
            throw new IllegalArgumentException("input " + Arrays.toString(input) + " has " + elements
                    + " elements, not a multiple of the weights' input size " + inputSize + " (weights " + Arrays.toString(weights) + ")");
        }
        if (keepNumDims) {
            if (input.length == 0 || input[input.length - 1] != inputSize) {
                throw new IllegalArgumentException("keep_num_dims needs the input's last dimension to equal the weights' input size "
                        + inputSize + ", given input " + Arrays.toString(input));
            }
            int[] out = input.clone();
            out[out.length - 1] = units;
            return out;
        }
        return new int[] {(int) (elements / inputSize), units};
    }

    /**
     * BATCH_MATMUL, as {@code batch_matmul::ResizeOutputTensor}: batch dimensions broadcast,
     * output {@code [..., rows(x), cols(y)]} with adj_x/adj_y transposing the last two axes.
     */
    public static int[] batchMatMul(int[] x, int[] y, boolean adjX, boolean adjY) {
        if (x.length < 2 || y.length < 2 || x.length > 5 || y.length > 5) {
            throw new IllegalArgumentException("BATCH_MATMUL operands must have rank 2..5, given " + Arrays.toString(x)
                    + " and " + Arrays.toString(y));
        }
        int xRows = adjX ? x[x.length - 1] : x[x.length - 2];
        int xAccum = adjX ? x[x.length - 2] : x[x.length - 1];
        int yAccum = adjY ? y[y.length - 1] : y[y.length - 2];
        int yCols = adjY ? y[y.length - 2] : y[y.length - 1];
        if (xAccum != yAccum) {
            throw new IllegalArgumentException("inner dimensions differ: x " + Arrays.toString(x) + (adjX ? " (adj_x)" : "")
                    + " contracts " + xAccum + ", y " + Arrays.toString(y) + (adjY ? " (adj_y)" : "") + " contracts " + yAccum);
        }
        int[] batch = broadcast(Arrays.copyOf(x, x.length - 2), Arrays.copyOf(y, y.length - 2));
        int[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = xRows;
        out[batch.length + 1] = yCols;
        return out;
    }

    /**
     * Broadcast shape of two operands, as TFLite's {@code CalculateShapeForBroadcast}: shapes are
     * aligned on the right; each pair of dimensions must be equal or one of them 1.
     */
    public static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast: dimension " + i + " of the result is " + da + " vs " + db);
            }
        }
        return out;
    }

    /**
     * MEAN (and the other reducers), as {@code reduce::ResizeOutputTensor}: negative axes count
     * from the end, repeated axes count once; reduced dimensions become 1 with keep_dims and are
     * dropped otherwise.
     */
    public static int[] reduce(int[] input, int[] axes, boolean keepDims) {
        boolean[] reduced = new boolean[input.length];
        for (int a : axes) {
            int axis = a < 0 ? a + input.length : a;
            if (axis < 0 || axis >= input.length) {
                throw new IllegalArgumentException("reduction axis " + a + " is out of range for rank " + input.length
                        + " (expected " + -input.length + ".." + (input.length - 1) + ")");
            }
            reduced[axis] = true;
        }
        if (keepDims) {
            int[] out = input.clone();
            for (int i = 0; i < out.length; i++) {
                if (reduced[i]) {
                    out[i] = 1;
                }
            }
            return out;
        }
        return java.util.stream.IntStream.range(0, input.length).filter(i -> !reduced[i]).map(i -> input[i]).toArray();
    }

    /** PAD / PADV2, as {@code pad::ResizeOutputTensor}: {@code in[i] + before[i] + after[i]}. */
    public static int[] pad(int[] input, int[][] paddings) {
        if (paddings.length != input.length) {
            throw new IllegalArgumentException("paddings must have one [before, after] row per input dimension: input rank "
                    + input.length + ", given " + paddings.length + " rows");
        }
        int[] out = new int[input.length];
        for (int i = 0; i < input.length; i++) {
            if (paddings[i].length != 2) {
                throw new IllegalArgumentException("paddings row " + i + " must be [before, after], given "
                        + Arrays.toString(paddings[i]));
            }
            if (paddings[i][0] < 0 || paddings[i][1] < 0) {
                throw new IllegalArgumentException("paddings must be non-negative, row " + i + " is "
                        + Arrays.toString(paddings[i]));
            }
            out[i] = input[i] + paddings[i][0] + paddings[i][1];
        }
        return out;
    }

    /**
     * CONCATENATION, as {@code concatenation::Prepare}: negative axis counts from the end; all
     * inputs have the same rank and agree on every dimension but the axis, which adds up.
     */
    public static int[] concatenation(List<int[]> inputs, int axis) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("CONCATENATION needs at least one input");
        }
        int[] first = inputs.get(0);
        int rank = first.length;
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + rank);
        }
        int[] out = first.clone();
        out[a] = 0;
        for (int k = 0; k < inputs.size(); k++) {
            int[] s = inputs.get(k);
            if (s.length != rank) {
                throw new IllegalArgumentException("input " + k + " " + Arrays.toString(s) + " has rank " + s.length
                        + ", input 0 " + Arrays.toString(first) + " has rank " + rank);
            }
            for (int i = 0; i < rank; i++) {
                if (i != a && s[i] != first[i]) {
                    throw new IllegalArgumentException("input " + k + " " + Arrays.toString(s) + " differs from input 0 "
                            + Arrays.toString(first) + " in dimension " + i + ", which is not the concatenation axis " + a);
                }
            }
            out[a] += s[a];
        }
        return out;
    }

    /**
     * RESHAPE, as {@code reshape::GetOutputShape}: at most one dimension may be -1 and is
     * inferred; the element count must not change.
     */
    public static int[] reshape(int[] input, int[] newShape) {
        long inElements = elements(input);
        int stretch = -1;
        long known = 1;
        int[] out = newShape.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (stretch >= 0) {
                    throw new IllegalArgumentException("new shape " + Arrays.toString(newShape) + " has more than one -1");
                }
                stretch = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("new shape " + Arrays.toString(newShape) + " has a negative dimension other than -1");
            } else {
                known *= out[i];
            }
        }
        if (stretch >= 0) {
            if (known == 0 || inElements % known != 0) {
                throw new IllegalArgumentException("cannot infer the -1 in " + Arrays.toString(newShape) + ": input "
                        + Arrays.toString(input) + " has " + inElements + " elements, not a multiple of " + known);
            }
            out[stretch] = (int) (inElements / known);
        } else if (known != inElements) {
            throw new IllegalArgumentException("new shape " + Arrays.toString(newShape) + " has " + known
                    + " elements, the input " + Arrays.toString(input) + " has " + inElements);
        }
        return out;
    }

    /**
     * SQUEEZE, as {@code squeeze::Prepare}: with no dims every size-1 dimension goes; otherwise
     * the listed ones (negative from the end), each of which must be 1.
     */
    public static int[] squeeze(int[] input, int[] dims) {
        boolean[] drop = new boolean[input.length];
        if (dims.length == 0) {
            for (int i = 0; i < input.length; i++) {
                drop[i] = input[i] == 1;
            }
        } else {
            for (int d : dims) {
                int i = d < 0 ? d + input.length : d;
                if (i < 0 || i >= input.length) {
                    throw new IllegalArgumentException("squeeze dimension " + d + " is out of range for rank " + input.length);
                }
                if (input[i] != 1) {
                    throw new IllegalArgumentException("cannot squeeze dimension " + d + " of " + Arrays.toString(input)
                            + ": its size is " + input[i] + ", expected 1");
                }
                drop[i] = true;
            }
        }
        return java.util.stream.IntStream.range(0, input.length).filter(i -> !drop[i]).map(i -> input[i]).toArray();
    }

    /** TRANSPOSE, as {@code transpose::ResizeOutputTensor}: {@code out[i] = in[perm[i]]}. */
    public static int[] transpose(int[] input, int[] perm) {
        if (perm.length != input.length) {
            throw new IllegalArgumentException("perm " + Arrays.toString(perm) + " has " + perm.length
                    + " entries, the input " + Arrays.toString(input) + " has rank " + input.length);
        }
        boolean[] seen = new boolean[perm.length];
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] < 0 || perm[i] >= perm.length || seen[perm[i]]) {
                throw new IllegalArgumentException("perm " + Arrays.toString(perm) + " is not a permutation of 0.."
                        + (perm.length - 1));
            }
            seen[perm[i]] = true;
            out[i] = input[perm[i]];
        }
        return out;
    }

    /**
     * STRIDED_SLICE, as {@code strided_slice::ResizeOutputTensor} with {@code
     * BuildStridedSliceParams}: the ellipsis expands to the dimensions that begin/end/strides do
     * not cover, new_axis inserts a size-1 dimension, dimensions past the given indices are kept
     * whole, shrink_axis removes a dimension; begin and end count from the end when negative and
     * are clamped to the axis, begin_mask/end_mask take the whole range in the stride's
     * direction, and with {@code offset} the end is a length. Each kept dimension has {@code
     * ceil((end - begin) / stride)} elements, 0 when the direction is wrong.
     */
    public static int[] stridedSlice(int[] input, int[] begin, int[] end, int[] strides, BuiltinOptions.StridedSlice o) {
        int n = begin.length;
        if (end.length != n || strides.length != n) {
            throw new IllegalArgumentException("begin, end and strides must have the same length, given " + begin.length
                    + ", " + end.length + ", " + strides.length);
        }
        if (n > 31) {
            throw new IllegalArgumentException("STRIDED_SLICE supports up to 31 indices, given " + n);
        }
        int ellipsis = o.ellipsisMask();
        int newAxis = o.newAxisMask();
        int addAxes = 0;
        for (int i = 0; i < n; i++) {
            if ((ellipsis & (1 << i)) == 0 && (newAxis & (1 << i)) != 0) {
                addAxes++;
            }
        }
        int dims = input.length + addAxes;
        // Mark which effective dimensions the ellipsis covers and which are new axes.
        boolean[] inEllipsis = new boolean[dims];
        boolean[] isNew = new boolean[dims];
        int ellipsisStart = dims;
        int expanded = 0;
        for (int i = 0; i < dims; ) {
            if (i < 32 && (ellipsis & (1 << i)) != 0) {
                ellipsisStart = i;
                int stop = Math.max(i + 1, Math.min(i + 1 + addAxes + input.length - n, dims));
                expanded = stop - ellipsisStart - 1;
                for (; i < stop; i++) {
                    inEllipsis[i] = true;
                }
                continue;
            }
            int src = i - expanded;
            if (src >= 0 && src < 32 && (newAxis & (1 << src)) != 0) {
                isNew[i] = true;
            }
            i++;
        }
        int[] out = new int[dims];
        boolean[] shrink = new boolean[dims];
        int added = 0;
        int addedEllipsis = 0;
        for (int i = 0; i < dims; i++) {
            if (inEllipsis[i]) {
                addedEllipsis = Math.max(0, i - ellipsisStart);
                out[i] = input[i - added];
                continue;
            }
            if (isNew[i]) {
                out[i] = 1;
                added++;
                continue;
            }
            int size = input[i - added];
            if (i >= n + expanded) {
                out[i] = size;
                continue;
            }
            int k = i - addedEllipsis;
            int stride = strides[k];
            if (stride == 0) {
                throw new IllegalArgumentException("stride " + k + " is 0; strides must be non-zero");
            }
            int start = startForAxis(begin[k], stride, (o.beginMask() & (1 << k)) != 0, size);
            if ((o.shrinkAxisMask() & (1 << k)) != 0) {
                shrink[i] = true;
                continue;
            }
            long extent;
            if (o.offset()) {
                extent = end[k];
            } else {
                extent = (long) endForAxis(end[k], stride, (o.endMask() & (1 << k)) != 0, size) - start;
            }
            long d;
            if ((extent < 0) != (stride < 0)) {
                d = 0;
            } else if (stride < 0) {
                d = (extent + 1) / stride + 1;
            } else {
                d = extent == 0 ? 0 : (extent - 1) / stride + 1;
            }
            out[i] = (int) d;
        }
        int kept = 0;
        for (boolean s : shrink) {
            kept += s ? 0 : 1;
        }
        int[] result = new int[kept];
        for (int i = 0, j = 0; i < dims; i++) {
            if (!shrink[i]) {
                result[j++] = out[i];
            }
        }
        return result;
    }

    private static int startForAxis(int begin, int stride, boolean masked, int size) {
        if (masked) {
            return stride > 0 ? 0 : size - 1;
        }
        long s = begin < 0 ? (long) begin + size : begin;
        return (int) (stride > 0 ? clamp(s, 0, size) : clamp(s, -1, size - 1));
    }

    private static int endForAxis(int end, int stride, boolean masked, int size) {
        if (masked) {
            return stride > 0 ? size : -1;
        }
        long e = end < 0 ? (long) end + size : end;
        return (int) (stride > 0 ? clamp(e, 0, size) : clamp(e, -1, size - 1));
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    static long elements(int[] shape) {
        return io.litebit.model.Shapes.elementCount(shape);
    }

    private static void requireRank(String what, int[] shape, int rank) {
        if (shape.length != rank) {
            throw new IllegalArgumentException(what + " must have rank " + rank + ", given " + Arrays.toString(shape)
                    + " (rank " + shape.length + ")");
        }
    }
}
