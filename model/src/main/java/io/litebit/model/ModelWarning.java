package io.litebit.model;

/**
 * A finding in a structurally sound model that full TFLite would reject or that deserves a look,
 * e.g. a {@code quantized_dimension} outside the tensor's rank (seen in TFLite Micro models).
 *
 * @param location where, e.g. {@code subgraph 0, tensor 7 "conv/weights"}
 * @param message  what is wrong, saying what was expected and what was found
 */
public record ModelWarning(String location, String message) {
    @Override
    public String toString() {
        return location + ": " + message;
    }
}
