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
    SINGLE,
    /**
     * ruy's x86 kernels (AVX, AVX2-FMA and AVX-512 {@code Kernel8bit*}), which TFLite's optimized
     * GEMM-based kernels call on any x86 CPU with AVX: the accumulator shifted left (wrapping),
     * a 64-bit product with {@code 2^30} added and shifted right by 31 (the high multiply rounded
     * half up, towards +infinity, with no symmetric nudge for negative products), then {@code (r
     * + 2^(right-1)) >> right} (the right shift rounded half up as well, not away from zero).
     * Multipliers are TFLite's ({@link #DOUBLE} build). It parts from {@link #DOUBLE} only on
     * negative values that land on a half: {@code -55.5} after the high multiply gives {@code
     * -55} here and {@code -56} in TFLite's reference kernels.
     */
    RUY_X86
}
