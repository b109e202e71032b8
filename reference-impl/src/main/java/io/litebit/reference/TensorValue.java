package io.litebit.reference;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * The contents of one tensor: element type, shape and the elements in row-major order, held in
 * a primitive array of the type's width ({@code float[]} for float32, {@code byte[]} for int8,
 * uint8 and bool, {@code short[]} for int16, {@code int[]} for int32, {@code long[]} for int64).
 *
 * <p>Immutable: factories copy the arrays they are given and accessors hand out copies or single
 * elements. Values are raw: a quantized tensor's value is its integers; the scale and zero point
 * belong to the model's {@link Tensor}. uint8 elements read as 0..255.
 *
 * <p>{@link #toLittleEndianBytes()} and {@link #fromLittleEndian(DType, int[], ByteBuffer)} use
 * TFLite's own buffer layout, so the same input can be given to a native interpreter.
 *
 * <pre>{@code
 * TensorValue x = TensorValue.ofInt8(new int[] {1, 3}, (byte) -128, (byte) 0, (byte) 127);
 * int v = x.getInt(2);                                   // 127
 * TensorValue u = TensorValue.ofUint8(new int[] {2}, 0, 255);
 * byte[] raw = u.toLittleEndianBytes();                  // {0, (byte) 0xff}
 * }</pre>
 */
public final class TensorValue {
    private final DType dtype;
    private final int[] shape;
    private final Object data;

    private TensorValue(DType dtype, int[] shape, Object data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    // ------------------------------------------------------------------ factories

    public static TensorValue ofFloat32(int[] shape, float... values) {
        return new TensorValue(DType.FLOAT32, checkedShape(shape, values.length, DType.FLOAT32), values.clone());
    }

    public static TensorValue ofInt8(int[] shape, byte... values) {
        return new TensorValue(DType.INT8, checkedShape(shape, values.length, DType.INT8), values.clone());
    }

    /** uint8 values given as ints in [0, 255]. */
    public static TensorValue ofUint8(int[] shape, int... values) {
        return fromInts(DType.UINT8, shape, values);
    }

    public static TensorValue ofInt16(int[] shape, short... values) {
        return new TensorValue(DType.INT16, checkedShape(shape, values.length, DType.INT16), values.clone());
    }

    public static TensorValue ofInt32(int[] shape, int... values) {
        return new TensorValue(DType.INT32, checkedShape(shape, values.length, DType.INT32), values.clone());
    }

    public static TensorValue ofInt64(int[] shape, long... values) {
        return new TensorValue(DType.INT64, checkedShape(shape, values.length, DType.INT64), values.clone());
    }

    public static TensorValue ofBool(int[] shape, boolean... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) (values[i] ? 1 : 0);
        }
        return new TensorValue(DType.BOOL, checkedShape(shape, values.length, DType.BOOL), b);
    }

    /**
     * A tensor of an integer type (int8, uint8, int16, int32, bool) from int values, each of
     * which must be representable in the type.
     *
     * @throws IllegalArgumentException naming the first value out of the type's range
     */
    public static TensorValue fromInts(DType dtype, int[] shape, int[] values) {
        int[] s = checkedShape(shape, values.length, dtype);
        long min = dtype.minValue();
        long max = dtype.maxValue();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < min || values[i] > max) {
                throw new IllegalArgumentException(dtype.displayName() + " value " + i + " is " + values[i]
                        + ", outside [" + min + ", " + max + "]");
            }
        }
        Object data = switch (dtype) {
            case INT8, UINT8, BOOL -> {
                byte[] b = new byte[values.length];
                for (int i = 0; i < values.length; i++) {
                    b[i] = (byte) values[i];
                }
                yield b;
            }
            case INT16 -> {
                short[] b = new short[values.length];
                for (int i = 0; i < values.length; i++) {
                    b[i] = (short) values[i];
                }
                yield b;
            }
            case INT32 -> values.clone();
            case INT64 -> {
                long[] b = new long[values.length];
                for (int i = 0; i < values.length; i++) {
                    b[i] = values[i];
                }
                yield b;
            }
            default -> throw new IllegalArgumentException("fromInts needs an integer type, given " + dtype.displayName());
        };
        return new TensorValue(dtype, s, data);
    }

    /** A tensor of zeros (false for bool). */
    public static TensorValue zeros(DType dtype, int[] shape) {
        int n = checkedElementCount(shape);
        return new TensorValue(dtype, shape.clone(), newArray(dtype, n));
    }

    /**
     * Decodes TFLite's little-endian buffer layout ({@code bytes} from its position; it is not
     * modified).
     *
     * @throws IllegalArgumentException when the byte count does not match shape and type
     * @throws UnsupportedOperationException for types the oracle does not hold (float16, strings, sub-byte types...)
     */
    public static TensorValue fromLittleEndian(DType dtype, int[] shape, ByteBuffer bytes) {
        int n = checkedElementCount(shape);
        Object data = newArray(dtype, n);
        long expected = (long) n * dtype.byteSize();
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() != expected) {
            throw new IllegalArgumentException(dtype.displayName() + Arrays.toString(shape) + " needs " + expected
                    + " bytes, given " + b.remaining());
        }
        switch (dtype) {
            case FLOAT32 -> b.asFloatBuffer().get((float[]) data);
            case INT8, UINT8, BOOL -> b.get((byte[]) data);
            case INT16 -> b.asShortBuffer().get((short[]) data);
            case INT32 -> b.asIntBuffer().get((int[]) data);
            case INT64 -> b.asLongBuffer().get((long[]) data);
            default -> throw new AssertionError(dtype);
        }
        return new TensorValue(dtype, shape.clone(), data);
    }

    /**
     * The value of a constant tensor of a model.
     *
     * @throws IllegalArgumentException when the tensor has no data
     * @throws UnsupportedOperationException when it is sparse or of a type the oracle does not hold
     */
    public static TensorValue of(Tensor constant) {
        if (!constant.isConstant()) {
            throw new IllegalArgumentException(constant + " has no constant data");
        }
        if (constant.isSparse()) {
            throw new UnsupportedOperationException(constant + " is stored sparse; the reference reads dense constants only");
        }
        return fromLittleEndian(constant.dtype(), constant.shape(), constant.data().orElseThrow());
    }

    // ------------------------------------------------------------------ accessors

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    public int elementCount() {
        return java.lang.reflect.Array.getLength(data);
    }

    /** Element {@code i} (row-major) of an int8, uint8 (0..255), int16, int32 or bool tensor. */
    public int getInt(int i) {
        return switch (dtype) {
            case INT8, BOOL -> ((byte[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xff;
            case INT16 -> ((short[]) data)[i];
            case INT32 -> ((int[]) data)[i];
            default -> throw new IllegalStateException("getInt on a " + dtype.displayName() + " tensor");
        };
    }

    /** Element {@code i} of any integer tensor, widened to long. */
    public long getLong(int i) {
        return dtype == DType.INT64 ? ((long[]) data)[i] : getInt(i);
    }

    /** Element {@code i} of a float32 tensor. */
    public float getFloat(int i) {
        if (dtype != DType.FLOAT32) {
            throw new IllegalStateException("getFloat on a " + dtype.displayName() + " tensor");
        }
        return ((float[]) data)[i];
    }

    /** All elements of an int8/uint8/int16/int32/bool tensor, widened to int (uint8 as 0..255). */
    public int[] toIntArray() {
        int[] out = new int[elementCount()];
        switch (dtype) {
            case INT32 -> System.arraycopy((int[]) data, 0, out, 0, out.length);
            case INT8, BOOL -> {
                byte[] b = (byte[]) data;
                for (int i = 0; i < out.length; i++) {
                    out[i] = b[i];
                }
            }
            case UINT8 -> {
                byte[] b = (byte[]) data;
                for (int i = 0; i < out.length; i++) {
                    out[i] = b[i] & 0xff;
                }
            }
            case INT16 -> {
                short[] b = (short[]) data;
                for (int i = 0; i < out.length; i++) {
                    out[i] = b[i];
                }
            }
            default -> throw new IllegalStateException("toIntArray on a " + dtype.displayName() + " tensor");
        }
        return out;
    }

    /** All elements of an integer tensor, widened to long. */
    public long[] toLongArray() {
        long[] out = new long[elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /** All elements of a float32 tensor. */
    public float[] toFloatArray() {
        if (dtype != DType.FLOAT32) {
            throw new IllegalStateException("toFloatArray on a " + dtype.displayName() + " tensor");
        }
        return ((float[]) data).clone();
    }

    /** The elements in TFLite's buffer layout (little-endian, row-major). */
    public byte[] toLittleEndianBytes() {
        int n = elementCount();
        ByteBuffer b = ByteBuffer.allocate(n * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case FLOAT32 -> b.asFloatBuffer().put((float[]) data);
            case INT8, UINT8, BOOL -> b.put((byte[]) data);
            case INT16 -> b.asShortBuffer().put((short[]) data);
            case INT32 -> b.asIntBuffer().put((int[]) data);
            case INT64 -> b.asLongBuffer().put((long[]) data);
            default -> throw new AssertionError(dtype);
        }
        return b.array();
    }

    /** Same elements under another shape with the same element count (RESHAPE, SQUEEZE...). */
    public TensorValue reshaped(int[] newShape) {
        checkedShape(newShape, elementCount(), dtype);
        return new TensorValue(dtype, newShape.clone(), data);
    }

    // ------------------------------------------------------------------ internals

    private static Object newArray(DType dtype, int n) {
        return switch (dtype) {
            case FLOAT32 -> new float[n];
            case INT8, UINT8, BOOL -> new byte[n];
            case INT16 -> new short[n];
            case INT32 -> new int[n];
            case INT64 -> new long[n];
            default -> throw new UnsupportedOperationException("the reference does not hold " + dtype.displayName()
                    + " tensors (float32, int8, uint8, int16, int32, int64 and bool are supported)");
        };
    }

    private static int checkedElementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more elements than a Java array holds");
            }
        }
        return (int) n;
    }

    private static int[] checkedShape(int[] shape, int count, DType dtype) {
        Objects.requireNonNull(shape, "shape");
        int n = checkedElementCount(shape);
        if (n != count) {
            throw new IllegalArgumentException(dtype.displayName() + Arrays.toString(shape) + " needs " + n
                    + " elements, given " + count);
        }
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TensorValue t) || t.dtype != dtype || !Arrays.equals(t.shape, shape)) {
            return false;
        }
        return switch (dtype) {
            case FLOAT32 -> Arrays.equals((float[]) data, (float[]) t.data);
            case INT16 -> Arrays.equals((short[]) data, (short[]) t.data);
            case INT32 -> Arrays.equals((int[]) data, (int[]) t.data);
            case INT64 -> Arrays.equals((long[]) data, (long[]) t.data);
            default -> Arrays.equals((byte[]) data, (byte[]) t.data);
        };
    }

    @Override
    public int hashCode() {
        int h = 31 * dtype.hashCode() + Arrays.hashCode(shape);
        return 31 * h + switch (dtype) {
            case FLOAT32 -> Arrays.hashCode((float[]) data);
            case INT16 -> Arrays.hashCode((short[]) data);
            case INT32 -> Arrays.hashCode((int[]) data);
            case INT64 -> Arrays.hashCode((long[]) data);
            default -> Arrays.hashCode((byte[]) data);
        };
    }

    /** Type, shape and up to the first 8 elements, e.g. {@code int8[1, 3] [-128, 0, 127]}. */
    @Override
    public String toString() {
        int n = elementCount();
        StringBuilder sb = new StringBuilder(dtype.displayName()).append(Arrays.toString(shape)).append(" [");
        for (int i = 0; i < Math.min(n, 8); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dtype == DType.FLOAT32 ? String.valueOf(getFloat(i)) : String.valueOf(getLong(i)));
        }
        return sb.append(n > 8 ? ", ...]" : "]").toString();
    }
}
