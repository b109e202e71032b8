package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.reference.TensorValue;
import java.util.Arrays;
import java.util.function.IntBinaryOperator;

/**
 * numpy-style broadcasting of two shapes, as TFLite's {@code CalculateShapeForBroadcast}
 * computes the output shape; and, for each output element, the input element it reads.
 * Element-wise kernels compute each output from one element of each input, so the order in
 * which TFLite's broadcast loops visit them does not change any value.
 */
final class Broadcast {
    private Broadcast() {
    }

    /** The Prepare check shared by ADD, SUB and MUL: both inputs of one type. */
    static void requireSameType(OpContext ctx, Tensor input1, Tensor input2) {
        if (input2.dtype() != input1.dtype()) {
            throw ctx.invalid("both inputs need the same type, given " + input1.dtype().displayName() + " and "
                    + input2.dtype().displayName());
        }
    }

    /** The broadcast output shape of a binary op, or the op refused as TFLite's Prepare refuses it. */
    static int[] shapeOrInvalid(OpContext ctx, Tensor input1, Tensor input2) {
        try {
            return shape(input1.shape(), input2.shape());
        } catch (IllegalArgumentException e) {
            throw ctx.invalid(e.getMessage(), e);
        }
    }

    /**
     * The broadcast shape: shapes are aligned at their last dimension; each pair of dimensions
     * must be equal or contain a 1.
     *
     * @throws IllegalArgumentException when they do not broadcast
     */
    static int[] shape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** For every element of {@code outShape} (row-major), the flat index of the element of {@code inShape} it reads. */
    static int[] sourceIndices(int[] inShape, int[] outShape) {
        int rank = outShape.length;
        int[] strides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            int inDim = i < rank - inShape.length ? 1 : inShape[i - (rank - inShape.length)];
            strides[i] = inDim == 1 ? 0 : stride;
            stride *= inDim;
        }
        int count = 1;
        for (int d : outShape) {
            count *= d;
        }
        int[] map = new int[count];
        int[] index = new int[rank];
        int offset = 0;
        for (int n = 0; n < count; n++) {
            map[n] = offset;
            for (int i = rank - 1; i >= 0; i--) {
                index[i]++;
                offset += strides[i];
                if (index[i] < outShape[i]) {
                    break;
                }
                offset -= strides[i] * index[i];
                index[i] = 0;
            }
        }
        return map;
    }
    /** A float operation on one pair of broadcast elements. */
    @FunctionalInterface
    interface FloatPairOp {
        float apply(float x, float y);
    }

    /**
     * The element-wise loop of the broadcasting binary kernels for integer element values
     * (quantized or plain int8/uint8/int16/int32): output element {@code i} is {@code f} of the
     * two input elements that broadcast onto it ({@code BroadcastBinaryFunction6DSlow}'s walk).
     */
    static TensorValue ints(TensorValue a, TensorValue b, int[] outShape, DType type, IntBinaryOperator f) {
        int[] ia = sourceIndices(a.shape(), outShape);
        int[] ib = sourceIndices(b.shape(), outShape);
        int[] out = new int[ia.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsInt(a.getInt(ia[i]), b.getInt(ib[i]));
        }
        return TensorValue.fromInts(type, outShape, out);
    }

    /** {@link #ints} for float32 inputs and output. */
    static TensorValue floats(TensorValue a, TensorValue b, int[] outShape, FloatPairOp f) {
        int[] ia = sourceIndices(a.shape(), outShape);
        int[] ib = sourceIndices(b.shape(), outShape);
        float[] out = new float[ia.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.apply(a.getFloat(ia[i]), b.getFloat(ib[i]));
        }
        return TensorValue.ofFloat32(outShape, out);
    }
}
