package io.litebit.quantization.calibration;

import java.util.Arrays;

/**
 * A histogram whose merge is exact: bins are anchored at zero with a power-of-two width
 * {@code 2^exponent} (bin {@code k} holds {@code [k·2^e, (k+1)·2^e)}), and the exponent is always
 * the smallest for which the data seen fits in {@link #MAX_BINS} bins (and every bin index in a
 * {@code long}). Both conditions only depend on the data's minimum and maximum and only get
 * easier as the width grows, so the exponent of any union of shards is the same as that of one
 * pass over all of it, and coarsening a finer histogram to it (bin {@code k} → {@code k >> d}) is
 * exact: {@code merge(a, b)} equals the histogram of one pass over both, bin for bin, whatever the
 * order or the sharding.
 *
 * <pre>{@code
 * Histogram h = Histogram.EMPTY.add(new float[] {0f, 0.5f, 3f});
 * Histogram both = h.merge(other);          // == one pass over both data sets
 * double[] edges = {h.binLow(0), h.binHigh(h.bins() - 1)};
 * }</pre>
 */
public final class Histogram {
    /** At most this many bins: fine enough for the percentile, entropy and MSE methods. */
    public static final int MAX_BINS = 4096;
    /** Below float32's smallest subnormal, so that a single value or all-zero data keeps one bin. */
    static final int MIN_EXPONENT = -160;
    private static final int INDEX_BITS = 62;

    /** No data. */
    public static final Histogram EMPTY = new Histogram(MIN_EXPONENT, 0, new long[0], Double.NaN, Double.NaN);

    private final int exponent;
    private final long first;
    private final long[] counts;
    private final double min;
    private final double max;

    private Histogram(int exponent, long first, long[] counts, double min, double max) {
        this.exponent = exponent;
        this.first = first;
        this.counts = counts;
        this.min = min;
        this.max = max;
    }

    /** The width of every bin is {@code 2^exponent()}. */
    public int exponent() {
        return exponent;
    }

    public double binWidth() {
        return Math.scalb(1.0, exponent);
    }

    /** The index (multiple of the width) of bin 0: bin {@code i} starts at {@code (firstIndex() + i)·width}. */
    public long firstIndex() {
        return first;
    }

    public int bins() {
        return counts.length;
    }

    public long count(int bin) {
        return counts[bin];
    }

    public long[] counts() {
        return counts.clone();
    }

    public double binLow(int bin) {
        return Math.scalb((double) (first + bin), exponent);
    }

    public double binHigh(int bin) {
        return Math.scalb((double) (first + bin + 1), exponent);
    }

    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    public boolean isEmpty() {
        return counts.length == 0;
    }

    /** This histogram plus {@code values} (finite values only). */
    public Histogram add(float[] values) {
        Builder b = new Builder();
        b.merge(this);
        b.add(values, 0, values.length);
        return b.build();
    }

    /** The histogram of both data sets, exactly as one pass over them would build it. */
    public Histogram merge(Histogram other) {
        Builder b = new Builder();
        b.merge(this);
        b.merge(other);
        return b.build();
    }

    /**
     * The mutable form calibration fills record after record: one window of {@link #MAX_BINS}
     * bins, rebuilt only when the exponent grows or the data leaves the window, so that adding
     * a record costs one pass over its values and no allocation. {@link #build} gives the same
     * histogram whatever the order of the data.
     *
     * <p>Counting is the hot loop of calibration, and activations after a ReLU are mostly the same
     * value (zero): a single counter would make every increment wait for the previous one's
     * store. So values are counted round-robin into {@value #LANES} interleaved {@code int}
     * lanes per bin, folded into the {@code long} counts only before the window moves, before a
     * lane could overflow, and when the histogram is built.
     */
    static final class Builder {
        private static final int LANES = 4;
        private int exponent = MIN_EXPONENT;
        private long first;
        private long[] counts = new long[0];
        private int[] lanes = new int[0];
        private long pending;
        private double min = Double.NaN;
        private double max = Double.NaN;

        boolean isEmpty() {
            return Double.isNaN(min);
        }

        void add(float[] values, int from, int to) {
            if (from >= to) {
                return;
            }
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                float v = values[i];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            add(values, from, to, lo, hi);
        }

