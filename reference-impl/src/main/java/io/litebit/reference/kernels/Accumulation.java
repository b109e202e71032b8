package io.litebit.reference.kernels;

/**
 * The integer sums of the convolution-like kernels. Integer addition is associative, so these
 * sums may run in any order and still give the C++ loops' bits: an {@code int} sum wraps exactly
 * as TFLite's {@code int32_t} accumulator does, and a {@code long} sum is exact. Running the
 * {@code int} form where it cannot overflow lets the JIT vectorize it; {@link #fitsInt} says when.
 */
final class Accumulation {
    private Accumulation() {
    }

    /**
     * Whether a sum of {@code terms} products {@code a * b} plus a bias stays within int32 for
     * every element of the given magnitudes: then the wrapped int32 sum and the exact sum agree.
     */
    static boolean fitsInt(long terms, long maxAbsA, long maxAbsB, long maxAbsBias) {
        try {
            long bound = Math.addExact(Math.multiplyExact(Math.multiplyExact(terms, maxAbsA), maxAbsB), maxAbsBias);
            return bound <= Integer.MAX_VALUE;
        } catch (ArithmeticException overflow) {
            return false;
        }
    }

    /** The largest magnitude in {@code v} (0 when empty). */
    static long maxAbs(int[] v) {
        long m = 0;
        for (int x : v) {
            m = Math.max(m, Math.abs((long) x));
        }
        return m;
    }

    /** The largest magnitude in {@code v} (0 when {@code null} or empty). */
    static long maxAbs(long[] v) {
        long m = 0;
        if (v != null) {
            for (long x : v) {
                // |Long.MIN_VALUE| does not fit; any bias that large cannot fit an int sum anyway.
                m = Math.max(m, x == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(x));
            }
        }
        return m;
    }

    /** {@code sum a[aFrom + k] * b[bFrom + k]} for k in [0, n), wrapped to int32. */
    static int dotInt(int[] a, int aFrom, int[] b, int bFrom, int n) {
        int sum = 0;
        for (int k = 0; k < n; k++) {
            sum += a[aFrom + k] * b[bFrom + k];
        }
        return sum;
    }

    /**
     * Four {@link #dotInt} sums at once: {@code sums[j] = sum a[aFrom + j * n + k] * b[k]} for
     * j in [0, 4) — four consecutive rows of {@code a} against one {@code b}, which is then read
     * once for all four (the reason it exists: the convolutions' filter rows against one patch).
     */
    static void dotInt4(int[] a, int aFrom, int[] b, int n, int[] sums) {
        int s0 = 0;
        int s1 = 0;
        int s2 = 0;
        int s3 = 0;
        for (int k = 0; k < n; k++) {
            int v = b[k];
            s0 += a[aFrom + k] * v;
            s1 += a[aFrom + n + k] * v;
            s2 += a[aFrom + 2 * n + k] * v;
            s3 += a[aFrom + 3 * n + k] * v;
        }
        sums[0] = s0;
        sums[1] = s1;
        sums[2] = s2;
        sums[3] = s3;
    }

    /** {@code sum a[aFrom + k] * b[bFrom + k]} for k in [0, n), exact in int64. */
    static long dotLong(int[] a, int aFrom, int[] b, int bFrom, int n) {
        long sum = 0;
        for (int k = 0; k < n; k++) {
            sum += (long) a[aFrom + k] * b[bFrom + k];
        }
        return sum;
    }

    /** Adds {@code offset} to every element of {@code v} and returns it (the zero-point offsets of the quantized kernels). */
    static int[] addInPlace(int[] v, int offset) {
        if (offset != 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] += offset;
            }
        }
        return v;
    }
}
