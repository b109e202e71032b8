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
     * Two roundings, both half up (towards +infinity): the high multiply as in {@link #DOUBLE},
     * then a rounding right shift that breaks ties upwards instead of away from zero. This is what ruy's x86 kernels (AVX, AVX2-FMA, AVX-512 {@code Kernel8bit*})
     * compute, which TFLite's optimized GEMM-based kernels call on x86 for signed inputs, and what
     * TFLite's NEON GEMV ({@code cpu_backend_gemm_custom_gemv.h}: {@code vqrdmulhq_s32} then
     * {@code vrshlq_s32}) computes on arm. Multipliers are TFLite's ({@link #DOUBLE} build). It
     * parts from {@link #DOUBLE} only on negative values that land on a half: {@code -55.5} after
     * the high multiply gives {@code -55} here and {@code -56} in TFLite's reference kernels.
     */
    DOUBLE_HALF_UP,
    /**
     * ruy's NEON kernels ({@code kernel_arm64.cc}): {@code sshl} by the left shift, {@code
     * sqdmulh} (the doubling high multiply truncated, not rounded) then {@code srshl} (a rounding
     * right shift, ties up). With a right shift this equals {@link #SINGLE} (one rounding of the
     * exact product, ties up); with none (a multiplier of at least 0.5) the product is truncated
     * towards minus infinity.
     */
    RUY_NEON
}
