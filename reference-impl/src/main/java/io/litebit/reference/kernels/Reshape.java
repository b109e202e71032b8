package io.litebit.reference.kernels;

import io.litebit.model.Tensor;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.TensorValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * RESHAPE: the same elements under a new shape, for every type the reference holds. Mirrors
 * TFLite 2.19's {@code kernels/reshape.cc} (no reference registration exists): the new shape
 * comes from the 1-D shape input when it has one, else from the {@code new_shape} option, with
 * one -1 inferred from the element count.
 */
final class Reshape implements Kernel {

    @Override
    public PreparedOp prepare(OpContext ctx) {
        Tensor input = ctx.requireInput(0, "input");
        Tensor output = ctx.output(0);
        if (output.dtype() != input.dtype()) {
            throw ctx.invalid("input and output types differ");
        }
        if (ctx.operator().options() instanceof BuiltinOptions.Reshape r && r.newShape() != null && r.newShape().length > 8) {
            // ParseReshape (flatbuffer_conversions.cc) copies new_shape into an 8-element array and
            // refuses longer ones: "Found too many dimensions in the input array of operation 'reshape'".
            throw ctx.invalid("the new_shape option has " + r.newShape().length + " dimensions; TFLite's parser takes at most 8");
        }
        int[] requested = null;
        if (ctx.hasInput(1) && ctx.input(1).shape().length == 1) {
            Optional<TensorValue> shape = ctx.constantInput(1);
            if (shape.isEmpty()) {
                throw ctx.unsupported("a non-constant shape input (the reference fixes shapes at prepare time)");
            }
            long[] v = shape.get().toLongArray();
            requested = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                requested[i] = (int) v[i];
            }
        } else if (ctx.operator().options() instanceof BuiltinOptions.Reshape r && r.newShape() != null) {
            requested = r.newShape().clone();
        }
        if (requested == null) {
            requested = output.shape();
        }
        int count = Elements.count(input.shape());
        int[] shape = resolve(ctx, requested, count);
        return inputs -> new TensorValue[] {inputs[0].reshaped(shape)};
    }

    /** {@code GetOutputShape}: at most one -1, inferred; the element counts must match. */
    private static int[] resolve(OpContext ctx, int[] requested, int count) {
        int[] shape = requested.clone();
        int stretch = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (stretch >= 0) {
                    throw ctx.invalid("the new shape " + Arrays.toString(requested) + " has more than one -1");
                }
                stretch = i;
            } else {
                known *= shape[i];
            }
        }
        if (stretch >= 0) {
            shape[stretch] = known == 0 ? 0 : (int) (count / known);
            known *= shape[stretch];
        }
        if (known != count) {
            throw ctx.invalid("the new shape " + Arrays.toString(requested) + " holds " + known + " elements, the input " + count);
        }
        return shape;
    }
}
