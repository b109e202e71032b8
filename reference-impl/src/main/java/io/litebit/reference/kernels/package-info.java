/**
 * The reference kernels, one class per kernel family as TFLite's reference kernels are organised
 * ({@code Add}, {@code FullyConnected}, {@code Quantize}, {@code Dequantize}), dispatched by
 * {@link io.litebit.reference.kernels.Kernels}. Each class says which TFLite files and functions
 * it mirrors; {@code prepare} repeats the kernel's {@code Prepare} derivations (multipliers,
 * activation ranges, checks) and the prepared op repeats its {@code Eval<kReference>}.
 *
 * <pre>{@code
 * PreparedOp op = Kernels.prepare(new OpContext(model.mainSubgraph(), operator, NumericsProfile.TFLITE));
 * TensorValue[] out = op.eval(new TensorValue[] {input, weights, bias});
 * }</pre>
 */
package io.litebit.reference.kernels;
