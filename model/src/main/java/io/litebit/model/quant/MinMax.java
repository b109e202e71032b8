package io.litebit.model.quant;

/**
 * The (min, max) spelling of a quantization: the real values that the smallest and the largest
 * quantized values stand for, as recorded by calibration, by fake-quant nodes and in the optional
 * {@code min}/{@code max} fields of a {@code .tflite} tensor.
 *
 * <pre>{@code
 * MinMax r = QuantParams.toMinMax(new AffineQuant(0.7843, 128, QuantDType.UINT8));
 * r.min();   // -100.3904 = 0.7843 * (0 - 128)
 * r.max();   //   99.6061 = 0.7843 * (255 - 128)
 * }</pre>
 *
 * <p>A (min, max) pair need not contain 0 and need not be "nudged"; {@link
 * QuantParams#fromMinMax(double, double, QuantDType)} turns it into the parameters TFLite would
 * choose, and {@link QuantParams#nudgedMinMax(double, double, QuantDType)} shows the range those
 * parameters actually cover.
 *
 * @param min real value of the lowest quantized value (finite)
 * @param max real value of the highest quantized value (finite, {@code >= min})
 */
public record MinMax(double min, double max) {

    public MinMax {
        QuantParams.requireFinite("min", min);
        QuantParams.requireFinite("max", max);
        if (min > max) {
            throw new IllegalArgumentException(
                    "expected min <= max, got min=" + min + " > max=" + max);
        }
    }

    /** {@code max - min}. */
    public double width() {
        return max - min;
    }

    /** Whether real 0 lies in {@code [min, max]}, which TFLite requires of a quantized range. */
    public boolean containsZero() {
        return min <= 0 && max >= 0;
    }
}
