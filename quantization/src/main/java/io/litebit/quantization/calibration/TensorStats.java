package io.litebit.quantization.calibration;

import java.util.Arrays;
import java.util.Objects;

/**
 * What calibration recorded of one activation tensor over a dataset: global range, element
 * counts (finite, NaN, ±Inf), the range of each record (for ONE's percentile and moving-average
 * methods, which work on per-record minima and maxima), and an exactly mergeable
 * {@link Histogram}. Immutable; {@link #merge} of two shards equals one pass over both.
 *
 * <pre>{@code
 * TensorStats s = stats.tensor(5);
 * System.out.printf("%s: [%g, %g] over %d values, %d records%n", s.name(), s.min(), s.max(), s.count(), s.records().length);
 * }</pre>
 *
 * @param tensorIndex the tensor's index in the main subgraph
 * @param count       finite elements seen
 * @param nanCount    NaN elements seen (never part of a range)
 * @param infCount    ±Inf elements seen (never part of a range)
 * @param min         smallest finite value ({@code NaN} when none was seen)
 * @param max         largest finite value ({@code NaN} when none was seen)
 * @param records     the dataset indices of the records with finite values, ascending
 * @param recordMins  each such record's minimum
 * @param recordMaxs  each such record's maximum
 */
public record TensorStats(int tensorIndex, String name, long count, long nanCount, long infCount, double min, double max,
                          int[] records, float[] recordMins, float[] recordMaxs, Histogram histogram) {
    public TensorStats {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(histogram, "histogram");
        records = records.clone();
        recordMins = recordMins.clone();
        recordMaxs = recordMaxs.clone();
        if (records.length != recordMins.length || records.length != recordMaxs.length) {
            throw new IllegalArgumentException("per-record arrays differ in length");
        }
    }

    @Override
    public int[] records() {
        return records.clone();
    }

    @Override
    public float[] recordMins() {
        return recordMins.clone();
    }

    @Override
    public float[] recordMaxs() {
        return recordMaxs.clone();
    }

    /** Whether any finite value was seen. */
    public boolean hasRange() {
        return count > 0;
    }

    /**
     * Both shards together, exactly as one pass over their records gives it.
     *
     * @throws IllegalArgumentException for stats of different tensors, or shards sharing a record
     */
    public TensorStats merge(TensorStats o) {
        if (o.tensorIndex != tensorIndex) {
            throw new IllegalArgumentException("cannot merge stats of tensor " + tensorIndex + " with tensor " + o.tensorIndex);
        }
        int n = records.length + o.records.length;
        int[] r = new int[n];
        float[] lo = new float[n];
        float[] hi = new float[n];
        int i = 0;
        int j = 0;
        for (int k = 0; k < n; k++) {
            boolean mine = j >= o.records.length || (i < records.length && records[i] < o.records[j]);
            if (i < records.length && j < o.records.length && records[i] == o.records[j]) {
                throw new IllegalArgumentException("both shards hold record " + records[i] + " of tensor " + tensorIndex
                        + ": shards must not overlap");
            }
            if (mine) {
                r[k] = records[i];
                lo[k] = recordMins[i];
                hi[k] = recordMaxs[i++];
            } else {
                r[k] = o.records[j];
                lo[k] = o.recordMins[j];
                hi[k] = o.recordMaxs[j++];
            }
        }
        double m = !hasRange() ? o.min : !o.hasRange() ? min : Math.min(min, o.min);
        double x = !hasRange() ? o.max : !o.hasRange() ? max : Math.max(max, o.max);
        return new TensorStats(tensorIndex, name, count + o.count, nanCount + o.nanCount, infCount + o.infCount, m, x,
                r, lo, hi, histogram.merge(o.histogram));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorStats s && tensorIndex == s.tensorIndex && name.equals(s.name) && count == s.count
                && nanCount == s.nanCount && infCount == s.infCount && Double.compare(min, s.min) == 0
                && Double.compare(max, s.max) == 0 && Arrays.equals(records, s.records)
                && Arrays.equals(recordMins, s.recordMins) && Arrays.equals(recordMaxs, s.recordMaxs)
                && histogram.equals(s.histogram);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tensorIndex, count, min, max, histogram);
    }

    @Override
    public String toString() {
        return "tensor " + tensorIndex + " \"" + name + "\" [" + min + ", " + max + "] (" + count + " values, "
                + records.length + " records)";
    }
}
