/**
 * The oracle: a pure-Java, bit-exact reproduction of TFLite's reference kernels and a graph
 * executor that keeps every tensor. It depends on the model layer only, never on native code.
 *
 * <pre>{@code
 * TfliteModel model = TfliteModel.load(Path.of("model.tflite"));
 * ReferenceInterpreter oracle = ReferenceInterpreter.create(model, NumericsProfile.TFLITE);
 * Execution run = oracle.run(TensorValue.ofInt8(new int[] {1, 4}, (byte) 1, (byte) 2, (byte) 3, (byte) 4));
 * for (Execution.Step step : run.steps()) {
 *     step.outputs().forEach(t -> System.out.println(step.operator().opcode().displayName() + " " + run.tensor(t)));
 * }
 * }</pre>
 *
 * <p>Kernels live in {@link io.litebit.reference.kernels}, one file per kernel family; the
 * fixed-point arithmetic they share in {@link io.litebit.reference.fixedpoint}. The TFLite
 * version reproduced is 2.19 (the version the native backend pins).
 */
package io.litebit.reference;
