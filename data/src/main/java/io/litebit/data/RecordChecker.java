package io.litebit.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Holds every record to the model's inputs before it is used: the number of inputs, each one's
 * dtype and shape (the same element count in another shape, (1,3,4) for (1,4,3), is an error:
 * ONE's own worry), and finite values. The one leniency: a record without the model's leading
 * batch axis of 1 ({@code [28,28,1]} for {@code [1,28,28,1]}, as a {@code .npy} stacked along the
 * record axis gives) gets that axis added.
 *
 * <pre>{@code
 * RecordChecker check = new RecordChecker(InputSpec.of(model));
 * Record fitted = check.fit(record);                 // or DatasetException naming file, record, input
 * Optional<String> bad = RecordChecker.nonFinite(fitted);   // "3 NaN/Inf values in input 0"
 * }</pre>
 */
public final class RecordChecker {
    private final List<InputSpec> inputs;

    public RecordChecker(List<InputSpec> inputs) {
        this.inputs = List.copyOf(inputs);
    }

    /**
     * The record with each input in the model's exact shape.
     *
     * @throws DatasetException when an input is missing or extra, or its dtype or shape differs
     */
    public Record fit(Record r) {
        if (r.inputs().size() != inputs.size()) {
            throw new DatasetException(r.source() + " (record " + r.index() + ") has " + r.inputs().size() + " input"
                    + (r.inputs().size() == 1 ? "" : "s") + ", the model takes " + inputs.size() + ": "
                    + String.join(", ", inputs.stream().map(InputSpec::toString).toList()));
        }
        List<NdArray> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            InputSpec want = inputs.get(i);
            NdArray got = r.input(i);
            if (got.dtype() != want.dtype()) {
                throw new DatasetException(where(r, want) + ": expected " + want.dtype().displayName() + ", given "
                        + got.dtype().displayName() + Arrays.toString(got.shape())
                        + (want.isQuantized() ? " (a quantized input takes values already quantized with "
                                + want.quantization() + ")" : ""));
            }
            int[] shape = got.shape();
            int[] expected = want.shape();
            if (Arrays.equals(shape, expected)) {
                out.add(got);
            } else if (expected.length == shape.length + 1 && expected[0] == 1
                    && Arrays.equals(Arrays.copyOfRange(expected, 1, expected.length), shape)) {
                out.add(got.reshape(expected));
            } else {
                boolean sameCount = got.elementCount() == want.elementCount();
                throw new DatasetException(where(r, want) + ": expected shape " + Arrays.toString(expected) + ", given "
                        + Arrays.toString(shape) + (sameCount ? " (the same number of elements in another layout is "
                        + "still a different tensor: reshape or transpose it explicitly)" : ""));
            }
        }
        return new Record(r.index(), r.source(), out, r.label());
    }

    // Built only for a message: fit runs once per record of every calibration.
    private static String where(Record r, InputSpec want) {
        return r.source() + " (record " + r.index() + "), " + want;
    }

    /** A description of the NaN/±Inf values in the record's float inputs, if there are any. */
    public static Optional<String> nonFinite(Record r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < r.inputs().size(); i++) {
            long n = r.input(i).nonFiniteCount();
            if (n > 0) {
                b.append(b.length() == 0 ? "" : ", ").append(n).append(" NaN/Inf value").append(n == 1 ? "" : "s")
                        .append(" in input ").append(i);
            }
        }
        return b.length() == 0 ? Optional.empty() : Optional.of(b.toString());
    }
}
