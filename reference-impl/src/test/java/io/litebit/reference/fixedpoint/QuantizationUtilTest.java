package io.litebit.reference.fixedpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** QuantizeMultiplier and the other Prepare-time derivations of quantization_util.cc. */
class QuantizationUtilTest {

    private static QuantizedMultiplier qm(int multiplier, int shift) {
        return new QuantizedMultiplier(multiplier, shift);
    }

    private static QuantizedMultiplier q(double m) {
        return QuantizationUtil.quantizeMultiplier(m, Rounding.DOUBLE);
    }

    private static QuantizedMultiplier q1(double m) {
        return QuantizationUtil.quantizeMultiplier(m, Rounding.SINGLE);
    }

    @Test
    void convention() {
        // frexp(0.5) = 0.5 * 2^0; round(0.5 * 2^31) = 2^30: the significand lives in [2^30, 2^31)
        // and a positive shift multiplies.
        assertThat(q(0.5)).isEqualTo(qm(1 << 30, 0));
        assertThat(q(1.0)).isEqualTo(qm(1 << 30, 1));       // 0.5 * 2^1
        assertThat(q(0.75)).isEqualTo(qm(1610612736, 0));   // 0.75 * 2^31
        assertThat(q(3.0)).isEqualTo(qm(1610612736, 2));    // 0.75 * 2^2
        assertThat(q(0.25)).isEqualTo(qm(1 << 30, -1));
        assertThat(q(0.0)).isEqualTo(qm(0, 0));
        // frexp(-0.5) = -0.5 * 2^0: negative multipliers keep the sign in the significand.
        assertThat(q(-0.5)).isEqualTo(qm(-(1 << 30), 0));
        // 0.0123 = 0.7872 * 2^-6; 0.7872 * 2^31 = 1690499127.7056 -> 1690499128.
        assertThat(q(0.0123)).isEqualTo(qm(1690499128, -6));
    }

    @Test
    void roundingOfTheSignificandGoesAwayFromZero() {
        // 0.5 + 2^-32 = (0.5 + 2^-32) * 2^0; times 2^31 = 2^30 + 0.5 -> 2^30 + 1.
        assertThat(q(0.5 + 0x1p-32)).isEqualTo(qm((1 << 30) + 1, 0));
        assertThat(q(-(0.5 + 0x1p-32))).isEqualTo(qm(-((1 << 30) + 1), 0));
        // 0.5 + 2^-33: 2^30 + 0.25 -> 2^30.
        assertThat(q(0.5 + 0x1p-33)).isEqualTo(qm(1 << 30, 0));
    }

    @Test
    void significandRoundedUpToTwoTo31IsHalvedAndTheShiftGrows() {
        // 1 - 2^-33 = (1 - 2^-33) * 2^0: times 2^31 = 2^31 - 0.25 -> 2^31, which does not fit;
        // TFLite halves it to 2^30 and adds one to the shift: (2^30, 1), i.e. exactly 1.0.
        assertThat(q(1 - 0x1p-33)).isEqualTo(qm(1 << 30, 1));
        // 1 - 2^-32: 2^31 - 0.5, a tie, away from zero -> 2^31 -> (2^30, 1).
        assertThat(q(1 - 0x1p-32)).isEqualTo(qm(1 << 30, 1));
        // 1 - 3 * 2^-33: 2^31 - 0.75 -> 2^31 - 1, fits.
        assertThat(q(1 - 3 * 0x1p-33)).isEqualTo(qm(Integer.MAX_VALUE, 0));
        // The same carry at another exponent: (1 - 2^-33) * 2^-10 -> (2^30, -9).
        assertThat(q((1 - 0x1p-33) * 0x1p-10)).isEqualTo(qm(1 << 30, -9));
    }

