/**
 * litebit's public Java API over TensorFlow Lite 2.19: load a {@link io.litebit.api.Model},
 * create an {@link io.litebit.api.Interpreter} on a {@link io.litebit.api.Backend} (XNNPACK with
 * int8 enabled, TFLite's builtin kernels, or its reference kernels), move data in and out through
 * {@link io.litebit.api.TensorHandle}s with checked dtypes, shapes and sizes, and explicit
 * quantization ({@link io.litebit.api.Quantizer}).
 *
 * <pre>{@code
 * Model model = Model.load(Path.of("mobilenet_v2_int8.tflite"));
 * try (Interpreter interpreter = Interpreter.create(model,
 *         InterpreterOptions.builder().backend(Backend.XNNPACK).threads(4).build())) {
 *     interpreter.input(0).writeQuantized(pixels);          // floats, the input's own scale
 *     interpreter.invoke();
 *     float[] logits = interpreter.output(0).readDequantized();
 *     interpreter.opDetails().forEach(System.out::println);  // which ops XNNPACK runs
 * }
 * }</pre>
 *
 * <p>Value types ({@link io.litebit.api.TensorDetails}, {@link io.litebit.api.OpDetails},
 * {@link io.litebit.api.TensorData}, {@link io.litebit.api.InterpreterOptions}) are immutable.
 * Native resources belong to the interpreter, which is {@link java.lang.AutoCloseable}; see
 * {@link io.litebit.api.Interpreter} for ownership and threading.
 */
package io.litebit.api;
