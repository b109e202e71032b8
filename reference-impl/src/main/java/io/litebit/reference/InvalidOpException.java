package io.litebit.reference;

/**
 * An operator that TFLite itself would refuse: its kernel's {@code Prepare} fails ({@code
 * TF_LITE_ENSURE...}) or a {@code TFLITE_CHECK} in its parameter derivation would abort the
 * process. The message names the operator and the failed condition, e.g. {@code operator 0 ADD
 * v2 (inputs int8, int8 -> outputs int8): TFLite's Prepare fails: TFLITE_CHECK_LT(double_multiplier,
 * 1.) fails in QuantizeMultiplierSmallerThanOneExp: 1.5 (output multiplier)}.
 *
 * <pre>{@code
 * try {
 *     ReferenceInterpreter.create(model);
 * } catch (InvalidOpException e) {
 *     System.out.println("TFLite would reject operator " + e.operatorIndex() + ": " + e.getMessage());
 * }
 * }</pre>
 */
public final class InvalidOpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int operatorIndex;

    public InvalidOpException(int operatorIndex, String message, Throwable cause) {
        super(message, cause);
        this.operatorIndex = operatorIndex;
    }

    public int operatorIndex() {
        return operatorIndex;
    }
}
