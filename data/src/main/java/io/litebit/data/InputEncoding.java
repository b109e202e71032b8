package io.litebit.data;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.quant.AffineQuant;
import io.litebit.model.quant.QuantDType;
import io.litebit.model.quant.QuantParams;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Real values (already preprocessed) into an input's dtype: float32 as they are; a quantized
 * input through its own (scale, zero point), {@code QuantParams.quantizeFloat32} (the QUANTIZE
 * kernel's float division, half away from zero, saturated), the explicit quantization the Java
 * API's {@code writeQuantized} does; an unquantized integer input only for integral values in
 * its range.
 */
final class InputEncoding {
    private InputEncoding() {
    }

    /**
     * @param real whether {@code values} are real numbers (quantized with a quantized input's
     *             parameters) or already the input's stored integers (raw pixels for a uint8 input)
     */
    static NdArray encode(double[] values, InputSpec in, boolean real, String what) {
        DType dt = in.dtype();
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(dt.storageBytes(values.length))).order(ByteOrder.LITTLE_ENDIAN);
        if (dt == DType.FLOAT32) {
            for (double v : values) {
                b.putFloat((float) v);
            }
        } else if (dt == DType.INT8 || dt == DType.UINT8 || dt == DType.INT16) {
            AffineQuant q = real && in.isQuantized() ? affine(in) : null;
            for (int i = 0; i < values.length; i++) {
                long v;
                if (q != null) {
                    v = QuantParams.quantizeFloat32((float) values[i], q);
                } else {
                    double x = values[i];
                    if (x != Math.rint(x) || x < dt.minValue() || x > dt.maxValue()) {
                        throw new DatasetException(what + ": value " + x + " (element " + i + ") does not fit " + in
                                + (real ? ", which has no quantization parameters to convert it with; give a preprocessing that "
                                + "yields integers in [" + dt.minValue() + ", " + dt.maxValue() + "]"
                                : ": raw pixels must fit its dtype; give a preprocessing (--scale/--mean/--std) to have "
                                + "them quantized with the input's own parameters"));
                    }
                    v = (long) x;
                }
                if (dt == DType.INT16) {
                    b.putShort((short) v);
                } else {
                    b.put((byte) v);
                }
            }
        } else {
            throw new DatasetException(what + ": cannot convert image or MNIST values to " + in
                    + "; expected a float32, int8, uint8 or int16 input");
        }
        b.flip();
        return new NdArray(dt, in.shape(), b);
    }

    private static AffineQuant affine(InputSpec in) {
        Quantization q = in.quantization();
        if (!q.isPerTensor()) {
            throw new DatasetException(in + " is quantized per channel; expected one (scale, zero point) for an input");
        }
        return AffineQuant.ofFloat32(q.scale(0), q.zeroPoint(0), QuantDType.valueOf(in.dtype().name()));
    }
}
