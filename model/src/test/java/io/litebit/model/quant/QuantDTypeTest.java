package io.litebit.model.quant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuantDTypeTest {

    @Test
    void rangesAreTheFullIntegerRanges() {
        assertThat(QuantDType.UINT8.qmin()).isEqualTo(0);
        assertThat(QuantDType.UINT8.qmax()).isEqualTo(255);
        assertThat(QuantDType.INT8.qmin()).isEqualTo(-128);
        assertThat(QuantDType.INT8.qmax()).isEqualTo(127);
        assertThat(QuantDType.INT16.qmin()).isEqualTo(-32768);
        assertThat(QuantDType.INT16.qmax()).isEqualTo(32767);
    }

    @Test
    void stepsIsQmaxMinusQmin() {
        assertThat(QuantDType.UINT8.steps()).isEqualTo(255);   // 255 - 0
        assertThat(QuantDType.INT8.steps()).isEqualTo(255);    // 127 - (-128)
        assertThat(QuantDType.INT16.steps()).isEqualTo(65535); // 32767 - (-32768)
    }

    @Test
    void containsAndSignedness() {
        assertThat(QuantDType.UINT8.contains(0)).isTrue();
        assertThat(QuantDType.UINT8.contains(255)).isTrue();
        assertThat(QuantDType.UINT8.contains(-1)).isFalse();
        assertThat(QuantDType.UINT8.contains(256)).isFalse();
        assertThat(QuantDType.INT8.contains(-128)).isTrue();
        assertThat(QuantDType.INT8.contains(128)).isFalse();
        assertThat(QuantDType.INT16.contains(-32769)).isFalse();
        assertThat(QuantDType.UINT8.isSigned()).isFalse();
        assertThat(QuantDType.INT8.isSigned()).isTrue();
        assertThat(QuantDType.INT16.isSigned()).isTrue();
    }
}
