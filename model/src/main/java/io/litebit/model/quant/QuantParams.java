package io.litebit.model.quant;

import java.util.Objects;

/**
 * Exact conversions between the three spellings of one affine quantization, (scale, zero_point),
 * (min, max) and (mean, std_dev), plus float-to-quantized and back, all following TFLite.
 *
 * <pre>{@code
 * // (min, max) -> (scale, zero_point), as the converter chooses them:
 * AffineQuant q = QuantParams.fromMinMax(-1.0, 1.0, QuantDType.UINT8);
 * // q.scale() == 2/255, q.zeroPoint() == 128 (127.5 rounded away from zero)
 *
 * // ... and the range those parameters really cover (zero had to become representable):
 * MinMax r = QuantParams.toMinMax(q);            // [-256/255, 254/255]
 *
 * // converter flag quantized_input_stats (mean, std_dev):
 * AffineQuant in = QuantParams.fromMeanStd(128, 127, QuantDType.UINT8);  // scale 1/127, zp 128
 * MeanStd back = QuantParams.toMeanStd(in);                               // (128, 127)
 *
 * long v = QuantParams.quantize(300.0, new AffineQuant(1.0, 0, QuantDType.UINT8));  // 255
 * }</pre>
 *
 * <h2>Which TFLite code each method follows</h2>
 *
 * <ul>
 *   <li>{@link #fromMinMax}: {@code ChooseQuantizationParams} ({@code
 *       tflite/kernels/internal/quantization_util.h}, LiteRT) for the arithmetic, which is also
 *       {@code getNudgedScaleAndZeroPoint}/{@code fakeQuantAttrsToType} of the MLIR converter
 *       ({@code tensorflow/compiler/mlir/quantization/common/ir/FakeQuantSupport.cc}); the range is
 *       first widened to contain 0 as {@code ConvertStatsToQDQs} ({@code
 *       tensorflow/compiler/mlir/lite/quantization/quantization_utils.h}) and {@code
 *       GetAsymmetricQuantizationParams} ({@code tflite/tools/optimize/quantization_utils.cc}) do.
 *   <li>{@link #fromMinMaxSymmetric}: {@code GetSymmetricQuantizationParams} ({@code
 *       tflite/tools/optimize/quantization_utils.cc}).
 *   <li>{@link #meanStdToMinMax} and {@link #fromMeanStd}: {@code InputStatsToMinMax} ({@code
 *       tensorflow/compiler/mlir/lite/python/tf_tfl_flatbuffer_helpers.cc}) followed by the same
 *       parameter choice, as {@code PrepareQuantizePass} does for model inputs.
 *   <li>{@link #quantize}/{@link #quantizeFloat32}: the QUANTIZE kernel, {@code
 *       reference_ops::AffineQuantize} ({@code tflite/kernels/internal/reference/quantize.h}).
 *   <li>{@link #dequantize}/{@link #dequantizeFloat32}: the DEQUANTIZE kernel, {@code
 *       reference_ops::Dequantize} ({@code tflite/kernels/internal/reference/dequantize.h}).
 * </ul>
 *
 * <p>All methods are pure and thread-safe. Invalid input (NaN or infinite numbers, {@code min >
 * max}, {@code std_dev <= 0}, a zero point or quantized value outside the dtype's range) raises
 * {@link IllegalArgumentException} saying what was expected and what was given.
 */
public final class QuantParams {

    /**
     * C's {@code DBL_EPSILON}: the MLIR converter treats ranges narrower than this as a single
     * point.
     */
    static final double DBL_EPSILON = Math.ulp(1.0);

    private QuantParams() {}

    // ---------------------------------------------------------------- (min, max) -> params

