package io.litebit.reference.fixedpoint;

/**
 * How TFLite was built to apply a quantized multiplier: the two variants of {@code
 * MultiplyByQuantizedMultiplier} selected by the {@code TFLITE_SINGLE_ROUNDING} macro in
 * {@code tflite/kernels/internal/common.h} / {@code common.cc}.
 *
 * <pre>{@code
 * int y = QuantizedMultiplier.multiply(acc, m.multiplier(), m.shift(), Rounding.DOUBLE);
 * }</pre>
 */
public enum Rounding {
    /**
     * TFLite's default ({@code TFLITE_SINGLE_ROUNDING} 0): a saturating rounding doubling high
     * multiply (to nearest, ties towards +infinity) followed by a rounding divide by a power of
     * two (to nearest, ties away from zero) — two roundings.
     */
    DOUBLE,
    /**
     * {@code TFLITE_SINGLE_ROUNDING} 1: one 64-bit product, one rounding (half up, towards
     * +infinity); {@code QuantizeMultiplier} also clamps shifts above 30.
     */
    SINGLE
}
