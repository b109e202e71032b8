package io.litebit.reference.fixedpoint;

import static io.litebit.reference.fixedpoint.FixedPointTest.divRoundHalfAwayFromZero;
import static io.litebit.reference.fixedpoint.FixedPointTest.divRoundHalfUp;
import static io.litebit.reference.fixedpoint.FixedPointTest.interesting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** MultiplyByQuantizedMultiplier in both builds, its int64 and one-sided variants. */
class QuantizedMultiplierTest {
    private static final int MIN = Integer.MIN_VALUE;
    private static final int MAX = Integer.MAX_VALUE;

    @Test
    void whereBothBuildsAgree() {
        // 7 * 0.5: SRDHM(7, 2^30) = 3.5 -> 4 (tie up); no right shift. Single: (7*2^30 + 2^30) >> 31 = 4.
        assertThat(QuantizedMultiplier.multiply(7, 1 << 30, 0, Rounding.DOUBLE)).isEqualTo(4);
        assertThat(QuantizedMultiplier.multiply(7, 1 << 30, 0, Rounding.SINGLE)).isEqualTo(4);
        // -7 * 0.5 = -3.5: SRDHM ties go up -> -3; single: (-7*2^30 + 2^30) >> 31 = floor(-3) = -3.
        assertThat(QuantizedMultiplier.multiply(-7, 1 << 30, 0, Rounding.DOUBLE)).isEqualTo(-3);
        assertThat(QuantizedMultiplier.multiply(-7, 1 << 30, 0, Rounding.SINGLE)).isEqualTo(-3);
        // 3 * 0.5 / 2 = 0.75: double SRDHM(3, 2^30) = 2 (1.5 up), RDBP(2, 1) = 1; single
        // (3*2^30 + 2^31) >> 32 = 5368709120 >> 32 = 1.
        assertThat(QuantizedMultiplier.multiply(3, 1 << 30, -1, Rounding.DOUBLE)).isEqualTo(1);
        assertThat(QuantizedMultiplier.multiply(3, 1 << 30, -1, Rounding.SINGLE)).isEqualTo(1);
        // 100 * 0.75 * 4 = 300 exactly: left shift first (400), then SRDHM(400, 3*2^29) = 300.
        assertThat(QuantizedMultiplier.multiply(100, 3 << 29, 2, Rounding.DOUBLE)).isEqualTo(300);
        assertThat(QuantizedMultiplier.multiply(100, 3 << 29, 2, Rounding.SINGLE)).isEqualTo(300);
    }

    @Test
    void doubleRoundingRoundsTwiceSingleRoundingOnce() {
        // 1 * 0.75 / 2 = 0.375, nearest 0. Double: SRDHM(1, 3*2^29) = 0.75 -> 1, then
        // RDBP(1, 1) = 0.5 -> 1 (away): 1. Single: (3*2^29 + 2^31) >> 32 = 3758096384 >> 32 = 0.
        assertThat(QuantizedMultiplier.multiply(1, 3 << 29, -1, Rounding.DOUBLE)).isEqualTo(1);
        assertThat(QuantizedMultiplier.multiply(1, 3 << 29, -1, Rounding.SINGLE)).isEqualTo(0);
        // -2 * 0.5 / 2 = -0.5, a tie. Double: SRDHM(-2, 2^30) = -1 exactly, RDBP(-1, 1) = -0.5 ->
        // -1 (away from zero). Single: (-2^31 + 2^31) >> 32 = 0 (ties up).
        assertThat(QuantizedMultiplier.multiply(-2, 1 << 30, -1, Rounding.DOUBLE)).isEqualTo(-1);
        assertThat(QuantizedMultiplier.multiply(-2, 1 << 30, -1, Rounding.SINGLE)).isEqualTo(0);
        // 2 * 0.5 / 2 = 0.5: both give 1 (away from zero / up agree for positive ties).
        assertThat(QuantizedMultiplier.multiply(2, 1 << 30, -1, Rounding.DOUBLE)).isEqualTo(1);
        assertThat(QuantizedMultiplier.multiply(2, 1 << 30, -1, Rounding.SINGLE)).isEqualTo(1);
    }

