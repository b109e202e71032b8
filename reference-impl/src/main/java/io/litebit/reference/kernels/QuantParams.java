package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.Tensor;

/**
 * A tensor's per-tensor quantization as TFLite's kernels read it from {@code
 * TfLiteTensor::params}: scale and zero point, both 0 when the tensor has none. Also the
 * {@code std::numeric_limits} bounds of the quantized element types.
 */
final class QuantParams {
    private QuantParams() {
    }

    /** {@code tensor->params.scale}. */
    static float scale(Tensor t) {
        Quantization q = t.quantization();
        return q.isNone() ? 0f : q.scale(0);
    }

    /** {@code tensor->params.zero_point}. */
    static int zeroPoint(Tensor t) {
        Quantization q = t.quantization();
        return q.isNone() ? 0 : (int) q.zeroPoint(0);
    }

    /** {@code std::numeric_limits<T>::min()} of an integer element type. */
    static int min(DType type) {
        return (int) type.minValue();
    }

    /** {@code std::numeric_limits<T>::max()} of an integer element type. */
    static int max(DType type) {
        return (int) type.maxValue();
    }
}
