package io.litebit.reference.fixedpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * XNNPACK's arithmetic, each expected value derived by hand in the comments (the rounding rule
 * applied to the exact real value), including the cases where TFLite's own arithmetic would give
 * a different result.
 */
class XnnpackMathTest {

    @Test
    void fp32RequantizationRoundsHalvesToEvenAfterAFloatClamp() {
        // 3 * 0.5 = 1.5 -> 2; 5 * 0.5 = 2.5 -> 2 (TFLite's fixed point would give 3); -5 * 0.5 = -2.5 -> -2.
        assertThat(XnnpackMath.requantizeFp32(3, 0.5f, 0, -128, 127)).isEqualTo(2);
        assertThat(XnnpackMath.requantizeFp32(5, 0.5f, 0, -128, 127)).isEqualTo(2);
        assertThat(XnnpackMath.requantizeFp32(-5, 0.5f, 0, -128, 127)).isEqualTo(-2);
        // 7 * 0.5 = 3.5 -> 4, plus zero point 10 = 14.
        assertThat(XnnpackMath.requantizeFp32(7, 0.5f, 10, -128, 127)).isEqualTo(14);
        // 1000 clamps to 127 - 10 = 117 before the zero point: 127. -1000 -> -128.
        assertThat(XnnpackMath.requantizeFp32(1000, 1f, 10, -128, 127)).isEqualTo(127);
        assertThat(XnnpackMath.requantizeFp32(-1000, 1f, 10, -128, 127)).isEqualTo(-128);
        // The accumulator is first rounded to float: 2^24 + 1 becomes 2^24, so 2^-24 scales it to exactly 1.0 -> 1,
        // and 2^24 + 3 becomes 2^24 + 4 (a tie, to even): times 2^-2 gives 4194305.
        assertThat(XnnpackMath.requantizeFp32((1 << 24) + 3, 0.25f, 0, Integer.MIN_VALUE, Integer.MAX_VALUE - 1))
                .isEqualTo(4_194_305);
    }

    @Test
    void convScaleIsAFloatProductThenAFloatQuotient() {
        // 0.1f * 0.2f rounds to float before the division by 0.3f.
        float product = 0.1f * 0.2f;
        assertThat(XnnpackMath.convScale(0.1f, 0.2f, 0.3f)).isEqualTo(product / 0.3f);
    }

    @Test
    void activationBoundsAreQuantizedInFloatWithTiesToEven() {
        // 6 / 2.3190582 = 2.5872... + 84 = 86.587... -> 87.
        assertThat(XnnpackMath.quantizeBound(6f, 2.3190582f, 84, -128, 127)).isEqualTo(87);
        // 0.5 / 1 + 0 = 0.5 -> 0 (TFLite's CalculateActivationRangeQuantized rounds it away to 1).
        assertThat(XnnpackMath.quantizeBound(0.5f, 1f, 0, -128, 127)).isEqualTo(0);
        // No activation: the infinite bounds saturate to the type.
        assertThat(XnnpackMath.quantizeBound(Float.NEGATIVE_INFINITY, 0.1f, 3, -128, 127)).isEqualTo(-128);
        assertThat(XnnpackMath.quantizeBound(Float.POSITIVE_INFINITY, 0.1f, 3, 0, 255)).isEqualTo(255);
    }

    @Test
    void q8RequantizationRoundsHalvesUp() {
        // lrintf(256 * 0.5) = 128; lrintf(256 / 3) = lrintf(85.33) = 85.
        assertThat(XnnpackMath.q8Multiplier(0.5f)).isEqualTo(128);
        assertThat(XnnpackMath.q8Multiplier(1f / 3f)).isEqualTo(85);
        // 3 * 0.5 = 1.5: (0 + 128 + 384) >> 8 = 2. -3 * 0.5 = -1.5: (128 - 384) >> 8 = -1 (towards +infinity).
        assertThat(XnnpackMath.q8Requantize(3, 128, 0, -128, 127)).isEqualTo(2);
        assertThat(XnnpackMath.q8Requantize(-3, 128, 0, -128, 127)).isEqualTo(-1);
        // zero point 5: (5 << 8) + 128 + 10 * 128 = 2688 >> 8 = 10; saturation at 127.
        assertThat(XnnpackMath.q8Requantize(10, 128, 5, -128, 127)).isEqualTo(10);
        assertThat(XnnpackMath.q8Requantize(1000, 256, 0, -128, 127)).isEqualTo(127);
    }

