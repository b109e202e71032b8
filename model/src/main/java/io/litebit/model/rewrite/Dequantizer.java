package io.litebit.model.rewrite;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Turns the constant data of quantized integer and float16 tensors into float32 data. */
final class Dequantizer {
    private Dequantizer() {
    }

    /**
     * The tensor's constant data as little-endian float32, each element dequantized with its
     * channel's parameters by {@link Quantization#dequantize} (exact product, rounded once).
     */
    static ByteBuffer dequantize(Tensor t, String where) {
        Quantization q = t.quantization();
        int[] shape = t.shape();
        int n = Math.toIntExact(t.elementCount());
        int channels = q.channelCount();
        int axis = q.quantizedDimension();
        long inner = 1;
        if (channels > 1) {
            if (axis < 0 || axis >= shape.length || shape[axis] != channels) {
                throw new IllegalArgumentException(where + ": " + channels + " per-channel scales along dimension "
                        + axis + " do not fit shape " + Tensor.formatShape(shape)
                        + "; expected one scale per element of that dimension");
            }
            for (int d = axis + 1; d < shape.length; d++) {
                inner *= shape[d];
            }
        }
        ByteBuffer in = t.data().orElseThrow();
        ByteBuffer out = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            int c = channels > 1 ? (int) ((i / inner) % channels) : 0;
            out.putFloat(4 * i, q.dequantize(element(in, t.dtype(), i, where), c));
        }
        return out.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Float16 constant data widened to float32 (exactly: every half is a float). */
    static ByteBuffer widenHalf(Tensor t) {
        int n = Math.toIntExact(t.elementCount());
        ByteBuffer in = t.data().orElseThrow();
        ByteBuffer out = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            out.putFloat(4 * i, halfToFloat(in.getShort(2 * i)));
        }
        return out.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    static long element(ByteBuffer b, DType type, int i, String where) {
        return switch (type) {
            case INT8 -> b.get(i);
            case UINT8 -> Byte.toUnsignedLong(b.get(i));
            case INT16 -> b.getShort(2 * i);
            case UINT16 -> Short.toUnsignedLong(b.getShort(2 * i));
            case INT32 -> b.getInt(4 * i);
            case UINT32 -> Integer.toUnsignedLong(b.getInt(4 * i));
            case INT64, UINT64 -> b.getLong(8 * i);
            // TFLite packs two 4-bit values per byte, the even element in the low nibble.
            case INT4 -> (long) (byte) ((i % 2 == 0 ? b.get(i / 2) << 4 : b.get(i / 2)) & 0xf0) >> 4;
            case UINT4 -> (Byte.toUnsignedInt(b.get(i / 2)) >> (i % 2 == 0 ? 0 : 4)) & 0xf;
            default -> throw new UnsupportedOperationException(where + ": cannot dequantize constant data of type "
                    + type.displayName());
        };
    }

    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f80_0000 | (mant << 13));
        }
        if (exp == 0) {
            // Subnormal half: mant * 2^-24, exact in float.
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
