package io.litebit.cli;

import io.litebit.model.DType;
import io.litebit.model.quant.AffineQuant;
import io.litebit.model.quant.MeanStd;
import io.litebit.model.quant.MinMax;
import io.litebit.model.quant.QuantDType;
import io.litebit.model.quant.QuantParams;

/** A per-tensor quantization spelled as (min, max) and (mean, std_dev) too. */
record QuantEquivalents(double min, double max, double mean, double stdDev) {

    /**
     * Null when the dtype is not an activation type TFLite quantizes affinely (int32 biases, for
     * example) or the parameters themselves are invalid, which inspect reports as warnings.
     */
    static QuantEquivalents of(float scale, long zeroPoint, DType dtype) {
        QuantDType q = switch (dtype) {
            case UINT8 -> QuantDType.UINT8;
            case INT8 -> QuantDType.INT8;
            case INT16 -> QuantDType.INT16;
            default -> null;
        };
        if (q == null) {
            return null;
        }
        try {
            AffineQuant a = AffineQuant.ofFloat32(scale, zeroPoint, q);
            MinMax mm = QuantParams.toMinMax(a);
            MeanStd ms = QuantParams.toMeanStd(a);
            return new QuantEquivalents(mm.min(), mm.max(), ms.mean(), ms.std());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
