package io.litebit.quantization.quantizer;

/** A model the quantizer refuses, with what was expected and what was found (naming the tensor or op). */
public final class QuantizationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QuantizationException(String message) {
        super(message);
    }
}
