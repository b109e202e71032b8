package io.litebit.conformance;

import io.litebit.trace.TracedTensor;
import io.litebit.model.DType;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How two backends' values of one tensor differ.
 *
 * <p>Integer tensors (int8, uint8, int16, int32, int64, bool) are compared exactly: an element
 * differs when its two integers differ, and {@link #maxLsb()} is the largest {@code |a - b|} in
 * quantized units. There is no tolerance: bit-exact means bit-exact. The {@link #histogram()}
 * counts elements by signed difference {@code b - a} (0 included).
 *
 * <p>Float32 tensors: an element differs when its bits differ (+0 and -0 differ; two NaNs with the
 * same bits do not); {@link #maxUlp()} is the largest distance in units in the last place and
 * {@link #maxRelativeError()} the largest {@code |a - b| / max(|a|, |b|)}. Deciding whether that is
 * acceptable is the caller's business, with a stated tolerance.
 *
 * <pre>{@code
 * TensorDiff d = TensorDiff.of(oracle.output(0), native.output(0));
 * if (!d.identical()) {
 *     System.out.println(d.differing() + " of " + d.elements() + " elements, up to " + d.maxLsb() + " LSB " + d.histogram());
 * }
 * }</pre>
 *
 * @param mismatch    non-null when the two cannot be compared element-wise (dtype or shape differ);
 *                    every element then counts as differing
 */
public record TensorDiff(int tensorIndex, String name, int opIndex, String opName, DType dtype, long elements,
                         long differing, long maxLsb, SortedMap<Long, Long> histogram, long maxUlp,
                         double maxRelativeError, String mismatch) {
    public TensorDiff {
        histogram = Collections.unmodifiableSortedMap(new TreeMap<>(histogram));
    }

    /** Compares tensor {@code a} (the baseline) with {@code b}. */
    public static TensorDiff of(TracedTensor a, TracedTensor b) {
        if (a.dtype() != b.dtype() || !Arrays.equals(a.shape(), b.shape())) {
            return new TensorDiff(a.tensorIndex(), a.name(), a.opIndex(), a.opName(), a.dtype(), a.elementCount(),
                    a.elementCount(), 0, new TreeMap<>(), 0, 0, a.dtype().displayName() + Arrays.toString(a.shape())
                    + " vs " + b.dtype().displayName() + Arrays.toString(b.shape()));
        }
        int n = Math.toIntExact(a.elementCount());
        TreeMap<Long, Long> hist = new TreeMap<>();
        long differing = 0;
        long maxLsb = 0;
        long maxUlp = 0;
        double maxRel = 0;
        if (a.dtype() == DType.FLOAT32) {
            ByteBuffer x = a.buffer();
            ByteBuffer y = b.buffer();
            for (int i = 0; i < n; i++) {
                int bx = x.getInt(4 * i);
                int by = y.getInt(4 * i);
                if (bx == by) {
                    continue;
                }
                differing++;
                maxUlp = Math.max(maxUlp, ulpDistance(bx, by));
                float fx = Float.intBitsToFloat(bx);
                float fy = Float.intBitsToFloat(by);
                double denom = Math.max(Math.abs((double) fx), Math.abs((double) fy));
                double rel = denom == 0 ? 0 : Math.abs((double) fx - fy) / denom;
                maxRel = Double.isNaN(rel) ? Double.POSITIVE_INFINITY : Math.max(maxRel, rel);
            }
        } else if (a.dtype().isInteger() || a.dtype() == DType.BOOL) {
            for (int i = 0; i < n; i++) {
                long d = b.integerAt(i) - a.integerAt(i);
                hist.merge(d, 1L, Long::sum);
                if (d != 0) {
                    differing++;
                    // int64 extremes could overflow the subtraction; saturate the magnitude.
                    maxLsb = Math.max(maxLsb, d == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(d));
                }
            }
        } else {
            // Other fixed-size types (float16, float64, complex...): raw bytes only.
            byte[] da = a.data();
            byte[] db = b.data();
            int size = da.length / Math.max(1, n);
            for (int i = 0; i < n; i++) {
                if (!Arrays.equals(da, i * size, (i + 1) * size, db, i * size, (i + 1) * size)) {
                    differing++;
                }
            }
        }
        return new TensorDiff(a.tensorIndex(), a.name(), a.opIndex(), a.opName(), a.dtype(), n, differing, maxLsb, hist,
                maxUlp, maxRel, null);
    }

    /**
     * This diff and {@code other}, a diff of the same tensor on another set of inputs, as one:
     * element counts and histograms add up, maxima take the larger, and a shape or dtype mismatch
     * on either side is kept. What a campaign over several input sets reports per tensor.
     *
     * <pre>{@code
     * TensorDiff total = TensorDiff.of(a1, b1).plus(TensorDiff.of(a2, b2));
     * }</pre>
     *
     * @throws IllegalArgumentException when {@code other} is a diff of another tensor
     */
    public TensorDiff plus(TensorDiff other) {
        if (other.tensorIndex != tensorIndex) {
            throw new IllegalArgumentException("cannot add the diff of tensor " + other.tensorIndex + " to that of tensor "
                    + tensorIndex);
        }
        TreeMap<Long, Long> hist = new TreeMap<>(histogram);
        other.histogram.forEach((k, v) -> hist.merge(k, v, Long::sum));
        return new TensorDiff(tensorIndex, name, opIndex, opName, dtype, elements + other.elements,
                differing + other.differing, Math.max(maxLsb, other.maxLsb), hist, Math.max(maxUlp, other.maxUlp),
                Math.max(maxRelativeError, other.maxRelativeError), mismatch != null ? mismatch : other.mismatch);
    }

    /** Distance in float32 ULPs between two bit patterns, through the sign-magnitude → ordered mapping. */
    static long ulpDistance(int bitsA, int bitsB) {
        long oa = ordered(bitsA);
        long ob = ordered(bitsB);
        return Math.abs(oa - ob);
    }

    private static long ordered(int bits) {
        return bits >= 0 ? bits : (long) Integer.MIN_VALUE - bits;
    }

    /** No differing element (and comparable at all). */
    public boolean identical() {
        return differing == 0 && mismatch == null;
    }

    /** A one-line summary, e.g. {@code tensor 3 "y" from op 0 ADD int8: 12/64 differ, max 1 LSB {-1=5, 0=52, 1=7}}. */
    public String summary() {
        String from = opIndex < 0 ? "input" : "op " + opIndex + " " + opName;
        String head = "tensor " + tensorIndex + " \"" + name + "\" from " + from + " " + dtype.displayName() + ": ";
        if (mismatch != null) {
            return head + "not comparable (" + mismatch + ")";
        }
        if (differing == 0) {
            return head + "identical (" + elements + " elements)";
        }
        if (dtype == DType.FLOAT32) {
            return head + differing + "/" + elements + " differ, max " + maxUlp + " ULP, max relative error " + maxRelativeError;
        }
        return head + differing + "/" + elements + " differ, max " + maxLsb + " LSB " + histogram;
    }
}
