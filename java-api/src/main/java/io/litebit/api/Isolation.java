package io.litebit.api;

/**
 * Where an {@link Interpreter}'s kernels run.
 *
 * <ul>
 *   <li>{@link #IN_PROCESS} (default): in this JVM, at native speed. A model litebit has not seen
 *       before is first probed in a child process (see
 *       {@link InterpreterOptions.Builder#trustedModel(boolean)}), so a model that crashes TFLite
 *       with the probe's inputs is refused instead of crashing this JVM; an input that only
 *       crashes with other data would still crash it.</li>
 *   <li>{@link #PROCESS}: every {@code invoke()} runs in a long-lived litebit child process
 *       (shared by all isolated interpreters, restarted when it dies), with the inputs and
 *       variable tensors copied there and the outputs and variables copied back: the same API,
 *       for inputs that are untrusted too. A crash is a {@link ChildCrashException} from that
 *       {@code invoke()}; the next one starts a new child. Intermediate tensors stay in the
 *       child (not readable), and outputs whose shape only the kernel knows (dynamic tensors) are
 *       not supported.</li>
 * </ul>
 *
 * <pre>{@code
 * InterpreterOptions untrusted = InterpreterOptions.builder().isolation(Isolation.PROCESS).build();
 * try (Interpreter it = Interpreter.create(model, untrusted)) {
 *     it.input(0).write(userBytes);
 *     it.invoke();                       // in the child; a crash is an exception here
 * }
 * }</pre>
 */
public enum Isolation {
    IN_PROCESS,
    PROCESS
}
