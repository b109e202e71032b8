package io.litebit.model;

import java.util.Arrays;

/**
 * A tensor's affine quantization: {@code real = scale * (q - zeroPoint)}, per tensor (one scale)
 * or per channel along {@link #quantizedDimension()}. Also carries the optional {@code min}/{@code
 * max} that converters record for re-import into TensorFlow.
 *
 * <pre>{@code
 * Quantization q = Quantization.perTensor(0.5f, -3);
 * float real = q.dequantize(5, 0);              // 0.5 * (5 - -3) = 4.0
 * }</pre>
 *
 * <p>Immutable: arrays are copied in and out.
 */
public final class Quantization {
    /** No quantization parameters at all. */
    public static final Quantization NONE =
            new Quantization(new float[0], new long[0], 0, new float[0], new float[0]);

    private final float[] scales;
    private final long[] zeroPoints;
    private final int quantizedDimension;
    private final float[] min;
    private final float[] max;

    public Quantization(float[] scales, long[] zeroPoints, int quantizedDimension, float[] min, float[] max) {
        this.scales = scales.clone();
        this.zeroPoints = zeroPoints.clone();
        this.quantizedDimension = quantizedDimension;
        this.min = min.clone();
        this.max = max.clone();
    }

    public static Quantization perTensor(float scale, long zeroPoint) {
        return new Quantization(new float[] {scale}, new long[] {zeroPoint}, 0, new float[0], new float[0]);
    }

    public static Quantization perChannel(float[] scales, long[] zeroPoints, int quantizedDimension) {
        if (scales.length != zeroPoints.length) {
            throw new IllegalArgumentException("per-channel quantization needs as many zero points as scales: "
                    + scales.length + " scales, " + zeroPoints.length + " zero points");
        }
        return new Quantization(scales, zeroPoints, quantizedDimension, new float[0], new float[0]);
    }

    public float[] scales() {
        return scales.clone();
    }

    public long[] zeroPoints() {
        return zeroPoints.clone();
    }

    public int quantizedDimension() {
        return quantizedDimension;
    }

    public float[] min() {
        return min.clone();
    }

    public float[] max() {
        return max.clone();
    }

    public int channelCount() {
        return scales.length;
    }

    /** True when there are no scales: the tensor is not (affinely) quantized. */
    public boolean isNone() {
        return scales.length == 0;
    }

    public boolean isPerTensor() {
        return scales.length == 1;
    }

    public boolean isPerChannel() {
        return scales.length > 1;
    }

    public float scale(int channel) {
        return scales[channel];
    }

    /** Zero point of a channel; a missing zero-point array means 0, as TFLite reads it. */
    public long zeroPoint(int channel) {
        return zeroPoints.length == 0 ? 0 : zeroPoints[channel];
    }

    /**
     * {@code scale * (q - zeroPoint)} as TFLite's reference Dequantize computes it: the float32
     * scale widened to double, the product rounded once to float. Multiplying in float instead
     * would differ in the last place for int32 values beyond 2^24 (biases).
     */
    public float dequantize(long q, int channel) {
        return (float) ((double) scales[channel] * (double) (q - zeroPoint(channel)));
    }

    /** Copy with min/max replaced (as calibration records them). */
    public Quantization withMinMax(float[] newMin, float[] newMax) {
        return new Quantization(scales, zeroPoints, quantizedDimension, newMin, newMax);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantization q
                && quantizedDimension == q.quantizedDimension
                && Arrays.equals(scales, q.scales)
                && Arrays.equals(zeroPoints, q.zeroPoints)
                && Arrays.equals(min, q.min)
                && Arrays.equals(max, q.max);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(scales) + Arrays.hashCode(zeroPoints)) + quantizedDimension;
    }

    @Override
    public String toString() {
        if (isNone()) {
            return min.length > 0 ? "min=" + Arrays.toString(min) + " max=" + Arrays.toString(max) : "none";
        }
        if (isPerTensor()) {
            return "scale=" + scales[0] + " zero_point=" + zeroPoint(0);
        }
        return "per-channel(" + scales.length + ", axis " + quantizedDimension + ")";
    }
}
