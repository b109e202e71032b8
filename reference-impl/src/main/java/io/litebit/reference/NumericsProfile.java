package io.litebit.reference;

import io.litebit.reference.fixedpoint.Rounding;

/**
 * How integer results are produced where rounding schemes differ. The oracle implements each
 * profile; the conformance suite tells which one a backend matches, per op.
 *
 * <pre>{@code
 * ReferenceInterpreter tflite = ReferenceInterpreter.create(model);                       // TFLITE
 * ReferenceInterpreter naive = ReferenceInterpreter.create(model, NumericsProfile.NAIVE_FLOAT);
 * }</pre>
 *
 * <p>Float kernels and DEQUANTIZE compute the same way in every profile; profiles change only
 * the steps that produce quantized integers.
 *
 * <p>{@link #XNNPACK} is what TFLite's XNNPACK delegate computes for the 8-bit ops it takes;
 * ops and paths it leaves to TFLite are computed as {@link #TFLITE}.
 */
public enum NumericsProfile {
    /**
     * TFLite's default integer path, as its reference kernels ({@code BUILTIN_REF}) compute it:
     * {@code QuantizeMultiplier} with {@code frexp}, {@code SaturatingRoundingDoublingHighMul}
     * then {@code RoundingDivideByPOT} (two roundings), and each kernel's own details.
     */
    TFLITE(Rounding.DOUBLE),
    /**
     * TFLite built with {@code TFLITE_SINGLE_ROUNDING=1}: one 64-bit multiply and one rounding
     * (ties up) in {@code MultiplyByQuantizedMultiplier}, shifts above 30 clamped.
     */
    TFLITE_SINGLE_ROUNDING(Rounding.SINGLE),
    /**
     * The textbook formula a hand-written reproduction uses: compute the real value in double
     * precision from the integer accumulator and the real scales, {@code rint} it (ties to even,
     * as numpy's {@code np.rint}/{@code np.round}), add the zero point and saturate to the
     * output's (activation-clamped) range. It is not what TFLite computes; it shows why a
     * reproduction disagrees.
     */
    NAIVE_FLOAT(null),
    /**
     * What TFLite 2.19's XNNPACK delegate (created with int8 enabled) computes on x86-64 for the
     * int8 and uint8 ops it delegates: float requantization scales, {@code float(acc) * scale}
     * rounded to nearest even for convolutions, fully-connected, MUL and QUANTIZE, XNNPACK's own
     * integer multipliers for ADD, SUB, requantizing QUANTIZE and LEAKY_RELU, its float MEAN,
     * and activation bounds quantized in float ({@link io.litebit.reference.fixedpoint.XnnpackMath}).
     * Everything else — int16 paths, ops the delegate leaves to TFLite, and ops whose XNNPACK
     * kernels compute TFLite's bits — is {@link #TFLITE}. docs/xnnpack-numerics.md lists per op
     * what was established and how it was proven.
     */
    XNNPACK(Rounding.DOUBLE);

    private final Rounding rounding;

    NumericsProfile(Rounding rounding) {
        this.rounding = rounding;
    }

    /** Whether integer results come from TFLite's fixed-point arithmetic (not {@link #NAIVE_FLOAT}). */
    public boolean isFixedPoint() {
        return rounding != null;
    }

    /**
     * The {@link Rounding} build this profile reproduces.
     *
     * @throws IllegalStateException for {@link #NAIVE_FLOAT}, which uses no quantized multiplier
     */
    public Rounding rounding() {
        if (rounding == null) {
            throw new IllegalStateException(this + " does not use TFLite's quantized multipliers");
        }
        return rounding;
    }
}
