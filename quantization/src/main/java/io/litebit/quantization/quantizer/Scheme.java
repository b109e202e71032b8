package io.litebit.quantization.quantizer;

/**
 * What the quantizer turns a float model into.
 *
 * <pre>{@code
 * QuantizerOptions o = QuantizerOptions.defaults().withScheme(Scheme.INT16X8);
 * }</pre>
 */
public enum Scheme {
    /** a8w8: int8 activations (asymmetric), int8 weights (symmetric per channel), int32 biases. */
    INT8,
    /** a16w8: int16 activations (symmetric), int8 weights, int64 biases. */
    INT16X8,
    /** Weights int8, activations float: TFLite's hybrid kernels (weights under 1,024 elements stay float). */
    DYNAMIC,
    /** Weights stored as float16 and widened by DEQUANTIZE; everything computes in float. */
    FLOAT16;

    /** The command-line spelling: {@code int8}, {@code int16x8}, {@code dynamic}, {@code float16}. */
    public String spelling() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses the command-line spelling, case-insensitively. */
    public static Scheme parse(String s) {
        for (Scheme v : values()) {
            if (v.spelling().equalsIgnoreCase(s.trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown scheme \"" + s + "\", expected int8, int16x8, dynamic or float16");
    }
}
