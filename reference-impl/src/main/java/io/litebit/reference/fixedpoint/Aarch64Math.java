package io.litebit.reference.fixedpoint;

/**
 * The aarch64 instructions that TFLite's optimized kernels reach on arm64 (through NEON
 * intrinsics with {@code USE_NEON}, or through GCC's code generation), spelled out in Java where
 * they differ from the C++ semantics the reference kernels are modelled with ({@link CppMath}).
 *
 * <ul>
 *   <li>Float-to-integer conversions ({@code fcvtzs}, {@code fcvtas}, {@code fcvtns}) saturate to
 *       the integer range and map NaN to 0 (x86-64's {@code cvttss2si} gives {@code 0x80000000}
 *       instead, see {@link CppMath#castToInt32X86(float)}); Java's casts do the same as aarch64.</li>
 *   <li>{@code vqrdmulhq_s32} rounds the doubled high product half up (towards +infinity), as
 *       gemmlowp's {@code SaturatingRoundingDoublingHighMul}; {@code vrshlq_s32} by a negative
 *       amount rounds the right shift half up too, where gemmlowp's {@code RoundingDivideByPOT}
 *       rounds half away from zero.</li>
 * </ul>
 *
 * <pre>{@code
 * Aarch64Math.roundHalfEvenToInt32(2.5f);              // 2 (fcvtns)
 * Aarch64Math.roundHalfAwayToInt32(-2.5);              // -3 (fcvtas)
 * Aarch64Math.roundHalfEvenToInt32(2.5f);   // 2: ties to even, as fcvtns
 * }</pre>
 */
public final class Aarch64Math {
    private Aarch64Math() {
    }

    /** {@code fcvtns} (NEON {@code vcvtnq_s32_f32}): to nearest, ties to even, saturating, NaN to 0. */
    public static int roundHalfEvenToInt32(float x) {
        return (int) Math.rint(x);
    }

    /**
     * {@code fcvtas} to a 32-bit register ({@code static_cast<int32_t>(std::round(x))} as GCC
     * compiles it for aarch64): to nearest, ties away from zero, saturating, NaN to 0.
     */
    public static int roundHalfAwayToInt32(double x) {
        return (int) CppMath.round(x);
    }

    /**
     * {@code frinta} then {@code fcvtzs} to 64 bits, then {@code xtn} to 32 bits: to nearest, ties
     * away from zero, saturating to the int64 range and NaN to 0, then the low 32 bits (so a value
     * beyond the int32 range wraps instead of saturating).
     */
    public static int roundHalfAwayToInt64Low32(double x) {
        return (int) (long) CppMath.round(x);
    }
}
