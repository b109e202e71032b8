/**
 * Run a model on any backend and see every tensor: native TFLite with XNNPACK, its optimized
 * builtin kernels or its C++ reference kernels (through litebit's Java API), or the Java oracle
 * under a numerics profile. This is the layer that conformance (diffs between backends),
 * calibration (the range of every activation) and the quantization debugger (per-layer errors)
 * share.
 *
 * <pre>{@code
 * TfliteModel model = TfliteModel.load(Path.of("model.tflite"));
 * Trace t = Backend.builtin().run(model, List.of(inputBytes));
 * t.tensors().forEach(x -> System.out.println(x.opName() + " -> " + x.name()));
 * }</pre>
 */
package io.litebit.trace;
