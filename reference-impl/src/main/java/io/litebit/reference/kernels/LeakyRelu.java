package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.QuantizationUtil;
import io.litebit.reference.fixedpoint.QuantizedMultiplier;
import io.litebit.reference.fixedpoint.Rounding;
import io.litebit.reference.fixedpoint.XnnpackMath;

/**
 * LEAKY_RELU for float32, uint8, int8 and int16. Mirrors TFLite 2.19's {@code
 * kernels/activations.cc} as {@code Register_LEAKY_RELU_REF} registers it ({@code
 * LeakyReluPrepare}, {@code LeakyReluEval<kReference>}) with {@code
 * reference_ops::QuantizeLeakyRelu} ({@code reference/leaky_relu.h}): two multipliers, {@code
 * input scale * alpha / output scale} for negative inputs and {@code input scale / output scale}
 * for the rest (both computed in float, then quantized), each applied with {@code
 * MultiplyByQuantizedMultiplier}. The builtin kernel uses an optimized int16 kernel instead.
 */
final class LeakyRelu implements Kernel {

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 1 || ctx.outputCount() != 1) {
            throw ctx.invalid("LEAKY_RELU takes 1 input and 1 output");
        }
        float alpha = ctx.options(BuiltinOptions.LeakyRelu.class).alpha();
        Tensor input = ctx.requireInput(0, "input");
        Tensor output = ctx.output(0);
        DType type = input.dtype();
        if (output.dtype() != type) {
            throw ctx.invalid("input and output types differ: " + type.displayName() + " vs " + output.dtype().displayName());
        }
        switch (type) {
            case FLOAT32 -> {
                return inputs -> new TensorValue[] {leakyReluFloat(inputs[0], alpha)};
            }
            case UINT8, INT8, INT16 -> {
                float inScale = QuantParams.scale(input);
                float outScale = QuantParams.scale(output);
                int inZp = QuantParams.zeroPoint(input);
                int outZp = QuantParams.zeroPoint(output);
                if (type == DType.INT16 && (inZp != 0 || outZp != 0)) {
                    throw ctx.invalid("int16 needs zero points 0, given " + inZp + " and " + outZp);
                }
                NumericsProfile profile = ctx.profile();
                if (profile.isXnnpack() && type != DType.INT16) {
                    PreparedOp xnnpack = xnnpackOrNull(type, alpha, inScale, inZp, outScale, outZp);
                    if (xnnpack != null) {
                        return xnnpack;
                    }
                }
                if (!profile.isFixedPoint()) {
                    return inputs -> new TensorValue[] {naive(inputs[0], alpha, inScale, inZp, outScale, outZp)};
                }
                Rounding rounding = profile.rounding();
                // LeakyReluPrepare: both real multipliers are float expressions converted to double.
                QuantizedMultiplier alphaM = QuantizationUtil.quantizeMultiplier((double) (inScale * alpha / outScale), rounding);
                QuantizedMultiplier identityM = QuantizationUtil.quantizeMultiplier((double) (inScale / outScale), rounding);
                return inputs -> new TensorValue[] {leakyReluQuantized(inputs[0], inZp, outZp, alphaM, identityM, rounding)};
            }
            default -> throw ctx.invalid("Eval: only float32, int8, int16 and uint8 are supported, given " + type.displayName());
        }
    }

    /**
     * {@code reference_ops::QuantizeLeakyRelu}: {@code q - in_zp} times the identity multiplier
     * when it is {@code >= 0}, else times the alpha multiplier, plus the output zero point,
     * saturated to the type.
     */
    static TensorValue leakyReluQuantized(TensorValue x, int inZp, int outZp, QuantizedMultiplier alpha,
                                          QuantizedMultiplier identity, Rounding rounding) {
        DType type = x.dtype();
        int n = x.elementCount();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int inputValue = x.getInt(i) - inZp;
            int unclamped = outZp + (inputValue >= 0 ? identity.apply(inputValue, rounding) : alpha.apply(inputValue, rounding));
            out[i] = Math.min(QuantParams.max(type), Math.max(QuantParams.min(type), unclamped));
        }
        return TensorValue.fromInts(type, x.shape(), out);
    }

    /** {@code LeakyRelu} for float: {@code x > 0 ? x : x * alpha}. */
    static TensorValue leakyReluFloat(TensorValue x, float alpha) {
        int n = x.elementCount();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            float v = x.getFloat(i);
            out[i] = v > 0 ? v : v * alpha;
        }
        return TensorValue.ofFloat32(x.shape(), out);
    }

    /** NAIVE_FLOAT: the real leaky relu of the dequantized input, requantized with rint. */
    static TensorValue naive(TensorValue x, float alpha, float inScale, int inZp, float outScale, int outZp) {
        DType type = x.dtype();
        int n = x.elementCount();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double real = (double) inScale * (x.getInt(i) - inZp);
            double y = real >= 0 ? real : real * alpha;
            out[i] = Naive.requantize(y / outScale, outZp, QuantParams.min(type), QuantParams.max(type));
        }
        return TensorValue.fromInts(type, x.shape(), out);
    }
    /**
     * XNNPACK's 8-bit leaky ReLU ({@code qs8-vlrelu}): Q8 multipliers {@code lrintf(256 *
     * in_scale / out_scale)} and {@code lrintf(256 * (in_scale / out_scale) * alpha)} (float
     * products), chosen by the sign of the centred input, then {@link XnnpackMath#q8Requantize}.
     * Null outside the scale ranges XNNPACK accepts (the delegate then leaves the op to TFLite).
     */
    private static PreparedOp xnnpackOrNull(DType type, float alpha, float inScale, int inZp, float outScale, int outZp) {
        float positiveScale = inScale / outScale;
        float negativeScale = positiveScale * alpha;
        boolean accepted = positiveScale >= 0x1.0p-8f && positiveScale <= 0x1.0p+7f
                && negativeScale <= 0x1.0p+7f && negativeScale >= -0x1.FFFC00p+6f && Math.abs(negativeScale) >= 0x1.0p-8f;
        if (!accepted) {
            return null;
        }
        int positive = XnnpackMath.q8Multiplier(positiveScale);
        int negative = XnnpackMath.q8Multiplier(negativeScale);
        int min = (int) type.minValue();
        int max = (int) type.maxValue();
        return inputs -> {
            TensorValue x = inputs[0];
            int[] out = new int[x.elementCount()];
            for (int i = 0; i < out.length; i++) {
                int centred = x.getInt(i) - inZp;
                out[i] = XnnpackMath.q8Requantize(centred, centred >= 0 ? positive : negative, outZp, min, max);
            }
            return new TensorValue[] {TensorValue.fromInts(type, x.shape(), out)};
        };
    }
}
