package io.litebit.reference.fixedpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The aarch64 conversions and NEON multiplier, values derived by hand. */
class Aarch64MathTest {

    @Test
    void fcvtnsRoundsTiesToEvenAndSaturates() {
        assertThat(Aarch64Math.roundHalfEvenToInt32(2.5f)).isEqualTo(2);
        assertThat(Aarch64Math.roundHalfEvenToInt32(3.5f)).isEqualTo(4);
        assertThat(Aarch64Math.roundHalfEvenToInt32(-2.5f)).isEqualTo(-2);
        assertThat(Aarch64Math.roundHalfEvenToInt32(-2.6f)).isEqualTo(-3);
        // Saturating, NaN to 0 (x86's cvtss2si would give 0x80000000 for all three).
        assertThat(Aarch64Math.roundHalfEvenToInt32(3e9f)).isEqualTo(Integer.MAX_VALUE);
        assertThat(Aarch64Math.roundHalfEvenToInt32(-3e9f)).isEqualTo(Integer.MIN_VALUE);
        assertThat(Aarch64Math.roundHalfEvenToInt32(Float.NaN)).isZero();
    }

    @Test
    void fcvtasRoundsTiesAwayAndTheWideningPathWraps() {
        assertThat(Aarch64Math.roundHalfAwayToInt32(2.5)).isEqualTo(3);
        assertThat(Aarch64Math.roundHalfAwayToInt32(-2.5)).isEqualTo(-3);
        assertThat(Aarch64Math.roundHalfAwayToInt32(-0.49999999999999994)).isZero();
        assertThat(Aarch64Math.roundHalfAwayToInt32(3e9)).isEqualTo(Integer.MAX_VALUE);
        assertThat(Aarch64Math.roundHalfAwayToInt32(Double.NaN)).isZero();
        // 64-bit conversion then xtn: 3,000,000,000 - 2^32 = -1,294,967,296.
        assertThat(Aarch64Math.roundHalfAwayToInt64Low32(3e9)).isEqualTo(-1_294_967_296);
        assertThat(Aarch64Math.roundHalfAwayToInt64Low32(-2.5)).isEqualTo(-3);
        assertThat(Aarch64Math.roundHalfAwayToInt64Low32(Double.NaN)).isZero();
    }

    @Test
    void neonMultiplierRoundsItsRightShiftHalfUp() {
        // Multiplier 0.25 = 2^30 * 2^(-1 - 31): QuantizeMultiplier(0.25) is (2^30, -1).
        int m = 1 << 30;
        // x = -2: SRDHM(-2, 2^30) = -1 exactly; the shift by 1 sees -0.5: NEON (-1 + 1) >> 1 = 0,
        // RoundingDivideByPOT -1 (away from zero).
        assertThat(QuantizedMultiplier.multiplyDoubleHalfUp(-2, m, -1)).isZero();
        assertThat(QuantizedMultiplier.multiply(-2, m, -1, Rounding.DOUBLE)).isEqualTo(-1);
        // x = -6: SRDHM = -3, then -1.5: NEON -1, reference -2.
        assertThat(QuantizedMultiplier.multiplyDoubleHalfUp(-6, m, -1)).isEqualTo(-1);
        assertThat(QuantizedMultiplier.multiply(-6, m, -1, Rounding.DOUBLE)).isEqualTo(-2);
        // x = -3: SRDHM(-3, 2^30) = -1.5, ties up to -1; then -0.5 again: NEON 0, reference -1.
        assertThat(QuantizedMultiplier.multiplyDoubleHalfUp(-3, m, -1)).isZero();
        assertThat(QuantizedMultiplier.multiply(-3, m, -1, Rounding.DOUBLE)).isEqualTo(-1);
        // Positive halves round up in both: 2 -> 1 -> 0.5 -> 1; 6 -> 3 -> 1.5 -> 2.
        assertThat(QuantizedMultiplier.multiplyDoubleHalfUp(2, m, -1)).isEqualTo(1);
        assertThat(QuantizedMultiplier.multiplyDoubleHalfUp(6, m, -1)).isEqualTo(2);
        // A left shift (multiplier 2 = 2^30 * 2^(2 - 31)): 5 << 2 = 20, SRDHM(20, 2^30) = 10, no right shift.
        assertThat(QuantizedMultiplier.multiplyDoubleHalfUp(5, m, 2)).isEqualTo(10);
        // The rounding add does not overflow: SRDHM(2^31 - 1, 2^31 - 1) = 2^31 - 2 (rounded),
        // + 2^30 then >> 31 = 1 (an int32 add would wrap negative).
        assertThat(QuantizedMultiplier.multiplyDoubleHalfUp(Integer.MAX_VALUE, Integer.MAX_VALUE, -31)).isEqualTo(1);
        assertThatThrownBy(() -> QuantizedMultiplier.multiplyDoubleHalfUp(1, m, 32))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
