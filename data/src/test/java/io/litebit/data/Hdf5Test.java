package io.litebit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.DType;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Hdf5Test {
    static Path fixture() throws URISyntaxException {
        return Path.of(Hdf5Test.class.getResource("one_layout.h5").toURI());
    }

    /** v(r, i, k) of make_one_layout_h5.py, recomputed here. */
    private static long base(int r, int i, int k) {
        return r * 100L + i * 10L + k;
    }

    @Test
    void readsTheFixtureThatH5pyWroteExactly() throws Exception {
        try (Hdf5.Reader h = Hdf5.open(fixture())) {
            assertThat(h.size()).isEqualTo(3);
            for (int r = 0; r < 3; r++) {
                Record rec = h.record(r);
                assertThat(rec.inputs()).hasSize(6);
                NdArray f = rec.input(0);
                assertThat(f.dtype()).isEqualTo(DType.FLOAT32);
                assertThat(f.shape()).containsExactly(1, 2, 3);
                for (int k = 0; k < 6; k++) {
                    assertThat(f.floatAt(k)).isEqualTo((float) (base(r, 0, k) / 4.0 - 7.5));
                }
                NdArray big = rec.input(1);
                assertThat(big.dtype()).isEqualTo(DType.FLOAT32);
                for (int k = 0; k < 2; k++) {
                    assertThat(big.floatAt(k)).isEqualTo((float) (-base(r, 1, k) / 8.0));
                }
                NdArray u8 = rec.input(2);
                assertThat(u8.dtype()).isEqualTo(DType.UINT8);
                for (int k = 0; k < 3; k++) {
                    assertThat(u8.doubleAt(k)).isEqualTo(base(r, 2, k) % 256);
                }
                NdArray i8 = rec.input(3);
                assertThat(i8.dtype()).isEqualTo(DType.INT8);
                assertThat(i8.shape()).containsExactly(2, 2);
                for (int k = 0; k < 4; k++) {
                    assertThat(i8.doubleAt(k)).isEqualTo(base(r, 3, k) % 256 - 128);
                }
                NdArray i32 = rec.input(4);
                assertThat(i32.dtype()).isEqualTo(DType.INT32);
                for (int k = 0; k < 2; k++) {
                    assertThat(i32.doubleAt(k)).isEqualTo(base(r, 4, k) * 100000 - 7);
                }
                NdArray i64 = rec.input(5);
                assertThat(i64.dtype()).isEqualTo(DType.INT64);
                assertThat(i64.data().getLong(0)).isEqualTo(base(r, 5, 0) * 1_000_000_000_000L);
            }
        }
    }

    @Test
    void writesWhatItReadsBackForEveryDtype(@TempDir Path dir) throws Exception {
        List<Record> records = new ArrayList<>();
        try (Hdf5.Reader h = Hdf5.open(fixture())) {
            h.forEach(records::add);
        }
        Path out = dir.resolve("copy.h5");
        Hdf5.write(out, records);
        try (Hdf5.Reader back = Hdf5.open(out)) {
            assertThat(back.size()).isEqualTo(3);
            for (int r = 0; r < 3; r++) {
                assertThat(back.record(r).inputs()).isEqualTo(records.get(r).inputs());
            }
        }
    }

    @Test
    void writesInt16AndFloat64Too(@TempDir Path dir) {
        ByteBuffer s = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putShort((short) -32768).putShort((short) 7)
                .putShort((short) 32767);
        ByteBuffer d = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(Math.PI);
        Record r = new Record(0, "mem", List.of(new NdArray(DType.INT16, new int[] {3}, s.flip()),
                new NdArray(DType.FLOAT64, new int[] {1, 1}, d.flip())));
        Hdf5.write(dir.resolve("x.h5"), List.of(r));
        try (Hdf5.Reader back = Hdf5.open(dir.resolve("x.h5"))) {
            assertThat(back.record(0).inputs()).isEqualTo(r.inputs());
        }
    }

    @Test
    void aFileWithoutOnesLayoutSaysWhatItExpected(@TempDir Path dir) {
        Path f = dir.resolve("other.h5");
        try (io.jhdf.WritableHdfFile w = io.jhdf.HdfFile.write(f)) {
            w.putDataset("images", new float[] {1, 2});
        }
        assertThatThrownBy(() -> Hdf5.open(f)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("no group /value").hasMessageContaining("[images]");
        Path notHdf = dir.resolve("x.h5");
        assertThatThrownBy(() -> Datasets.open(notHdf.toString(), DatasetOptions.NONE))
                .isInstanceOf(DatasetException.class).hasMessageContaining("no such file");
    }

    @Test
    void aMissingRecordGroupIsAnError(@TempDir Path dir) {
        Path f = dir.resolve("gap.h5");
        try (io.jhdf.WritableHdfFile w = io.jhdf.HdfFile.write(f)) {
            io.jhdf.api.WritableGroup v = w.putGroup("value");
            v.putGroup("0").putDataset("0", new float[] {1});
            v.putGroup("2").putDataset("0", new float[] {1});
        }
        assertThatThrownBy(() -> Hdf5.open(f)).isInstanceOf(DatasetException.class).hasMessageContaining("no /value/1");
    }
}
