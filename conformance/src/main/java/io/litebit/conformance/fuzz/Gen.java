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
 */
final class Gen {
    final SplittableRandom r;

    Gen(long seed) {
        this.r = new SplittableRandom(seed);
    }

    /** Uniform in {@code [lo, hi]}. */
    int between(int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    boolean chance(double p) {
        return r.nextDouble() < p;
    }

    @SafeVarargs
    final <T> T pick(T... options) {
        return options[r.nextInt(options.length)];
    }

    /** Log-uniform in {@code [lo, hi]}: every decade equally likely. */
    double logUniform(double lo, double hi) {
        return Math.exp(Math.log(lo) + r.nextDouble() * (Math.log(hi) - Math.log(lo)));
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
        return qmin(t) + r.nextInt((int) (qmax(t) - qmin(t) + 1));
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
        for (int i = 0; i < n; i++) {
            v[i] = lo + (long) (r.nextDouble() * span);
        }
        return le(t, v);
    }

    /** Integers uniform in {@code [lo, hi]}. */
    long[] ints(int n, long lo, long hi) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (long) (r.nextDouble() * (hi - lo + 1));
        }
        return v;
    }

    /** Floats uniform in {@code [lo, hi]}. */
    float[] floats(int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + r.nextDouble() * (hi - lo));
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
