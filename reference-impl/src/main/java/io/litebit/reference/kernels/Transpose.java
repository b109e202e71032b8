package io.litebit.reference.kernels;

import io.litebit.model.Tensor;
import io.litebit.reference.TensorValue;
import java.util.Arrays;

/**
 * TRANSPOSE by a constant permutation (ranks up to 6), for every type the reference holds.
 * Mirrors TFLite 2.19's {@code kernels/transpose.cc} ({@code Prepare}, {@code
 * Eval<kReference>}) with {@code reference_ops::Transpose}: output dimension {@code i} is input
 * dimension {@code perm[i]}.
 */
final class Transpose implements Kernel {

    @Override
    public PreparedOp prepare(OpContext ctx) {
        Tensor input = ctx.requireInput(0, "input");
        Tensor permTensor = ctx.requireInput(1, "perm");
        if (ctx.output(0).dtype() != input.dtype()) {
            throw ctx.invalid("input and output types differ");
        }
        int rank = input.shape().length;
        if (rank > 6) {
            throw ctx.invalid("Transpose op only supports 1D-6D input arrays, given " + rank + "D");
        }
        TensorValue permValue = ctx.constantInput(1)
                .orElseThrow(() -> ctx.unsupported("a non-constant permutation (the reference fixes shapes at prepare time)"));
        long[] p = permValue.toLongArray();
        if (p.length != rank) {
            throw ctx.invalid("perm has " + p.length + " elements for a rank-" + rank + " input (" + permTensor + ")");
        }
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            if (p[i] < 0 || p[i] >= rank) {
                throw ctx.invalid("Transpose op permutations array is out of bounds: " + Arrays.toString(p));
            }
            perm[i] = (int) p[i];
        }
        return inputs -> new TensorValue[] {transpose(inputs[0], perm)};
    }

    static TensorValue transpose(TensorValue x, int[] perm) {
        int[] in = x.shape();
        int rank = in.length;
        int[] inStrides = Elements.strides(in);
        int[] outShape = new int[rank];
        int[] stride = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = in[perm[i]];
            stride[i] = inStrides[perm[i]];
        }
        int n = Elements.count(outShape);
        int[] from = new int[n];
        int[] index = new int[rank];
        int offset = 0;
        for (int i = 0; i < n; i++) {
            from[i] = offset;
            for (int d = rank - 1; d >= 0; d--) {
                index[d]++;
                offset += stride[d];
                if (index[d] < outShape[d]) {
                    break;
                }
                offset -= stride[d] * index[d];
                index[d] = 0;
            }
        }
        return Elements.gather(x, from, outShape, null);
    }
}
