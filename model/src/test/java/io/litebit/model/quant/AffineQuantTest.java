package io.litebit.model.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AffineQuantTest {

    // float32 nearest to 1/255: 2^31 / 255 = 8421504.50196..., so with a 24-bit significand
    // (2^23 <= 8421505 < 2^24) it is 8421505 * 2^-31 = 0x808081 * 2^-31
    // = 0.0039215688593685626983642578125 (bits 0x3B808081).
    private static final double FLOAT_OF_1_OVER_255 = 8421505 * 0x1p-31;

    @Test
    void scaleFloat32IsTheValueATfliteFileWouldStore() {
        AffineQuant q = new AffineQuant(1.0 / 255, 0, QuantDType.UINT8);

        assertThat((double) q.scaleFloat32()).isEqualTo(FLOAT_OF_1_OVER_255);
        assertThat(Float.floatToIntBits(q.scaleFloat32())).isEqualTo(0x3B808081);
        // The double keeps the converter's value, which is not the stored one.
        assertThat(q.scale()).isNotEqualTo(FLOAT_OF_1_OVER_255);
    }

    @Test
    void roundedToFloat32IsWhatTheRuntimeApplies() {
        AffineQuant q = new AffineQuant(1.0 / 255, 7, QuantDType.UINT8).roundedToFloat32();

        assertThat(q.scale()).isEqualTo(FLOAT_OF_1_OVER_255);
        assertThat(q.zeroPoint()).isEqualTo(7);
        assertThat(q.dtype()).isEqualTo(QuantDType.UINT8);
    }

    @Test
    void ofFloat32KeepsTheFileValueExactly() {
        // 0.1f: 2^27 / 10 = 13421772.8 -> 13421773 * 2^-27 = 0.100000001490116119384765625
        AffineQuant q = AffineQuant.ofFloat32(0.1f, -3, QuantDType.INT8);

        assertThat(q.scale()).isEqualTo(13421773 * 0x1p-27);
        assertThat(q.scaleFloat32()).isEqualTo(0.1f);
        assertThat(q.roundedToFloat32()).isEqualTo(q);
    }

    @Test
    void rejectsNonPositiveOrNonFiniteScale() {
        for (double bad : new double[] {0.0, -0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new AffineQuant(bad, 0, QuantDType.UINT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("scale must be a finite number > 0")
                    .hasMessageContaining("got " + bad);
        }
    }

    @Test
    void rejectsScaleThatFloat32CannotHold() {
        // Float.MIN_VALUE is 2^-149 ~ 1.4e-45; 1e-50 rounds to 0f. Float.MAX_VALUE ~ 3.4e38.
        assertThatThrownBy(() -> new AffineQuant(1e-50, 0, QuantDType.UINT8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("float32")
                .hasMessageContaining("got 1.0E-50");
        assertThatThrownBy(() -> new AffineQuant(1e39, 0, QuantDType.UINT8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("float32");
    }

    @Test
    void rejectsZeroPointOutsideTheDtype() {
        assertThatThrownBy(() -> new AffineQuant(1.0, 256, QuantDType.UINT8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("zero point must be in [0, 255] for UINT8, got 256");
        assertThatThrownBy(() -> new AffineQuant(1.0, -1, QuantDType.UINT8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("zero point must be in [0, 255] for UINT8, got -1");
        assertThatThrownBy(() -> new AffineQuant(1.0, 128, QuantDType.INT8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("zero point must be in [-128, 127] for INT8, got 128");
        assertThatThrownBy(() -> new AffineQuant(1.0, 40000, QuantDType.INT16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("zero point must be in [-32768, 32767] for INT16, got 40000");
    }

    @Test
    void rejectsNullDtype() {
        assertThatThrownBy(() -> new AffineQuant(1.0, 0, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("dtype");
    }

    @Test
    void symmetricMeansZeroPointZero() {
        assertThat(new AffineQuant(0.5, 0, QuantDType.INT16).isSymmetric()).isTrue();
        assertThat(new AffineQuant(0.5, -1, QuantDType.INT8).isSymmetric()).isFalse();
    }

    @Test
    void isAValueType() {
        assertThat(new AffineQuant(0.25, 3, QuantDType.INT8))
                .isEqualTo(new AffineQuant(0.25, 3, QuantDType.INT8))
                .hasSameHashCodeAs(new AffineQuant(0.25, 3, QuantDType.INT8))
                .isNotEqualTo(new AffineQuant(0.25, 3, QuantDType.UINT8));
        assertThat(new AffineQuant(0.25, 3, QuantDType.INT8).toString())
                .contains("scale=0.25", "zeroPoint=3", "INT8");
    }
}
