package io.litebit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every reader of Datasets.open, the round trips of its writers, and the errors it gives. */
class DatasetsTest {
    private static final InputSpec X = new InputSpec(0, "x", DType.FLOAT32, new int[] {1, 2, 3}, Quantization.NONE);
    private static final InputSpec Y = new InputSpec(1, "serving_default_y:0", DType.INT8, new int[] {1, 2},
            Quantization.perTensor(0.5f, -3));

    private static NdArray floats(int[] shape, float start) {
        int n = Math.toIntExact(io.litebit.model.Shapes.elementCount(shape));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i;
        }
        return NdArray.ofFloats(shape, v);
    }

    private static DatasetOptions options(InputSpec... in) {
        return new DatasetOptions(List.of(in), ImageOptions.DEFAULT);
    }

    @Test
    void npyStacksRecordsAlongTheFirstAxisAndGetsTheBatchAxisBack(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.npy");
        Npy.write(f, floats(new int[] {4, 2, 3}, 0));
        try (Dataset d = Datasets.open(f.toString(), options(X))) {
            assertThat(d.size()).isEqualTo(4);
            Record r = d.record(2);
            assertThat(r.input(0).shape()).containsExactly(2, 3);
            assertThat(r.input(0).floatAt(0)).isEqualTo(12f);
            Record fitted = new RecordChecker(List.of(X)).fit(r);
            assertThat(fitted.input(0).shape()).containsExactly(1, 2, 3);
            assertThat(fitted.input(0).floatAt(5)).isEqualTo(17f);
        }
    }

    @Test
    void npzMatchesArraysByInputNameOrIndex(@TempDir Path dir) throws IOException {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("arr_1", NdArray.of(DType.INT8, new int[] {3, 1, 2}, new byte[] {1, 2, 3, 4, 5, 6}));
        arrays.put("x", floats(new int[] {3, 1, 2, 3}, 100));
        Path f = dir.resolve("d.npz");
        Npz.write(f, arrays);
        assertThat(Npz.read(f)).isEqualTo(arrays);
        try (Dataset d = Datasets.open(f.toString(), options(X, Y))) {
            assertThat(d.size()).isEqualTo(3);
            Record r = d.record(1);
            assertThat(r.input(0).floatAt(0)).isEqualTo(106f);
            assertThat(r.input(1).doubleAt(1)).isEqualTo(4);
            assertThat(new RecordChecker(List.of(X, Y)).fit(r).inputs()).hasSize(2);
        }
        Map<String, NdArray> wrong = Map.of("z", floats(new int[] {3, 1, 2, 3}, 0));
        Npz.write(f, wrong);
        assertThatThrownBy(() -> Datasets.open(f.toString(), options(X, Y))).isInstanceOf(DatasetException.class)
                .hasMessageContaining("no array for input 0 \"x\"").hasMessageContaining("[z]");
    }

    @Test
    void recordDirectoriesAndFlatNpyFilesInNaturalOrder(@TempDir Path dir) throws IOException {
        for (int r : new int[] {10, 2, 1}) {
            Path rd = Files.createDirectories(dir.resolve("rec" + r));
            Npy.write(rd.resolve("input0.npy"), floats(new int[] {1, 2, 3}, r));
            Npy.write(rd.resolve("serving_default_y_0.npy"), NdArray.of(DType.INT8, new int[] {1, 2}, new byte[] {(byte) r, 0}));
        }
        try (Dataset d = Datasets.open(dir.toString(), options(X, Y))) {
            assertThat(d.size()).isEqualTo(3);
            assertThat(d.record(0).input(0).floatAt(0)).isEqualTo(1f);
            assertThat(d.record(1).input(0).floatAt(0)).isEqualTo(2f);
            assertThat(d.record(2).input(1).doubleAt(0)).isEqualTo(10);
        }
        Path flat = Files.createDirectories(dir.resolve("../flat"));
        Npy.write(flat.resolve("a.npy"), floats(new int[] {1, 2, 3}, 5));
        Npy.write(flat.resolve("b.npy"), floats(new int[] {1, 2, 3}, 6));
        try (Dataset d = Datasets.open(flat.toString(), options(X))) {
            assertThat(d.size()).isEqualTo(2);
            assertThat(d.record(1).input(0).floatAt(0)).isEqualTo(6f);
        }
        assertThatThrownBy(() -> Datasets.open(flat.toString(), options(X, Y))).isInstanceOf(DatasetException.class)
                .hasMessageContaining("fits a model with one input");
    }

    @Test
    void rawFloat32FilesTakeTheirShapesFromTheModel(@TempDir Path dir) throws IOException {
        InputSpec z = new InputSpec(1, "z", DType.FLOAT32, new int[] {2}, Quantization.NONE);
        for (int r = 0; r < 2; r++) {
            ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 8; i++) {
                b.putFloat(r * 10 + i);
            }
            Files.write(dir.resolve("r" + r + ".raw"), b.array());
        }
        try (Dataset d = Datasets.open(dir.toString(), options(X, z))) {
            Record r = d.record(1);
            assertThat(r.input(0).shape()).containsExactly(1, 2, 3);
            assertThat(r.input(1).floatAt(1)).isEqualTo(17f);
        }
        Files.write(dir.resolve("r2.raw"), new byte[31]);
        try (Dataset d = Datasets.open(dir.toString(), options(X, z))) {
            assertThatThrownBy(() -> d.record(2)).isInstanceOf(DatasetException.class)
                    .hasMessageContaining("r2.raw (record 2) has 31 bytes; the model's inputs need 32");
        }
        assertThatThrownBy(() -> Datasets.open(dir.toString(), DatasetOptions.NONE)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("give the model");
    }

    @Test
    void imagesAreResizedBilinearlyAndPreprocessedOnlyAsTold(@TempDir Path dir) throws IOException {
        // A 2x1 gray image [0, 100] resized to 4x1 with half-pixel centres: 0, 25, 75, 100 (hand-derived).
        BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(0, 0, 0, 0);
        gray.getRaster().setSample(1, 0, 0, 100);
        ImageIO.write(gray, "png", dir.resolve("g.png").toFile());
        InputSpec img = new InputSpec(0, "img", DType.FLOAT32, new int[] {1, 1, 4, 1}, Quantization.NONE);
        assertThatThrownBy(() -> Datasets.open(dir.toString(), options(img))).isInstanceOf(DatasetException.class)
                .hasMessageContaining("never guesses");
        DatasetOptions o = options(img).withImages(ImageOptions.DEFAULT.withPreprocessing(Preprocessing.parse("1/100", null, null)));
        try (Dataset d = Datasets.open(dir.toString(), o)) {
            NdArray a = d.record(0).input(0);
            assertThat(new float[] {a.floatAt(0), a.floatAt(1), a.floatAt(2), a.floatAt(3)})
                    .containsExactly(0f, 0.25f, 0.75f, 1f);
        }
        // RGB in NCHW: the channel planes come first; mean/std applied per value.
        Path rgbDir = Files.createDirectories(dir.resolve("rgb"));
        BufferedImage rgb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, (255 << 16) | (127 << 8) | 1);
        ImageIO.write(rgb, "png", rgbDir.resolve("c.png").toFile());
        InputSpec chw = new InputSpec(0, "img", DType.FLOAT32, new int[] {1, 3, 1, 1}, Quantization.NONE);
        DatasetOptions co = options(chw).withImages(new ImageOptions(null, ImageOptions.Layout.NCHW,
                Preprocessing.parse(null, "127.5", "127.5")));
        try (Dataset d = Datasets.open(rgbDir.toString(), co)) {
            NdArray a = d.record(0).input(0);
            assertThat(new float[] {a.floatAt(0), a.floatAt(1), a.floatAt(2)})
                    .containsExactly(1f, (float) (-0.5 / 127.5), (float) (-126.5 / 127.5));
        }
        // A quantized uint8 input takes raw pixels when no preprocessing is given.
        InputSpec u8 = new InputSpec(0, "img", DType.UINT8, new int[] {1, 1, 2, 1}, Quantization.perTensor(1 / 255f, 0));
        try (Dataset d = Datasets.open(dir.resolve("g.png").toString(), options(u8))) {
            assertThat(d.record(0).input(0).bytes()).containsExactly(0, 100);
        }
    }

    @Test
    void theChecksNameFileRecordInputExpectedAndGiven() {
        RecordChecker check = new RecordChecker(List.of(new InputSpec(0, "x", DType.FLOAT32, new int[] {1, 3, 4},
                Quantization.NONE)));
        Record transposed = new Record(7, "calib.h5:/value/7/", List.of(floats(new int[] {1, 4, 3}, 0)));
        assertThatThrownBy(() -> check.fit(transposed)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("calib.h5:/value/7/ (record 7), input 0 \"x\" float32[1, 3, 4]")
                .hasMessageContaining("expected shape [1, 3, 4], given [1, 4, 3]")
                .hasMessageContaining("same number of elements");
        Record f64 = new Record(0, "a.npy [0]", List.of(new NdArray(DType.FLOAT64, new int[] {1, 3, 4},
                ByteBuffer.allocate(96))));
        assertThatThrownBy(() -> check.fit(f64)).hasMessageContaining("expected float32, given float64[1, 3, 4]");
        Record none = new Record(0, "r0", List.of());
        assertThatThrownBy(() -> check.fit(none)).hasMessageContaining("has 0 inputs, the model takes 1");
        NdArray nan = NdArray.ofFloats(new int[] {1, 3, 4}, new float[] {Float.NaN, 1, 2, Float.POSITIVE_INFINITY, 0, 0, 0,
                0, 0, 0, 0, 0});
        assertThat(RecordChecker.nonFinite(new Record(0, "r", List.of(nan)))).contains("2 NaN/Inf values in input 0");
        assertThat(RecordChecker.nonFinite(new Record(0, "r", List.of(floats(new int[] {2}, 0))))).isEmpty();
    }

    @Test
    void badSpecsSayWhatIsAccepted(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("x.csv"), "1,2");
        assertThatThrownBy(() -> Datasets.open(dir.resolve("x.csv").toString(), DatasetOptions.NONE))
                .hasMessageContaining("unknown dataset format \".csv\"");
        assertThatThrownBy(() -> Datasets.open("mnist:" + dir + ":validation", DatasetOptions.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mnist:DIR[:train|test][:N][:seed=S]");
        Files.writeString(dir.resolve("y.npy"), "not numpy");
        assertThatThrownBy(() -> Datasets.open(dir.resolve("y.npy").toString(), DatasetOptions.NONE))
                .isInstanceOf(DatasetException.class).hasMessageContaining("not a .npy file");
    }
}
