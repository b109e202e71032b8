package io.litebit.reference.kernels;

import io.litebit.model.Tensor;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.TensorValue;
import java.util.ArrayList;
import java.util.List;

/**
 * SQUEEZE: drops dimensions of size 1 — the listed ones (negative indices count from the end),
 * or all of them when none are listed. Mirrors TFLite 2.19's {@code kernels/squeeze.cc}; the
 * elements are unchanged.
 */
final class Squeeze implements Kernel {

    @Override
    public PreparedOp prepare(OpContext ctx) {
        Tensor input = ctx.requireInput(0, "input");
        if (ctx.output(0).dtype() != input.dtype()) {
            throw ctx.invalid("input and output types differ");
        }
        int[] dims = ctx.options(BuiltinOptions.Squeeze.class).squeezeDims();
        int[] in = input.shape();
        int rank = in.length;
        if (rank > 8) {
            throw ctx.invalid("SQUEEZE supports up to 8 dimensions, given " + rank);
        }
        boolean[] drop = new boolean[rank];
        if (dims == null || dims.length == 0) {
            for (int d = 0; d < rank; d++) {
                drop[d] = in[d] == 1;
            }
        } else {
            for (int d : dims) {
                int c = d < 0 ? d + rank : d;
                if (c < 0 || c >= rank || in[c] != 1) {
                    throw ctx.invalid("squeeze dimension " + d + " is not a dimension of size 1 of a rank-" + rank + " input");
                }
                drop[c] = true;
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (!drop[d]) {
                out.add(in[d]);
            }
        }
        int[] shape = out.stream().mapToInt(Integer::intValue).toArray();
        return inputs -> new TensorValue[] {inputs[0].reshaped(shape)};
    }
}