    /**
     * The asymmetric (scale, zero_point) that TFLite's converter chooses for a calibrated or
     * fake-quant range: {@code min} is lowered to 0 if positive and {@code max} raised to 0 if
     * negative, {@code scale = (max - min) / (qmax - qmin)}, and the zero point {@code qmin -
     * min/scale} is rounded half away from zero and clamped to the dtype's range.
     *
     * <p>A (near-)empty range, {@code max - min < 2^-52} after widening (for example {@code (0,
     * 0)}), gives {@code scale 1.0, zero_point qmin}, as the MLIR converter does; the older kernel
     * helper would return scale 0, which no kernel can use.
     *
     * <p>Because the zero point is rounded, the chosen parameters usually cover a slightly shifted
     * range; see {@link #nudgedMinMax}.
     *
     * @throws IllegalArgumentException if an input is NaN or infinite, {@code min > max}, or the
     *     range is too wide for a float32 scale
     */
    public static AffineQuant fromMinMax(double min, double max, QuantDType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        requireOrderedRange(min, max);
        // Widen to contain 0 (ConvertStatsToQDQs / GetAsymmetricQuantizationParams): real 0 must
        // map to an integer (zero padding, ReLU), and ChooseQuantizationParams CHECK-fails on a
        // range that misses 0 instead of fixing it.
        double rmin = Math.min(min, 0.0);
        double rmax = Math.max(max, 0.0);
        double width = rmax - rmin;
        if (Double.isInfinite(width)) {
            throw new IllegalArgumentException("range too wide: max - min overflows a double for"
                    + " min=" + min + ", max=" + max);
        }
        // fakeQuantAttrsToType: an all-zero tensor gets scale 1 so that quantize/dequantize stay
        // defined (no division by a zero scale) and every value maps to the zero point.
        if (width < DBL_EPSILON) {
            return new AffineQuant(1.0, dtype.qmin(), dtype);
        }
        double qmin = dtype.qmin();
        double qmax = dtype.qmax();
        double scale = width / (qmax - qmin);
        // ChooseQuantizationParams: both (rmin, qmin) and (rmax, qmax) determine the zero point;
        // its rounding error grows with the magnitude of the terms added, so take the pair whose
        // terms are smaller. Doing the same keeps our ties (x.5) on the same side as TFLite's.
        double fromMin = qmin - rmin / scale;
        double fromMax = qmax - rmax / scale;
        double errorFromMin = Math.abs(qmin) + Math.abs(rmin / scale);
        double errorFromMax = Math.abs(qmax) + Math.abs(rmax / scale);
        double zeroPoint = errorFromMin < errorFromMax ? fromMin : fromMax;
        long nudged;
        if (zeroPoint < qmin) {
            nudged = dtype.qmin();
        } else if (zeroPoint > qmax) {
            nudged = dtype.qmax();
        } else {
            // std::round in ChooseQuantizationParams: ties go away from zero, so 127.5 -> 128
            // and -0.5 -> -1 (not Java's Math.round, which sends -0.5 to 0).
            nudged = (long) roundHalfAwayFromZero(zeroPoint);
        }
        return new AffineQuant(scale, nudged, dtype);
    }

    /** Shorthand for {@code fromMinMax(range.min(), range.max(), dtype)}. */
    public static AffineQuant fromMinMax(MinMax range, QuantDType dtype) {
        Objects.requireNonNull(range, "range");
        return fromMinMax(range.min(), range.max(), dtype);
    }

    /**
     * The symmetric quantization TFLite uses for int16 activations and for weights: zero point 0
     * and {@code scale = max(|min|, |max|) / qmax} (32767 for INT16, 127 for INT8), after widening
     * the range to contain 0.
     *
     * <p>Follows {@code GetSymmetricQuantizationParams} ({@code
     * tflite/tools/optimize/quantization_utils.cc}), which divides by {@code qmax} rather than
     * {@code (qmax - qmin)/2} so that {@code -maxAbs} and {@code +maxAbs} both map inside the range
     * (to {@code -qmax} and {@code qmax}). That helper computes in float32; this one in double,
     * so {@link AffineQuant#scaleFloat32()} can differ from it in the last bit in rare cases.
     *
     * <p>A (near-)zero range gives scale 1.0 (TFLite's helper would give 0, which no kernel can
     * use).
     *
     * @throws IllegalArgumentException for {@link QuantDType#UINT8} (no symmetric scheme with
     *     zero point 0 exists for it in TFLite), or for the same input errors as {@link
     *     #fromMinMax}
     */
    public static AffineQuant fromMinMaxSymmetric(double min, double max, QuantDType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        if (!dtype.isSigned()) {
            throw new IllegalArgumentException("symmetric quantization (zero point 0) needs a"
                    + " signed type, INT8 or INT16; got " + dtype + ". Use fromMinMax for uint8.");
        }
        requireOrderedRange(min, max);
        double rmin = Math.min(min, 0.0);
        double rmax = Math.max(max, 0.0);
        double maxAbs = Math.max(Math.abs(rmin), Math.abs(rmax));
        if (maxAbs < DBL_EPSILON) {
            return new AffineQuant(1.0, 0, dtype);
        }
        return new AffineQuant(maxAbs / dtype.qmax(), 0, dtype);
    }

