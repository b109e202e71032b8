package io.litebit.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * MNIST in its original IDX format, gzip-compressed or not (the file names of the distribution,
 * e.g. {@code t10k-images-idx3-ubyte.gz}): a dataset for conformance runs with real inputs and
 * for the CLI's {@code eval}.
 *
 * <pre>{@code
 * Mnist test = Mnist.load(Path.of("datasets/mnist"), Mnist.Split.TEST);
 * byte[] pixels = test.image(0);   // 784 unsigned bytes, row-major
 * int label = test.label(0);
 * }</pre>
 */
public final class Mnist {
    public enum Split {
        TRAIN("train"),
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    private final int rows;
    private final int cols;
    private final byte[] images;
    private final byte[] labels;

    private Mnist(int rows, int cols, byte[] images, byte[] labels) {
        this.rows = rows;
        this.cols = cols;
        this.images = images;
        this.labels = labels;
    }

    /** Loads a split from a directory holding the IDX files (plain or .gz). */
    public static Mnist load(Path dir, Split split) throws IOException {
        Path images = find(dir, split.prefix + "-images-idx3-ubyte");
        Path labels = find(dir, split.prefix + "-labels-idx1-ubyte");
        int[] imageDims;
        byte[] imageData;
        try (DataInputStream in = open(images)) {
            imageDims = header(in, 0x0803, 3, images);
            imageData = readAll(in, (long) imageDims[0] * imageDims[1] * imageDims[2], images);
        }
        byte[] labelData;
        try (DataInputStream in = open(labels)) {
            int[] labelDims = header(in, 0x0801, 1, labels);
            if (labelDims[0] != imageDims[0]) {
                throw new IOException(labels + ": " + labelDims[0] + " labels for " + imageDims[0] + " images in " + images);
            }
            labelData = readAll(in, labelDims[0], labels);
        }
        for (int i = 0; i < labelData.length; i++) {
            if (labelData[i] < 0 || labelData[i] > 9) {
                throw new IOException(labels + ": label " + i + " is " + labelData[i] + ", expected 0..9");
            }
        }
        return new Mnist(imageDims[1], imageDims[2], imageData, labelData);
    }

    public int size() {
        return labels.length;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The pixels of image {@code i} as unsigned bytes (0..255), row-major. */
    public byte[] image(int i) {
        int n = rows * cols;
        byte[] out = new byte[n];
        System.arraycopy(images, i * n, out, 0, n);
        return out;
    }

    public int label(int i) {
        return labels[i];
    }

    private static Path find(Path dir, String base) throws IOException {
        for (String name : new String[] {base, base + ".gz", base.replace("-idx", ".idx"), base.replace("-idx", ".idx") + ".gz"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("no " + base + "[.gz] in " + dir + " (expected the MNIST IDX files)");
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        if (p.getFileName().toString().endsWith(".gz")) {
            raw = new GZIPInputStream(raw, 1 << 16);
        }
        return new DataInputStream(raw);
    }

    private static int[] header(DataInputStream in, int magic, int rank, Path p) throws IOException {
        int m = in.readInt();
        if (m != magic) {
            throw new IOException(p + ": IDX magic 0x" + Integer.toHexString(m) + ", expected 0x" + Integer.toHexString(magic));
        }
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 0) {
                throw new IOException(p + ": negative dimension " + dims[i]);
            }
        }
        return dims;
    }

    private static byte[] readAll(DataInputStream in, long n, Path p) throws IOException {
        if (n > Integer.MAX_VALUE) {
            throw new IOException(p + ": " + n + " bytes is too large");
        }
        byte[] b = in.readNBytes((int) n);
        if (b.length != n) {
            throw new IOException(p + ": truncated, expected " + n + " bytes of data, found " + b.length);
        }
        return b;
    }
}
