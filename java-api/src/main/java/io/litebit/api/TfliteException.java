package io.litebit.api;

import java.util.List;

/**
 * TensorFlow Lite refused or failed an operation: the model (verification, interpreter build),
 * delegate application, tensor allocation, resizing or invoke.
 *
 * <p>The message names the operation and carries what TFLite itself reported through its error
 * reporter, verbatim, e.g.
 * <pre>
 * TFLite refused to build the interpreter (status 1): quantized_dimension must be in range [0, 1). Was 3.
 * </pre>
 * {@link #tfliteMessages()} gives those reports one per element. Bad arguments from Java (wrong
 * dtype, shape or size, unknown tensor names) are {@link IllegalArgumentException}s instead, and
 * use of a closed interpreter is an {@link IllegalStateException}.
 */
public class TfliteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int status;
    private final List<String> tfliteMessages;

    /**
     * @param operation what was attempted, e.g. {@code "invoke"}
     * @param status TFLite's {@code TfLiteStatus} (1 = error, 2 = delegate error, ...), or -1
     *     when TFLite returned a null object instead of a status
     * @param tfliteMessages what TFLite reported, one entry per report
     */
    public TfliteException(String operation, int status, List<String> tfliteMessages) {
        super(format(operation, status, tfliteMessages));
        this.operation = operation;
        this.status = status;
        this.tfliteMessages = List.copyOf(tfliteMessages);
    }

    /**
     * A refusal worded by litebit rather than by TFLite: used where handing the model to TFLite
     * would crash the process instead of returning an error.
     */
    TfliteException(String message, String operation, int status, List<String> tfliteMessages) {
        super(message);
        this.operation = operation;
        this.status = status;
        this.tfliteMessages = List.copyOf(tfliteMessages);
    }

    private static String format(String operation, int status, List<String> messages) {
        StringBuilder sb = new StringBuilder("TFLite refused to ").append(operation);
        if (status >= 0) {
            sb.append(" (status ").append(status).append(')');
        }
        if (messages.isEmpty()) {
            sb.append(": TFLite reported no message");
        } else {
            sb.append(": ").append(String.join(" | ", messages));
        }
        return sb.toString();
    }

    /** What was attempted, e.g. {@code "build the interpreter"} or {@code "invoke"}. */
    public String operation() {
        return operation;
    }

    /** TFLite's status code, or -1 when TFLite returned no object instead of a status. */
    public int status() {
        return status;
    }

    /** What TFLite's error reporter received during the operation, one report per element. */
    public List<String> tfliteMessages() {
        return tfliteMessages;
    }
}
