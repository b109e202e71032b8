package io.litebit.data;

import io.litebit.model.DType;
import io.litebit.model.Shapes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array as datasets hold it: dtype, shape and the values in TFLite's buffer
 * layout (little-endian, row-major), read-only. The data length always equals what dtype and
 * shape need.
 *
 * <pre>{@code
 * NdArray x = NdArray.ofFloats(new int[] {1, 2}, new float[] {0.5f, -1f});
 * float first = x.floatAt(0);
 * byte[] raw = x.bytes();             // a copy, little-endian
 * }</pre>
 *
 * @param dtype the element type
 * @param shape the dimensions, outermost first ({@code []} for a scalar)
 * @param data  little-endian, row-major values
 */
public record NdArray(DType dtype, int[] shape, ByteBuffer data) {
    public NdArray {
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
        long need = dtype.storageBytes(Shapes.elementCount(shape));
        data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (data.remaining() != need) {
            throw new IllegalArgumentException(dtype.displayName() + Arrays.toString(shape) + " needs " + need
                    + " bytes, given " + data.remaining());
        }
    }

    /** Wraps (without copying) little-endian bytes. */
    public static NdArray of(DType dtype, int[] shape, byte[] littleEndian) {
        return new NdArray(dtype, shape, ByteBuffer.wrap(littleEndian));
    }

    /** A float32 array holding {@code values}. */
    public static NdArray ofFloats(int[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new NdArray(DType.FLOAT32, shape, b);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The values, little-endian, position 0 (a new view each time; read-only). */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    /** A copy of the little-endian bytes. */
    public byte[] bytes() {
        ByteBuffer d = data();
        byte[] b = new byte[d.remaining()];
        d.get(b);
        return b;
    }

    /** This array's values under another shape with the same element count (no copy). */
    public NdArray reshape(int[] newShape) {
        if (Shapes.elementCount(newShape) != elementCount()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " (" + elementCount()
                    + " elements) to " + Arrays.toString(newShape) + " (" + Shapes.elementCount(newShape) + ")");
        }
        return new NdArray(dtype, newShape, data());
    }

    /**
     * Element {@code i} as a double: floats as they are, integers exactly (uint8/uint16/uint32
     * unsigned), bool as 0/1.
     *
     * @throws IllegalStateException for dtypes without a numeric value (string, complex, ...)
     */
    public double doubleAt(long i) {
        int k = Math.toIntExact(i);
        return switch (dtype) {
            case FLOAT32 -> data.getFloat(4 * k);
            case FLOAT64 -> data.getDouble(8 * k);
            case FLOAT16 -> halfToFloat(data.getShort(2 * k));
            case INT8 -> data.get(k);
            case UINT8, BOOL -> data.get(k) & 0xff;
            case INT16 -> data.getShort(2 * k);
            case UINT16 -> data.getShort(2 * k) & 0xffff;
            case INT32 -> data.getInt(4 * k);
            case UINT32 -> data.getInt(4 * k) & 0xffffffffL;
            case INT64 -> data.getLong(8 * k);
            case UINT64 -> data.getLong(8 * k);
            default -> throw new IllegalStateException(dtype.displayName() + " has no numeric value");
        };
    }

    /** Element {@code i} of a float32 array. */
    public float floatAt(long i) {
        if (dtype != DType.FLOAT32) {
            throw new IllegalStateException("floatAt needs float32, this array is " + dtype.displayName());
        }
        return data.getFloat(4 * Math.toIntExact(i));
    }

    /** A copy of a float32 array's elements, in order: {@code float[] x = record.input(0).toFloats();} */
    public float[] toFloats() {
        if (dtype != DType.FLOAT32) {
            throw new IllegalStateException("toFloats needs float32, this array is " + dtype.displayName());
        }
        float[] out = new float[Math.toIntExact(elementCount())];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** Whether the dtype can hold NaN or infinities. */
    public boolean isFloatingPoint() {
        return dtype.isFloatingPoint();
    }

    /** How many elements are NaN or ±Inf (0 for integer dtypes). */
    public long nonFiniteCount() {
        if (!dtype.isFloatingPoint()) {
            return 0;
        }
        long n = 0;
        long count = elementCount();
        for (long i = 0; i < count; i++) {
            if (!Double.isFinite(doubleAt(i))) {
                n++;
            }
        }
        return n;
    }

    /** IEEE 754 binary16 to float (Float.float16ToFloat arrived after Java 17). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // subnormal half: mant * 2^-24, exact in float
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NdArray a && dtype == a.dtype && Arrays.equals(shape, a.shape) && data().equals(a.data());
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + data().hashCode();
    }

    @Override
    public String toString() {
        return dtype.displayName() + Arrays.toString(shape);
    }
}
