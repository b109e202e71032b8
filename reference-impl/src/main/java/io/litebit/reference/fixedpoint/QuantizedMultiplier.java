package io.litebit.reference.fixedpoint;

/**
 * A real multiplier in TFLite's integer form: {@code real ≈ multiplier / 2^31 * 2^shift}, with
 * {@code multiplier} a Q0.31 value in [2^30, 2^31) (or 0) and {@code shift} a left shift when
 * positive and a right shift when negative — the convention of {@code QuantizeMultiplier} and
 * {@code MultiplyByQuantizedMultiplier} in TFLite's {@code quantization_util.cc} and {@code
 * common.h}/{@code common.cc}.
 *
 * <p>Derive one with {@link QuantizationUtil#quantizeMultiplier(double, Rounding)}; apply it with
 * the static {@code multiply...} functions, which mirror TFLite's functions of the same names
 * for both {@link Rounding} builds.
 *
 * <pre>{@code
 * QuantizedMultiplier m = QuantizationUtil.quantizeMultiplier(0.5, Rounding.DOUBLE);  // (2^30, 0)
 * int y = m.apply(7, Rounding.DOUBLE);                                                // round(3.5) = 4
 * }</pre>
 *
 * @param multiplier the Q0.31 significand
 * @param shift      the power of two: positive shifts left, negative shifts right
 */
public record QuantizedMultiplier(int multiplier, int shift) {

    /** {@link #multiply(int, int, int, Rounding)} with this multiplier. */
    public int apply(int x, Rounding rounding) {
        return multiply(x, multiplier, shift, rounding);
    }

    /** {@link #multiply(long, int, int)} with this multiplier (the int64-accumulator variant). */
    public int apply(long x) {
        return multiply(x, multiplier, shift);
    }

    /** The real value this multiplier stands for, {@code multiplier * 2^(shift - 31)}. */
    public double toDouble() {
        return Math.scalb((double) multiplier, shift - 31);
    }

    /**
     * {@link Rounding#DOUBLE_HALF_UP}, as ruy's x86 8-bit kernels compute it ({@code
     * kernel_avx2_fma.cc}, {@code kernel_avx512.cc}, {@code kernel_avx.cc} at ruy 3286a34, which
     * TFLite 2.19 pins): {@code x << left} in 32 bits (wraps), {@code (x' * m + 2^30) >> 31} in
     * 64 bits (floor: the AVX2 kernel offsets by {@code 2^63} and shifts logically, which floors
     * as an arithmetic shift would), then {@code (r + 2^(right-1)) >> right}, and {@code
     * 2^(31-right)} when {@code r + 2^(right-1)} would overflow int32 (the kernel's overflow lane
     * mask; NEON's {@code vrshlq_s32}, exact, gives the same value there). Shift must be in [-31, 31].
     */
    public static int multiplyDoubleHalfUp(int x, int quantizedMultiplier, int shift) {
        checkShift(shift);
        int leftShift = Math.max(shift, 0);
        int rightShift = Math.max(-shift, 0);
        int high = (int) (((long) (x << leftShift) * quantizedMultiplier + (1L << 30)) >> 31);
        if (rightShift == 0) {
            return high;
        }
        int nudge = 1 << (rightShift - 1);
        if (high > Integer.MAX_VALUE - nudge) {
            return 1 << (31 - rightShift);
        }
        return (high + nudge) >> rightShift;
    }

    /**
     * {@link Rounding#RUY_NEON}: {@code floor((x << left) * m / 2^31)} ({@code sqdmulh}, which
     * saturates only for two {@code INT32_MIN} operands, impossible with a non-negative
     * multiplier), then {@code (h + 2^(right-1)) >> right} computed exactly ({@code srshl}).
     * Shift must be in [-31, 31].
     */
    public static int multiplyRuyNeon(int x, int quantizedMultiplier, int shift) {
        checkShift(shift);
        int leftShift = Math.max(shift, 0);
        int rightShift = Math.max(-shift, 0);
        long high = ((long) (x << leftShift) * quantizedMultiplier) >> 31;
        if (rightShift == 0) {
            return (int) high;
        }
        return (int) ((high + (1L << (rightShift - 1))) >> rightShift);
    }

    private static void checkShift(int shift) {
        if (shift < -31 || shift > 31) {
            throw new IllegalArgumentException("a quantized multiplier's shift must be in [-31, 31], given " + shift);
        }
    }