        /** Adds finite values whose minimum and maximum the caller has already found. */
        void add(float[] values, int from, int to, float lo, float hi) {
            if (from >= to) {
                return;
            }
            ensure(lo, hi, exponent);
            int n = to - from;
            if (pending + n > Integer.MAX_VALUE) {
                fold();
            }
            pending += n;
            int[] l = lanes;
            long f = first;
            double inv = Math.scalb(1.0, -exponent);
            int i = from;
            // Exact: inv is a power of two, so v·inv is v with another exponent (no rounding).
            for (; i + LANES <= to; i += LANES) {
                l[(int) ((long) Math.floor(values[i] * inv) - f) * LANES]++;
                l[(int) ((long) Math.floor(values[i + 1] * inv) - f) * LANES + 1]++;
                l[(int) ((long) Math.floor(values[i + 2] * inv) - f) * LANES + 2]++;
                l[(int) ((long) Math.floor(values[i + 3] * inv) - f) * LANES + 3]++;
            }
            for (; i < to; i++) {
                l[(int) ((long) Math.floor(values[i] * inv) - f) * LANES]++;
            }
        }

        /** Moves the lane counts into {@code counts}. */
        private void fold() {
            if (pending == 0) {
                return;
            }
            int[] l = lanes;
            for (int b = 0; b < counts.length; b++) {
                int k = b * LANES;
                long sum = (long) l[k] + l[k + 1] + l[k + 2] + l[k + 3];
                if (sum != 0) {
                    counts[b] += sum;
                    l[k] = 0;
                    l[k + 1] = 0;
                    l[k + 2] = 0;
                    l[k + 3] = 0;
                }
            }
            pending = 0;
        }

        void merge(Histogram h) {
            if (h.isEmpty()) {
                return;
            }
            fold();
            ensure(h.min, h.max, Math.max(exponent, h.exponent));
            int d = exponent - h.exponent;
            for (int i = 0; i < h.counts.length; i++) {
                counts[(int) (((h.first + i) >> d) - first)] += h.counts[i];
            }
        }

        /** Makes room for data in {@code [lo, hi]} at an exponent of at least {@code atLeast}. */
        private void ensure(double lo, double hi, int atLeast) {
            double newMin = isEmpty() ? lo : Math.min(min, lo);
            double newMax = isEmpty() ? hi : Math.max(max, hi);
            int e = exponentFor(newMin, newMax, atLeast);
            long lowIndex = index(newMin, e);
            long highIndex = index(newMax, e);
            if (e != exponent || lowIndex < first || highIndex >= first + counts.length) {
                fold();
                long[] c = new long[MAX_BINS];
                int d = e - exponent;
                // Centre the data in the window, leaving room to grow either way without a rebuild.
                long newFirst = lowIndex - (MAX_BINS - (highIndex - lowIndex + 1)) / 2;
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] != 0) {
                        c[(int) (((first + i) >> d) - newFirst)] += counts[i];
                    }
                }
                exponent = e;
                first = newFirst;
                counts = c;
                if (lanes.length == 0) {
                    lanes = new int[MAX_BINS * LANES];
                }
            }
            min = newMin;
            max = newMax;
        }

        Histogram build() {
            if (isEmpty()) {
                return EMPTY;
            }
            fold();
            long lo = index(min, exponent);
            long hi = index(max, exponent);
            long[] c = Arrays.copyOfRange(counts, (int) (lo - first), (int) (hi - first + 1));
            return new Histogram(exponent, lo, c, min, max);
        }
    }

    private static long index(double x, int e) {
        return (long) Math.floor(Math.scalb(x, -e));
    }

    /** The smallest exponent {@code >= atLeast} for which {@code [lo, hi]} fits the limits. */
    static int exponentFor(double lo, double hi, int atLeast) {
        double maxAbs = Math.max(Math.abs(lo), Math.abs(hi));
        int e = atLeast;
        // Lower bounds of the answer, to start the search close to it; the loop decides.
        if (hi > lo) {
            e = Math.max(e, Math.getExponent((hi - lo) / MAX_BINS));
        }
        if (maxAbs > 0) {
            e = Math.max(e, Math.getExponent(maxAbs) - INDEX_BITS);
        }
        while (!fits(lo, hi, maxAbs, e)) {
            e++;
        }
        return e;
    }

    private static boolean fits(double lo, double hi, double maxAbs, int e) {
        if (Math.scalb(maxAbs, -e) >= 0x1p62) {
            return false;
        }
        return index(hi, e) - index(lo, e) + 1 <= MAX_BINS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && exponent == h.exponent && first == h.first && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * exponent + Long.hashCode(first)) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return counts.length + " bins of 2^" + exponent + " from " + binLow(0);
    }
}
