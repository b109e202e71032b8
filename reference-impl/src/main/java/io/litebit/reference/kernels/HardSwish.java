package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.FixedPoint;
import io.litebit.reference.fixedpoint.QuantizationUtil;
import io.litebit.reference.fixedpoint.QuantizedMultiplier;
import io.litebit.reference.fixedpoint.Rounding;

/**
 * HARD_SWISH, {@code x * relu6(x + 3) / 6}, for float32, uint8 and int8. Mirrors TFLite 2.19's
 * {@code kernels/activations.cc} as {@code Register_HARD_SWISH_REF} registers it ({@code
 * HardSwishPrepare}, {@code HardSwishEval<kReference>}) with {@code reference_ops::HardSwish}
 * ({@code reference/hard_swish.h}): all in 16-bit fixed point — the input is moved to a
 * "hires" scale (× 2^7), multiplied by an int16 output multiplier (the Q31 multiplier of {@code
 * QuantizeMultiplier} rounded to Q15 by {@code DownScaleInt32ToInt16Multiplier}) and by a
 * "reluish" value in [0, 1] derived from the input on a scale where 3.0 is 2^15, then shifted
 * right to the output scale.
 */
final class HardSwish implements Kernel {

    /** {@code HardSwishParams}. */
    record Params(int inputZeroPoint, int outputZeroPoint, short reluishMultiplier, int reluishExponent,
                  short outputMultiplier, int outputExponent) {
    }

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 1 || ctx.outputCount() != 1) {
            throw ctx.invalid("HARD_SWISH takes 1 input and 1 output");
        }
        Tensor input = ctx.requireInput(0, "input");
        Tensor output = ctx.output(0);
        DType type = input.dtype();
        if (output.dtype() != type) {
            throw ctx.invalid("input and output types differ: " + type.displayName() + " vs " + output.dtype().displayName());
        }
        switch (type) {
            case FLOAT32 -> {
                return inputs -> new TensorValue[] {hardSwishFloat(inputs[0])};
            }
            case UINT8, INT8 -> {
                float inScale = QuantParams.scale(input);
                float outScale = QuantParams.scale(output);
                int inZp = QuantParams.zeroPoint(input);
                int outZp = QuantParams.zeroPoint(output);
                if (!ctx.profile().isFixedPoint()) {
                    return inputs -> new TensorValue[] {naive(inputs[0], inScale, inZp, outScale, outZp)};
                }
                Params p = prepareParams(inScale, inZp, outScale, outZp, ctx.profile().rounding());
                if (p.outputExponent() > 0) {
                    throw ctx.invalid("output_multiplier_exponent <= 0 fails: " + p.outputExponent() + " (input scale " + inScale
                            + ", output scale " + outScale + ")");
                }
                return inputs -> new TensorValue[] {hardSwishQuantized(inputs[0], p)};
            }
            default -> throw ctx.invalid("Eval: only float32, uint8 and int8 are supported, given " + type.displayName());
        }
    }

    /** {@code HardSwishPrepare}'s derivation, in float as TFLite computes it. */
    static Params prepareParams(float inScale, int inZp, float outScale, int outZp, Rounding rounding) {
        final float hiresInputScale = (1.0f / 128.0f) * inScale;
        final float reluishScale = 3.0f / 32768.0f;
        final float outputMultiplier = hiresInputScale / outScale;
        QuantizedMultiplier om = QuantizationUtil.quantizeMultiplier(outputMultiplier, rounding);
        final float reluishMultiplier = hiresInputScale / reluishScale;
        QuantizedMultiplier rm = QuantizationUtil.quantizeMultiplier(reluishMultiplier, rounding);
        return new Params(inZp, outZp, downScaleInt32ToInt16Multiplier(rm.multiplier()), rm.shift(),
                downScaleInt32ToInt16Multiplier(om.multiplier()), om.shift());
    }

    /**
     * {@code DownScaleInt32ToInt16Multiplier} ({@code quantization_util.cc}): the Q31 multiplier
     * rounded (half up) to Q15, saturating at {@code INT16_MAX} near 2^31.
     */
    static short downScaleInt32ToInt16Multiplier(int multiplier) {
        final int roundingOffset = 1 << 15;
        if (multiplier >= Integer.MAX_VALUE - roundingOffset) {
            return Short.MAX_VALUE;
        }
        return (short) ((multiplier + roundingOffset) >> 16);
    }

    /** {@code SaturatingLeftShift} of hard_swish.h: {@code value * 2^amount} saturated to int16. */
    static short saturatingLeftShift(short value, int amount) {
        long result = (long) value * (1 << amount);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, result));
    }

    /** {@code SaturatingDoublingHighMul} of hard_swish.h: {@code a * b / 2^15} truncated towards zero. */
    static short saturatingDoublingHighMul(short a, short b) {
        boolean overflow = a == b && a == Short.MIN_VALUE;
        int ab = a * b;
        short high = (short) (ab / (1 << 15));
        return overflow ? Short.MAX_VALUE : high;
    }

    /** {@code reference_ops::HardSwish(const HardSwishParams&, ...)}, every intermediate an {@code int16_t}. */
    static TensorValue hardSwishQuantized(TensorValue x, Params p) {
        DType type = x.dtype();
        int n = x.elementCount();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            short inputValue = (short) (x.getInt(i) - p.inputZeroPoint());
            short hires = (short) (inputValue * (1 << 7));
            short preshiftOutput = FixedPoint.saturatingRoundingDoublingHighMul(hires, p.outputMultiplier());
            short reluish = hires;
            if (p.reluishExponent() > 0) {
                reluish = saturatingLeftShift(reluish, p.reluishExponent() - 1);
            }
            reluish = FixedPoint.saturatingRoundingDoublingHighMul(reluish, p.reluishMultiplier());
            if (p.reluishExponent() > 0) {
                reluish = saturatingLeftShift(reluish, 1);
            }
            if (p.reluishExponent() < 0) {
                reluish = FixedPoint.roundingDivideByPot(reluish, -p.reluishExponent());
            }
            reluish = (short) ((reluish + (1 << 15)) >> 1);
            short preshift = saturatingDoublingHighMul(reluish, preshiftOutput);
            short value = FixedPoint.roundingDivideByPot(preshift, -p.outputExponent());
            value = (short) (value + p.outputZeroPoint());
            value = (short) Math.min(value, QuantParams.max(type));
            value = (short) Math.max(value, QuantParams.min(type));
            out[i] = value;
        }
        return TensorValue.fromInts(type, x.shape(), out);
    }

    /** {@code reference_ops::HardSwish<float>}: {@code in * min(6, max(0, in + 3)) / 6} in float. */
    static TensorValue hardSwishFloat(TensorValue x) {
        int n = x.elementCount();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            float in = x.getFloat(i);
            float t = in + 3;
            float m = 0f < t ? t : 0f;   // std::max(0, in + 3)
            float r = m < 6f ? m : 6f;   // std::min(6, .)
            out[i] = in * r / 6;
        }
        return TensorValue.ofFloat32(x.shape(), out);
    }

    /** NAIVE_FLOAT: the real hard swish of the dequantized input, requantized with rint. */
    static TensorValue naive(TensorValue x, float inScale, int inZp, float outScale, int outZp) {
        DType type = x.dtype();
        int n = x.elementCount();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double v = (double) inScale * (x.getInt(i) - inZp);
            double y = v * Math.min(6, Math.max(0, v + 3)) / 6;
            out[i] = Naive.requantize(y / outScale, outZp, QuantParams.min(type), QuantParams.max(type));
        }
        return TensorValue.fromInts(type, x.shape(), out);
    }
}
