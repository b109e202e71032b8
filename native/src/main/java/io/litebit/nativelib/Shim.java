package io.litebit.nativelib;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * JNI bindings of the C++ shim ({@code src/main/cpp/litebit_shim.h}). JavaCPP's Builder (the
 * {@code org.bytedeco:javacpp} Maven plugin, goal {@code build}) generates and compiles the JNI
 * glue for these methods into {@code libjnilitebit.so} during {@code process-classes}.
 *
 * <p>Internal: use {@link NativeLibrary}, {@link XnnpackDelegate} and
 * {@link ReferenceOpResolver}. Every method here requires {@link NativeLibrary#load()} to have
 * bound the shim to the TensorFlow Lite library first.
 */
@Properties(value = @Platform(
        value = {"linux-x86_64", "linux-arm64"},
        compiler = "cpp17",
        include = {"tflite_219_abi.h", "litebit_shim.h"},
        link = "dl",
        library = "jnilitebit"))
final class Shim {
    static {
        Loader.load(Shim.class);
    }

    private Shim() {
    }

    static native int litebit_bind(Pointer anchor);

    static native String litebit_last_error();

    static native String litebit_tflite_library_path();

    static native Pointer litebit_symbol(String name);

    static native Pointer litebit_kernel_registration(String ns, String function);

    static native int litebit_xnnpack_options_size();

    static native int litebit_xnnpack_default_options_extent();

    static native Pointer litebit_xnnpack_create(int numThreads, int flags);

    static native int litebit_xnnpack_flags(Pointer delegate);

    static native int litebit_xnnpack_num_threads(Pointer delegate);

    static native void litebit_xnnpack_delete(Pointer delegate);
}