    /**
     * {@code MultiplyByQuantizedMultiplier(int32_t x, int32_t quantized_multiplier, int shift)}.
     *
     * <p>{@link Rounding#DOUBLE}: {@code RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x
     * * 2^left, m), right)} with {@code left = max(shift, 0)}, {@code right = max(-shift, 0)}:
     * first to nearest with ties up, then to nearest with ties away from zero; the pre-shift
     * {@code x * 2^left} wraps on overflow as the compiled C++ does. Shift must be in [-31, 31].
     *
     * <p>{@link Rounding#SINGLE}: {@code (x * m + 2^(30 - shift)) >> (31 - shift)} in 64 bits:
     * one rounding, halfway cases towards +infinity; the result is truncated to 32 bits as {@code
     * static_cast<int32_t>} does. Shift must be in [-31, 30].
     *
     * <p>{@link Rounding#DOUBLE_HALF_UP}: see {@link #multiplyDoubleHalfUp(int, int, int)};
     * {@link Rounding#RUY_NEON}: see {@link #multiplyRuyNeon(int, int, int)}.
     */
    public static int multiply(int x, int quantizedMultiplier, int shift, Rounding rounding) {
        if (rounding == Rounding.DOUBLE_HALF_UP) {
            return multiplyDoubleHalfUp(x, quantizedMultiplier, shift);
        }
        if (rounding == Rounding.RUY_NEON) {
            return multiplyRuyNeon(x, quantizedMultiplier, shift);
        }
        if (rounding == Rounding.SINGLE) {
            if (shift < -31 || shift > 30) {
                throw new IllegalArgumentException("single-rounding MultiplyByQuantizedMultiplier needs a shift in [-31, 30], given " + shift);
            }
            int totalShift = 31 - shift;
            long round = 1L << (totalShift - 1);
            long result = (long) x * (long) quantizedMultiplier + round;
            return (int) (result >> totalShift);
        }
        if (shift < -31 || shift > 31) {
            throw new IllegalArgumentException("MultiplyByQuantizedMultiplier needs a shift in [-31, 31], given " + shift);
        }
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        return FixedPoint.roundingDivideByPot(
                FixedPoint.saturatingRoundingDoublingHighMul(x * (1 << leftShift), quantizedMultiplier), rightShift);
    }

    /**
     * {@code MultiplyByQuantizedMultiplier(int64_t x, int32_t quantized_multiplier, int shift)},
     * identical in both TFLite builds: the multiplier is first reduced to 15 bits ({@code (m +
     * 2^15) >> 16}, or {@code 0x7FFF} near the top), then {@code (x * reduced + 2^(14 - shift)) >>
     * (15 - shift)} in 64 bits (halfway cases towards +infinity), truncated to 32 bits. TFLite
     * documents x within ±2^47 and shift in [-31, 8); any shift giving a total shift in [1, 63]
     * is accepted here.
     */
    public static int multiply(long x, int quantizedMultiplier, int shift) {
        int totalShift = 15 - shift;
        if (totalShift < 1 || totalShift > 63) {
            throw new IllegalArgumentException("int64 MultiplyByQuantizedMultiplier needs a shift in [-48, 14], given " + shift);
        }
        int reducedMultiplier = quantizedMultiplier < 0x7FFF0000 ? (quantizedMultiplier + (1 << 15)) >> 16 : 0x7FFF;
        long result = x * reducedMultiplier + (1L << (totalShift - 1));
        return (int) (result >> totalShift);
    }

    /**
     * {@code MultiplyByQuantizedMultiplierSmallerThanOneExp}: for a non-positive shift.
     * {@link Rounding#DOUBLE}: {@code RoundingDivideByPOT(SRDHM(x, m), -leftShift)};
     * {@link Rounding#SINGLE}: {@link #multiply(int, int, int, Rounding)}.
     */
    public static int multiplySmallerThanOneExp(int x, int quantizedMultiplier, int leftShift, Rounding rounding) {
        if (rounding == Rounding.SINGLE) {
            // TFLite only DCHECKs the sign of the shift here; the arithmetic is the general one.
            return multiply(x, quantizedMultiplier, leftShift, Rounding.SINGLE);
        }
        return FixedPoint.roundingDivideByPot(FixedPoint.saturatingRoundingDoublingHighMul(x, quantizedMultiplier), -leftShift);
    }

    /**
     * {@code MultiplyByQuantizedMultiplierGreaterThanOne}: for a non-negative shift.
     * {@link Rounding#DOUBLE}: {@code SRDHM(x * 2^leftShift, m)} (the pre-shift wraps);
     * {@link Rounding#SINGLE}: {@link #multiply(int, int, int, Rounding)}.
     */
    public static int multiplyGreaterThanOne(int x, int quantizedMultiplier, int leftShift, Rounding rounding) {
        if (rounding == Rounding.SINGLE) {
            return multiply(x, quantizedMultiplier, leftShift, Rounding.SINGLE);
        }
        if (leftShift < 0 || leftShift > 31) {
            throw new IllegalArgumentException("MultiplyByQuantizedMultiplierGreaterThanOne needs a shift in [0, 31], given " + leftShift);
        }
        return FixedPoint.saturatingRoundingDoublingHighMul(x * (1 << leftShift), quantizedMultiplier);
    }
}
