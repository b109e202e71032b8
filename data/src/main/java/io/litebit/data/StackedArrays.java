package io.litebit.data;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Records stacked along the first axis of one array per input: a {@code .npy} (one input) or
 * the arrays of a {@code .npz}. Record {@code i} of input {@code k} is {@code array_k[i]}.
 */
final class StackedArrays implements Dataset {
    private final String description;
    private final List<NdArray> arrays;
    private final List<String> sources;
    private final int size;

    StackedArrays(String description, List<NdArray> arrays, List<String> sources) {
        this.description = description;
        this.arrays = List.copyOf(arrays);
        this.sources = List.copyOf(sources);
        int n = -1;
        for (int k = 0; k < arrays.size(); k++) {
            int[] shape = arrays.get(k).shape();
            if (shape.length == 0) {
                throw new DatasetException(sources.get(k) + ": a scalar has no record axis; expected an array whose "
                        + "first axis is the record");
            }
            if (n >= 0 && shape[0] != n) {
                throw new DatasetException(description + ": the arrays hold different numbers of records: "
                        + sources.get(0) + " has " + n + ", " + sources.get(k) + " has " + shape[0]
                        + " (shape " + Arrays.toString(shape) + ")");
            }
            n = shape[0];
        }
        this.size = Math.max(n, 0);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Record record(int index) {
        checkIndex(index);
        List<NdArray> inputs = new ArrayList<>(arrays.size());
        StringBuilder source = new StringBuilder();
        for (int k = 0; k < arrays.size(); k++) {
            NdArray a = arrays.get(k);
            int[] shape = a.shape();
            int[] one = Arrays.copyOfRange(shape, 1, shape.length);
            int bytes = Math.toIntExact(a.dtype().storageBytes(io.litebit.model.Shapes.elementCount(one)));
            ByteBuffer d = a.data();
            d.position(index * bytes).limit(index * bytes + bytes);
            inputs.add(new NdArray(a.dtype(), one, d.slice()));
            source.append(k == 0 ? "" : ", ").append(sources.get(k));
        }
        return new Record(index, source + " [" + index + "]", inputs);
    }
}
