package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;

/**
 * The accumulator (and bias) width of a 16x8 kernel (int16 activations, int8 weights) of
 * FULLY_CONNECTED, CONV_2D and TRANSPOSE_CONV, decided as TFLite 2.19's Prepare decides it from the
 * options' {@code quantized_bias_type}:
 * <ul>
 *   <li>set (any type but the schema default FLOAT32): it must be INT32 or INT64 and equal the
 *       bias's type, or Prepare fails; INT32 selects the kernel instantiated for an int32 bias,
 *       whose accumulator is the bias type (int32, wrapping) and whose requantization is the
 *       int32 {@code MultiplyByQuantizedMultiplier} of the build's rounding;</li>
 *   <li>unset: the int64 kernel. It reads the bias buffer as int64 whatever the tensor's type, so
 *       an int32 bias would be read past its end: refused here as unsupported.</li>
 * </ul>
 */
enum Accumulator16x8 {
    INT32,
    INT64;

    /**
     * The accumulator for a 16x8 op with {@code quantizedBiasType} from its options (null when
     * unset) and its bias (null when it has none).
     */
    static Accumulator16x8 of(OpContext ctx, DType quantizedBiasType, Tensor bias) {
        if (quantizedBiasType != null) {
            if (quantizedBiasType != DType.INT32 && quantizedBiasType != DType.INT64) {
                throw ctx.invalid("quantized_bias_type must be INT32 or INT64 with int16 activations, given "
                        + quantizedBiasType);
            }
            if (bias != null && bias.dtype() != quantizedBiasType) {
                throw ctx.invalid("the bias is " + bias.dtype().displayName() + " but quantized_bias_type is "
                        + quantizedBiasType);
            }
            return quantizedBiasType == DType.INT32 ? INT32 : INT64;
        }
        if (bias != null && bias.dtype() == DType.INT32) {
            throw ctx.unsupported("an int32 bias with int16 activations and no quantized_bias_type: TFLite 2.19 then "
                    + "reads it as int64 (past the end of the buffer); set quantized_bias_type to INT32 in the options");
        }
        return INT64;
    }
}
