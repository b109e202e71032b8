package io.litebit.api;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Float to quantized and back exactly as TFLite's reference {@code QUANTIZE} and
 * {@code DEQUANTIZE} kernels do it ({@code reference_ops::AffineQuantize},
 * {@code PerChannelQuantize}, {@code Dequantize}, {@code PerChannelDequantize}):
 *
 * <ul>
 *   <li>quantize: {@code q = round(x / scale) + zero_point}, the division in float32,
 *       {@code round} half away from zero (C++ {@code std::round}, so {@code -2.5 -> -3}, unlike
 *       {@link Math#round(float)}), then saturated to the dtype's range (never wrapped);</li>
 *   <li>dequantize, per tensor: {@code (float) ((double) scale * (q - zero_point))};</li>
 *   <li>dequantize, per channel: {@code scale[c] * (float) (q - zero_point[c])} in float32,
 *       where {@code c} is the element's index along the quantized dimension.</li>
 * </ul>
 *
 * <pre>{@code
 * Quantization q = Quantization.perTensor(0.5f, -3);
 * long a = Quantizer.quantize(1.25f, 0.5f, -3, DType.INT8);    // 1.25/0.5 = 2.5 -> 3, + -3 = 0
 * long b = Quantizer.quantize(-1.25f, 0.5f, -3, DType.INT8);   // -2.5 -> -3, + -3 = -6
 * long c = Quantizer.quantize(1000f, 0.5f, -3, DType.INT8);    // 1997 saturates to 127
 * TensorData t = Quantizer.quantize(new float[] {1.25f, -1.25f}, new int[] {1, 2}, DType.INT8, q);
 * float[] back = Quantizer.dequantize(t, q);                    // {1.5, -1.5}
 * }</pre>
 *
 * <p>NaN cannot be quantized ({@link IllegalArgumentException}); infinities saturate.
 */
public final class Quantizer {
    private Quantizer() {
    }

    /** The integer dtypes that hold quantized values here. */
    public static boolean isQuantizable(DType dtype) {
        return dtype == DType.INT8 || dtype == DType.UINT8 || dtype == DType.INT16
                || dtype == DType.UINT16 || dtype == DType.INT32 || dtype == DType.INT64;
    }

    /**
     * Quantizes one value: {@code clamp(round_half_away(x / scale) + zeroPoint)}.
     *
     * @throws IllegalArgumentException if {@code x} is NaN or {@code dtype} does not hold
     *     quantized values
     */
    public static long quantize(float x, float scale, long zeroPoint, DType dtype) {
        checkQuantizable(dtype);
        if (Float.isNaN(x)) {
            throw new IllegalArgumentException("cannot quantize NaN");
        }
        float quotient = x / scale;
        // Exact in double for every float, so floor(|v| + 0.5) rounds half away from zero exactly.
        double rounded = Math.copySign(Math.floor(Math.abs((double) quotient) + 0.5), quotient);
        double unclamped = rounded + zeroPoint;
        double min = dtype.minValue();
        double max = dtype.maxValue();
        if (unclamped <= min) {
            return dtype.minValue();
        }
        if (unclamped >= max) {
            return dtype.maxValue();
        }
        return (long) unclamped;
    }

    /** Per-tensor dequantization: {@code (float) ((double) scale * (q - zeroPoint))}. */
    public static float dequantize(long q, float scale, long zeroPoint) {
        return (float) ((double) scale * (double) (q - zeroPoint));
    }

    /** Per-channel dequantization: {@code scale * (float) (q - zeroPoint)}, in float32. */
    public static float dequantizePerChannel(long q, float scale, long zeroPoint) {
        return scale * (float) (q - zeroPoint);
    }

    /**
     * Quantizes {@code values} (in row-major order of {@code shape}) with {@code quantization},
     * per tensor or per channel.
     *
     * @throws IllegalArgumentException if the value count does not match the shape, a value is
     *     NaN, the dtype cannot hold quantized values, or the quantization does not fit the shape
     */
    public static TensorData quantize(float[] values, int[] shape, DType dtype, Quantization quantization) {
        Objects.requireNonNull(values, "values");
        checkQuantizable(dtype);
        long count = TensorData.elements(shape);
        if (values.length != count) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + count
                    + " elements, given " + values.length + " values");
        }
        ChannelMap channels = ChannelMap.of(quantization, shape);
        float[] scales = quantization.scales();
        long[] zeroPoints = zeroPoints(quantization);
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(dtype.storageBytes(count)))
                .order(ByteOrder.nativeOrder());
        for (int i = 0; i < values.length; i++) {
            int c = channels.channel(i);
            long q;
            try {
                q = quantize(values[i], scales[c], zeroPoints[c], dtype);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("element " + i + ": " + e.getMessage(), e);
            }
            put(out, dtype, q);
        }
        return TensorData.ofRaw(dtype, shape, out.flip());
    }

    /**
     * Dequantizes quantized data with {@code quantization}, per tensor or per channel.
     *
     * @throws IllegalArgumentException if the data's dtype does not hold quantized values or the
     *     quantization does not fit its shape
     */
    public static float[] dequantize(TensorData data, Quantization quantization) {
        return dequantize(data.bytes(), data.dtype(), data.shape(), quantization);
    }

    static float[] dequantize(ByteBuffer nativeOrderBytes, DType dtype, int[] shape, Quantization quantization) {
        checkQuantizable(dtype);
        ChannelMap channels = ChannelMap.of(quantization, shape);
        float[] scales = quantization.scales();
        long[] zeroPoints = zeroPoints(quantization);
        boolean perChannel = quantization.isPerChannel();
        int count = Math.toIntExact(TensorData.elements(shape));
        ByteBuffer in = nativeOrderBytes.duplicate().order(ByteOrder.nativeOrder());
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            long q = get(in, dtype);
            int c = channels.channel(i);
            out[i] = perChannel ? dequantizePerChannel(q, scales[c], zeroPoints[c])
                    : dequantize(q, scales[c], zeroPoints[c]);
        }
        return out;
    }

    static void checkQuantizable(DType dtype) {
        if (!isQuantizable(dtype)) {
            throw new IllegalArgumentException((dtype == null ? "notype" : dtype.displayName())
                    + " does not hold quantized values (int8, uint8, int16, uint16, int32, int64 do)");
        }
    }

    private static long[] zeroPoints(Quantization q) {
        long[] zp = new long[q.channelCount()];
        for (int c = 0; c < zp.length; c++) {
            zp[c] = q.zeroPoint(c);
        }
        return zp;
    }

    static void put(ByteBuffer out, DType dtype, long q) {
        switch (dtype) {
            case INT8, UINT8 -> out.put((byte) q);
            case INT16, UINT16 -> out.putShort((short) q);
            case INT32 -> out.putInt((int) q);
            case INT64 -> out.putLong(q);
            default -> throw new IllegalArgumentException(dtype + " does not hold quantized values");
        }
    }

    static long get(ByteBuffer in, DType dtype) {
        return switch (dtype) {
            case INT8 -> in.get();
            case UINT8 -> in.get() & 0xFF;
            case INT16 -> in.getShort();
            case UINT16 -> in.getShort() & 0xFFFF;
            case INT32 -> in.getInt();
            case INT64 -> in.getLong();
            default -> throw new IllegalArgumentException(dtype + " does not hold quantized values");
        };
    }

    /** Maps a flat row-major element index to its quantization channel. */
    private record ChannelMap(int stride, int channels) {
        static ChannelMap of(Quantization q, int[] shape) {
            if (q == null || q.isNone()) {
                throw new IllegalArgumentException("the tensor is not quantized (no scale)");
            }
            int n = q.channelCount();
            if (q.zeroPoints().length != 0 && q.zeroPoints().length != n) {
                throw new IllegalArgumentException("quantization has " + n + " scales but "
                        + q.zeroPoints().length + " zero points");
            }
            if (n == 1) {
                return new ChannelMap(1, 1);
            }
            int axis = q.quantizedDimension();
            if (axis < 0 || axis >= shape.length) {
                throw new IllegalArgumentException("quantized_dimension " + axis + " is outside shape "
                        + Arrays.toString(shape));
            }
            if (shape[axis] != n) {
                throw new IllegalArgumentException("per-channel quantization has " + n
                        + " scales, expected " + shape[axis] + " (dimension " + axis + " of shape "
                        + Arrays.toString(shape) + ")");
            }
            int stride = 1;
            for (int d = axis + 1; d < shape.length; d++) {
                stride *= shape[d];
            }
            return new ChannelMap(stride, n);
        }

        int channel(int flatIndex) {
            return channels == 1 ? 0 : (flatIndex / stride) % channels;
        }
    }
}
