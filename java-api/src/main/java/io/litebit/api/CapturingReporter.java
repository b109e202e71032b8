package io.litebit.api;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.ErrorReporter;

/**
 * A native {@code tflite::ErrorReporter} that records every message TFLite reports, so that
 * exceptions can carry TFLite's own sentences instead of a bare status code.
 *
 * <p>Not thread-safe on the Java side: its owner (a {@link Model} load or an {@link Interpreter})
 * uses it under its own lock. The native side tolerates reports from TFLite's worker threads.
 */
final class CapturingReporter {
    private Pointer reporter;
    private final ErrorReporter asTflite;

    private CapturingReporter(Pointer reporter) {
        this.reporter = reporter;
        // A plain address wrapper without a deallocator: only delete() frees the reporter.
        this.asTflite = new ErrorReporter(reporter);
    }

    static CapturingReporter create() {
        Pointer p = ReporterNative.litebit_reporter_create();
        if (p == null || p.isNull()) {
            throw new OutOfMemoryError("cannot allocate a native TFLite error reporter");
        }
        return new CapturingReporter(p);
    }

    /** The reporter as TFLite's type, for FlatBufferModel and InterpreterBuilder. */
    ErrorReporter tflite() {
        return asTflite;
    }

    /** Everything reported since the last {@link #clear()}, one report per line, trimmed. */
    String messages() {
        if (reporter == null) {
            return "";
        }
        String s = ReporterNative.litebit_reporter_messages(reporter);
        return s == null ? "" : s.strip();
    }

    /** {@link #messages()} as lines. */
    List<String> lines() {
        String s = messages();
        return s.isEmpty() ? List.of() : Arrays.stream(s.split("\n")).map(String::strip)
                .filter(l -> !l.isEmpty()).toList();
    }

    void clear() {
        if (reporter != null) {
            ReporterNative.litebit_reporter_clear(reporter);
        }
    }

    void report(String message) {
        if (reporter != null) {
            ReporterNative.litebit_reporter_report(reporter, message);
        }
    }

    /** Frees the native reporter; idempotent. Nothing native may refer to it any more. */
    void delete() {
        if (reporter != null) {
            ReporterNative.litebit_reporter_delete(reporter);
            reporter = null;
            asTflite.setNull();
        }
    }
}
