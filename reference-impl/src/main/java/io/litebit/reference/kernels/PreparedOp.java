package io.litebit.reference.kernels;

import io.litebit.reference.TensorValue;

/**
 * An operator after {@link Kernel#prepare(OpContext)}: its parameters fixed, ready to run, and
 * free of mutable state, so it may run concurrently.
 *
 * <pre>{@code
 * TensorValue y = prepared.eval(new TensorValue[] {x, weights, null})[0];   // null: omitted bias
 * }</pre>
 */
@FunctionalInterface
public interface PreparedOp {

    /**
     * Computes the operator's outputs.
     *
     * @param inputs one value per operator input, in the operator's order; {@code null} for an
     *               omitted optional input
     * @return one value per operator output
     */
    TensorValue[] eval(TensorValue[] inputs);
}
