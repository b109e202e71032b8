package io.litebit.api;

import io.litebit.model.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable tensor value: element type, shape and data (copied in and out). Used to feed and
 * read tensors with shape checks and to pass named inputs and outputs of signatures.
 *
 * <pre>{@code
 * TensorData image = TensorData.ofFloat32(pixels, 1, 28, 28);     // 784 values, shape checked
 * interpreter.input(0).write(image);                              // dtype and shape must match
 * interpreter.invoke();
 * TensorData logits = interpreter.output(0).read();
 * float[] values = logits.toFloatArray();
 * }</pre>
 *
 * <p>Data is held in the platform's native byte order, as TFLite holds tensors.
 */
public final class TensorData {
    private final DType dtype;
    private final int[] shape;
    private final byte[] bytes;

    private TensorData(DType dtype, int[] shape, byte[] bytes) {
        this.dtype = dtype;
        this.shape = shape;
        this.bytes = bytes;
    }

    public static TensorData ofInt8(byte[] values, int... shape) {
        return ofBytes(DType.INT8, values, shape);
    }

    public static TensorData ofUint8(byte[] values, int... shape) {
        return ofBytes(DType.UINT8, values, shape);
    }

    public static TensorData ofInt16(short[] values, int... shape) {
        checkCount(values.length, shape);
        ByteBuffer b = allocate(values.length * 2L);
        b.asShortBuffer().put(values);
        return new TensorData(DType.INT16, shape.clone(), b.array());
    }

    public static TensorData ofInt32(int[] values, int... shape) {
        checkCount(values.length, shape);
        ByteBuffer b = allocate(values.length * 4L);
        b.asIntBuffer().put(values);
        return new TensorData(DType.INT32, shape.clone(), b.array());
    }

    public static TensorData ofInt64(long[] values, int... shape) {
        checkCount(values.length, shape);
        ByteBuffer b = allocate(values.length * 8L);
        b.asLongBuffer().put(values);
        return new TensorData(DType.INT64, shape.clone(), b.array());
    }

    public static TensorData ofFloat32(float[] values, int... shape) {
        checkCount(values.length, shape);
        ByteBuffer b = allocate(values.length * 4L);
        b.asFloatBuffer().put(values);
        return new TensorData(DType.FLOAT32, shape.clone(), b.array());
    }

    /**
     * Any fixed-size dtype from raw bytes in native byte order (the remaining bytes of
     * {@code data} are copied; its position is not changed).
     *
     * @throws IllegalArgumentException if the byte count does not match shape and dtype
     */
    public static TensorData ofRaw(DType dtype, int[] shape, ByteBuffer data) {
        Objects.requireNonNull(dtype, "dtype");
        checkShape(shape);
        long expected = dtype.storageBytes(elements(shape));
        if (expected < 0) {
            throw new IllegalArgumentException(dtype.displayName() + " has no fixed element size");
        }
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of "
                    + dtype.displayName() + " needs " + expected + " bytes, given " + data.remaining());
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return new TensorData(dtype, shape.clone(), copy);
    }

    private static TensorData ofBytes(DType dtype, byte[] values, int[] shape) {
        checkCount(values.length, shape);
        return new TensorData(dtype, shape.clone(), values.clone());
    }

    private static ByteBuffer allocate(long size) {
        return ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.nativeOrder());
    }

    static long elements(int[] shape) {
        return io.litebit.model.Shapes.elementCount(shape);
    }

    private static void checkShape(int[] shape) {
        Objects.requireNonNull(shape, "shape");
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                        + " has a negative dimension");
            }
        }
    }

    private static void checkCount(int given, int[] shape) {
        checkShape(shape);
        long expected = elements(shape);
        if (expected != given) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + expected
                    + " elements, given " + given + " values");
        }
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        return elements(shape);
    }

    public int byteSize() {
        return bytes.length;
    }

    /** The data, read-only, in native byte order. */
    public ByteBuffer bytes() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /** int8, uint8 or bool values. */
    public byte[] toByteArray() {
        ArrayKind.BYTE.check(dtype, "this TensorData");
        return bytes.clone();
    }

    /** int16, uint16 or float16 (raw bits) values. */
    public short[] toShortArray() {
        ArrayKind.SHORT.check(dtype, "this TensorData");
        short[] out = new short[bytes.length / 2];
        bytes().asShortBuffer().get(out);
        return out;
    }

    /** int32 or uint32 values. */
    public int[] toIntArray() {
        ArrayKind.INT.check(dtype, "this TensorData");
        int[] out = new int[bytes.length / 4];
        bytes().asIntBuffer().get(out);
        return out;
    }

    /** int64 or uint64 values. */
    public long[] toLongArray() {
        ArrayKind.LONG.check(dtype, "this TensorData");
        long[] out = new long[bytes.length / 8];
        bytes().asLongBuffer().get(out);
        return out;
    }

    /** float32 values. */
    public float[] toFloatArray() {
        ArrayKind.FLOAT.check(dtype, "this TensorData");
        float[] out = new float[bytes.length / 4];
        bytes().asFloatBuffer().get(out);
        return out;
    }

    /** Raw access for the interpreter (no copy). */
    byte[] rawBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "TensorData[" + dtype.displayName() + Arrays.toString(shape) + ", " + bytes.length + " bytes]";
    }
}
