package io.litebit.quantization.calibration;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/** The mutable side of {@link TensorStats}: one per tensor per calibration thread. */
final class TensorRecorder {
    private final int tensorIndex;
    private final String name;
    private final Histogram.Builder histogram = new Histogram.Builder();
    private long count;
    private long nanCount;
    private long infCount;
    private double min = Double.NaN;
    private double max = Double.NaN;
    private int[] records = new int[16];
    private float[] mins = new float[16];
    private float[] maxs = new float[16];
    private int size;
    private float[] scratch = new float[0];

    private final boolean histograms;

    TensorRecorder(int tensorIndex, String name, boolean histograms) {
        this.tensorIndex = tensorIndex;
        this.name = name;
        this.histograms = histograms;
    }

    /** Records one record's float32 values of this tensor (little-endian). */
    void add(int record, ByteBuffer littleEndian) {
        FloatBuffer f = littleEndian.asFloatBuffer();
        int n = f.remaining();
        if (scratch.length < n) {
            scratch = new float[n];
        }
        f.get(scratch, 0, n);
        add(record, scratch, n);
    }

    void add(int record, float[] values, int n) {
        // One pass finds the range; Math.min/max carry a NaN through and an Inf lands in the
        // range, so finite bounds prove every value finite and the common case needs no more.
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = values[i];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        int finite = n;
        if (!Float.isFinite(lo) || !Float.isFinite(hi)) {
            // NaN and Inf are counted, never ranged: the finite values move to the front.
            finite = 0;
            lo = Float.POSITIVE_INFINITY;
            hi = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                float v = values[i];
                if (Float.isFinite(v)) {
                    values[finite++] = v;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                } else if (Float.isNaN(v)) {
                    nanCount++;
                } else {
                    infCount++;
                }
            }
        }
        if (finite == 0) {
            return;
        }
        count += finite;
        min = Double.isNaN(min) ? lo : Math.min(min, lo);
        max = Double.isNaN(max) ? hi : Math.max(max, hi);
        if (histograms) {
            histogram.add(values, 0, finite, lo, hi);
        }
        if (size > 0 && records[size - 1] >= record) {
            throw new IllegalStateException("records must arrive in increasing order, got " + record + " after "
                    + records[size - 1]);
        }
        if (size == records.length) {
            records = Arrays.copyOf(records, size * 2);
            mins = Arrays.copyOf(mins, size * 2);
            maxs = Arrays.copyOf(maxs, size * 2);
        }
        records[size] = record;
        mins[size] = lo;
        maxs[size++] = hi;
    }

    TensorStats stats() {
        return new TensorStats(tensorIndex, name, count, nanCount, infCount, min, max, Arrays.copyOf(records, size),
                Arrays.copyOf(mins, size), Arrays.copyOf(maxs, size), histogram.build());
    }
}
