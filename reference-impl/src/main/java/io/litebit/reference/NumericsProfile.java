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
 * <p>An {@code XNNPACK} profile (what XNNPACK's int8 kernels compute on a given CPU) is not
 * offered yet: it needs to be established from XNNPACK's source and proven by measurement
 * first, and a placeholder would only pretend.
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
    NAIVE_FLOAT(null);

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
