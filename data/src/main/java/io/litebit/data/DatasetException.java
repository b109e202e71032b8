package io.litebit.data;

/**
 * A dataset that cannot be read, or a record that does not fit the model: the message names
 * the file, the record and the input, what was expected and what was given.
 */
public class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
