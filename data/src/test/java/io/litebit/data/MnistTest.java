package io.litebit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.testing.SharedAssets;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {

    @Test
    void readsTheSharedTestSplit() throws IOException {
        Mnist test = Mnist.load(SharedAssets.require("datasets/mnist"), Mnist.Split.TEST);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(test.rows()).isEqualTo(28);
        assertThat(test.cols()).isEqualTo(28);
        // The first three MNIST test digits are the well-known 7, 2, 1.
        assertThat(new int[] {test.label(0), test.label(1), test.label(2)}).containsExactly(7, 2, 1);
        // Digits are drawn on a black border: the corner pixel is 0, and some stroke pixel is bright.
        byte[] img = test.image(0);
        assertThat(img).hasSize(784);
        assertThat(img[0]).isZero();
        int max = 0;
        for (byte b : img) {
            max = Math.max(max, b & 0xff);
        }
        assertThat(max).isGreaterThan(200);
    }

    @Test
    void aDirectoryWithoutMnistIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> Mnist.load(dir, Mnist.Split.TEST)).isInstanceOf(IOException.class)
                .hasMessageContaining("no t10k-images-idx3-ubyte[.gz] in");
    }

    @Test
    void theMnistSpecGivesFirstNOrASeededSampleScaledAsEvalDoes() throws IOException {
        Path dir = SharedAssets.require("datasets/mnist");
        Mnist raw = Mnist.load(dir, Mnist.Split.TRAIN);
        try (Dataset d = Datasets.open("mnist:" + dir + ":train:5", DatasetOptions.NONE)) {
            assertThat(d.size()).isEqualTo(5);
            Record r = d.record(3);
            assertThat(r.label()).hasValue(raw.label(3));
            assertThat(r.input(0).shape()).containsExactly(1, 28, 28, 1);
            byte[] px = raw.image(3);
            for (int i = 0; i < 784; i++) {
                assertThat(r.input(0).floatAt(i)).isEqualTo((px[i] & 0xff) / 255f);
            }
        }
        try (Dataset a = Datasets.open("mnist:" + dir + ":train:50:seed=7", DatasetOptions.NONE);
                Dataset b = Datasets.open("mnist:" + dir + ":train:50:seed=7", DatasetOptions.NONE)) {
            java.util.Set<String> sources = new java.util.HashSet<>();
            for (int i = 0; i < 50; i++) {
                assertThat(a.record(i).input(0)).isEqualTo(b.record(i).input(0));
                sources.add(a.record(i).source());
            }
            assertThat(sources).hasSize(50);
            assertThat(a.description()).contains("drawn with seed 7");
        }
        // A quantized input gets pixel/255 quantized with its own parameters: (p/255)/(1/255) + (-128).
        InputSpec q = new InputSpec(0, "x", io.litebit.model.DType.INT8, new int[] {1, 784},
                io.litebit.model.Quantization.perTensor(1 / 255f, -128));
        try (Dataset d = Datasets.open("mnist:" + dir + ":test:1", new DatasetOptions(java.util.List.of(q),
                ImageOptions.DEFAULT))) {
            byte[] got = d.record(0).input(0).bytes();
            byte[] px = Mnist.load(dir, Mnist.Split.TEST).image(0);
            for (int i = 0; i < 784; i++) {
                assertThat(got[i]).isEqualTo((byte) ((px[i] & 0xff) - 128));
            }
        }
    }
}
