/**
 * The conformance suite: run a model on several backends with the same inputs, collect every
 * tensor, diff.
 *
 * <ul>
 *   <li>{@link io.litebit.trace.Backend} (module trace): native XNNPACK, BUILTIN, BUILTIN_REF and the Java
 *       oracle under a numerics profile, each yielding a {@link io.litebit.trace.Trace}; {@link io.litebit.conformance.Backends} adds the child-process harness backends.</li>
 *   <li>{@link io.litebit.conformance.TensorDiff} and {@link io.litebit.conformance.TraceDiff}:
 *       exact integer comparison (count, max LSB, histogram), ULP and relative error for float32,
 *       the first divergent tensor marked local or inherited.</li>
 *   <li>{@link io.litebit.conformance.BackendMatrix}: one model on several backends over several
 *       input sets ({@link io.litebit.conformance.InputSets}), every pair diffed, backends that
 *       cannot run the model kept as such ({@link io.litebit.conformance.MatrixResult}); reports
 *       in {@link io.litebit.conformance.report}.</li>
 *   <li>{@link io.litebit.conformance.GoldenSuite}: TFLite Micro per-layer goldens.</li>
 *   <li>{@link io.litebit.conformance.fuzz}: seeded single-op generators and the runner that checks
 *       the oracle against BUILTIN_REF and records BUILTIN vs BUILTIN_REF.</li>
 * </ul>
 *
 * <pre>{@code
 * TfliteModel model = TfliteModel.load(Path.of("model.tflite"));
 * List<byte[]> inputs = List.of(inputBytes);
 * TraceDiff d = TraceDiff.compare(model, Backend.builtinRef().run(model, inputs),
 *         Backend.xnnpack().run(model, inputs));
 * d.tensors().forEach(t -> System.out.println(t.summary()));
 * }</pre>
 */
package io.litebit.conformance;
