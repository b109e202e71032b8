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

    TensorRecorder(int tensorIndex, String name) {
        this.tensorIndex = tensorIndex;
        this.name = name;
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
        // Finite values are moved to the front; NaN and Inf are counted, never ranged.
        int finite = 0;
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
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
        if (finite == 0) {
            return;
        }
        count += finite;
        min = Double.isNaN(min) ? lo : Math.min(min, lo);
        max = Double.isNaN(max) ? hi : Math.max(max, hi);
        histogram.add(values, 0, finite);
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
