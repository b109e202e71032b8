package io.litebit.quantization.quantizer;

/**
 * The type of a quantized model's inputs and outputs.
 *
 * <ul>
 *   <li>{@link #FLOAT}: float32 edges with QUANTIZE after each input and DEQUANTIZE before each
 *       output (TFLite's converter default): callers pass and get real values.</li>
 *   <li>{@link #INT8}: the edge tensors are the quantized int8 (or int16) tensors themselves:
 *       callers quantize with the input's (scale, zero point) and dequantize outputs.</li>
 *   <li>{@link #UINT8}: uint8 edges with the same scale and zero point + 128, converted by a
 *       QUANTIZE op (as TFLite's quantizer does): for callers that feed raw uint8 pixels.</li>
 * </ul>
 */
public enum IoType {
    FLOAT,
    INT8,
    UINT8;

    public String spelling() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static IoType parse(String s) {
        for (IoType v : values()) {
            if (v.spelling().equalsIgnoreCase(s.trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown I/O type \"" + s + "\", expected float, int8 or uint8");
    }
}