    @Test
    void doubleHalfUpBreaksTheShiftsTiesUpwards() {
        // -28416 * 0.5 / 2^8: SRDHM(-28416, 2^30) = -14208 exactly; -14208 / 256 = -55.5, a tie.
        // Reference: away from zero, -56. ruy on x86 / NEON GEMV: (-14208 + 128) >> 8 = -55.
        assertThat(QuantizedMultiplier.multiply(-28416, 1 << 30, -8, Rounding.DOUBLE)).isEqualTo(-56);
        assertThat(QuantizedMultiplier.multiply(-28416, 1 << 30, -8, Rounding.DOUBLE_HALF_UP)).isEqualTo(-55);
        // A positive tie rounds up in both: 28416 -> 55.5 -> 56.
        assertThat(QuantizedMultiplier.multiply(28416, 1 << 30, -8, Rounding.DOUBLE_HALF_UP)).isEqualTo(56);
        // First rounding: -3 * 0.5 = -1.5 -> (-3 * 2^30 + 2^30) >> 31 = floor(-1) = -1, as SRDHM.
        assertThat(QuantizedMultiplier.multiply(-3, 1 << 30, 0, Rounding.DOUBLE_HALF_UP)).isEqualTo(-1);
        // Not a tie: -27330 * 0.0020308 = -55.5019: SRDHM gives -14208.49 -> -14208, and the shift
        // then sees -55.5 exactly: this is how a value just past a half rounds towards zero.
        int m = (int) Math.round(0.0020308046 * 256 * (1L << 31));
        assertThat(QuantizedMultiplier.multiply(-27330, m, -8, Rounding.DOUBLE)).isEqualTo(-56);
        assertThat(QuantizedMultiplier.multiply(-27330, m, -8, Rounding.DOUBLE_HALF_UP)).isEqualTo(-55);
        // The shift's overflow lane: high = 2^31 - 1 (x = m = 2^31 - 1, left shift 1 wraps x to -2, so
        // use shift -1 with x * m near 2^62): (2^31-1)^2 / 2^31 = 2^31 - 2 + ..., + 1 fits: 2^30 - 1.
        assertThat(QuantizedMultiplier.multiply(MAX, MAX, -1, Rounding.DOUBLE_HALF_UP)).isEqualTo((1 << 30) - 1);
    }

    @Test
    void ruyNeonTruncatesTheHighMultiplyThenRoundsTheShift() {
        // No right shift: sqdmulh truncates. -3 * 0.5 = -1.5 -> floor -2; 3 * 0.5 = 1.5 -> 1.
        assertThat(QuantizedMultiplier.multiply(-3, 1 << 30, 0, Rounding.RUY_NEON)).isEqualTo(-2);
        assertThat(QuantizedMultiplier.multiply(3, 1 << 30, 0, Rounding.RUY_NEON)).isEqualTo(1);
        assertThat(QuantizedMultiplier.multiply(3, 1 << 30, 0, Rounding.SINGLE)).isEqualTo(2);
        // A left shift is applied first and also truncated: 3 << 1 = 6, * 0.75 = 4.5 -> 4.
        assertThat(QuantizedMultiplier.multiply(3, 3 << 29, 1, Rounding.RUY_NEON)).isEqualTo(4);
        // With a right shift it is one rounding (ties up), as SINGLE: 1 * 0.75 / 2 = 0.375 -> 0
        // (DOUBLE gives 1); -2 * 0.5 / 2 = -0.5 -> 0 (DOUBLE: -1).
        assertThat(QuantizedMultiplier.multiply(1, 3 << 29, -1, Rounding.RUY_NEON)).isEqualTo(0);
        assertThat(QuantizedMultiplier.multiply(-2, 1 << 30, -1, Rounding.RUY_NEON)).isEqualTo(0);
        assertThat(QuantizedMultiplier.multiply(-2, 1 << 30, -1, Rounding.SINGLE)).isEqualTo(0);
    }

    @Test
    void overflowWrapsAsTheCompiledCodeDoes() {
        // Double: the pre-shift 2^30 * 4 = 2^32 wraps to 0 in int32, so the result is 0.
        assertThat(QuantizedMultiplier.multiply(1 << 30, 1 << 30, 2, Rounding.DOUBLE)).isEqualTo(0);
        // Single: 2^30 * 2^30 + 2^28 >> 29 = 2^31 (+ a fraction) -> static_cast<int32_t> = -2^31.
        assertThat(QuantizedMultiplier.multiply(1 << 30, 1 << 30, 2, Rounding.SINGLE)).isEqualTo(MIN);
        // MIN * MIN saturates in SRDHM: x = MIN, m = MIN, shift 0 -> MAX.
        assertThat(QuantizedMultiplier.multiply(MIN, MIN, 0, Rounding.DOUBLE)).isEqualTo(MAX);
    }

