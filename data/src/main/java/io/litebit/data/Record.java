package io.litebit.data;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One record of a dataset: one array per model input, in input order, with where it came from
 * (for error messages) and, for labelled data such as MNIST, its label.
 *
 * <pre>{@code
 * Record r = dataset.record(0);
 * NdArray image = r.input(0);
 * System.out.println(r.source() + " " + image + " label " + r.label());
 * }</pre>
 *
 * @param index  the record's position in its dataset, from 0
 * @param source where it was read: a file, an HDF5 group, {@code t10k-images-idx3-ubyte.gz #17}
 * @param inputs one array per input
 * @param label  the class label, when the dataset has one
 */
public record Record(int index, String source, List<NdArray> inputs, OptionalInt label) {
    public Record {
        Objects.requireNonNull(source, "source");
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(label, "label");
    }

    public Record(int index, String source, List<NdArray> inputs) {
        this(index, source, inputs, OptionalInt.empty());
    }

    public NdArray input(int i) {
        return inputs.get(i);
    }

    /** The inputs as little-endian byte arrays, as {@code io.litebit.trace.Backend#run} takes them. */
    public List<byte[]> bytes() {
        return inputs.stream().map(NdArray::bytes).toList();
    }

    /** How many elements of all inputs are NaN or ±Inf. */
    public long nonFiniteCount() {
        long n = 0;
        for (NdArray a : inputs) {
            n += a.nonFiniteCount();
        }
        return n;
    }
}
