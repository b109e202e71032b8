package io.litebit.reference.fixedpoint;

/**
 * gemmlowp's fixed-point arithmetic ({@code fixedpoint/fixedpoint.h} at the commit TFLite 2.19
 * pins, {@code 16e8662c}), for the scalar {@code int32_t} and {@code int16_t} raw types that
 * TFLite's reference kernels use.
 *
 * <p>A fixed-point value is a raw integer plus a compile-time number of integer bits {@code m}
 * ({@code FixedPoint<tRawType, m>}): the real value is {@code raw / 2^(bits - 1 - m)}. Here the
 * raw value is an {@code int} (int32) or {@code short} (int16) and {@code m} is an explicit
 * argument named {@code integerBits}. Plain additions and subtractions are not saturating in
 * gemmlowp: for int32 they wrap (two's complement, as compiled), for int16 the result of the
 * promoted {@code int} sum is stored back into an {@code int16_t} and so wraps too — except where
 * gemmlowp explicitly saturates ({@code AddSaturatingIf16Bit}).
 *
 * <pre>{@code
 * int half = FixedPoint.saturatingRoundingDoublingHighMul(1 << 30, 1 << 30);   // 0.5 * 0.5 = 1 << 29
 * int y = FixedPoint.roundingDivideByPot(-3, 1);                                // -1.5 -> -2
 * int e = FixedPoint.expOnNegativeValues(-(1 << 26), 5);  // exp(-1) in Q0.31, input in Q5.26
 * }</pre>
 */
public final class FixedPoint {
    private FixedPoint() {
    }

    // ------------------------------------------------------------------ primitives, int32

