package io.litebit.conformance.fuzz;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random choices for generators, all from one seeded {@link SplittableRandom} so a case is a pure
 * function of its seed.
 *
 * <p>Every draw is also recorded as a {@link Choices choice} in {@code [0, 1)} (bulk data draws
 * as arrays of their own), oriented so that
 * 0 is the simplest outcome (the smallest dimension, the first option, "no" for {@link
 * #chance}, the type's minimum for data). Replaying an edited sequence regenerates the case with
 * those choices, which is how the {@link Shrinker} makes a failing case smaller without knowing
 * anything about the op. A seeded draw gives the same result it always did: the recording does
 * not change which cases a seed makes.
 */
final class Gen {
    private final SplittableRandom r;
    private final Choices replay;
    private final Choices.Recorder recorded = new Choices.Recorder();

    Gen(long seed) {
        this.r = new SplittableRandom(seed);
        this.replay = null;
    }

    /** Replays {@code choices}; draws past their end take the simplest value, 0. */
    Gen(Choices choices) {
        this.r = null;
        this.replay = choices;
    }

    /** What was drawn so far (for a replay: what was used, with the defaults past the end). */
    Choices choices() {
        return recorded.toChoices();
    }

    private double replayed() {
        return replay.mainValue(recorded.size());
    }

    /**
     * {@code n} unit draws for one bulk data array, recorded as a data array of their own (see
     * {@link Choices}); seeded, they come from the main stream exactly as single draws do.
     */
    private double[] units(int n) {
        int k = recorded.arrays();
        double[] a = recorded.array(n);
        for (int i = 0; i < n; i++) {
            a[i] = r != null ? r.nextDouble() : replay.arrayValue(k, i);
        }
        return a;
    }

    /** Uniform in {@code [0, bound)}. */
    private int nextInt(int bound) {
        int v;
        if (r != null) {
            v = r.nextInt(bound);
        } else {
            v = Math.min(bound - 1, (int) (replayed() * bound));
        }
        // The centre of v's slot, so that v survives a replay exactly and scales with the bound.
        recorded.add((v + 0.5) / bound);
        return v;
    }

    /** Uniform in {@code [0, 1)}; 0 is the simplest. */
    double unit() {
        double u = r != null ? r.nextDouble() : replayed();
        recorded.add(u);
        return u;
    }

    /** Uniform in {@code [lo, hi]}. */
    int between(int lo, int hi) {
        return lo + nextInt(hi - lo + 1);
    }

    /** True with probability {@code p}; the recorded choice is 0 for "no", so shrinking says no. */
    boolean chance(double p) {
        double u = r != null ? r.nextDouble() : 1.0 - replayed();
        recorded.add(Math.min(1.0 - u, Math.nextDown(1.0)));
        return u < p;
    }

    @SafeVarargs
    final <T> T pick(T... options) {
        return options[nextInt(options.length)];
    }

    /** Log-uniform in {@code [lo, hi]}: every decade equally likely. */
    double logUniform(double lo, double hi) {
        return Math.exp(Math.log(lo) + unit() * (Math.log(hi) - Math.log(lo)));
    }

    /** A scale log-uniform over the full span the suite covers, 1e-6 .. 1e2. */
    float scale() {
        return (float) logUniform(1e-6, 1e2);
    }

    static long qmin(DType t) {
        return switch (t) {
            case INT8 -> -128;
            case UINT8 -> 0;
            case INT16 -> -32768;
            case INT32 -> Integer.MIN_VALUE;
            default -> throw new IllegalArgumentException(t.displayName());
        };
    }

    static long qmax(DType t) {
        return switch (t) {
            case INT8 -> 127;
            case UINT8 -> 255;
            case INT16 -> 32767;
            case INT32 -> Integer.MAX_VALUE;
            default -> throw new IllegalArgumentException(t.displayName());
        };
    }

    /**
     * A zero point across the type's range; int16 activations are symmetric in TFLite (zero
     * point 0), so 0 for int16. Sometimes an extreme (qmin, qmax) on purpose.
     */
    long zeroPoint(DType t) {
        if (t == DType.INT16 || t == DType.INT32) {
            return 0;
        }
        if (chance(0.1)) {
            return pick(qmin(t), qmax(t));
        }
        return qmin(t) + nextInt((int) (qmax(t) - qmin(t) + 1));
    }

    Quantization perTensor(DType t) {
        return Quantization.perTensor(scale(), zeroPoint(t));
    }

    /** A shape of this rank with dimensions in {@code [1, maxDim]}. */
    int[] shape(int rank, int maxDim) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = between(1, maxDim);
        }
        return s;
    }

    static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Uniform random integers over the type's whole range, as little-endian bytes. */
    byte[] values(DType t, int n) {
        long[] v = new long[n];
        long lo = qmin(t);
        long span = qmax(t) - lo + 1;
        double[] u = units(n);
        for (int i = 0; i < n; i++) {
            v[i] = lo + (long) (u[i] * span);
        }
        return le(t, v);
    }

    /** Integers uniform in {@code [lo, hi]}. */
    long[] ints(int n, long lo, long hi) {
        long[] v = new long[n];
        double[] u = units(n);
        for (int i = 0; i < n; i++) {
            v[i] = lo + (long) (u[i] * (hi - lo + 1));
        }
        return v;
    }

    /** Floats uniform in {@code [lo, hi]}. */
    float[] floats(int n, double lo, double hi) {
        float[] v = new float[n];
        double[] u = units(n);
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + u[i] * (hi - lo));
        }
        return v;
    }

    static byte[] le(DType t, long[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * t.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            switch (t) {
                case INT8, UINT8, BOOL -> b.put((byte) x);
                case INT16 -> b.putShort((short) x);
                case INT32 -> b.putInt((int) x);
                case INT64 -> b.putLong(x);
                default -> throw new IllegalArgumentException(t.displayName());
            }
        }
        return b.array();
    }

    static byte[] le(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    static short[] shorts(long[] v) {
        short[] s = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = (short) v[i];
        }
        return s;
    }

    static int[] ints(long[] v) {
        int[] s = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = (int) v[i];
        }
        return s;
    }

    static String s(int[] shape) {
        return Arrays.toString(shape).replace(" ", "");
    }

    static String q(Quantization q) {
        if (q.isNone()) {
            return "none";
        }
        if (q.isPerChannel()) {
            return "per-channel(axis " + q.quantizedDimension() + ", " + q.channelCount() + " scales " + q.scale(0) + "..)";
        }
        return "(" + q.scale(0) + "," + q.zeroPoint(0) + ")";
    }
}