    /**
     * The range that {@link #fromMinMax(double, double, QuantDType)} actually represents: {@code
     * toMinMax(fromMinMax(min, max, dtype))}. This is the "nudged" min/max of TFLite's fake-quant
     * ({@code Nudge} in {@code tensorflow/core/kernels/fake_quant_ops_functor.h}, {@code
     * NudgeQuantizationRange} in {@code tflite/kernels/internal/quantization_util.cc}); those
     * compute it in float32 from the zero point derived from min only, so they can differ from
     * this double result by float32 rounding.
     *
     * <p>Nudging is idempotent: feeding the result back yields the same zero point and the same
     * range up to double rounding.
     */
    public static MinMax nudgedMinMax(double min, double max, QuantDType dtype) {
        return toMinMax(fromMinMax(min, max, dtype));
    }

    /** {@code toMinMax(fromMinMaxSymmetric(min, max, dtype))}: e.g. {@code [-32768, 32767]·s}. */
    public static MinMax nudgedMinMaxSymmetric(double min, double max, QuantDType dtype) {
        return toMinMax(fromMinMaxSymmetric(min, max, dtype));
    }

    // ---------------------------------------------------------------- params -> (min, max)

    /**
     * The real values of the ends of the quantized range: {@code min = scale·(qmin - zp)}, {@code
     * max = scale·(qmax - zp)}, in double with the quantization's exact scale (use {@link
     * AffineQuant#roundedToFloat32()} first for the range a runtime sees). This is what toco's
     * {@code IsArrayQuantizedRangeSubset} calls the lowest and highest representable output.
     */
    public static MinMax toMinMax(AffineQuant q) {
        Objects.requireNonNull(q, "quantization");
        // The integer differences are exact in long; one rounding per end, in the multiply.
        long below = q.dtype().qmin() - q.zeroPoint();
        long above = q.dtype().qmax() - q.zeroPoint();
        return new MinMax(q.scale() * below, q.scale() * above);
    }

    // ---------------------------------------------------------------- (mean, std_dev)

    /**
     * The converter's reading of {@code quantized_input_stats}: {@code min = (qmin - mean) / std},
     * {@code max = (qmax - mean) / std}, with no nudging, following {@code InputStatsToMinMax}
     * ({@code tensorflow/compiler/mlir/lite/python/tf_tfl_flatbuffer_helpers.cc}) and toco's
     * equivalent in {@code ResolveModelFlags} ({@code tensorflow/lite/toco/tooling_util.cc}). The
     * MLIR converter only accepts UINT8 and INT8 here; toco also took INT16.
     *
     * <pre>{@code
     * meanStdToMinMax(127.5, 127.5, UINT8)  // [-1, 1]
     * meanStdToMinMax(128, 127, UINT8)      // [-128/127, 1] = [-1.0078740157480315, 1.0]
     * }</pre>
     */
    public static MinMax meanStdToMinMax(double mean, double std, QuantDType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        MeanStd stats = new MeanStd(mean, std);
        return new MinMax((dtype.qmin() - stats.mean()) / stats.std(),
                (dtype.qmax() - stats.mean()) / stats.std());
    }

