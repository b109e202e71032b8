package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.reference.TensorValue;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Type-agnostic element moves for the data-movement kernels (PAD, CONCATENATION, TRANSPOSE,
 * STRIDED_SLICE...): values are copied as raw bytes, as TFLite's kernels copy them ({@code
 * memcpy} or a typed assignment, which moves the same bits), so every element type the
 * reference holds is supported and float payloads (NaN bits, -0.0) survive.
 */
final class Elements {
    private Elements() {
    }

    /** The tensor whose element {@code i} is {@code source}'s element {@code from[i]}, or {@code fill}'s element 0 where {@code from[i] < 0}. */
    static TensorValue gather(TensorValue source, int[] from, int[] shape, TensorValue fill) {
        DType t = source.dtype();
        int w = t.byteSize();
        byte[] src = source.toLittleEndianBytes();
        byte[] pad = fill == null ? new byte[w] : Arrays.copyOf(fill.toLittleEndianBytes(), w);
        byte[] out = new byte[from.length * w];
        for (int i = 0; i < from.length; i++) {
            if (from[i] < 0) {
                System.arraycopy(pad, 0, out, i * w, w);
            } else {
                System.arraycopy(src, from[i] * w, out, i * w, w);
            }
        }
        return TensorValue.fromLittleEndian(t, shape, ByteBuffer.wrap(out));
    }

    /** Fills {@code out} with copies of the element {@code value} (its bytes), by doubling copies. */
    static void fillWith(byte[] out, byte[] value) {
        int filled = Math.min(value.length, out.length);
        System.arraycopy(value, 0, out, 0, filled);
        while (filled < out.length) {
            int n = Math.min(filled, out.length - filled);
            System.arraycopy(out, 0, out, filled, n);
            filled += n;
        }
    }

    /** Row-major strides of {@code shape}. */
    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = stride;
            stride *= shape[i];
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

    /** A one-element value holding {@code v} in type {@code t} (the pad value of PAD's quantized paths). */
    static TensorValue scalar(DType t, long v) {
        if (t == DType.INT64) {
            return TensorValue.ofInt64(new int[] {1}, v);
        }
        if (t == DType.FLOAT32) {
            return TensorValue.ofFloat32(new int[] {1}, (float) v);
        }
        return TensorValue.fromInts(t, new int[] {1}, new int[] {(int) v});
    }
}
