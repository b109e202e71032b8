package io.litebit.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A representative dataset: an ordered, re-iterable, randomly accessible sequence of
 * {@link Record}s, each one array per model input. Calibration, the debugger, {@code eval},
 * {@code conform --inputs} and the Spark jobs all read data through this one abstraction;
 * {@link Datasets#open} makes one from a spec ({@code .h5}, {@code .npy}, {@code .npz}, a
 * directory, {@code mnist:DIR}).
 *
 * <p>Records are read lazily: {@link #record(int)} reads (and converts) record {@code i} when
 * asked, so a dataset of 60,000 images costs one record's memory at a time, and shards of a
 * dataset can be read by several threads at once (implementations are thread-safe).
 *
 * <pre>{@code
 * try (Dataset data = Datasets.open("mnist:../shared/datasets/mnist:train:1000", DatasetOptions.forModel(model))) {
 *     for (Record r : data) {
 *         float first = r.input(0).floatAt(0);
 *     }
 * }
 * }</pre>
 */
public interface Dataset extends Iterable<Record>, AutoCloseable {
    /** What the dataset is, for messages and summaries ({@code "mnist train (first 1000 of 60000)"}). */
    String description();

    /** How many records there are. */
    int size();

    /**
     * Reads record {@code index}.
     *
     * @throws IndexOutOfBoundsException never: an index outside {@code [0, size())} is a
     *                                   {@link DatasetException} naming the size
     * @throws DatasetException          when the record cannot be read or converted
     */
    Record record(int index);

    /** Checks {@code index} against {@link #size()}; for implementations. */
    default void checkIndex(int index) {
        if (index < 0 || index >= size()) {
            throw new DatasetException(description() + ": record " + index + " does not exist, the dataset has "
                    + size() + " records");
        }
    }

    /** The first {@code n} records (all of them when {@code n >= size()}). */
    default Dataset limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("a record limit must not be negative, given " + n);
        }
        Dataset self = this;
        int size = Math.min(n, size());
        return new Dataset() {
            @Override
            public String description() {
                return self.description() + " (first " + size + ")";
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public Record record(int index) {
                checkIndex(index);
                return self.record(index);
            }

            @Override
            public void close() {
                self.close();
            }
        };
    }

    /**
     * A dataset over records already in memory (tests, benchmarks, records made by code). The
     * records keep their order; their {@link Record#index()} is not renumbered.
     *
     * <pre>{@code
     * Dataset d = Dataset.of("two zeros", List.of(rec0, rec1));
     * }</pre>
     */
    static Dataset of(String description, java.util.List<Record> records) {
        java.util.List<Record> copy = java.util.List.copyOf(records);
        return new Dataset() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public int size() {
                return copy.size();
            }

            @Override
            public Record record(int index) {
                checkIndex(index);
                return copy.get(index);
            }
        };
    }

    /**
     * Reads every record once and returns them as an in-memory dataset, so that repeated passes
     * (benchmarks, several calibration methods) do not pay for decoding again. The memory is the
     * whole dataset's.
     */
    default Dataset materialize() {
        java.util.List<Record> all = new java.util.ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            all.add(record(i));
        }
        return of(description(), all);
    }

    /** Releases files the dataset holds open (an HDF5 file); records cannot be read afterwards. */
    @Override
    default void close() {
    }

    @Override
    default Iterator<Record> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size();
            }

            @Override
            public Record next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return record(next++);
            }
        };
    }
}
