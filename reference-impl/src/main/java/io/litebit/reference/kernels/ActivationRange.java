package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.Activation;
import io.litebit.reference.fixedpoint.CppMath;
import io.litebit.reference.fixedpoint.XnnpackMath;

/**
 * The clamp a fused activation becomes: {@code CalculateActivationRangeQuantized} (TFLite's
 * {@code kernel_util.cc}) for quantized outputs and {@code CalculateActivationRange} ({@code
 * kernel_util.h}) for float and plain integer outputs. Activations other than RELU, RELU6 and
 * RELU_N1_TO_1 (TANH, SIGN_BIT) clamp nothing here, as in TFLite.
 */
final class ActivationRange {
    private ActivationRange() {
    }

    /** An inclusive integer range. */
    record Ints(int min, int max) {
    }

    /** An inclusive float range. */
    record Floats(float min, float max) {
    }

    /** {@link #quantized(Activation, Tensor)}, with an impossible range refused as TFLite's Prepare refuses it. */
    static Ints quantized(OpContext ctx, Activation activation, Tensor output) {
        try {
            return quantized(activation, output);
        } catch (IllegalArgumentException e) {
            throw ctx.invalid(e.getMessage(), e);
        }
    }

    /**
     * {@code CalculateActivationRangeQuantized}: the output type's range, narrowed to the
     * quantized images of 0, 6, -1, 1 as the activation needs. Each image is {@code zero_point +
     * (int32) roundf(f / scale)} in float, refused when the rounded value is NaN or outside the
     * int32 range as floats see it.
     *
     * @throws IllegalArgumentException when TFLite's check fails (the caller reports it as Prepare failing)
     */
    static Ints quantized(Activation activation, Tensor output) {
        DType type = output.dtype();
        int qmin;
        int qmax;
        switch (type) {
            case UINT8, INT8, INT16 -> {
                qmin = (int) type.minValue();
                qmax = (int) type.maxValue();
            }
            default -> throw new IllegalArgumentException("CalculateActivationRangeQuantized needs a uint8, int8 or int16 output, "
                    + "given " + type.displayName());
        }
        float scale = output.quantization().isNone() ? 0f : output.quantization().scale(0);
        int zeroPoint = output.quantization().isNone() ? 0 : (int) output.quantization().zeroPoint(0);
        return switch (activation) {
            case RELU -> new Ints(Math.max(qmin, quantize(scale, zeroPoint, 0f)), qmax);
            case RELU6 -> new Ints(Math.max(qmin, quantize(scale, zeroPoint, 0f)), Math.min(qmax, quantize(scale, zeroPoint, 6f)));
            case RELU_N1_TO_1 -> new Ints(Math.max(qmin, quantize(scale, zeroPoint, -1f)),
                    Math.min(qmax, quantize(scale, zeroPoint, 1f)));
            default -> new Ints(qmin, qmax);
        };
    }

    /**
     * The clamp XNNPACK applies for a fused activation on an 8-bit output: TFLite's delegate
     * turns the activation into a float range ({@code ConvertActivationToOutputRange}: NONE is
     * unbounded, RELU [0, +inf), RELU_N1_TO_1 [-1, 1], RELU6 [0, 6]) and XNNPACK quantizes each
     * bound in float with ties to even ({@link XnnpackMath#quantizeBound}). TANH and SIGN_BIT are
     * activations the delegate does not take; they clamp nothing, as in TFLite.
     */
    static Ints xnnpack(Activation activation, Tensor output) {
        return xnnpack(io.litebit.reference.NumericsProfile.XNNPACK, activation, output);
    }

    /**
     * {@link #xnnpack(Activation, Tensor)} as {@code profile}'s build quantizes the bounds: {@link
     * XnnpackMath#quantizeBoundArm64} under {@link io.litebit.reference.NumericsProfile#XNNPACK_ARM64},
     * {@link XnnpackMath#quantizeBound} otherwise.
     */
    static Ints xnnpack(io.litebit.reference.NumericsProfile profile, Activation activation, Tensor output) {
        boolean arm64 = profile == io.litebit.reference.NumericsProfile.XNNPACK_ARM64;
        DType type = output.dtype();
        int qmin = (int) type.minValue();
        int qmax = (int) type.maxValue();
        float scale = output.quantization().scale(0);
        int zeroPoint = (int) output.quantization().zeroPoint(0);
        float lo = switch (activation) {
            case RELU, RELU6 -> 0f;
            case RELU_N1_TO_1 -> -1f;
            default -> Float.NEGATIVE_INFINITY;
        };
        float hi = switch (activation) {
            case RELU6 -> 6f;
            case RELU_N1_TO_1 -> 1f;
            default -> Float.POSITIVE_INFINITY;
        };
        if (arm64) {
            return new Ints(XnnpackMath.quantizeBoundArm64(lo, scale, zeroPoint, qmin, qmax),
                    XnnpackMath.quantizeBoundArm64(hi, scale, zeroPoint, qmin, qmax));
        }
        return new Ints(XnnpackMath.quantizeBound(lo, scale, zeroPoint, qmin, qmax),
                XnnpackMath.quantizeBound(hi, scale, zeroPoint, qmin, qmax));
    }

    /** The anonymous {@code Quantize} helper of kernel_util.cc. */
    private static int quantize(float scale, int zeroPoint, float f) {
        float tmp = CppMath.round(f / scale);
        // TFLite compares in float: (float) INT32_MAX is 2^31, so 2^31 passes and then converts
        // to INT32_MIN on x86-64, which is what castToInt32X86 gives.
        boolean fits = tmp >= (float) Integer.MIN_VALUE && tmp <= (float) Integer.MAX_VALUE;
        if (!fits) {
            throw new IllegalArgumentException("the activation bound " + f + " / scale " + scale + " = " + tmp
                    + " does not fit int32 (Quantize in CalculateActivationRangeQuantized)");
        }
        return zeroPoint + CppMath.castToInt32X86(tmp);
    }

    /** {@code CalculateActivationRange<float>}. */
    static Floats floats(Activation activation) {
        return switch (activation) {
            case RELU -> new Floats(0f, Float.MAX_VALUE);
            case RELU6 -> new Floats(0f, 6f);
            case RELU_N1_TO_1 -> new Floats(-1f, 1f);
            default -> new Floats(-Float.MAX_VALUE, Float.MAX_VALUE);
        };
    }

    /** {@code CalculateActivationRange<T>} for an integer type, as {@code long} bounds. */
    static long[] integers(Activation activation, DType type) {
        return switch (activation) {
            case RELU -> new long[] {0, type.maxValue()};
            case RELU6 -> new long[] {0, 6};
            case RELU_N1_TO_1 -> new long[] {-1, 1};
            default -> new long[] {type.minValue(), type.maxValue()};
        };
    }

    /**
     * {@code ActivationFunctionWithMinMax(x, lo, hi)} = {@code std::min(std::max(x, lo), hi)}
     * with the standard library's comparisons: {@code std::max(a, b)} returns {@code a} unless
     * {@code a < b}, so NaN passes through and -0.0 stays -0.0 under a RELU (Java's {@link
     * Math#max(float, float)} would return +0.0).
     */
    static float clamp(float x, float lo, float hi) {
        float m = x < lo ? lo : x;
        return hi < m ? hi : m;
    }
}
