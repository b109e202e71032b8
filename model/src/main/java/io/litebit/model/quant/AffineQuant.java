package io.litebit.model.quant;

import java.util.Objects;

/**
 * One per-tensor affine quantization, {@code real = scale * (q - zeroPoint)} with {@code q} in
 * {@code [dtype.qmin(), dtype.qmax()]}: the (scale, zero_point) spelling.
 *
 * <pre>{@code
 * // Straight from a .tflite file (scales are float32 there):
 * AffineQuant in = AffineQuant.ofFloat32(0.007843138f, -1, QuantDType.INT8);
 *
 * // Or computed the way the converter does it:
 * AffineQuant out = QuantParams.fromMinMax(0.0, 6.0, QuantDType.UINT8);
 * double scale = out.scale();          // 6/255 = 0.023529411764705882 (double)
 * float stored = out.scaleFloat32();   // 0.023529412f, what the flatbuffer would hold
 * long q = QuantParams.quantize(3.0, out);   // 128 (3/(6/255) = 127.5, ties away from 0)
 * }</pre>
 *
 * <h2>double or float?</h2>
 *
 * <p>{@link #scale()} is a {@code double} because TFLite's converters compute quantization
 * parameters in double ({@code ChooseQuantizationParams} in {@code
 * tflite/kernels/internal/quantization_util.h}, {@code fakeQuantAttrsToType} in the MLIR
 * quantizer). The {@code .tflite} schema, however, stores {@code QuantizationParameters.scale}
 * as {@code [float]}, and the kernels only ever see that float32 (widened back to double in some
 * of them). {@link #scaleFloat32()} is that stored value; {@link #roundedToFloat32()} gives the
 * quantization a runtime actually applies; {@link #ofFloat32(float, long, QuantDType)} builds one
 * from a file's value, so that its double scale is exactly the stored float.
 *
 * <p>The zero point is a {@code long} because that is the schema's type ({@code
 * zero_point:[long]}).
 *
 * <p>Invariants (checked, {@link IllegalArgumentException} otherwise): the scale is finite and
 * {@code > 0} and stays so when rounded to float32 (a scale that TFLite cannot store is
 * rejected), and the zero point lies in the dtype's range, so that real 0 is exactly
 * representable.
 *
 * @param scale real value of one quantization step, exact double as computed
 * @param zeroPoint the quantized value that stands for real 0
 * @param dtype the integer storage type
 */
public record AffineQuant(double scale, long zeroPoint, QuantDType dtype) {

    public AffineQuant {
        Objects.requireNonNull(dtype, "dtype");
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException(
                    "scale must be a finite number > 0, got " + scale);
        }
        // Checked here rather than at write time: a scale that flushes to 0 or overflows in
        // float32 cannot be represented in a .tflite, and every later division by it would be
        // meaningless.
        float f = (float) scale;
        if (f == 0.0f || Float.isInfinite(f)) {
            throw new IllegalArgumentException("scale must be representable as a positive finite"
                    + " float32 (TFLite stores scales as float32, range about 1.4e-45 to 3.4e38),"
                    + " got " + scale + " which rounds to " + f);
        }
        if (!dtype.contains(zeroPoint)) {
            throw new IllegalArgumentException("zero point must be in " + dtype.rangeText()
                    + " for " + dtype + ", got " + zeroPoint);
        }
    }

    /**
     * Builds the quantization exactly as read from a {@code .tflite} file: the double scale is the
     * stored float32 widened without change.
     */
    public static AffineQuant ofFloat32(float scale, long zeroPoint, QuantDType dtype) {
        return new AffineQuant(scale, zeroPoint, dtype);
    }

    /** The scale rounded to nearest float32: the value a {@code .tflite} file would store. */
    public float scaleFloat32() {
        return (float) scale;
    }

    /**
     * This quantization with its scale replaced by the stored float32 (widened back to double):
     * what the runtime applies after a save and load.
     */
    public AffineQuant roundedToFloat32() {
        return new AffineQuant(scaleFloat32(), zeroPoint, dtype);
    }

    /** True when the zero point is 0, as TFLite requires for int16 activations and all weights. */
    public boolean isSymmetric() {
        return zeroPoint == 0;
    }

    @Override
    public String toString() {
        return "AffineQuant[scale=" + scale + " (float32 " + scaleFloat32() + "), zeroPoint="
                + zeroPoint + ", dtype=" + dtype + "]";
    }
}
