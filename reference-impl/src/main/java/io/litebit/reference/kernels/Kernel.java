package io.litebit.reference.kernels;

/**
 * One family of TFLite kernels (one file each, as TFLite's reference kernels are organised).
 * {@link #prepare(OpContext)} does what the kernel's {@code Prepare} does in TFLite — type and
 * shape checks, output shape, the derivation of multipliers and activation ranges — once per
 * operator; the returned {@link PreparedOp} computes outputs from inputs.
 *
 * <pre>{@code
 * final class Relu implements Kernel {
 *     public PreparedOp prepare(OpContext ctx) {
 *         if (ctx.input(0).dtype() != DType.FLOAT32) {
 *             throw ctx.unsupported("only float32 is implemented");
 *         }
 *         return inputs -> new TensorValue[] {relu(inputs[0])};
 *     }
 * }
 * }</pre>
 */
public interface Kernel {

    /**
     * @throws io.litebit.reference.UnsupportedOpException for a path the reference does not implement
     * @throws io.litebit.reference.InvalidOpException     for an operator TFLite's Prepare would refuse
     */
    PreparedOp prepare(OpContext ctx);
}