    /**
     * The inverse of {@link #meanStdToMinMax}: the (mean, std_dev) to pass to the converter so
     * that the quantized input range {@code [qmin, qmax]} stands for exactly {@code [min, max]}:
     * {@code std = (qmax - qmin) / (max - min)}, {@code mean = qmin - min·std}. No nudging: the
     * mean may be fractional (127.5 for [-1, 1] in uint8) and, if the range misses 0, outside
     * {@code [qmin, qmax]}.
     *
     * @throws IllegalArgumentException unless {@code min < max} and both are finite
     */
    public static MeanStd minMaxToMeanStd(double min, double max, QuantDType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        requireOrderedRange(min, max);
        if (!(min < max)) {
            throw new IllegalArgumentException("expected min < max (an empty range has no"
                    + " std_dev), got min=" + min + ", max=" + max);
        }
        double width = max - min;
        if (Double.isInfinite(width)) {
            throw new IllegalArgumentException("range too wide: max - min overflows a double for"
                    + " min=" + min + ", max=" + max);
        }
        double std = dtype.steps() / width;
        // Same choice as for the zero point in fromMinMax: anchor on the end with smaller terms.
        double fromMin = dtype.qmin() - min * std;
        double fromMax = dtype.qmax() - max * std;
        double errorFromMin = Math.abs((double) dtype.qmin()) + Math.abs(min * std);
        double errorFromMax = Math.abs((double) dtype.qmax()) + Math.abs(max * std);
        return new MeanStd(errorFromMin < errorFromMax ? fromMin : fromMax, std);
    }

    /**
     * The (scale, zero_point) the converter stores for an input given {@code
     * quantized_input_stats = (mean, std)}: the stats are turned into a range with {@link
     * #meanStdToMinMax} and the parameters chosen from it exactly as {@link #fromMinMax} does
     * (that is what {@code PrepareQuantizePass} does with the input ranges). Mathematically this is
     * {@code scale = 1/std}, {@code zero_point = round(mean)}; the double scale can differ from
     * {@code 1.0/std} in the last bit because it is computed the converter's way, as {@code (max -
     * min) / (qmax - qmin)}.
     *
     * <p>A fractional mean is rounded half away from zero: (127.5, 127.5) in uint8 gives zero
     * point 128 and so the range {@code [-256/255, 254/255]}, not {@code [-1, 1]}.
     *
     * @throws IllegalArgumentException if an input is NaN or infinite, {@code std <= 0}, or the
     *     mean lies outside the dtype's range (real 0 would not be representable)
     */
    public static AffineQuant fromMeanStd(double mean, double std, QuantDType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        MeanStd stats = new MeanStd(mean, std);
        // The mean is the zero point. Outside [qmin, qmax] the derived range misses 0 and the
        // converter would silently clamp the zero point, i.e. quantize something else than asked.
        if (stats.mean() < dtype.qmin() || stats.mean() > dtype.qmax()) {
            throw new IllegalArgumentException("mean is the zero point and must lie in "
                    + dtype.rangeText() + " for " + dtype + ", got " + stats.mean());
        }
        return fromMinMax(meanStdToMinMax(stats.mean(), stats.std(), dtype), dtype);
    }

    /** Shorthand for {@code fromMeanStd(stats.mean(), stats.std(), dtype)}. */
    public static AffineQuant fromMeanStd(MeanStd stats, QuantDType dtype) {
        Objects.requireNonNull(stats, "stats");
        return fromMeanStd(stats.mean(), stats.std(), dtype);
    }

    /**
     * The converter convention read backwards: {@code mean = zero_point}, {@code std = 1/scale}.
     */
    public static MeanStd toMeanStd(AffineQuant q) {
        Objects.requireNonNull(q, "quantization");
        return new MeanStd(q.zeroPoint(), 1.0 / q.scale());
    }

    // ---------------------------------------------------------------- values

    /**
     * Real to quantized, in double: {@code round(real / scale) + zero_point}, rounding half away
     * from zero ({@code std::round}, so 2.5 → 3 and -2.5 → -3) and saturating to the dtype's range
     * (300 → 255 in uint8, never wrapping to 44). The rounding happens before the zero point is
     * added, as in TFLite's QUANTIZE kernel ({@code reference_ops::AffineQuantize}); this matters
     * for ties: with zero point 128, -0.5·scale gives 127, not 128.
     *
     * <p>Use {@link #quantizeFloat32} to reproduce the kernel bit for bit; it divides in float32.
     *
     * @throws IllegalArgumentException if {@code real} is NaN or infinite
     */
    public static long quantize(double real, AffineQuant q) {
        Objects.requireNonNull(q, "quantization");
        requireFinite("real", real);
        return saturate(roundHalfAwayFromZero(real / q.scale()), q);
    }