    @Test
    void tinyMultipliersFlushToZero() {
        // 2^-31 = 0.5 * 2^-30 -> (2^30, -30); 2^-32 = 0.5 * 2^-31 -> (2^30, -31), the last one kept.
        assertThat(q(0x1p-31)).isEqualTo(qm(1 << 30, -30));
        assertThat(q(0x1p-32)).isEqualTo(qm(1 << 30, -31));
        // 0.99 * 2^-32 = 0.99 * 2^-32: shift -32 < -31 -> (0, 0). Same for 2^-33 and subnormals.
        assertThat(q(0.99 * 0x1p-32)).isEqualTo(qm(0, 0));
        assertThat(q(0x1p-33)).isEqualTo(qm(0, 0));
        assertThat(q(Double.MIN_VALUE)).isEqualTo(qm(0, 0));
        // (1 - 2^-33) * 2^-32 has shift -32, but the carry lifts it to (2^30, -31): kept.
        assertThat(q((1 - 0x1p-33) * 0x1p-32)).isEqualTo(qm(1 << 30, -31));
    }

    @Test
    void singleRoundingClampsLargeShifts() {
        // 2^29 = 0.5 * 2^30: shift 30, allowed in both builds.
        assertThat(q(0x1p29)).isEqualTo(qm(1 << 30, 30));
        assertThat(q1(0x1p29)).isEqualTo(qm(1 << 30, 30));
        // 2^30 = 0.5 * 2^31: shift 31; the single-rounding build saturates to (2^31 - 1, 30).
        assertThat(q(0x1p30)).isEqualTo(qm(1 << 30, 31));
        assertThat(q1(0x1p30)).isEqualTo(qm(Integer.MAX_VALUE, 30));
        assertThat(q1(1e12)).isEqualTo(qm(Integer.MAX_VALUE, 30));
        // Below the clamp both builds agree.
        assertThat(q1(0.0123)).isEqualTo(q(0.0123));
    }

    @Test
    void nonFiniteMultipliersGiveZeroAsOnX86() {
        // frexp(inf) = (inf, 0); round(inf * 2^31) -> (int64) is INT64_MIN on x86-64, whose int32
        // truncation is 0. NaN takes the same path.
        assertThat(q(Double.POSITIVE_INFINITY)).isEqualTo(qm(0, 0));
        assertThat(q(Double.NEGATIVE_INFINITY)).isEqualTo(qm(0, 0));
        assertThat(q(Double.NaN)).isEqualTo(qm(0, 0));
    }

