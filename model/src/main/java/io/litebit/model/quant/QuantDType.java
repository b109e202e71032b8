package io.litebit.model.quant;

/**
 * The integer storage types TFLite uses for affinely quantized tensors, with their full ranges
 * {@code [qmin, qmax]}.
 *
 * <pre>{@code
 * QuantDType t = QuantDType.INT8;
 * long lo = t.qmin();      // -128
 * long hi = t.qmax();      //  127
 * long steps = t.steps();  //  255 = qmax - qmin
 * }</pre>
 *
 * <p>Which scheme goes with which type in TFLite:
 *
 * <ul>
 *   <li>{@link #UINT8}: the legacy (toco / quantization-aware training) scheme, asymmetric, any
 *       zero point in {@code [0, 255]}.
 *   <li>{@link #INT8}: the current full-integer scheme. Activations are asymmetric (any zero
 *       point in {@code [-128, 127]}); weights are symmetric (zero point 0, values in {@code
 *       [-127, 127]}).
 *   <li>{@link #INT16}: the "16x8" scheme. Activations are <em>symmetric</em> with zero point 0
 *       and scale {@code max(|min|, |max|) / 32767}: use {@link
 *       QuantParams#fromMinMaxSymmetric(double, double, QuantDType)} for them. The asymmetric
 *       {@link QuantParams#fromMinMax(double, double, QuantDType)} is what toco computed for int16
 *       arrays, and it usually yields a non-zero zero point that the int16 kernels reject.
 * </ul>
 */
public enum QuantDType {
    /** Unsigned 8 bit, {@code [0, 255]}. */
    UINT8(0, 255),
    /** Signed 8 bit, {@code [-128, 127]}. */
    INT8(-128, 127),
    /** Signed 16 bit, {@code [-32768, 32767]}; TFLite's int16 activations are symmetric. */
    INT16(-32768, 32767);

    private final long qmin;
    private final long qmax;

    QuantDType(long qmin, long qmax) {
        this.qmin = qmin;
        this.qmax = qmax;
    }

    /** The smallest storable value (full range; TFLite's narrow range starts one higher). */
    public long qmin() {
        return qmin;
    }

    /** The largest storable value. */
    public long qmax() {
        return qmax;
    }

    /** {@code qmax - qmin}: the number of scale steps between the ends of the range. */
    public long steps() {
        return qmax - qmin;
    }

    /** Whether {@code q} can be stored in this type. */
    public boolean contains(long q) {
        return q >= qmin && q <= qmax;
    }

    /** True for the signed types, which are the ones that allow symmetric quantization. */
    public boolean isSigned() {
        return qmin < 0;
    }

    /** {@code "[qmin, qmax]"}, for error messages. */
    String rangeText() {
        return "[" + qmin + ", " + qmax + "]";
    }
}
