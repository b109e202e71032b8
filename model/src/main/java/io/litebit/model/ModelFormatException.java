package io.litebit.model;

/**
 * A {@code .tflite} file that cannot be read: not a FlatBuffer, wrong file identifier, truncated,
 * an index out of range, a constant buffer whose size does not match its tensor, and so on. The
 * message names the problem and where it is (for example {@code subgraph 0, tensor 12}).
 *
 * <p>Loading never throws anything else for bad bytes; semantic problems that a structurally sound
 * file may have are reported as {@link ModelWarning}s instead.
 */
public class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
