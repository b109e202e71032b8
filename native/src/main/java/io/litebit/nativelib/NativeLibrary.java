package io.litebit.nativelib;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.global.tensorflowlite;

/**
 * Loads TensorFlow Lite (the {@code org.bytedeco:tensorflow-lite} preset) and the litebit shim,
 * and binds the shim to the loaded TFLite library.
 *
 * <p>Every other class of this module calls {@link #load()} itself; call it directly only to
 * fail early (for example at service start) or to read {@link #tfliteVersion()} and
 * {@link #tfliteLibraryPath()}.
 *
 * <p>The shim is bound to the very copy of {@code libjnitensorflowlite.so} that JavaCPP loaded:
 * it looks up an address inside that library with {@code dladdr} and resolves TFLite's
 * functions in it with {@code dlsym}, so there is one TFLite in the process and a missing symbol
 * is an {@link UnsatisfiedLinkError} with the symbol's name rather than a crash.
 */
public final class NativeLibrary {
    /** The TensorFlow Lite version this module is pinned to (see {@code tflite_219_abi.h}). */
    public static final String PINNED_TFLITE_VERSION = "2.19.0";

    private static volatile boolean loaded;
    private static String version;
    private static Path libraryPath;

    private NativeLibrary() {
    }

    /**
     * Loads and binds the native libraries; idempotent and thread-safe.
     *
     * @throws UnsatisfiedLinkError if a library cannot be loaded (unsupported platform, natives
     *     for this platform missing from the class path) or the TFLite library lacks a symbol
     *     the shim needs, or its version is not {@value #PINNED_TFLITE_VERSION}
     */
    public static void load() {
        if (loaded) {
            return;
        }
        synchronized (NativeLibrary.class) {
            if (loaded) {
                return;
            }
            Loader.load(tensorflowlite.class);
            // TfLiteVersion() returns a string literal of libjnitensorflowlite.so: dladdr() on
            // its address names the library file that JavaCPP loaded.
            BytePointer anchor = tensorflowlite.TfLiteVersion();
            if (anchor == null || anchor.isNull()) {
                throw new UnsatisfiedLinkError("TfLiteVersion() returned null");
            }
            String v = anchor.getString();
            if (!PINNED_TFLITE_VERSION.equals(v)) {
                throw new UnsatisfiedLinkError("litebit-native is pinned to TensorFlow Lite "
                        + PINNED_TFLITE_VERSION + " (XNNPACK options layout, kernel symbols) but the"
                        + " loaded org.bytedeco:tensorflow-lite library reports " + v);
            }
            if (Shim.litebit_bind(anchor) != 0) {
                throw new UnsatisfiedLinkError("cannot bind the litebit shim to TensorFlow Lite: "
                        + Shim.litebit_last_error());
            }
            version = v;
            libraryPath = Paths.get(Shim.litebit_tflite_library_path());
            loaded = true;
        }
    }

    /** The version string of the loaded TensorFlow Lite ({@code TfLiteVersion()}). */
    public static String tfliteVersion() {
        load();
        return version;
    }

    /** The file of the loaded TensorFlow Lite library ({@code libjnitensorflowlite.so}). */
    public static Path tfliteLibraryPath() {
        load();
        return libraryPath;
    }

    /** The JavaCPP platform name of this process, e.g. {@code linux-x86_64}. */
    public static String platform() {
        return Loader.getPlatform();
    }

    /**
     * Whether the loaded TFLite library exports the given (mangled) symbol.
     *
     * @param symbol a dynamic symbol name, e.g. {@code TfLiteXNNPackDelegateCreate}
     */
    public static boolean hasSymbol(String symbol) {
        load();
        Pointer p = Shim.litebit_symbol(symbol);
        return p != null && !p.isNull();
    }
}
