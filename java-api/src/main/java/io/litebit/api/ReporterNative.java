package io.litebit.api;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * JNI bindings of {@code src/main/cpp/litebit_api_reporter.h}, generated and compiled into
 * {@code libjnilitebitapi.so} by JavaCPP's Builder during {@code process-classes}. Internal: use
 * {@link CapturingReporter}.
 */
@Properties(value = @Platform(
        value = {"linux-x86_64", "linux-arm64"},
        compiler = "cpp17",
        include = "litebit_api_reporter.h",
        library = "jnilitebitapi"))
final class ReporterNative {
    static {
        Loader.load(ReporterNative.class);
    }

    private ReporterNative() {
    }

    static native Pointer litebit_reporter_create();

    static native String litebit_reporter_messages(Pointer reporter);

    static native void litebit_reporter_clear(Pointer reporter);

    static native void litebit_reporter_report(Pointer reporter, String message);

    static native void litebit_reporter_delete(Pointer reporter);
}
