package io.litebit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.DType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NpyTest {

    /** The bytes numpy 1.x writes for np.save(f, np.array([[1, -2, 3]], dtype=np.int16)). */
    private static byte[] numpyInt16() {
        String header = "{'descr': '<i2', 'fortran_order': False, 'shape': (1, 3), }";
        // 10 bytes of preamble + 59-char header + '\n' padded with spaces to the next multiple of 64: 128
        header = header + " ".repeat(128 - 10 - header.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 6).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.putShort((short) 1).putShort((short) -2).putShort((short) 3);
        return b.array();
    }

    @Test
    void readsWhatNumpyWrites() throws IOException {
        NdArray a = Npy.read(new ByteArrayInputStream(numpyInt16()), "x.npy");
        assertThat(a.dtype()).isEqualTo(DType.INT16);
        assertThat(a.shape()).containsExactly(1, 3);
        ByteBuffer d = a.data();
        assertThat(new short[] {d.getShort(0), d.getShort(2), d.getShort(4)}).containsExactly(1, -2, 3);
    }

    @Test
    void writesWhatNumpyWrites() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer data = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 1).putShort((short) -2).putShort((short) 3).flip();
        Npy.write(out, DType.INT16, new int[] {1, 3}, data);
        assertThat(out.toByteArray()).isEqualTo(numpyInt16());
    }

    @Test
    void roundTripsScalarsAndVectors() throws IOException {
        for (int[] shape : new int[][] {{}, {5}, {2, 3, 4}}) {
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            ByteBuffer data = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                data.putFloat(i * 0.5f - 1);
            }
            data.flip();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Npy.write(out, DType.FLOAT32, shape, data);
            assertThat(out.size() % 64).as("data starts 64-aligned").isEqualTo(4 * n % 64);
            NdArray back = Npy.read(new ByteArrayInputStream(out.toByteArray()), "t");
            assertThat(back.shape()).isEqualTo(shape);
            assertThat(back.data()).isEqualTo(data);
        }
    }

    @Test
    void badFilesSayWhatIsWrong() {
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream("hello".getBytes()), "h.npy"))
                .isInstanceOf(IOException.class).hasMessageContaining("not a .npy file");
        byte[] truncated = java.util.Arrays.copyOf(numpyInt16(), numpyInt16().length - 1);
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(truncated), "t.npy"))
                .isInstanceOf(IOException.class).hasMessageContaining("truncated: expected 6 bytes");
        byte[] fortran = new String(numpyInt16(), StandardCharsets.ISO_8859_1).replace("False", "True ")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(fortran), "f.npy"))
                .isInstanceOf(IOException.class).hasMessageContaining("Fortran-order");
    }
}
