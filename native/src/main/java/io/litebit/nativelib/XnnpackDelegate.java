package io.litebit.nativelib;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.TfLiteDelegate;

/**
 * An XNNPACK delegate created with explicit flags, in particular with int8 enabled.
 *
 * <p>The preset's default XNNPACK delegate (the one TFLite applies lazily through
 * {@code BuiltinOpResolver}) has flags 0, so signed and unsigned 8-bit quantized operators stay on
 * TFLite's builtin kernels. {@link #createInt8(int)} creates the delegate with
 * {@link #FLAG_QS8}{@code |}{@link #FLAG_QU8}; {@link #flags()} reads the flags back from the
 * delegate ({@code TfLiteXNNPackDelegateGetFlags}), and creation fails if they differ from the
 * requested ones, which is what a wrong options layout would cause.
 *
 * <p>Ownership: the caller owns the delegate and must {@link #close()} it <em>after</em> every
 * interpreter that uses it has been destroyed (order: interpreter, delegate, op resolver,
 * model). The delegate is never freed by the garbage collector: a delegate that is not closed
 * leaks, which is preferable to freeing it under a live interpreter.
 *
 * <p>Usage with the preset's API:
 * <pre>{@code
 * try (XnnpackDelegate xnnpack = XnnpackDelegate.createInt8(1)) {
 *     Interpreter interpreter = ...; // built from a FlatBufferModel and an op resolver
 *     interpreter.ModifyGraphWithDelegate(xnnpack.delegate());
 *     ...
 *     interpreter.close();           // before the delegate
 * }
 * }</pre>
 *
 * <p>Thread safety: creation and {@link #close()} are thread-safe; the delegate itself is used
 * by TFLite under the interpreter's rules (one invoke at a time).
 */
public final class XnnpackDelegate implements AutoCloseable {
    /** {@code TFLITE_XNNPACK_DELEGATE_FLAG_QS8}: delegate signed 8-bit quantized operators. */
    public static final int FLAG_QS8 = 0x1;
    /** {@code TFLITE_XNNPACK_DELEGATE_FLAG_QU8}: delegate unsigned 8-bit quantized operators. */
    public static final int FLAG_QU8 = 0x2;
    /** {@code TFLITE_XNNPACK_DELEGATE_FLAG_FORCE_FP16}: run float32 operators in fp16. */
    public static final int FLAG_FORCE_FP16 = 0x4;
    /** {@link #FLAG_QS8} | {@link #FLAG_QU8}: int8 and uint8 on XNNPACK (= 3). */
    public static final int FLAGS_INT8 = FLAG_QS8 | FLAG_QU8;

    /** The {@code custom_name} of the delegate kernel nodes this delegate inserts. */
    public static final String KERNEL_NAME = "TfLiteXNNPackDelegate";

    private final int requestedFlags;
    private final int numThreads;
    private final int flags;
    private TfLiteDelegate delegate;

    private XnnpackDelegate(TfLiteDelegate delegate, int requestedFlags, int numThreads, int flags) {
        this.delegate = delegate;
        this.requestedFlags = requestedFlags;
        this.numThreads = numThreads;
        this.flags = flags;
    }

    /**
     * Creates an XNNPACK delegate with int8 and uint8 enabled ({@link #FLAGS_INT8}).
     *
     * @param numThreads threads of the delegate's thread pool; 1 (or 0) runs on the calling thread
     */
    public static XnnpackDelegate createInt8(int numThreads) {
        return create(numThreads, FLAGS_INT8);
    }

    /**
     * Creates an XNNPACK delegate with the given flags.
     *
     * @param numThreads threads of the delegate's thread pool, &ge; 0 (0 or 1: no thread pool)
     * @param flags a combination of the {@code FLAG_*} constants; 0 is what the preset's default
     *     delegate uses (quantized operators not delegated)
     * @throws IllegalArgumentException if {@code numThreads} is negative
     * @throws IllegalStateException if TFLite returns no delegate, or the delegate reports flags
     *     other than {@code flags} (the options layout does not match the loaded TFLite)
     */
    public static XnnpackDelegate create(int numThreads, int flags) {
        if (numThreads < 0) {
            throw new IllegalArgumentException("numThreads must be >= 0, was " + numThreads);
        }
        NativeLibrary.load();
        Pointer raw = Shim.litebit_xnnpack_create(numThreads, flags);
        if (raw == null || raw.isNull()) {
            throw new IllegalStateException("cannot create the XNNPACK delegate: "
                    + Shim.litebit_last_error());
        }
        int actualFlags = Shim.litebit_xnnpack_flags(raw);
        int actualThreads = Shim.litebit_xnnpack_num_threads(raw);
        if (actualFlags != flags || actualThreads != numThreads) {
            Shim.litebit_xnnpack_delete(raw);
            throw new IllegalStateException(String.format(
                    "XNNPACK options layout mismatch: requested flags 0x%x and %d threads, the"
                            + " delegate reports flags 0x%x and %d threads. litebit-native is pinned"
                            + " to the TFLite %s options layout; the loaded TFLite is %s.",
                    flags, numThreads, actualFlags, actualThreads,
                    NativeLibrary.PINNED_TFLITE_VERSION, NativeLibrary.tfliteVersion()));
        }
        return new XnnpackDelegate(new TfLiteDelegate(raw), flags, actualThreads, actualFlags);
    }

    /**
     * The delegate as the preset's type, for {@code Interpreter.ModifyGraphWithDelegate} or
     * {@code InterpreterBuilder.AddDelegate}.
     *
     * @throws IllegalStateException if this delegate is closed
     */
    public synchronized TfLiteDelegate delegate() {
        if (delegate == null) {
            throw new IllegalStateException("XNNPACK delegate is closed");
        }
        return delegate;
    }

    /** The flags read back from the native delegate with {@code TfLiteXNNPackDelegateGetFlags}. */
    public int flags() {
        return flags;
    }

    /**
     * The flags read back from the native delegate now (not cached).
     *
     * @throws IllegalStateException if this delegate is closed
     */
    public synchronized int readFlags() {
        return Shim.litebit_xnnpack_flags(delegate());
    }

    /** The flags this delegate was created with. */
    public int requestedFlags() {
        return requestedFlags;
    }

    /** The thread count read back from the delegate's options. */
    public int numThreads() {
        return numThreads;
    }

    /** Whether signed and unsigned 8-bit quantized operators are delegated. */
    public boolean int8Enabled() {
        return (flags & FLAGS_INT8) == FLAGS_INT8;
    }

    /** Whether {@link #close()} has been called. */
    public synchronized boolean isClosed() {
        return delegate == null;
    }

    /**
     * Deletes the native delegate ({@code TfLiteXNNPackDelegateDelete}); idempotent. Every
     * interpreter that used the delegate must have been destroyed before.
     */
    @Override
    public synchronized void close() {
        if (delegate != null) {
            Shim.litebit_xnnpack_delete(delegate);
            delegate = null;
        }
    }

    @Override
    public String toString() {
        return String.format("XnnpackDelegate[flags=0x%x, threads=%d%s]", flags, numThreads,
                isClosed() ? ", closed" : "");
    }
}
