package io.litebit.trace;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor as a backend computed it: its index in the main subgraph, name, dtype, shape,
 * quantization and raw bytes in TFLite's buffer layout (little-endian, row-major), with the
 * operator that produced it ({@code -1} and {@code "input"} for a model input).
 *
 * <pre>{@code
 * TracedTensor t = trace.tensor(5).orElseThrow();
 * System.out.println(t.opName() + " -> " + t.name() + " " + t.dtype().displayName() + Arrays.toString(t.shape()));
 * }</pre>
 *
 * @param tensorIndex the tensor's index in subgraph 0
 * @param opIndex     the index of the producing operator in subgraph 0, {@code -1} for an input
 * @param opName      the producing op's name ({@code FULLY_CONNECTED}), {@code "input"} for an input
 */
public record TracedTensor(int tensorIndex, String name, DType dtype, int[] shape, Quantization quantization,
                           int opIndex, String opName, byte[] data) {
    public TracedTensor {
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        data = data.clone();
        long expected = dtype.storageBytes(elementCount(shape));
        if (expected != data.length) {
            throw new IllegalArgumentException("tensor " + tensorIndex + " \"" + name + "\": " + dtype.displayName()
                    + Arrays.toString(shape) + " needs " + expected + " bytes, given " + data.length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The data as a little-endian read-only buffer (no copy). */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long elementCount() {
        return elementCount(shape);
    }

    /** Element {@code i} as a long, for integer and bool dtypes (uint8 unsigned). */
    public long integerAt(int i) {
        ByteBuffer b = buffer();
        return switch (dtype) {
            case INT8 -> b.get(i);
            case UINT8, BOOL -> b.get(i) & 0xff;
            case INT16 -> b.getShort(2 * i);
            case UINT16 -> b.getShort(2 * i) & 0xffff;
            case INT32 -> b.getInt(4 * i);
            case UINT32 -> b.getInt(4 * i) & 0xffffffffL;
            case INT64, UINT64 -> b.getLong(8 * i);
            default -> throw new IllegalStateException(dtype.displayName() + " is not an integer type");
        };
    }

    static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TracedTensor t && t.tensorIndex == tensorIndex && Objects.equals(t.name, name)
                && t.dtype == dtype && Arrays.equals(t.shape, shape) && Objects.equals(t.quantization, quantization)
                && t.opIndex == opIndex && Objects.equals(t.opName, opName) && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tensorIndex, name, dtype, Arrays.hashCode(shape), opIndex, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "tensor " + tensorIndex + " \"" + name + "\" " + dtype.displayName() + Arrays.toString(shape) + " from "
                + (opIndex < 0 ? "input" : "op " + opIndex + " " + opName);
    }
}
