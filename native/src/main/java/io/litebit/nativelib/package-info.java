/**
 * litebit-native: the JavaCPP shim over the {@code org.bytedeco:tensorflow-lite} preset
 * (TensorFlow Lite 2.19.0) that provides what the preset does not map.
 *
 * <ul>
 *   <li>{@link io.litebit.nativelib.XnnpackDelegate}: the XNNPACK delegate created with explicit
 *       flags, in particular int8/uint8 enabled, with the flags read back from the delegate.</li>
 *   <li>{@link io.litebit.nativelib.ReferenceOpResolver}: an op resolver of TFLite's C++
 *       reference kernels ({@code Register_*_REF}), Python's {@code BUILTIN_REF}, reporting the
 *       operators that fell back to builtin kernels.</li>
 *   <li>{@link io.litebit.nativelib.ExecutionPlan}: which nodes run, and which are delegate
 *       kernels.</li>
 *   <li>{@link io.litebit.nativelib.NativeLibrary}: loading and binding.</li>
 * </ul>
 *
 * <p>Interpreters themselves are built with the preset's classes
 * ({@code FlatBufferModel}, {@code InterpreterBuilder}, {@code Interpreter}); the owners here
 * must outlive them: close the interpreter, then the delegate, then the resolver, then the
 * model.
 */
package io.litebit.nativelib;
