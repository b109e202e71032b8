package io.litebit.data;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * MNIST as a labelled dataset, pixels scaled as {@code litebit eval} does: {@code pixel / 255}
 * into a float32 input, or that value quantized with a quantized input's own (scale, zero point).
 * The input must hold 784 elements (any shape: [1,28,28,1], [1,28,28], [1,784]). Either the first
 * N images of the split or N drawn without replacement by a seeded generator (then in ascending
 * order, so a sample reads the file front to back).
 */
final class MnistDataset implements Dataset {
    private final Mnist mnist;
    private final String description;
    private final int[] indices;
    private final InputSpec input;

    MnistDataset(Mnist mnist, String description, int[] indices, List<InputSpec> inputs) {
        if (inputs.size() > 1) {
            throw new DatasetException(description + ": MNIST feeds a model with one input; this model has " + inputs.size());
        }
        int pixels = mnist.rows() * mnist.cols();
        InputSpec in = inputs.isEmpty()
                ? new InputSpec(0, "image", DType.FLOAT32, new int[] {1, mnist.rows(), mnist.cols(), 1}, Quantization.NONE)
                : inputs.get(0);
        if (in.elementCount() != pixels) {
            throw new DatasetException(description + ": " + in + " has " + in.elementCount() + " elements; MNIST images have "
                    + pixels + " (" + mnist.rows() + "x" + mnist.cols() + ")");
        }
        this.mnist = mnist;
        this.description = description;
        this.indices = indices.clone();
        this.input = in;
    }

    /** The first {@code n} images, or all of them when {@code n} is null. */
    static int[] first(Mnist mnist, Integer n) {
        int count = n == null ? mnist.size() : Math.min(n, mnist.size());
        int[] out = new int[count];
        Arrays.setAll(out, i -> i);
        return out;
    }

    /** {@code n} distinct images drawn with {@code seed} (a partial Fisher-Yates shuffle), ascending. */
    static int[] sample(Mnist mnist, int n, long seed) {
        int size = mnist.size();
        int count = Math.min(n, size);
        int[] all = new int[size];
        Arrays.setAll(all, i -> i);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            int j = i + r.nextInt(size - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, count);
        Arrays.sort(out);
        return out;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Record record(int index) {
        checkIndex(index);
        int image = indices[index];
        byte[] px = mnist.image(image);
        double[] values = new double[px.length];
        for (int i = 0; i < px.length; i++) {
            values[i] = (px[i] & 0xff) / 255f;
        }
        String source = description + " image " + image;
        return new Record(index, source, List.of(InputEncoding.encode(values, input, true, source)),
                OptionalInt.of(mnist.label(image)));
    }
}