    @Test
    void shiftRanges() {
        assertThatThrownBy(() -> QuantizedMultiplier.multiply(1, 1 << 30, 31, Rounding.SINGLE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[-31, 30]");
        assertThatThrownBy(() -> QuantizedMultiplier.multiply(1, 1 << 30, -32, Rounding.DOUBLE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[-31, 31]");
        // shift -31: 2^30 * 2^30 / 2^31 = 2^29, RDBP(2^29, 31) = 0.25 -> 0.
        assertThat(QuantizedMultiplier.multiply(1 << 30, 1 << 30, -31, Rounding.DOUBLE)).isEqualTo(0);
        // shift 30 (single): x=1, m=2^30: (2^30 + 2^0) >> 1 = 2^29 (0.5 * 2^30).
        assertThat(QuantizedMultiplier.multiply(1, 1 << 30, 30, Rounding.SINGLE)).isEqualTo(1 << 29);
    }

    @Test
    void oneSidedVariants() {
        // SmallerThanOneExp (double): RDBP(SRDHM(100, 2^30) = 50, 2) = 12.5 -> 13.
        // Single: (100 * 2^30 + 2^32) >> 33 = 111669149696 >> 33 = 13.
        assertThat(QuantizedMultiplier.multiplySmallerThanOneExp(100, 1 << 30, -2, Rounding.DOUBLE)).isEqualTo(13);
        assertThat(QuantizedMultiplier.multiplySmallerThanOneExp(100, 1 << 30, -2, Rounding.SINGLE)).isEqualTo(13);
        // -50 * 0.5 / 4 = -6.25 -> -6 both ways.
        assertThat(QuantizedMultiplier.multiplySmallerThanOneExp(-50, 1 << 30, -2, Rounding.DOUBLE)).isEqualTo(-6);
        // GreaterThanOne (double): SRDHM(100 * 4, 3*2^29) = 300.
        assertThat(QuantizedMultiplier.multiplyGreaterThanOne(100, 3 << 29, 2, Rounding.DOUBLE)).isEqualTo(300);
        assertThat(QuantizedMultiplier.multiplyGreaterThanOne(100, 3 << 29, 2, Rounding.SINGLE)).isEqualTo(300);
        // GreaterThanOne with a negative input and a tie: -1 * 2 * 0.75 = -1.5 -> SRDHM tie up -> -1.
        assertThat(QuantizedMultiplier.multiplyGreaterThanOne(-1, 3 << 29, 1, Rounding.DOUBLE)).isEqualTo(-1);
    }

    @Test
    void int64Variant() {
        // m = 2^30 reduces to (2^30 + 2^15) >> 16 = 16384; shift -1 -> total shift 16:
        // (1000 * 16384 + 2^15) >> 16 = 16416768 >> 16 = 250 (1000 * 0.5 / 2 = 250).
        assertThat(QuantizedMultiplier.multiply(1000L, 1 << 30, -1)).isEqualTo(250);
        // 3 * 0.25 = 0.75: (49152 + 32768) >> 16 = 81920 >> 16 = 1.
        assertThat(QuantizedMultiplier.multiply(3L, 1 << 30, -1)).isEqualTo(1);
        // -1 * 0.5 = -0.5, a tie, goes up: (-16384 + 16384) >> 15 = 0.
        assertThat(QuantizedMultiplier.multiply(-1L, 1 << 30, 0)).isEqualTo(0);
        // -3 * 0.5 = -1.5 -> -1: (-49152 + 16384) >> 15 = -32768 >> 15 = -1.
        assertThat(QuantizedMultiplier.multiply(-3L, 1 << 30, 0)).isEqualTo(-1);
        // Accumulators beyond int32: 2^40 * 0.5 / 2^10 = 2^29: shift -10, total 25:
        // (2^40 * 2^14 + 2^24) >> 25 = 2^29.
        assertThat(QuantizedMultiplier.multiply(1L << 40, 1 << 30, -10)).isEqualTo(1 << 29);
        // Near the top the reduced multiplier is clamped to 0x7FFF rather than rounding to 2^15.
        // m = 0x7FFF0000: 2^16 * 0x7FFF >> 15 = 2 * 0x7FFF = 65534.
        assertThat(QuantizedMultiplier.multiply(1L << 16, 0x7FFF0000, 0)).isEqualTo(65534);
        // m = 0x7FFEFFFF rounds: (0x7FFEFFFF + 0x8000) >> 16 = 0x7FFF as well.
        assertThat(QuantizedMultiplier.multiply(1L << 16, 0x7FFEFFFF, 0)).isEqualTo(65534);
        // m = 2^31 - 1 would round to 2^15; clamped: same 0x7FFF.
        assertThat(QuantizedMultiplier.multiply(1L << 16, MAX, 0)).isEqualTo(65534);
        // The 16-bit multiplier costs precision: m = 2^30 + 2^15 reduces to (2^30 + 2^16) >> 16
        // = 16385, so 2^20 * m comes out as 2^20 * 16385 >> 15 = 524320, where the exact product
        // 2^20 * (2^30 + 2^15) / 2^31 is 524304.
        assertThat(QuantizedMultiplier.multiply(1L << 20, (1 << 30) + (1 << 15), 0)).isEqualTo(524320);
    }

    @Test
    void int32PathsMatchAnExactModelOnSeededRandomInputs() {
        SplittableRandom r = new SplittableRandom(42);
        BigInteger twoTo31 = BigInteger.ONE.shiftLeft(31);
        for (int i = 0; i < 300_000; i++) {
            int x = interesting(r);
            int m = r.nextInt(8) == 0 ? interesting(r) : r.nextInt(1 << 30, MAX) + r.nextInt(2);
            int shift = r.nextInt(-31, 31);

            // Double rounding, from its definition: wrap the pre-shift to int32, round x*m/2^31
            // to nearest with ties up (saturating MIN*MIN), then divide by 2^right rounding ties
            // away from zero.
            int left = Math.max(shift, 0);
            int right = Math.max(-shift, 0);
            int shifted = BigInteger.valueOf(x).shiftLeft(left).intValue();
            BigInteger high = (shifted == MIN && m == MIN) ? BigInteger.valueOf(MAX)
                    : divRoundHalfUp(BigInteger.valueOf(shifted).multiply(BigInteger.valueOf(m)), twoTo31);
            int expectedDouble = divRoundHalfAwayFromZero(high, BigInteger.ONE.shiftLeft(right)).intValueExact();
            assertThat(QuantizedMultiplier.multiply(x, m, shift, Rounding.DOUBLE))
                    .as("double MBQM(%d, %d, %d)", x, m, shift).isEqualTo(expectedDouble);

            // Single rounding: x*m/2^(31-shift) to nearest with ties up, truncated to 32 bits.
            int totalShift = 31 - shift;
            int expectedSingle = divRoundHalfUp(BigInteger.valueOf(x).multiply(BigInteger.valueOf(m)),
                    BigInteger.ONE.shiftLeft(totalShift)).intValue();
            assertThat(QuantizedMultiplier.multiply(x, m, shift, Rounding.SINGLE))
                    .as("single MBQM(%d, %d, %d)", x, m, shift).isEqualTo(expectedSingle);
        }
    }

    @Test
    void int64PathMatchesAnExactModelOnSeededRandomInputs() {
        SplittableRandom r = new SplittableRandom(43);
        for (int i = 0; i < 100_000; i++) {
            long x = r.nextLong(-(1L << 47), 1L << 47);
            int m = r.nextInt(1 << 30, MAX);
            int shift = r.nextInt(-31, 8);
            int reduced = m >= 0x7FFF0000 ? 0x7FFF
                    : divRoundHalfUp(BigInteger.valueOf(m), BigInteger.ONE.shiftLeft(16)).intValueExact();
            int expected = divRoundHalfUp(BigInteger.valueOf(x).multiply(BigInteger.valueOf(reduced)),
                    BigInteger.ONE.shiftLeft(15 - shift)).intValue();
            assertThat(QuantizedMultiplier.multiply(x, m, shift)).as("MBQM64(%d, %d, %d)", x, m, shift).isEqualTo(expected);
        }
    }

    @Test
    void applyAndToDouble() {
        QuantizedMultiplier half = new QuantizedMultiplier(1 << 30, 0);
        assertThat(half.toDouble()).isEqualTo(0.5);
        assertThat(half.apply(7, Rounding.DOUBLE)).isEqualTo(4);
        assertThat(half.apply(7L)).isEqualTo(4);   // (7 * 16384 + 16384) >> 15 = 4
        assertThat(new QuantizedMultiplier(3 << 29, -3).toDouble()).isEqualTo(0.75 / 8);
    }
}
