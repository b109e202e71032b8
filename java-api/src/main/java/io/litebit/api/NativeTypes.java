package io.litebit.api;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.*;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import org.bytedeco.tensorflowlite.TfLiteAffineQuantization;
import org.bytedeco.tensorflowlite.TfLiteFloatArray;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteQuantization;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/** Conversions from TFLite's C structs to litebit's value types. */
final class NativeTypes {
    private NativeTypes() {
    }

    /**
     * TFLite's {@code TfLiteType} (which numbers types differently from the schema's
     * {@code TensorType}) as a {@link DType}; null for {@code kTfLiteNoType} or an unknown code.
     */
    static DType dtype(int tfliteType) {
        if (tfliteType == kTfLiteFloat32) return DType.FLOAT32;
        if (tfliteType == kTfLiteInt32) return DType.INT32;
        if (tfliteType == kTfLiteUInt8) return DType.UINT8;
        if (tfliteType == kTfLiteInt64) return DType.INT64;
        if (tfliteType == kTfLiteString) return DType.STRING;
        if (tfliteType == kTfLiteBool) return DType.BOOL;
        if (tfliteType == kTfLiteInt16) return DType.INT16;
        if (tfliteType == kTfLiteComplex64) return DType.COMPLEX64;
        if (tfliteType == kTfLiteInt8) return DType.INT8;
        if (tfliteType == kTfLiteFloat16) return DType.FLOAT16;
        if (tfliteType == kTfLiteFloat64) return DType.FLOAT64;
        if (tfliteType == kTfLiteComplex128) return DType.COMPLEX128;
        if (tfliteType == kTfLiteUInt64) return DType.UINT64;
        if (tfliteType == kTfLiteResource) return DType.RESOURCE;
        if (tfliteType == kTfLiteVariant) return DType.VARIANT;
        if (tfliteType == kTfLiteUInt32) return DType.UINT32;
        if (tfliteType == kTfLiteUInt16) return DType.UINT16;
        if (tfliteType == kTfLiteInt4) return DType.INT4;
        if (tfliteType == kTfLiteBFloat16) return DType.BFLOAT16;
        return null;
    }

    static int[] ints(TfLiteIntArray array) {
        if (array == null || array.isNull()) {
            return new int[0];
        }
        int n = array.size();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = array.data(i);
        }
        return out;
    }

    static float[] floats(TfLiteFloatArray array) {
        if (array == null || array.isNull()) {
            return new float[0];
        }
        int n = array.size();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = array.data(i);
        }
        return out;
    }

    /** The tensor's affine quantization as TFLite holds it at run time (no min/max there). */
    static Quantization quantization(TfLiteTensor tensor) {
        TfLiteQuantization q = tensor.quantization();
        if (q == null || q.isNull() || q.type() != kTfLiteAffineQuantization
                || q.params() == null || q.params().isNull()) {
            return Quantization.NONE;
        }
        TfLiteAffineQuantization affine = new TfLiteAffineQuantization(q.params());
        float[] scales = floats(affine.scale());
        int[] zp = ints(affine.zero_point());
        long[] zeroPoints = new long[zp.length];
        for (int i = 0; i < zp.length; i++) {
            zeroPoints[i] = zp[i];
        }
        return new Quantization(scales, zeroPoints, affine.quantized_dimension(), new float[0], new float[0]);
    }
}
