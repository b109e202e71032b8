package io.litebit.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.DType;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TensorValueTest {

    @Test
    void factoriesCheckCountsAndRanges() {
        assertThatThrownBy(() -> TensorValue.ofInt8(new int[] {2, 2}, (byte) 1))
                .hasMessage("int8[2, 2] needs 4 elements, given 1");
        assertThatThrownBy(() -> TensorValue.ofUint8(new int[] {1}, 256))
                .hasMessage("uint8 value 0 is 256, outside [0, 255]");
        assertThatThrownBy(() -> TensorValue.fromInts(DType.INT8, new int[] {2}, new int[] {0, -129}))
                .hasMessage("int8 value 1 is -129, outside [-128, 127]");
        assertThatThrownBy(() -> TensorValue.zeros(DType.FLOAT16, new int[] {1}))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("float16");
    }

    @Test
    void uint8ReadsUnsignedAndRoundTripsThroughTfliteBytes() {
        TensorValue u = TensorValue.ofUint8(new int[] {3}, 0, 128, 255);
        assertThat(u.toIntArray()).containsExactly(0, 128, 255);
        assertThat(u.toLittleEndianBytes()).containsExactly(0, (byte) 0x80, (byte) 0xff);
        TensorValue i16 = TensorValue.ofInt16(new int[] {2}, (short) 1, (short) -2);
        // Little-endian: 1 = 01 00, -2 = fe ff.
        assertThat(i16.toLittleEndianBytes()).containsExactly(1, 0, (byte) 0xfe, (byte) 0xff);
        assertThat(TensorValue.fromLittleEndian(DType.INT16, new int[] {2}, ByteBuffer.wrap(i16.toLittleEndianBytes())))
                .isEqualTo(i16);
        TensorValue f = TensorValue.ofFloat32(new int[] {1, 1}, -0.0f);
        assertThat(TensorValue.fromLittleEndian(DType.FLOAT32, new int[] {1, 1}, ByteBuffer.wrap(f.toLittleEndianBytes())))
                .isEqualTo(f);
        assertThatThrownBy(() -> TensorValue.fromLittleEndian(DType.INT32, new int[] {2}, ByteBuffer.allocate(7)))
                .hasMessage("int32[2] needs 8 bytes, given 7");
    }

    @Test
    void immutableAndComparable() {
        byte[] data = {1, 2};
        TensorValue v = TensorValue.ofInt8(new int[] {2}, data);
        data[0] = 9;
        int[] shape = v.shape();
        shape[0] = 5;
        assertThat(v.getInt(0)).isEqualTo(1);
        assertThat(v.shape()).containsExactly(2);
        assertThat(v).isEqualTo(TensorValue.fromInts(DType.INT8, new int[] {2}, new int[] {1, 2}));
        assertThat(v).isNotEqualTo(TensorValue.fromInts(DType.UINT8, new int[] {2}, new int[] {1, 2}));
        assertThat(v.reshaped(new int[] {1, 2}).shape()).containsExactly(1, 2);
        assertThat(v.toString()).isEqualTo("int8[2] [1, 2]");
        assertThat(TensorValue.ofBool(new int[] {2}, true, false).toIntArray()).containsExactly(1, 0);
        assertThat(TensorValue.ofInt64(new int[] {1}, Long.MIN_VALUE).getLong(0)).isEqualTo(Long.MIN_VALUE);
    }
}
