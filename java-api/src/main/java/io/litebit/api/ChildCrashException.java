package io.litebit.api;

import java.util.List;
import java.util.Optional;

/**
 * A child process of litebit died while it ran native TFLite code for this process (a signal, an
 * abort or a timeout), so the work was lost but this JVM was not: the model (or input) that did
 * it is refused.
 *
 * <p>Thrown by {@link Interpreter#create} when the probe of an unseen model died (see
 * {@link InterpreterOptions.Builder#trustedModel(boolean)}), by {@link Interpreter#invoke()} of an
 * interpreter with {@link Isolation#PROCESS}, and by {@link Worker#call} for any other task. The
 * message is one sentence saying which backend, which signal, what was running (the stage the
 * child last reported and the native frame the JVM named) and what to do, e.g.
 * <pre>
 * TFLite 2.19 crashed a litebit child process with SIGSEGV on XNNPACK while invoking with zeros
 * inputs (in libjnitensorflowlite.so+0x2d1a3f): the model was not run in this JVM; try
 * Backend.BUILTIN_REF, or file the model upstream (https://github.com/google-ai-edge/LiteRT/issues)
 * </pre>
 *
 * <pre>{@code
 * try (Interpreter it = Interpreter.create(model)) {
 *     ...
 * } catch (ChildCrashException e) {
 *     log.warn("model refused: {} ({})", e.getMessage(), e.signal());
 * }
 * }</pre>
 */
public class ChildCrashException extends TfliteException {
    private static final long serialVersionUID = 1L;

    private final String signal;
    private final int exitCode;
    private final String stage;
    private final String nativeFrame;

    ChildCrashException(String message, String operation, String signal, int exitCode, String stage,
                        String nativeFrame, List<String> details) {
        super(message, operation, -1, details);
        this.signal = signal;
        this.exitCode = exitCode;
        this.stage = stage;
        this.nativeFrame = nativeFrame;
    }

    /**
     * How the child died: {@code SIGSEGV}, {@code SIGABRT}, {@code SIGFPE}, {@code SIGBUS},
     * {@code SIGILL}, {@code SIGKILL}, {@code timeout}, or {@code exit N} for any other exit.
     */
    public String signal() {
        return signal;
    }

    /** The child's exit status (128 + N for signal N, as the shell reports it; -1 if unknown). */
    public int exitCode() {
        return exitCode;
    }

    /** What the child last reported it was doing, e.g. {@code "invoking with zeros inputs"}. */
    public String stage() {
        return stage;
    }

    /** The native frame the JVM's crash report named ({@code libjnitensorflowlite.so+0x...}), if any. */
    public Optional<String> nativeFrame() {
        return Optional.ofNullable(nativeFrame);
    }

    /** The same crash described by another sentence (the caller knows the backend and the advice). */
    ChildCrashException reworded(String message, String operation) {
        return new ChildCrashException(message, operation, signal, exitCode, stage, nativeFrame, tfliteMessages());
    }

    /** "SIGSEGV while invoking with zeros inputs (in libjnitensorflowlite.so+0x...)": the middle of a sentence. */
    String what() {
        return signal + (stage == null || stage.isEmpty() ? "" : " while " + stage)
                + (nativeFrame == null ? "" : " (in " + nativeFrame + ")");
    }
}
