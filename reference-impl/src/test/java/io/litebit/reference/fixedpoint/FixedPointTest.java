package io.litebit.reference.fixedpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * gemmlowp's primitives pinned by hand-derived cases (the arithmetic in the comments) and by a
 * seeded comparison with exact BigInteger arithmetic; the math functions by traced values and by
 * exhaustive accuracy and symmetry checks over all int16 inputs.
 */
class FixedPointTest {
    private static final int MIN = Integer.MIN_VALUE;
    private static final int MAX = Integer.MAX_VALUE;

    // ------------------------------------------------------------------ SaturatingRoundingDoublingHighMul

    @Test
    void srdhmEdgeCases() {
        // The one product that does not fit: (-1) * (-1) = 1 is not in [-1, 1), saturates.
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(MIN, MIN)).isEqualTo(MAX);
        // -2^31 * (2^31 - 1) / 2^31 = -(2^31 - 1) exactly, no rounding.
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(MIN, MAX)).isEqualTo(-2147483647);
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(MAX, MIN)).isEqualTo(-2147483647);
        // (2^31 - 1)^2 / 2^31 = 2^31 - 2 + 2^-31 -> 2147483646.
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(MAX, MAX)).isEqualTo(2147483646);
        // 2^30 * 2^30 / 2^31 = 2^29 (0.5 * 0.5 = 0.25).
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(1 << 30, 1 << 30)).isEqualTo(1 << 29);
        // 1 * 2^30 / 2^31 = 0.5: a tie goes up -> 1. -0.5: the product -2^30 plus the nudge
        // 1 - 2^30 is -2^31 + 1, which truncating division by 2^31 takes to 0 (not -1): ties
        // go towards +infinity, unlike RoundingDivideByPOT.
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(1, 1 << 30)).isEqualTo(1);
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(-1, 1 << 30)).isEqualTo(0);
        // 1 * (2^30 - 1) / 2^31 = 0.49999... -> 0; negated -> 0.
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(1, (1 << 30) - 1)).isEqualTo(0);
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(-1, (1 << 30) - 1)).isEqualTo(0);
        // 3 * 2^30 / 2^31 = 1.5 -> 2; -1.5: (-3 * 2^30 + 1 - 2^30) / 2^31 = -1.99.. -> -1.
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(3, 1 << 30)).isEqualTo(2);
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(-3, 1 << 30)).isEqualTo(-1);
        // -5 * 2^29 / 2^31 = -1.25 -> -1 and -7 * 2^29 / 2^31 = -1.75 -> -2: not ties, nearest.
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(-5, 1 << 29)).isEqualTo(-1);
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(-7, 1 << 29)).isEqualTo(-2);
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(0, MIN)).isEqualTo(0);
    }

    @Test
    void srdhmInt16EdgeCases() {
        short min = Short.MIN_VALUE;
        short max = Short.MAX_VALUE;
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(min, min)).isEqualTo(max);
        // -2^15 * (2^15 - 1) / 2^15 = -32767.
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul(min, max)).isEqualTo((short) -32767);
        // 2^14 * 2^14 / 2^15 = 2^13.
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul((short) 16384, (short) 16384)).isEqualTo((short) 8192);
        // 1 * 2^14 / 2^15 = 0.5 -> 1; -0.5: (-2^14 + 1 - 2^14) / 2^15 truncates to 0.
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul((short) 1, (short) 16384)).isEqualTo((short) 1);
        assertThat(FixedPoint.saturatingRoundingDoublingHighMul((short) -1, (short) 16384)).isEqualTo((short) 0);
    }

    @Test
    void srdhmMatchesExactRoundingHalfUpOnSeededRandomPairs() {
        SplittableRandom r = new SplittableRandom(20240501);
        BigInteger twoTo31 = BigInteger.ONE.shiftLeft(31);
        for (int i = 0; i < 200_000; i++) {
            int a = interesting(r);
            int b = interesting(r);
            long expected = (a == MIN && b == MIN) ? MAX
                    : divRoundHalfUp(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)), twoTo31).longValueExact();
            assertThat(FixedPoint.saturatingRoundingDoublingHighMul(a, b)).as("SRDHM(%d, %d)", a, b).isEqualTo((int) expected);
        }
    }

    @Test
    void srdhmInt16MatchesExactRoundingHalfUpOnSeededRandomPairs() {
        SplittableRandom r = new SplittableRandom(7);
        BigInteger twoTo15 = BigInteger.ONE.shiftLeft(15);
        for (int i = 0; i < 200_000; i++) {
            short a = (short) r.nextInt();
            short b = (short) r.nextInt();
            long expected = (a == Short.MIN_VALUE && b == Short.MIN_VALUE) ? Short.MAX_VALUE
                    : divRoundHalfUp(BigInteger.valueOf(a * b), twoTo15).longValueExact();
            assertThat(FixedPoint.saturatingRoundingDoublingHighMul(a, b)).isEqualTo((short) expected);
        }
    }

    // ------------------------------------------------------------------ RoundingDivideByPOT

    @Test
    void roundingDivideByPotTiesGoAwayFromZero() {
        assertThat(FixedPoint.roundingDivideByPot(-3, 1)).isEqualTo(-2);   // -1.5 -> -2
        assertThat(FixedPoint.roundingDivideByPot(3, 1)).isEqualTo(2);     //  1.5 ->  2
        assertThat(FixedPoint.roundingDivideByPot(-1, 1)).isEqualTo(-1);   // -0.5 -> -1
        assertThat(FixedPoint.roundingDivideByPot(1, 1)).isEqualTo(1);     //  0.5 ->  1
        assertThat(FixedPoint.roundingDivideByPot(-5, 2)).isEqualTo(-1);   // -1.25 -> -1
        assertThat(FixedPoint.roundingDivideByPot(-6, 2)).isEqualTo(-2);   // -1.5 -> -2
        assertThat(FixedPoint.roundingDivideByPot(-7, 2)).isEqualTo(-2);   // -1.75 -> -2
        assertThat(FixedPoint.roundingDivideByPot(5, 2)).isEqualTo(1);     //  1.25 -> 1
        assertThat(FixedPoint.roundingDivideByPot(6, 2)).isEqualTo(2);     //  1.5 -> 2
        assertThat(FixedPoint.roundingDivideByPot(-2, 2)).isEqualTo(-1);   // -0.5 -> -1
        assertThat(FixedPoint.roundingDivideByPot(12345, 0)).isEqualTo(12345);
        assertThat(FixedPoint.roundingDivideByPot(-12345, 0)).isEqualTo(-12345);
        // -2^31 / 2^31 = -1 exactly; (2^31 - 1) / 2^31 = 0.99999... -> 1.
        assertThat(FixedPoint.roundingDivideByPot(MIN, 31)).isEqualTo(-1);
        assertThat(FixedPoint.roundingDivideByPot(MAX, 31)).isEqualTo(1);
        // -2^30 / 2^31 = -0.5 -> -1; 2^30 / 2^31 = 0.5 -> 1; (2^30 - 1) / 2^31 -> 0.
        assertThat(FixedPoint.roundingDivideByPot(-(1 << 30), 31)).isEqualTo(-1);
        assertThat(FixedPoint.roundingDivideByPot(1 << 30, 31)).isEqualTo(1);
        assertThat(FixedPoint.roundingDivideByPot((1 << 30) - 1, 31)).isEqualTo(0);
        assertThatThrownBy(() -> FixedPoint.roundingDivideByPot(1, 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FixedPoint.roundingDivideByPot(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundingDivideByPotMatchesExactRoundingOnSeededRandomValues() {
        SplittableRandom r = new SplittableRandom(99);
        for (int i = 0; i < 200_000; i++) {
            int x = interesting(r);
            int e = r.nextInt(32);
            long expected = divRoundHalfAwayFromZero(BigInteger.valueOf(x), BigInteger.ONE.shiftLeft(e)).longValueExact();
            assertThat(FixedPoint.roundingDivideByPot(x, e)).as("RDBP(%d, %d)", x, e).isEqualTo((int) expected);
        }
    }

    @Test
    void roundingDivideByPotInt16IsExactForEveryInputAndExponent() {
        for (int e = 0; e <= 15; e++) {
            BigInteger d = BigInteger.ONE.shiftLeft(e);
            for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
                long expected = divRoundHalfAwayFromZero(BigInteger.valueOf(x), d).longValueExact();
                assertThat(FixedPoint.roundingDivideByPot((short) x, e)).isEqualTo((short) expected);
            }
        }
    }

    // ------------------------------------------------------------------ SaturatingRoundingMultiplyByPOT, RoundingHalfSum

    @Test
    void saturatingRoundingMultiplyByPot() {
        // Left shifts saturate beyond the threshold 2^(31 - e) - 1.
        assertThat(FixedPoint.saturatingRoundingMultiplyByPot((1 << 29) - 1, 2)).isEqualTo(((1 << 29) - 1) << 2);
        assertThat(FixedPoint.saturatingRoundingMultiplyByPot(1 << 29, 2)).isEqualTo(MAX);
        assertThat(FixedPoint.saturatingRoundingMultiplyByPot(-(1 << 29) + 1, 2)).isEqualTo((-(1 << 29) + 1) << 2);
        // -2^29 * 4 = -2^31 would fit, but gemmlowp saturates below -threshold: MIN either way.
        assertThat(FixedPoint.saturatingRoundingMultiplyByPot(-(1 << 29), 2)).isEqualTo(MIN);
        assertThat(FixedPoint.saturatingRoundingMultiplyByPot(-(1 << 29) - 1, 2)).isEqualTo(MIN);
        // Negative exponents are rounding right shifts.
        assertThat(FixedPoint.saturatingRoundingMultiplyByPot(-3, -1)).isEqualTo(-2);
        assertThat(FixedPoint.saturatingRoundingMultiplyByPot(77, 0)).isEqualTo(77);
        assertThat(FixedPoint.saturatingRoundingMultiplyByPot((short) 8192, 2)).isEqualTo(Short.MAX_VALUE);
        assertThat(FixedPoint.saturatingRoundingMultiplyByPot((short) 8191, 2)).isEqualTo((short) 32764);
        assertThat(FixedPoint.saturatingRoundingMultiplyByPot((short) -8192, 2)).isEqualTo(Short.MIN_VALUE);
    }

    @Test
    void roundingHalfSum() {
        assertThat(FixedPoint.roundingHalfSum(1, 2)).isEqualTo(2);        // 1.5 -> 2
        assertThat(FixedPoint.roundingHalfSum(-1, -2)).isEqualTo(-2);     // -1.5 -> -2
        assertThat(FixedPoint.roundingHalfSum(MAX, MAX)).isEqualTo(MAX);  // no overflow: 64-bit sum
        assertThat(FixedPoint.roundingHalfSum(MIN, MIN)).isEqualTo(MIN);
        // (0 + 2^31 - 1) / 2 = 2^30 - 0.5 -> 2^30.
        assertThat(FixedPoint.roundingHalfSum(0, MAX)).isEqualTo(1 << 30);
        assertThat(FixedPoint.roundingHalfSum((short) 1, (short) 2)).isEqualTo((short) 2);
    }

    // ------------------------------------------------------------------ math functions

    @Test
    void expOfMinusOneQuarterFollowsTheTaylorSteps() {
        // Q0.31 input -1/4 = -2^29. a & (2^29 - 1) = 0, so a mod 1/4 - 1/4 = -2^29 and the
        // remainder above the quarter is 0: only the Taylor polynomial around -1/8 runs.
        //   x  = -2^29 + 2^28 = -2^28 (-1/8)
        //   x2 = SRDHM(-2^28, -2^28) = 2^56 / 2^31 = 2^25
        //   x3 = SRDHM(2^25, -2^28) = -2^22;  x4 = SRDHM(2^25, 2^25) = 2^19;  x4/4 = 2^17
        //   x4/4 + x3 = 131072 - 4194304 = -4063232
        //   SRDHM(-4063232, 715827883 (1/3)) = round(-2908574760697856 / 2^31) = round(-1354410.67) = -1354411
        //   + x2 = 32200021;  RDBP(32200021, 1) = round(16100010.5) = 16100011
        //   x + that = -268435456 + 16100011 = -252335445
        //   SRDHM(1895147668 (e^-1/8), -252335445) = round(-478212930145492260 / 2^31) = -222685249
        //   result = 1895147668 - 222685249 = 1672462419   (e^-0.25 * 2^31 = 1672461946.7)
        assertThat(FixedPoint.expOnNegativeValues(-(1 << 29), 0)).isEqualTo(1672462419);
    }

    @Test
    void expOfMinusOneInQ5UsesTheBarrelShifter() {
        // Q5.26 input -1 = -2^26. The quarter is 2^24: a & (2^24 - 1) = 0, a mod 1/4 - 1/4 = -2^24,
        // rescaled to Q0.31 (x 2^5) = -2^29, whose exp is 1672462419 (previous test).
        // remainder = -2^24 - (-2^26) = 3 * 2^24: bits 24 (1/4) and 25 (1/2) are set, so
        //   SRDHM(1672462419, 1672461947 (e^-1/4)) = round(2797129753565069793 / 2^31) = 1302515042
        //   SRDHM(1302515042, 1302514674 (e^-1/2)) = round(1696544955310726308 / 2^31) = 790015308
        // (e^-1 * 2^31 = 790015084.35)
        assertThat(FixedPoint.expOnNegativeValues(-(1 << 26), 5)).isEqualTo(790015308);
    }

    @Test
    void expSpecialCases() {
        // exp(0) is special-cased to One() = 2^31 - 1.
        assertThat(FixedPoint.expOnNegativeValues(0, 5)).isEqualTo(MAX);
        assertThat(FixedPoint.expOnNegativeValues(0, 0)).isEqualTo(MAX);
        // Below -32 (only representable with more than 5 integer bits) the result is 0.
        assertThat(FixedPoint.expOnNegativeValues(-(33 << 25), 6)).isEqualTo(0);      // -33 in Q6.25
        assertThat(FixedPoint.expOnNegativeValues(-(10 << 25), 6)).isGreaterThan(0);   // e^-10 * 2^31 = 97488
        assertThat(FixedPoint.expOnNegativeValues((short) 0, 3)).isEqualTo(Short.MAX_VALUE);
    }

    @Test
    void oneOverOnePlusXAtZeroSaturatesToOne() {
        // half_denominator = RoundingHalfSum(0, 2^31 - 1) = round(2^30 - 0.5) = 2^30 (1/2).
        // x0 = 48/17 + 1/2 * (-32/17) = 32/17 in Q2.29: 1515870810 + SRDHM(2^30, -1010580540)
        //    = 1515870810 - 505290270 = 1010580540. Three Newton steps converge on 2 (2^30 in
        // Q2.29: 1070026456, 1073728968, 1073741824), and Rescale<0> of 1/2 * 2 = 1 from Q1
        // saturates: SaturatingRoundingMultiplyByPOT<1>(2^30) = 2^31 - 1.
        assertThat(FixedPoint.oneOverOnePlusXForXIn01(0)).isEqualTo(MAX);
    }

    @Test
    void logisticAndTanhAtZero() {
        assertThat(FixedPoint.logistic(0, 4)).isEqualTo(1 << 30);        // 0.5 special case
        assertThat(FixedPoint.tanh(0, 4)).isEqualTo(0);
        assertThat(FixedPoint.logistic((short) 0, 3)).isEqualTo((short) (1 << 14));  // 2^30 rounded by 2^16
        assertThat(FixedPoint.tanh((short) 0, 3)).isEqualTo((short) 0);
    }

    @Test
    void int32FunctionsAreAccurateAndSymmetricOnASeededSweep() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            int a = r.nextInt(-(8 << 27), (8 << 27));   // [-8, 8) in Q4.27
            double real = a / (double) (1 << 27);
            double logistic = FixedPoint.logistic(a, 4) / 0x1p31;
            double tanh = FixedPoint.tanh(a, 4) / 0x1p31;
            assertThat(logistic).isCloseTo(1 / (1 + Math.exp(-real)), within(1e-6));
            assertThat(tanh).isCloseTo(Math.tanh(real), within(1e-6));
            if (a <= 0) {
                assertThat(FixedPoint.expOnNegativeValues(a, 4) / 0x1p31).isCloseTo(Math.exp(real), within(1e-6));
            }
            if (a != 0 && a != MIN) {
                // logistic(-a) is computed as One - logistic(a); tanh(-a) as -tanh(a).
                assertThat(FixedPoint.logistic(-a, 4)).isEqualTo(MAX - FixedPoint.logistic(a, 4));
                assertThat(FixedPoint.tanh(-a, 4)).isEqualTo(-FixedPoint.tanh(a, 4));
            }
        }
    }

    @Test
    void int16FunctionsAreAccurateForEveryInput() {
        for (int v = Short.MIN_VALUE + 1; v <= Short.MAX_VALUE; v++) {
            short a = (short) v;
            double real = v / 4096.0;   // Q3.12
            assertThat(FixedPoint.logistic(a, 3) / 32768.0).isCloseTo(1 / (1 + Math.exp(-real)), within(3e-4));
            assertThat(FixedPoint.tanh(a, 3) / 32768.0).isCloseTo(Math.tanh(real), within(5e-4));
            if (v <= 0) {
                assertThat(FixedPoint.expOnNegativeValues(a, 3) / 32768.0).isCloseTo(Math.exp(real), within(3e-4));
            }
        }
    }

    @Test
    void reciprocalOverTheUnitInterval() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            int a = r.nextInt(0, MAX);
            double x = a / 0x1p31;
            assertThat(FixedPoint.oneOverOnePlusXForXIn01(a) / 0x1p31).isCloseTo(1 / (1 + x), within(1e-8));
            assertThat(FixedPoint.oneMinusXOverOnePlusXForXIn01(a) / 0x1p31).isCloseTo((1 - x) / (1 + x), within(1e-8));
        }
    }

    @Test
    void integerBitsOutsideTheFormatAreRejected() {
        assertThatThrownBy(() -> FixedPoint.expOnNegativeValues(-1, 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FixedPoint.logistic((short) 1, 14)).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ exact model

    /** Nearest integer to n / d (d > 0), halfway cases away from zero, in exact arithmetic. */
    static BigInteger divRoundHalfAwayFromZero(BigInteger n, BigInteger d) {
        BigInteger[] qr = n.abs().divideAndRemainder(d);
        BigInteger q = qr[0];
        if (qr[1].shiftLeft(1).compareTo(d) >= 0) {
            q = q.add(BigInteger.ONE);
        }
        return n.signum() < 0 ? q.negate() : q;
    }

    /** Nearest integer to n / d (d > 0), halfway cases towards +infinity: floor((n + d/2) / d). */
    static BigInteger divRoundHalfUp(BigInteger n, BigInteger d) {
        BigInteger[] qr = n.add(d.shiftRight(1)).divideAndRemainder(d);
        return qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }

    /** Random int32 values biased towards the edges, where rounding and saturation live. */
    static int interesting(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> MIN + r.nextInt(4);
            case 1 -> MAX - r.nextInt(4);
            case 2 -> r.nextInt(-1000, 1000);
            case 3 -> (r.nextBoolean() ? 1 : -1) * (1 << r.nextInt(31)) + r.nextInt(-2, 3);
            default -> r.nextInt();
        };
    }
}
