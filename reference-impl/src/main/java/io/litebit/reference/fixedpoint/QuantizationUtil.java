package io.litebit.reference.fixedpoint;

/**
 * How TFLite turns real scales into integer multipliers at {@code Prepare} time: the functions
 * of {@code tflite/kernels/internal/quantization_util.cc} that the reference kernels depend on.
 *
 * <p>Where TFLite {@code TFLITE_CHECK}s (which aborts the process), these functions throw {@link
 * IllegalArgumentException} with the failed condition.
 *
 * <pre>{@code
 * QuantizedMultiplier m = QuantizationUtil.quantizeMultiplier(0.0123, Rounding.DOUBLE);
 * // 0.0123 = 0.7872 * 2^-6  ->  multiplier round(0.7872 * 2^31) = 1690499128, shift -6
 * }</pre>
 */
public final class QuantizationUtil {
    private QuantizationUtil() {
    }

    /**
     * {@code QuantizeMultiplier(double, int32_t*, int*)} with the standard {@code std::frexp}
     * path: {@code m = q * 2^shift} with {@code |q|} in [0.5, 1), then {@code multiplier =
     * round(q * 2^31)} (halfway away from zero).
     *
     * <ul>
     *   <li>0 gives (0, 0).</li>
     *   <li>When rounding carries {@code q * 2^31} up to exactly 2^31 (q within 2^-32 of 1), the
     *       multiplier becomes 2^30 and the shift grows by one.</li>
     *   <li>A shift below -31 (roughly {@code |m| < 2^-32}) flushes to (0, 0).</li>
     *   <li>{@link Rounding#SINGLE} additionally clamps a shift above 30 to (2^31 - 1, 30).</li>
     *   <li>Negative multipliers keep their sign in the significand (TFLite allows them in the
     *       double-rounding build).</li>
     *   <li>NaN and infinities: {@code frexp} leaves them with exponent 0 and converting the
     *       rounded infinity or NaN to int64 is undefined behaviour that x86-64 compiles to
     *       {@code INT64_MIN}, whose int32 truncation is 0; the result is therefore (0, 0), which
     *       this reproduces (a scale of 0 in a model leads here).</li>
     * </ul>
     */
    public static QuantizedMultiplier quantizeMultiplier(double realMultiplier, Rounding rounding) {
        if (realMultiplier == 0.0) {
            return new QuantizedMultiplier(0, 0);
        }
        CppMath.Frexp f = CppMath.frexp(realMultiplier);
        int shift = f.exponent();
        // q * 2^31 is exact in double (a power-of-two scaling); only the rounding is lossy.
        long qFixed = CppMath.castToInt64X86(CppMath.round(f.mantissa() * (1L << 31)));
        return finish(qFixed, shift, rounding);
    }

    /** {@link #quantizeMultiplier(double, Rounding)} for TFLite's default (double-rounding) build. */
    public static QuantizedMultiplier quantizeMultiplier(double realMultiplier) {
        return quantizeMultiplier(realMultiplier, Rounding.DOUBLE);
    }

    /**
     * {@code QuantizeMultiplier} as built with {@code TFLITE_EMULATE_FLOAT} (for targets without
     * floating-point instructions): the significand comes from {@link #integerFrExp(double)},
     * which keeps the implicit bit and the top 30 fraction bits (31 significant bits, as {@code
     * round(q * 2^31)} does) but rounds the 22 dropped bits with ties truncated instead of going
     * away from zero. The two builds therefore differ by one unit of the significand exactly when
     * the dropped part is a tie (the multiplier is {@code (k + 1/2) * 2^(shift - 31)}).
     * Non-finite multipliers abort or overflow in that build and are rejected here.
     */
    public static QuantizedMultiplier quantizeMultiplierEmulatedFloat(double realMultiplier, Rounding rounding) {
        if (realMultiplier == 0.0) {
            return new QuantizedMultiplier(0, 0);
        }
        if (Double.isNaN(realMultiplier) || Double.isInfinite(realMultiplier)) {
            throw new IllegalArgumentException("QuantizeMultiplier with TFLITE_EMULATE_FLOAT cannot represent " + realMultiplier);
        }
        IntegerFrexp f = integerFrExp(realMultiplier);
        return finish(f.fraction(), f.shift(), rounding);
    }

