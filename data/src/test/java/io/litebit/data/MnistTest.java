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
}
