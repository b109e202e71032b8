package io.litebit.conformance;

import io.litebit.trace.TracedTensor;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-tensor diff on values worked out by hand. */
class TensorDiffTest {
    private static TracedTensor int8(byte... v) {
        return new TracedTensor(3, "t", DType.INT8, new int[] {v.length}, Quantization.NONE, 0, "ADD", v);
    }

    private static TracedTensor uint8(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return new TracedTensor(3, "t", DType.UINT8, new int[] {v.length}, Quantization.NONE, 0, "ADD", b);
    }

    private static TracedTensor float32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return new TracedTensor(1, "f", DType.FLOAT32, new int[] {v.length}, Quantization.NONE, 0, "DEQUANTIZE", b.array());
    }

    @Test
    void integersAreComparedExactlyWithSignedHistogram() {
        TensorDiff d = TensorDiff.of(int8((byte) 1, (byte) -128, (byte) 127, (byte) 0), int8((byte) 2, (byte) 127, (byte) 127, (byte) -1));
        assertThat(d.differing()).isEqualTo(3);
        assertThat(d.elements()).isEqualTo(4);
        assertThat(d.maxLsb()).isEqualTo(255); // -128 -> 127, no wrap-around
        assertThat(d.histogram()).isEqualTo(new java.util.TreeMap<>(Map.of(-1L, 1L, 0L, 1L, 1L, 1L, 255L, 1L)));
        assertThat(d.identical()).isFalse();
    }

    @Test
    void uint8IsUnsigned() {
        TensorDiff d = TensorDiff.of(uint8(0, 255), uint8(255, 254));
        assertThat(d.maxLsb()).isEqualTo(255);
        assertThat(d.histogram()).containsEntry(255L, 1L).containsEntry(-1L, 1L);
    }

    @Test
    void oneLsbIsADifference() {
        assertThat(TensorDiff.of(uint8(10, 20), uint8(10, 21)).identical()).isFalse();
        assertThat(TensorDiff.of(uint8(10, 20), uint8(10, 20)).identical()).isTrue();
    }

    @Test
    void floatsByBitsWithUlpAndRelativeError() {
        float one = 1f;
        float next = Math.nextUp(1f);
        TensorDiff d = TensorDiff.of(float32(one, 0f, 2f), float32(next, -0f, 2f));
        assertThat(d.differing()).isEqualTo(2); // +0 and -0 have different bits
        assertThat(d.maxUlp()).isEqualTo(1);    // 1 -> nextUp(1); +0 -> -0 is 0 ULP apart through the ordering
        assertThat(d.maxRelativeError()).isEqualTo((next - 1.0) / next);
        assertThat(TensorDiff.ulpDistance(Float.floatToRawIntBits(-1f), Float.floatToRawIntBits(1f)))
                .isEqualTo(2L * Float.floatToRawIntBits(1f));
    }

    @Test
    void shapeMismatchIsNotComparable() {
        TensorDiff d = TensorDiff.of(int8((byte) 1, (byte) 2), int8((byte) 1));
        assertThat(d.mismatch()).contains("[2]").contains("[1]");
        assertThat(d.identical()).isFalse();
        assertThat(d.differing()).isEqualTo(2);
    }
}