    private static QuantizedMultiplier finish(long qFixed, int shift, Rounding rounding) {
        if (qFixed > (1L << 31)) {
            throw new IllegalArgumentException("TFLITE_CHECK(q_fixed <= (1LL << 31)) fails: q_fixed = " + qFixed);
        }
        if (qFixed == (1L << 31)) {
            qFixed /= 2;
            ++shift;
        }
        if (shift < -31) {
            shift = 0;
            qFixed = 0;
        }
        if (rounding == Rounding.SINGLE && shift > 30) {
            shift = 30;
            qFixed = (1L << 31) - 1;
        }
        return new QuantizedMultiplier((int) qFixed, shift);
    }

    /**
     * {@code QuantizeMultiplierSmallerThanOneExp}: {@link #quantizeMultiplier(double, Rounding)}
     * for a multiplier in (0, 1), whose shift is then never positive.
     *
     * @throws IllegalArgumentException where TFLite's checks abort: the multiplier is not in (0, 1)
     */
    public static QuantizedMultiplier quantizeMultiplierSmallerThanOneExp(double realMultiplier, Rounding rounding) {
        if (!(realMultiplier < 1.0)) {
            throw new IllegalArgumentException("TFLITE_CHECK_LT(double_multiplier, 1.) fails in QuantizeMultiplierSmallerThanOneExp: "
                    + realMultiplier);
        }
        if (!(realMultiplier > 0.0)) {
            throw new IllegalArgumentException("TFLITE_CHECK_GT(double_multiplier, 0.) fails in QuantizeMultiplierSmallerThanOneExp: "
                    + realMultiplier);
        }
        QuantizedMultiplier m = quantizeMultiplier(realMultiplier, rounding);
        if (m.shift() > 0) {
            throw new IllegalArgumentException("TFLITE_CHECK_LE(shift, 0) fails in QuantizeMultiplierSmallerThanOneExp for " + realMultiplier);
        }
        return m;
    }

    /**
     * {@code QuantizeMultiplierGreaterThanOne}: for a multiplier above 1, whose shift is then
     * non-negative.
     *
     * @throws IllegalArgumentException where TFLite's checks abort: the multiplier is not above 1
     */
    public static QuantizedMultiplier quantizeMultiplierGreaterThanOne(double realMultiplier, Rounding rounding) {
        if (!(realMultiplier > 1.0)) {
            throw new IllegalArgumentException("TFLITE_CHECK_GT(double_multiplier, 1.) fails in QuantizeMultiplierGreaterThanOne: "
                    + realMultiplier);
        }
        QuantizedMultiplier m = quantizeMultiplier(realMultiplier, rounding);
        if (m.shift() < 0) {
            throw new IllegalArgumentException("TFLITE_CHECK_GE(left_shift, 0) fails in QuantizeMultiplierGreaterThanOne for " + realMultiplier);
        }
        return m;
    }

    /**
     * The result of {@link #integerFrExp(double)}: {@code value ≈ fraction / 2^31 * 2^shift}.
     *
     * @param fraction the signed significand, |fraction| in [2^30, 2^31]
     * @param shift    the exponent, as {@code frexp} returns it
     */
    public record IntegerFrexp(long fraction, int shift) {
    }

