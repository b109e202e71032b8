package io.litebit.cli;

import io.litebit.api.TensorData;
import io.litebit.model.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/** Reading tensor bytes as numbers and summarizing long vectors for the terminal. */
final class ValueFormat {
    static final int SHOWN = 10;

    private ValueFormat() {
    }

    /** Every element as a double (exact for all integer types up to 2^53). */
    static double[] values(TensorData t) {
        ByteBuffer b = t.bytes().order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) t.elementCount();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = element(b, t.dtype(), i);
        }
        return out;
    }

    static double element(ByteBuffer b, DType dtype, int i) {
        return switch (dtype) {
            case FLOAT32 -> b.getFloat(4 * i);
            case FLOAT64 -> b.getDouble(8 * i);
            case INT8 -> b.get(i);
            case UINT8 -> b.get(i) & 0xff;
            case BOOL -> b.get(i) != 0 ? 1 : 0;
            case INT16 -> b.getShort(2 * i);
            case UINT16 -> b.getShort(2 * i) & 0xffff;
            case INT32 -> b.getInt(4 * i);
            case UINT32 -> Integer.toUnsignedLong(b.getInt(4 * i));
            case INT64 -> b.getLong(8 * i);
            default -> throw new IllegalArgumentException("cannot print " + dtype.displayName() + " values");
        };
    }

    /** {@code [a, b, c]} in full when short, else the first values, "...", and min/max/mean/argmax. */
    static String summary(double[] v, boolean integral) {
        StringBuilder s = new StringBuilder("[");
        int shown = Math.min(v.length, SHOWN);
        for (int i = 0; i < shown; i++) {
            s.append(i == 0 ? "" : ", ").append(format(v[i], integral));
        }
        if (v.length > shown) {
            s.append(", ... (").append(v.length).append(" values)");
        }
        s.append("]");
        if (v.length > 1) {
            s.append(String.format(Locale.ROOT, "  min %s max %s mean %.6g argmax %d", format(min(v), integral),
                    format(max(v), integral), mean(v), argmax(v)));
        }
        return s.toString();
    }

    static String format(double x, boolean integral) {
        return integral ? Long.toString((long) x) : String.format(Locale.ROOT, "%.6g", x);
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }
}