    @Test
    void emulatedFloatBuildTruncatesTies() {
        // 0.5 + 2^-32: the double's fraction field is 2^21; its top 30 bits are 0 and the
        // dropped 22 bits are exactly 0x200000, a tie, which IntegerFrExp does not round up:
        // (2^30, 0), one below the standard build's (2^30 + 1, 0).
        assertThat(QuantizationUtil.quantizeMultiplierEmulatedFloat(0.5 + 0x1p-32, Rounding.DOUBLE)).isEqualTo(qm(1 << 30, 0));
        // Above the tie both round up: 0.5 + 3 * 2^-33 has dropped bits 0x300000 -> 2^30 + 1.
        assertThat(QuantizationUtil.quantizeMultiplierEmulatedFloat(0.5 + 3 * 0x1p-33, Rounding.DOUBLE))
                .isEqualTo(qm((1 << 30) + 1, 0));
        assertThat(q(0.5 + 3 * 0x1p-33)).isEqualTo(qm((1 << 30) + 1, 0));
        // 1 - 2^-33: top 30 fraction bits all ones, dropped bits 0x300000 -> +1 carries to 2^31
        // -> halved: (2^30, 1), like the standard build.
        assertThat(QuantizationUtil.quantizeMultiplierEmulatedFloat(1 - 0x1p-33, Rounding.DOUBLE)).isEqualTo(qm(1 << 30, 1));
        // IntegerFrExp of -0.75: exponent field 1022 -> shift 0; fraction 2^30 + (0.5 in the 30
        // fraction bits = 2^29) = 3 * 2^29, negated.
        assertThat(QuantizationUtil.integerFrExp(-0.75)).isEqualTo(new QuantizationUtil.IntegerFrexp(-(3L << 29), 0));
        assertThat(QuantizationUtil.integerFrExp(0.0)).isEqualTo(new QuantizationUtil.IntegerFrexp(0, 0));
        assertThat(QuantizationUtil.integerFrExp(Double.NEGATIVE_INFINITY))
                .isEqualTo(new QuantizationUtil.IntegerFrexp(Long.MIN_VALUE, Integer.MAX_VALUE));
        assertThatThrownBy(() -> QuantizationUtil.quantizeMultiplierEmulatedFloat(Double.NaN, Rounding.DOUBLE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneSidedVariantsCheckTheirRange() {
        assertThat(QuantizationUtil.quantizeMultiplierSmallerThanOneExp(0.25, Rounding.DOUBLE)).isEqualTo(qm(1 << 30, -1));
        assertThat(QuantizationUtil.quantizeMultiplierGreaterThanOne(3.0, Rounding.DOUBLE)).isEqualTo(qm(1610612736, 2));
        assertThatThrownBy(() -> QuantizationUtil.quantizeMultiplierSmallerThanOneExp(1.0, Rounding.DOUBLE))
                .hasMessageContaining("TFLITE_CHECK_LT(double_multiplier, 1.)");
        assertThatThrownBy(() -> QuantizationUtil.quantizeMultiplierSmallerThanOneExp(0.0, Rounding.DOUBLE))
                .hasMessageContaining("TFLITE_CHECK_GT(double_multiplier, 0.)");
        assertThatThrownBy(() -> QuantizationUtil.quantizeMultiplierSmallerThanOneExp(Double.NaN, Rounding.DOUBLE))
                .isInstanceOf(IllegalArgumentException.class);
        // 1 - 2^-33 is below one, but its significand carries to shift 1: TFLITE_CHECK_LE(shift, 0) fails.
        assertThatThrownBy(() -> QuantizationUtil.quantizeMultiplierSmallerThanOneExp(1 - 0x1p-33, Rounding.DOUBLE))
                .hasMessageContaining("TFLITE_CHECK_LE(shift, 0)");
        assertThatThrownBy(() -> QuantizationUtil.quantizeMultiplierGreaterThanOne(1.0, Rounding.DOUBLE))
                .hasMessageContaining("TFLITE_CHECK_GT(double_multiplier, 1.)");
    }

    @Test
    void matchesAnExactModelOnSeededRandomMultipliers() {
        SplittableRandom r = new SplittableRandom(5);
        BigDecimal twoTo31 = new BigDecimal(1L << 31);
        for (int i = 0; i < 100_000; i++) {
            double m = Math.scalb(1 + r.nextDouble(), r.nextInt(-40, 40)) * (r.nextInt(10) == 0 ? -1 : 1);
            if (r.nextInt(20) == 0) {
                // Values a hair below a power of two exercise the carry.
                m = Math.scalb(1 - Math.scalb((double) r.nextInt(1, 8), -34), r.nextInt(-35, 35));
            }
            // Exact model: |m| = q * 2^e with q in [0.5, 1); significand = q * 2^31 rounded half
            // away from zero in exact decimal arithmetic; carry, underflow and clamp as specified.
            int e = Math.getExponent(m) + 1;
            BigDecimal significand = new BigDecimal(m).multiply(twoTo31).multiply(powerOfTwo(-e))
                    .setScale(0, RoundingMode.HALF_UP);   // BigDecimal's HALF_UP rounds ties away from zero
            long sig = significand.longValueExact();
            int shift = e;
            if (Math.abs(sig) == (1L << 31) && sig > 0) {
                sig /= 2;
                shift++;
            }
            if (shift < -31) {
                sig = 0;
                shift = 0;
            }
            QuantizedMultiplier expected = qm((int) sig, shift);
            assertThat(q(m)).as("QuantizeMultiplier(%s)", m).isEqualTo(expected);
            QuantizedMultiplier expectedSingle = shift > 30 ? qm(Integer.MAX_VALUE, 30) : expected;
            assertThat(q1(m)).as("single QuantizeMultiplier(%s)", m).isEqualTo(expectedSingle);
            // The significand is normalised (or zero) and reproduces m within half a unit.
            if (sig != 0) {
                assertThat(Math.abs(sig)).isBetween(1L << 30, 1L << 31);
            }
        }
    }

    /** 2^k exactly. */
    private static BigDecimal powerOfTwo(int k) {
        BigDecimal p = new BigDecimal(2).pow(Math.abs(k));
        return k >= 0 ? p : BigDecimal.ONE.divide(p);
    }

    @Test
    void softmaxPreprocessing() {
        // beta 1, input scale 0.1f = 13421773 * 2^-27, 5 integer bits: 0.1f * 2^26 = 6710886.5
        // exactly = (6710886.5 / 2^23) * 2^23; significand 6710886.5 * 2^8 = 1717986944.
        assertThat(QuantizationUtil.preprocessSoftmaxScaling(1.0, 0.1f, 5, Rounding.DOUBLE)).isEqualTo(qm(1717986944, 23));
        // A huge beta * scale is capped at 2^31 - 1 = (1 - 2^-31) * 2^31, significand 2^31 - 1, shift 31;
        // with single rounding at 2^30 - 1, significand 2^31 - 2, shift 30.
        assertThat(QuantizationUtil.preprocessSoftmaxScaling(1e6, 1.0, 5, Rounding.DOUBLE))
                .isEqualTo(qm(Integer.MAX_VALUE, 31));
        assertThat(QuantizationUtil.preprocessSoftmaxScaling(1e6, 1.0, 5, Rounding.SINGLE))
                .isEqualTo(qm(Integer.MAX_VALUE - 1, 30));
        // CalculateInputRadius(5, 23): (2^5 - 1) * 2^26 / 2^23 = 31 * 8 = 248.
        assertThat(QuantizationUtil.calculateInputRadius(5, 23)).isEqualTo(248);
        // (2^4 - 1) * 2^11 / 2^3 = 3840 for 15 signed bits.
        assertThat(QuantizationUtil.calculateInputRadius(4, 3, 15)).isEqualTo(3840);
    }

    @Test
    void reciprocal() {
        // x = 2.0 in Q12.19 (2^20): 11 leading zeros; bits over unit = 12 - 11 = 1; the sum
        // normalised to [1, 2) is exactly 1, so shifted_sum_minus_one = 0 and 1 / (1 + 0)
        // saturates to 2^31 - 1: 1/2 = (2^31 - 1) / 2^31 * 2^-1.
        QuantizationUtil.Reciprocal rec = QuantizationUtil.reciprocal(1 << 20, 12);
        assertThat(rec.numBitsOverUnit()).isEqualTo(1);
        assertThat(rec.raw()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void cppRoundingAndCasts() {
        assertThat(CppMath.round(2.5f)).isEqualTo(3f);
        assertThat(CppMath.round(-2.5f)).isEqualTo(-3f);
        assertThat(CppMath.round(0.49999997f)).isEqualTo(0f);
        assertThat(CppMath.round(-0.5f)).isEqualTo(-1f);
        assertThat(CppMath.round(0.49999999999999994)).isEqualTo(0.0);
        assertThat(CppMath.round(-1.5)).isEqualTo(-2.0);
        assertThat(CppMath.round(4503599627370497.0)).isEqualTo(4503599627370497.0);
        assertThat(CppMath.castToInt32X86(3e9f)).isEqualTo(Integer.MIN_VALUE);
        assertThat(CppMath.castToInt32X86(-3e9f)).isEqualTo(Integer.MIN_VALUE);
        assertThat(CppMath.castToInt32X86(Float.NaN)).isEqualTo(Integer.MIN_VALUE);
        assertThat(CppMath.castToInt32X86(2147483520f)).isEqualTo(2147483520);
        assertThat(CppMath.castToInt32X86(-2147483648f)).isEqualTo(Integer.MIN_VALUE);
        assertThat(CppMath.castToInt32X86(-7.9f)).isEqualTo(-7);
        assertThat(CppMath.frexp(6.0)).isEqualTo(new CppMath.Frexp(0.75, 3));
        assertThat(CppMath.frexp(-0.1)).isEqualTo(new CppMath.Frexp(-0.8, -3));
        assertThat(CppMath.frexp(Double.MIN_VALUE)).isEqualTo(new CppMath.Frexp(0.5, -1073));
        assertThat(CppMath.checkedLog2(0.25f)).isEqualTo(new CppMath.Log2(-2, true));
        assertThat(CppMath.checkedLog2(0.3f).exact()).isFalse();
    }
}