    /**
     * {@code IntegerFrExp}: {@code frexp} with integer operations only, reading the double's
     * bits. The significand is {@code 2^30 + top 30 fraction bits}, plus one when the 22 dropped
     * bits exceed {@code 0x200000} (strictly: a tie is truncated), then negated for negative
     * input. Zero gives (0, 0). NaN gives fraction 0, +infinity {@code Long.MAX_VALUE} and
     * -infinity {@code Long.MIN_VALUE}, each with shift {@code Integer.MAX_VALUE}.
     * Subnormal inputs get the same treatment as normal ones (TFLite does not special-case them;
     * the resulting shift of -1022 flushes any multiplier to zero).
     */
    public static IntegerFrexp integerFrExp(double input) {
        long u = Double.doubleToRawLongBits(input);
        final long signMask = 0x8000000000000000L;
        final long exponentMask = 0x7ff0000000000000L;
        final long fractionMask = 0x000fffffffc00000L;
        if ((u & ~signMask) == 0) {
            return new IntegerFrexp(0, 0);
        }
        int exponentPart = (int) ((u & exponentMask) >>> 52);
        if (exponentPart == 0x7ff) {
            if ((u & fractionMask) != 0) {
                return new IntegerFrexp(0, Integer.MAX_VALUE);
            }
            return new IntegerFrexp((u & signMask) != 0 ? Long.MIN_VALUE : Long.MAX_VALUE, Integer.MAX_VALUE);
        }
        int shift = (exponentPart - 1023) + 1;
        long fraction = 0x40000000L + ((u & fractionMask) >>> 22);
        if ((u & 0x003fffffL) > 0x00200000L) {
            fraction += 1;
        }
        if ((u & signMask) != 0) {
            fraction = -fraction;
        }
        return new IntegerFrexp(fraction, shift);
    }

    /**
     * {@code PreprocessSoftmaxScaling}: the multiplier that takes an input difference (in input
     * units) to a {@code Q(inputIntegerBits).(31 - inputIntegerBits)} value of {@code beta * x},
     * capped at {@code 2^31 - 1} ({@code 2^30 - 1} for {@link Rounding#SINGLE}), quantized with
     * {@link #quantizeMultiplierGreaterThanOne(double, Rounding)}.
     */
    public static QuantizedMultiplier preprocessSoftmaxScaling(double beta, double inputScale, int inputIntegerBits,
                                                              Rounding rounding) {
        double maxRealMultiplier = rounding == Rounding.SINGLE ? (1L << 30) - 1.0 : (1L << 31) - 1.0;
        // TFLite multiplies by (1 << (31 - bits)) as an int; the product is formed left to right.
        double inputBetaRealMultiplier = Math.min(beta * inputScale * (double) (1 << (31 - inputIntegerBits)), maxRealMultiplier);
        return quantizeMultiplierGreaterThanOne(inputBetaRealMultiplier, rounding);
    }

    /**
     * {@code CalculateInputRadius}: the largest input magnitude (in input units) that, shifted
     * left by {@code inputLeftShift}, stays within {@code inputIntegerBits} integer bits of a
     * {@code totalSignedBits}-bit fixed-point value; {@code floor((2^ib - 1) * 2^(tsb - ib) /
     * 2^shift)}.
     */
    public static int calculateInputRadius(int inputIntegerBits, int inputLeftShift, int totalSignedBits) {
        double maxInputRescaled = 1.0 * ((1 << inputIntegerBits) - 1) * (double) (1L << (totalSignedBits - inputIntegerBits))
                / (double) (1L << inputLeftShift);
        return (int) Math.floor(maxInputRescaled);
    }

    /** {@link #calculateInputRadius(int, int, int)} with TFLite's default of 31 signed bits. */
    public static int calculateInputRadius(int inputIntegerBits, int inputLeftShift) {
        return calculateInputRadius(inputIntegerBits, inputLeftShift, 31);
    }

    /**
     * The reciprocal {@code GetReciprocal} (TFLite's {@code common.h}) computes for softmax: for
     * {@code x} in Q(xIntegerDigits), {@code 1 / x} as a Q0.31 significand in (0.5, 1] plus the
     * number of bits {@code x} has above one.
     */
    public record Reciprocal(int raw, int numBitsOverUnit) {
    }

    /** {@code GetReciprocal(x, x_integer_digits, &num_bits_over_unit)}. */
    public static Reciprocal reciprocal(int x, int xIntegerDigits) {
        int headroomPlusOne = Integer.numberOfLeadingZeros(x);
        int numBitsOverUnit = xIntegerDigits - headroomPlusOne;
        // Normalise x to [1, 2) in Q1.31 held unsigned, and subtract one; shifting by 32 (x == 0)
        // is undefined in C++ and not handled here either.
        int shiftedSumMinusOne = (x << headroomPlusOne) - (1 << 31);
        return new Reciprocal(FixedPoint.oneOverOnePlusXForXIn01(shiftedSumMinusOne), numBitsOverUnit);
    }
}
