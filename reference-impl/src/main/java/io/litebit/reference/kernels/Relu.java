package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.CppMath;
import io.litebit.reference.fixedpoint.QuantizationUtil;
import io.litebit.reference.fixedpoint.QuantizedMultiplier;
import io.litebit.reference.fixedpoint.Rounding;

/**
 * RELU, RELU6 and RELU_N1_TO_1. TFLite has no reference registration of these: both resolvers
 * use the builtin kernel, which this mirrors — {@code ReluPrepare} and {@code ReluEval}/{@code
 * Relu6Eval}/{@code Relu1Eval} of TFLite 2.19's {@code kernels/activations.cc}, with its {@code
 * QuantizedReluX} and {@code ReluX(ReluParams)}: a quantized input is requantized to the output
 * scale ({@code MultiplyByQuantizedMultiplier} with the multiplier of {@code input scale /
 * output scale}, a float quotient) and then clamped to the quantized images of the bounds
 * ({@code zero_point + (int32) roundf(bound / scale)}, an infinite upper bound for RELU meaning
 * the type's maximum).
 */
final class Relu implements Kernel {
    private final float actMin;
    private final float actMax;
    private final String name;

    private Relu(String name, float actMin, float actMax) {
        this.name = name;
        this.actMin = actMin;
        this.actMax = actMax;
    }

    static Relu relu() {
        return new Relu("RELU", 0f, Float.POSITIVE_INFINITY);
    }

    static Relu relu6() {
        return new Relu("RELU6", 0f, 6f);
    }

    static Relu reluN1To1() {
        return new Relu("RELU_N1_TO_1", -1f, 1f);
    }

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 1 || ctx.outputCount() != 1) {
            throw ctx.invalid(name + " takes 1 input and 1 output");
        }
        Tensor input = ctx.requireInput(0, "input");
        Tensor output = ctx.output(0);
        DType type = input.dtype();
        if (output.dtype() != type) {
            throw ctx.invalid("input and output types differ: " + type.displayName() + " vs " + output.dtype().displayName());
        }
        switch (type) {
            case FLOAT32 -> {
                return inputs -> new TensorValue[] {reluFloat(inputs[0], actMin, actMax)};
            }
            case UINT8, INT8, INT16 -> {
                float inScale = QuantParams.scale(input);
                float outScale = QuantParams.scale(output);
                int inZp = QuantParams.zeroPoint(input);
                int outZp = QuantParams.zeroPoint(output);
                if (type == DType.INT16 && (inZp != 0 || outZp != 0)) {
                    throw ctx.invalid("int16 needs zero points 0, given " + inZp + " and " + outZp);
                }
                if (type == DType.INT16 && actMin == -1f) {
                    throw ctx.invalid("Eval: RELU_N1_TO_1 supports only float32, uint8 and int8, given int16");
                }
                // QuantizedReluX: the bounds, each zero_point + (int32) roundf(bound / scale) in float.
                int qmin = Math.max(QuantParams.min(type), outZp + CppMath.castToInt32X86(CppMath.round(actMin / outScale)));
                int qmax = actMax == Float.POSITIVE_INFINITY ? QuantParams.max(type)
                        : Math.min(QuantParams.max(type), outZp + CppMath.castToInt32X86(CppMath.round(actMax / outScale)));
                NumericsProfile profile = ctx.profile();
                if (!profile.isFixedPoint()) {
                    return inputs -> new TensorValue[] {naive(inputs[0], inScale, inZp, outScale, outZp, qmin, qmax)};
                }
                Rounding rounding = profile.rounding();
                // ReluPrepare: double real_multiplier = input scale / output scale (a float quotient).
                QuantizedMultiplier m = QuantizationUtil.quantizeMultiplier((double) (inScale / outScale), rounding);
                return inputs -> new TensorValue[] {reluQuantized(inputs[0], inZp, outZp, m, qmin, qmax, rounding)};
            }
            default -> throw ctx.invalid("Eval: only float32, uint8, int8 and int16 are supported, given " + type.displayName());
        }
    }

    /** {@code ReluX(ReluParams)}: {@code clamp(out_zp + MultiplyByQuantizedMultiplier(q - in_zp, m, shift))}. */
    static TensorValue reluQuantized(TensorValue x, int inZp, int outZp, QuantizedMultiplier m, int qmin, int qmax,
                                     Rounding rounding) {
        int n = x.elementCount();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int clamped = outZp + m.apply(x.getInt(i) - inZp, rounding);
            clamped = Math.max(qmin, clamped);
            out[i] = Math.min(qmax, clamped);
        }
        return TensorValue.fromInts(x.dtype(), x.shape(), out);
    }

    /**
     * Float: RELU is {@code max(0, x)}, RELU6 {@code std::min(std::max(0.f, x), 6.f)}, RELU_N1_TO_1
     * a clamp to [-1, 1]; NaN becomes the lower bound as {@code std::max(0.f, NaN)} returns 0.
     */
    static TensorValue reluFloat(TensorValue x, float lo, float hi) {
        int n = x.elementCount();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            float v = x.getFloat(i);
            float m = lo < v ? v : lo;   // std::max(lo, v)
            out[i] = hi < m ? hi : m;    // std::min(m, hi)
        }
        return TensorValue.ofFloat32(x.shape(), out);
    }

    /** NAIVE_FLOAT: {@code clamp(rint(s_in (q - z_in) / s_out) + z_out)} in double. */
    static TensorValue naive(TensorValue x, float inScale, int inZp, float outScale, int outZp, int qmin, int qmax) {
        int n = x.elementCount();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = Naive.requantize((double) inScale * (x.getInt(i) - inZp) / outScale, outZp, qmin, qmax);
        }
        return TensorValue.fromInts(x.dtype(), x.shape(), out);
    }
}