    @Test
    void floatQuantizationMultipliesByTheReciprocalAndRoundsHalvesToEven() {
        // 2.5 -> 2, 3.5 -> 4, -2.5 -> -2; zero point 1 is added after rounding.
        assertThat(XnnpackMath.quantizeFloat(2.5f, 1f, 0, -128, 127)).isEqualTo(2);
        assertThat(XnnpackMath.quantizeFloat(3.5f, 1f, 1, -128, 127)).isEqualTo(5);
        assertThat(XnnpackMath.quantizeFloat(-2.5f, 1f, 0, -128, 127)).isEqualTo(-2);
        assertThat(XnnpackMath.quantizeFloat(1e10f, 1f, 0, -128, 127)).isEqualTo(127);
        assertThat(XnnpackMath.quantizeFloat(Float.NaN, 1f, 0, -128, 127)).isEqualTo(-128);
    }

    @Test
    void referenceRoundingTakesHalvesAwayFromZero() {
        assertThat(XnnpackMath.roundHalfAway(2.5f, -128, 127)).isEqualTo(3);
        assertThat(XnnpackMath.roundHalfAway(-2.5f, -128, 127)).isEqualTo(-3);
        assertThat(XnnpackMath.roundHalfAway(2.4999998f, -128, 127)).isEqualTo(2);
        assertThat(XnnpackMath.roundHalfAway(300f, -128, 127)).isEqualTo(127);
        assertThat(XnnpackMath.roundHalfAway(Float.NaN, -128, 127)).isEqualTo(0);
    }

    @Test
    void addUsesTwentyOneBitMultipliersUnderACommonShift() {
        // ratios 0.5 and 0.25: the larger has exponent -1, so shift = 20 + 1 = 21,
        // multipliers 0.5 * 2^21 = 2^20 and 0.25 * 2^21 = 2^19, bias = 2^20 (the rounding half).
        XnnpackMath.AddParams p = XnnpackMath.AddParams.of(0.5f, 0, 0.25f, 0, 1f, 0, -128, 127);
        assertThat(p.shift()).isEqualTo(21);
        assertThat(p.aMultiplier()).isEqualTo(1 << 20);
        assertThat(p.bMultiplier()).isEqualTo(1 << 19);
        assertThat(p.bias()).isEqualTo(1 << 20);
        // 3 * 0.5 + 2 * 0.25 = 2.0 -> 2; 1 * 0.5 + 1 * 0.25 = 0.75 -> 1; 0.5 -> 1 and -0.5 -> 0 (halves up).
        assertThat(p.add(3, 2)).isEqualTo(2);
        assertThat(p.add(1, 1)).isEqualTo(1);
        assertThat(p.add(1, 0)).isEqualTo(1);
        assertThat(p.add(-1, 0)).isEqualTo(0);
        // zero points fold into the bias: a_zp 4 makes a = 7 read as 3.
        XnnpackMath.AddParams z = XnnpackMath.AddParams.of(0.5f, 4, 0.25f, 0, 1f, 0, -128, 127);
        assertThat(z.add(7, 2)).isEqualTo(2);
    }

    @Test
    void subtractIsAddWithTheSecondScaleNegated() {
        // 3 * 0.5 - 2 * 0.25 = 1.0 -> 1.
        XnnpackMath.AddParams p = XnnpackMath.AddParams.of(0.5f, 0, -0.25f, 0, 1f, 0, -128, 127);
        assertThat(p.bMultiplier()).isEqualTo(-(1 << 19));
        assertThat(p.add(3, 2)).isEqualTo(1);
    }

    @Test
    void addRefusesScaleRatiosXnnpackDoesNotTake() {
        assertThat(XnnpackMath.AddParams.of(1f, 0, 1f, 0, 1024f, 0, -128, 127).shift()).isEqualTo(30);
        assertThatThrownBy(() -> XnnpackMath.AddParams.of(1f, 0, 1f, 0, 2048f, 0, -128, 127))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2^-10, 2^8)");
        assertThatThrownBy(() -> XnnpackMath.AddParams.of(256f, 0, 1f, 0, 1f, 0, -128, 127))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
