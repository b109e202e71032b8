package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.Tensor;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;

/**
 * DEQUANTIZE of int8, uint8 and int16 to float32. Mirrors TFLite's {@code kernels/dequantize.cc}
 * and {@code dequantize.h} ({@code DequantizeImpl<kReference>}) with {@code
 * reference_integer_ops::Dequantize} / {@code reference_ops::Dequantize} and {@code
 * PerChannelDequantize}.
 *
 * <p>Per tensor TFLite computes {@code (float) (scale * (q - zp))} with the scale widened to
 * double, per channel {@code scale[c] * (float) (q - zp[c])} in float. Both are written as
 * TFLite writes them; they give the same float, because the product of a float and an integer
 * below 2^24 is exact in double, so each is one correct rounding of the same exact value. Every
 * numerics profile dequantizes this way except {@link NumericsProfile#BUILTIN_ARM64} per tensor
 * (and {@link NumericsProfile#XNNPACK_ARM64} where the delegate leaves the node to TFLite), whose
 * NEON loop uses a fused multiply-add ({@link #perTensorNeon}).
 */
final class Dequantize implements Kernel {

    @Override
    public PreparedOp prepare(OpContext ctx) {
        Tensor input = ctx.requireInput(0, "input");
        DType in = input.dtype();
        switch (in) {
            case INT8, UINT8, INT16 -> {
            }
            case INT4, FLOAT16 -> throw ctx.unsupported(in.displayName() + " inputs are not implemented yet");
            default -> throw ctx.invalid("DEQUANTIZE takes int4, uint8, int8, int16 or float16 inputs, given " + in.displayName());
        }
        if (ctx.output(0).dtype() != DType.FLOAT32) {
            throw ctx.invalid("DEQUANTIZE outputs float32, the model's output is " + ctx.output(0).dtype().displayName());
        }
        Quantization q = input.quantization();
        if (in == DType.INT16 && !q.isNone() && q.zeroPoint(0) != 0) {
            throw ctx.invalid("int16 inputs need zero point 0, given " + q.zeroPoint(0));
        }
        if (q.isPerChannel()) {
            if (in == DType.INT16) {
                throw ctx.invalid("per-channel dequantization supports int8 and uint8 only (\"Type 7 not supported for per-channel\")");
            }
            int axis = q.quantizedDimension();
            int[] shape = input.shape();
            if (axis < 0 || axis >= shape.length || shape[axis] != q.channelCount()) {
                throw ctx.invalid("per-channel quantization has " + q.channelCount() + " scales along dimension " + axis
                        + " of shape " + java.util.Arrays.toString(shape));
            }
            return inputs -> new TensorValue[] {perChannel(inputs[0], q)};
        }
        double scale = q.isNone() ? 0.0 : q.scale(0);
        int zeroPoint = q.isNone() ? 0 : (int) q.zeroPoint(0);
        // Only TFLite's NEON kernel fuses; XNNPACK's delegated dequantize gives the reference bits.
        if (ctx.profile() == NumericsProfile.BUILTIN_ARM64) {
            return inputs -> new TensorValue[] {perTensorNeon(inputs[0], scale, zeroPoint)};
        }
        return inputs -> new TensorValue[] {perTensor(inputs[0], scale, zeroPoint)};
    }

    /**
     * {@code optimized_ops::Dequantize} (uint8, int8 and int16) as TFLite 2.19's aarch64 build
     * runs it: {@code Register_DEQUANTIZE} is the optimized kernel only with {@code USE_NEON}
     * (x86-64 registers the reference one). The first {@code 8 * floor(n / 8)} elements take the
     * NEON loop, {@code ScaleWithNewZeroPoint}: {@code vfmaq_f32(zero_times_scale, (float) q,
     * (float) scale)}, one fused multiply-add of the raw value by the float scale onto {@code
     * (float) (-zero_point * scale)} (the product in double, rounded once to float); the remaining
     * {@code n mod 8} take the scalar loop, {@code (float) (scale * (q - zero_point))} as the
     * reference kernel. The two can differ by a few ULP when the zero point is not 0, because
     * {@code -zero_point * scale} is rounded to float before the addition.
     */
    static TensorValue perTensorNeon(TensorValue input, double scale, int zeroPoint) {
        int n = input.elementCount();
        float[] out = new float[n];
        float scaleF = (float) scale;
        float zeroTimesScale = (float) (-zeroPoint * scale);
        int vectorEnd = n / 8 * 8;
        for (int i = 0; i < vectorEnd; i++) {
            out[i] = Math.fma((float) input.getInt(i), scaleF, zeroTimesScale);
        }
        for (int i = vectorEnd; i < n; i++) {
            out[i] = (float) (scale * (input.getInt(i) - zeroPoint));
        }
        return TensorValue.ofFloat32(input.shape(), out);
    }

    static TensorValue perTensor(TensorValue input, double scale, int zeroPoint) {
        int n = input.elementCount();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (scale * (input.getInt(i) - zeroPoint));
        }
        return TensorValue.ofFloat32(input.shape(), out);
    }

    static TensorValue perChannel(TensorValue input, Quantization q) {
        int[] shape = input.shape();
        int axis = q.quantizedDimension();
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int channels = shape[axis];
        int n = input.elementCount();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int c = (i / inner) % channels;
            out[i] = q.scale(c) * (float) (input.getInt(i) - (int) q.zeroPoint(c));
        }
        return TensorValue.ofFloat32(shape, out);
    }
}