    /**
     * {@code SaturatingRoundingDoublingHighMul(int32, int32)}: {@code a * b / 2^31} rounded to
     * nearest with halfway cases towards +infinity (-1.5 gives -1, 1.5 gives 2), saturating the
     * single overflow {@code MIN * MIN} to {@code MAX}. Equivalent to ARM's {@code VQRDMULH}.
     */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == b && a == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        long ab = (long) a * (long) b;
        // gemmlowp nudges by 2^30 or by 1 - 2^30 and then divides with C++'s truncating
        // division (Java's long division truncates the same way). For negative products the
        // nudge is one short of a half, so a negative tie truncates towards zero: ties go up.
        long nudge = ab >= 0 ? (1L << 30) : (1L - (1L << 30));
        return (int) ((ab + nudge) / (1L << 31));
    }

    /**
     * {@code RoundingDivideByPOT(int32, exponent)}: {@code x / 2^exponent} rounded to nearest,
     * halfway cases away from zero, for {@code exponent} in [0, 31].
     */
    public static int roundingDivideByPot(int x, int exponent) {
        if (exponent < 0 || exponent > 31) {
            throw new IllegalArgumentException("RoundingDivideByPOT exponent must be in [0, 31], given " + exponent);
        }
        int mask = (int) ((1L << exponent) - 1);
        int remainder = x & mask;
        // The arithmetic shift floors. A remainder above one half rounds the floor up; for
        // negative x the threshold is one higher, so an exact half keeps the floor, which for a
        // negative number is the value farther from zero: ties go away from zero both ways.
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /**
     * {@code SaturatingRoundingMultiplyByPOT<exponent>(int32)}: a left shift that saturates for
     * positive exponents, {@link #roundingDivideByPot(int, int)} for negative ones. TFLite's
     * runtime-exponent twin {@code SaturatingRoundingMultiplyByPOTParam} behaves the same for the
     * exponents it is called with (0 to 31).
     */
    public static int saturatingRoundingMultiplyByPot(int x, int exponent) {
        if (exponent == 0) {
            return x;
        }
        if (exponent < 0) {
            return roundingDivideByPot(x, -exponent);
        }
        if (exponent > 31) {
            throw new IllegalArgumentException("SaturatingRoundingMultiplyByPOT exponent must be at most 31, given " + exponent);
        }
        int threshold = (int) ((1L << (31 - exponent)) - 1);
        if (x > threshold) {
            return Integer.MAX_VALUE;
        }
        if (x < -threshold) {
            return Integer.MIN_VALUE;
        }
        return x << exponent;
    }

    /** {@code RoundingHalfSum(int32, int32)}: {@code (a + b) / 2} rounded half away from zero (ARM {@code VRHADD}-like). */
    public static int roundingHalfSum(int a, int b) {
        long sum = (long) a + (long) b;
        long sign = sum >= 0 ? 1 : -1;
        return (int) ((sum + sign) / 2);
    }

    /**
     * {@code Rescale<dstIntegerBits>(FixedPoint<int32, srcIntegerBits>)}: the same real value
     * with another number of integer bits, i.e. a saturating/rounding multiply by {@code
     * 2^(src - dst)}.
     */
    public static int rescale(int raw, int srcIntegerBits, int dstIntegerBits) {
        return saturatingRoundingMultiplyByPot(raw, srcIntegerBits - dstIntegerBits);
    }

    // ------------------------------------------------------------------ primitives, int16

    /** {@code SaturatingRoundingDoublingHighMul(int16, int16)}: {@code a * b / 2^15}, ties towards +infinity, {@code MIN * MIN -> MAX}. */
    public static short saturatingRoundingDoublingHighMul(short a, short b) {
        if (a == b && a == Short.MIN_VALUE) {
            return Short.MAX_VALUE;
        }
        int ab = a * b;
        int nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
        return (short) ((ab + nudge) / (1 << 15));
    }

    /** {@code RoundingDivideByPOT(int16, exponent)} for {@code exponent} in [0, 15]. */
    public static short roundingDivideByPot(short x, int exponent) {
        if (exponent < 0 || exponent > 15) {
            throw new IllegalArgumentException("RoundingDivideByPOT on int16 needs an exponent in [0, 15], given " + exponent);
        }
        short mask = (short) ((1 << exponent) - 1);
        short remainder = (short) (x & mask);
        short threshold = (short) ((mask >> 1) + (x < 0 ? 1 : 0));
        return (short) ((x >> exponent) + (remainder > threshold ? 1 : 0));
    }

    /** {@code SaturatingRoundingMultiplyByPOT<exponent>(int16)}. */
    public static short saturatingRoundingMultiplyByPot(short x, int exponent) {
        if (exponent == 0) {
            return x;
        }
        if (exponent < 0) {
            return roundingDivideByPot(x, -exponent);
        }
        if (exponent > 15) {
            throw new IllegalArgumentException("SaturatingRoundingMultiplyByPOT on int16 needs an exponent of at most 15, given " + exponent);
        }
        int threshold = (1 << (15 - exponent)) - 1;
        if (x > threshold) {
            return Short.MAX_VALUE;
        }
        if (x < -threshold) {
            return Short.MIN_VALUE;
        }
        return (short) (x << exponent);
    }

    /** {@code RoundingHalfSum(int16, int16)}. */
    public static short roundingHalfSum(short a, short b) {
        int sum = a + b;
        int sign = sum >= 0 ? 1 : -1;
        return (short) ((sum + sign) / 2);
    }

    /** {@code SaturatingAdd(int16, int16)}. */
    public static short saturatingAdd(short a, short b) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, a + b));
    }

    /** {@code Rescale} for int16 raw values. */
    public static short rescale(short raw, int srcIntegerBits, int dstIntegerBits) {
        return saturatingRoundingMultiplyByPot(raw, srcIntegerBits - dstIntegerBits);
    }

    // ------------------------------------------------------------------ math functions, int32

    /**
     * {@code exp_on_negative_values(FixedPoint<int32, integerBits>)}: {@code exp(a)} for {@code a
     * <= 0}, result in Q0.31 ({@code 1.0} is represented by {@code Integer.MAX_VALUE}).
     */
    public static int expOnNegativeValues(int a, int integerBits) {
        return (int) Impl.I32.expOnNegativeValues(a, integerBits);
    }

    /** {@code one_over_one_plus_x_for_x_in_0_1(FixedPoint<int32, 0>)}: {@code 1 / (1 + a)} in Q0.31. */
    public static int oneOverOnePlusXForXIn01(int a) {
        return (int) Impl.I32.oneOverOnePlusXForXIn01(a);
    }

    /** {@code one_minus_x_over_one_plus_x_for_x_in_0_1(FixedPoint<int32, 0>)}: {@code (1 - a) / (1 + a)} in Q0.31. */
    public static int oneMinusXOverOnePlusXForXIn01(int a) {
        return (int) Impl.I32.oneMinusXOverOnePlusXForXIn01(a);
    }

    /** {@code logistic(FixedPoint<int32, integerBits>)}: {@code 1 / (1 + exp(-a))} in Q0.31. */
    public static int logistic(int a, int integerBits) {
        return (int) Impl.I32.logistic(a, integerBits);
    }

    /** {@code tanh(FixedPoint<int32, integerBits>)} in Q0.31. */
    public static int tanh(int a, int integerBits) {
        return (int) Impl.I32.tanh(a, integerBits);
    }

    // ------------------------------------------------------------------ math functions, int16

    /** {@code exp_on_negative_values(FixedPoint<int16, integerBits>)}, result in Q0.15. */
    public static short expOnNegativeValues(short a, int integerBits) {
        return (short) Impl.I16.expOnNegativeValues(a, integerBits);
    }

    /** {@code one_over_one_plus_x_for_x_in_0_1(FixedPoint<int16, 0>)}. */
    public static short oneOverOnePlusXForXIn01(short a) {
        return (short) Impl.I16.oneOverOnePlusXForXIn01(a);
    }

    /** {@code one_minus_x_over_one_plus_x_for_x_in_0_1(FixedPoint<int16, 0>)}. */
    public static short oneMinusXOverOnePlusXForXIn01(short a) {
        return (short) Impl.I16.oneMinusXOverOnePlusXForXIn01(a);
    }

    /** {@code logistic(FixedPoint<int16, integerBits>)} in Q0.15. */
    public static short logistic(short a, int integerBits) {
        return (short) Impl.I16.logistic(a, integerBits);
    }

    /** {@code tanh(FixedPoint<int16, integerBits>)} in Q0.15. */
    public static short tanh(short a, int integerBits) {
        return (short) Impl.I16.tanh(a, integerBits);
    }

    /**
     * The math functions written once for both raw widths, as gemmlowp's templates are: every
     * raw value travels as an {@code int} holding an int32 or int16 value, and each primitive
     * is the width's own (wrapping add, SRDHM, rounding shifts, constants rescaled to 16 bits).
     */
    private enum Impl {
        I32(32), I16(16);

        private final int bits;

        Impl(int bits) {
            this.bits = bits;
        }

        private int fractionalBits(int integerBits) {
            return bits - 1 - integerBits;
        }

        private int max() {
            return bits == 32 ? Integer.MAX_VALUE : Short.MAX_VALUE;
        }

        /** Non-saturating Add/Sub/Neg: int32 wraps; an int16 result stored into int16_t wraps. */
        private int wrap(long v) {
            return bits == 32 ? (int) v : (short) v;
        }

        private int add(int a, int b) {
            return wrap((long) a + b);
        }

        private int sub(int a, int b) {
            return wrap((long) a - b);
        }

        private int neg(int a) {
            return wrap(-(long) a);
        }

        private int mul(int a, int b) {
            return bits == 32 ? saturatingRoundingDoublingHighMul(a, b)
                    : saturatingRoundingDoublingHighMul((short) a, (short) b);
        }

        private int mulByPot(int x, int exponent) {
            return bits == 32 ? saturatingRoundingMultiplyByPot(x, exponent)
                    : saturatingRoundingMultiplyByPot((short) x, exponent);
        }

        private int halfSum(int a, int b) {
            return bits == 32 ? roundingHalfSum(a, b) : roundingHalfSum((short) a, (short) b);
        }

        /** {@code AddSaturatingIf16Bit}. */
        private int addSaturatingIf16Bit(int a, int b) {
            return bits == 32 ? add(a, b) : saturatingAdd((short) a, (short) b);
        }

        /**
         * {@code GEMMLOWP_CHECKED_FIXEDPOINT_CONSTANT}: constants are written as int32 raw values
         * and, for int16, rounding-shifted right by 16 ({@code RescaleConstantInitializer}).
         */
        private int constant(int int32Raw) {
            return bits == 32 ? int32Raw : (short) roundingDivideByPot(int32Raw, 16);
        }

        /** {@code FixedPoint<raw, m>::One()}: the largest value for m = 0, else 1 exactly. */
        private int one(int integerBits) {
            return integerBits == 0 ? max() : 1 << fractionalBits(integerBits);
        }

        /** {@code exp_on_interval_between_negative_one_quarter_and_0_excl}: Taylor series around -1/8, Q0 in and out. */
        int expOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a) {
            final int constantTerm = constant(1895147668);     // exp(-1/8)
            final int constantOneThird = constant(715827883);  // 1/3
            int x = add(a, 1 << (fractionalBits(0) - 3));      // a + 1/8
            int x2 = mul(x, x);
            int x3 = mul(x2, x);
            int x4 = mul(x2, x2);
            int x4Over4 = mulByPot(x4, -2);
            int x4Over24PlusX3Over6PlusX2Over2 = mulByPot(add(mul(add(x4Over4, x3), constantOneThird), x2), -1);
            return addSaturatingIf16Bit(constantTerm, mul(constantTerm, add(x, x4Over24PlusX3Over6PlusX2Over2)));
        }

        int expOnNegativeValues(int a, int integerBits) {
            checkIntegerBits(integerBits);
            int fractionalBits = fractionalBits(integerBits);
            int oneQuarter = 1 << (fractionalBits - 2);
            int mask = oneQuarter - 1;
            int aModQuarterMinusOneQuarter = sub(a & mask, oneQuarter);
            int result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(
                    mulByPot(aModQuarterMinusOneQuarter, integerBits));   // Rescale<0>
            int remainder = sub(aModQuarterMinusOneQuarter, a);
            // The barrel shifter multiplies in exp(-2^k) for each bit k of the part of -a
            // above the quarter, for the bits the input format has.
            int[] exponents = {-2, -1, 0, 1, 2, 3, 4};
            int[] multipliers = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
            for (int i = 0; i < exponents.length; i++) {
                if (integerBits > exponents[i]) {
                    int shift = fractionalBits + exponents[i];
                    if ((remainder & (1 << shift)) != 0) {
                        result = mul(result, constant(multipliers[i]));
                    }
                }
            }
            if (integerBits > 5) {
                int clamp = constant(-(1 << (36 - integerBits)));   // -32 in the input format
                if (a < clamp) {
                    result = 0;
                }
            }
            if (a == 0) {
                result = one(0);
            }
            return result;
        }

        /** Newton-Raphson for {@code 1 / (1 + a)} in F2, shared by the two reciprocals below. */
        private int newtonRaphsonReciprocalHalfDenominator(int halfDenominator) {
            final int constant48Over17 = constant(1515870810);
            final int constantNeg32Over17 = constant(-1010580540);
            int x = add(constant48Over17, mul(halfDenominator, constantNeg32Over17));
            int oneF2 = one(2);
            for (int i = 0; i < 3; i++) {
                int halfDenominatorTimesX = mul(halfDenominator, x);
                int oneMinusHalfDenominatorTimesX = sub(oneF2, halfDenominatorTimesX);
                x = add(x, mulByPot(mul(x, oneMinusHalfDenominatorTimesX), 2));   // Rescale<2> from F4
            }
            return x;
        }

        int oneOverOnePlusXForXIn01(int a) {
            int x = newtonRaphsonReciprocalHalfDenominator(halfSum(a, one(0)));
            return mulByPot(x, 1);   // Rescale<0>(ExactMulByPot<-1>(x)): F2 read as F1, to F0
        }

        int oneMinusXOverOnePlusXForXIn01(int a) {
            int x = newtonRaphsonReciprocalHalfDenominator(halfSum(a, one(0)));
            return mulByPot(sub(x, one(2)), 2);   // Rescale<0>(x - 1) from F2
        }

        int tanh(int a, int integerBits) {
            checkIntegerBits(integerBits);
            boolean negative = a < 0;
            int n = negative ? a : neg(a);
            // neg_tanh_on_negative_values: exp(2n) read with one more integer bit.
            int t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, integerBits + 1));
            if (a == 0) {
                return 0;
            }
            return negative ? neg(t) : t;
        }

        int logistic(int a, int integerBits) {
            checkIntegerBits(integerBits);
            boolean positive = a > 0;
            int abs = positive ? a : neg(a);
            int resultIfPositive = oneOverOnePlusXForXIn01(expOnNegativeValues(neg(abs), integerBits));
            int resultIfNegative = sub(one(0), resultIfPositive);
            if (a == 0) {
                return constant(1 << 30);   // one half
            }
            return positive ? resultIfPositive : resultIfNegative;
        }

        private void checkIntegerBits(int integerBits) {
            if (integerBits < 0 || integerBits > bits - 3) {
                throw new IllegalArgumentException("integer bits for int" + bits + " fixed point must be in [0, "
                        + (bits - 3) + "], given " + integerBits);
            }
        }
    }
}
