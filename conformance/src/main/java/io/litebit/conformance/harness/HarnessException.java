package io.litebit.conformance.harness;

/**
 * The native harness could not be built or a run of it failed: the message names the backend,
 * the command and the harness's stderr.
 *
 * <pre>{@code
 * try {
 *     trace = Backends.parse("arm64:xnnpack").run(model, inputs);
 * } catch (HarnessException e) {
 *     System.err.println(e.getMessage());   // arm64:xnnpack: harness exited 1: qemu-aarch64 ... | stderr
 * }
 * }</pre>
 */
public class HarnessException extends RuntimeException {
    public HarnessException(String message) {
        super(message);
    }

    public HarnessException(String message, Throwable cause) {
        super(message, cause);
    }
}