    /**
     * Real to quantized exactly as the QUANTIZE kernel ({@code reference_ops::AffineQuantize})
     * does it on float32 input: the float32 value is divided by the float32 scale stored in the
     * model, in float32, then rounded half away from zero, offset by the zero point and clamped.
     * Where the kernel's int32 conversion would overflow (undefined in C++), this saturates.
     *
     * <p>Can differ from {@link #quantize} by one step near ties: with the stored scale {@code
     * 0.1f}, {@code 0.25 / 0.1f} is 2.49999996 in double (→ 2) but exactly 2.5f in float32 (→ 3).
     *
     * @throws IllegalArgumentException if {@code real} is NaN or infinite
     */
    public static long quantizeFloat32(float real, AffineQuant q) {
        Objects.requireNonNull(q, "quantization");
        requireFinite("real", real);
        float scaled = real / q.scaleFloat32();
        return saturate(roundHalfAwayFromZero(scaled), q);
    }

    /**
     * Quantized to real, in double with the exact scale: {@code scale·(q - zero_point)}.
     *
     * @throws IllegalArgumentException if {@code quantized} is outside the dtype's range
     */
    public static double dequantize(long quantized, AffineQuant q) {
        Objects.requireNonNull(q, "quantization");
        requireInRange(quantized, q);
        return q.scale() * (quantized - q.zeroPoint());
    }

    /**
     * Quantized to real exactly as the DEQUANTIZE kernel ({@code reference_ops::Dequantize})
     * does: the stored float32 scale, widened to double, times {@code (q - zero_point)}, rounded
     * once to float32.
     *
     * @throws IllegalArgumentException if {@code quantized} is outside the dtype's range
     */
    public static float dequantizeFloat32(long quantized, AffineQuant q) {
        Objects.requireNonNull(q, "quantization");
        requireInRange(quantized, q);
        return (float) ((double) q.scaleFloat32() * (quantized - q.zeroPoint()));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * C's {@code std::round}: nearest integer, ties away from zero. Java has no such method
     * ({@code Math.round} ties toward positive infinity, {@code Math.rint} to even), and TFLite
     * uses this one both for zero points and in its QUANTIZE kernel ({@code TfLiteRound}).
     */
    static double roundHalfAwayFromZero(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        double magnitude = Math.abs(x);
        double floor = Math.floor(magnitude);
        // magnitude - floor is exact (Sterbenz for magnitude >= 1, trivially below 1), so the
        // comparison with 0.5 is too; adding 0.5 first would misround 0.49999999999999994.
        double rounded = magnitude - floor >= 0.5 ? floor + 1.0 : floor;
        return Math.copySign(rounded, x);
    }

    private static long saturate(double roundedScaled, AffineQuant q) {
        // Clamp in double before converting: the kernel's int32 would overflow for huge inputs,
        // and a saturated value is the only meaningful answer there.
        double value = roundedScaled + q.zeroPoint();
        if (value <= q.dtype().qmin()) {
            return q.dtype().qmin();
        }
        if (value >= q.dtype().qmax()) {
            return q.dtype().qmax();
        }
        return (long) value;
    }

    static void requireFinite(String name, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, got " + value);
        }
    }

    private static void requireOrderedRange(double min, double max) {
        requireFinite("min", min);
        requireFinite("max", max);
        if (min > max) {
            throw new IllegalArgumentException(
                    "expected min <= max, got min=" + min + " > max=" + max);
        }
    }

    private static void requireInRange(long quantized, AffineQuant q) {
        if (!q.dtype().contains(quantized)) {
            throw new IllegalArgumentException("quantized value must be in "
                    + q.dtype().rangeText() + " for " + q.dtype() + ", got " + quantized);
        }
    }
}
