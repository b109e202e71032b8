package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.Tensor;
import io.litebit.model.options.Activation;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.fixedpoint.QuantizationUtil;
import io.litebit.reference.fixedpoint.QuantizedMultiplier;
import io.litebit.reference.fixedpoint.Rounding;
import io.litebit.reference.fixedpoint.XnnpackMath;
import java.util.Arrays;

/**
 * The output multipliers and clamp of the convolution kernels (CONV_2D, DEPTHWISE_CONV_2D,
 * TRANSPOSE_CONV), as TFLite 2.19's {@code PopulateConvolutionQuantizationParams} ({@code
 * kernel_util.cc}) derives them, and the requantization of an accumulator with them.
 *
 * <ul>
 *   <li>Per channel, and per tensor for int8 and int16 inputs, the multiplier of channel c is
 *       {@code QuantizeMultiplier(double(input_scale) * double(filter_scale[c]) /
 *       double(output_scale))}: the product in double (a per-tensor filter scale is broadcast).</li>
 *   <li>For uint8 inputs the kernels use the legacy scalar multiplier of {@code
 *       GetQuantizedConvolutionMultipler}: {@code double(input_scale * filter_scale)} — the
 *       product rounded to float — divided by the output scale in double, after the check that
 *       the bias scale is within 2% of the output scale of that product.</li>
 *   <li>Per-channel filters need int8 or int16 inputs and one scale per output channel.</li>
 * </ul>
 *
 * <pre>{@code
 * ConvQuantization q = ConvQuantization.populate(ctx, input, filter, bias, output, Activation.RELU, channelsOut, 0);
 * int y = q.requantize(acc, acc, channel, outputOffset);
 * }</pre>
 *
 * @param multipliers     one per channel ({@code null} for {@link NumericsProfile#NAIVE_FLOAT} and
 *                        {@link NumericsProfile#XNNPACK})
 * @param realMultipliers the real multipliers the integer ones stand for, one per channel
 * @param rounding        how the int32-accumulator kernels apply the multipliers
 * @param activationMin   {@code CalculateActivationRangeQuantized}'s lower bound (XNNPACK's own
 *                        quantized bound under {@link NumericsProfile#XNNPACK})
 * @param activationMax   its upper bound
 * @param xnnpackScales   under {@link NumericsProfile#XNNPACK} and {@link
 *                        NumericsProfile#XNNPACK_ARM64}, XNNPACK's float requantization scale per
 *                        channel (8-bit paths only); else {@code null}
 * @param xnnpackRndnu    under {@link NumericsProfile#XNNPACK_ARM64} with uint8 tensors, the NEON
 *                        {@code rndnu} parameters of those scales, which then requantize instead
 *                        of the float path; else {@code null}
 */
record ConvQuantization(QuantizedMultiplier[] multipliers, double[] realMultipliers, Rounding rounding,
                        int activationMin, int activationMax, float[] xnnpackScales, XnnpackMath.Rndnu[] xnnpackRndnu) {

    /**
     * {@code PopulateConvolutionQuantizationParams} for {@code channels} output channels.
     *
     * @param filterChannelDimension the filter dimension holding the output channels (0 for
     *                               CONV_2D and TRANSPOSE_CONV, 3 for DEPTHWISE_CONV_2D)
     */
    static ConvQuantization populate(OpContext ctx, Tensor input, Tensor filter, Tensor bias, Tensor output,
                                     Activation activation, int channels, int filterChannelDimension) {
        Quantization inQ = input.quantization();
        Quantization fQ = filter.quantization();
        if (inQ.isNone()) {
            throw ctx.invalid("the input needs affine quantization (PopulateConvolutionQuantizationParams)");
        }
        if (fQ.isNone()) {
            throw ctx.invalid("the filter needs affine quantization (PopulateConvolutionQuantizationParams)");
        }
        boolean perChannel = fQ.channelCount() > 1;
        if (perChannel) {
            if (input.dtype() != DType.INT8 && input.dtype() != DType.INT16) {
                throw ctx.invalid("per-channel filters need int8 or int16 inputs, given " + input.dtype().displayName());
            }
            if (fQ.channelCount() != channels) {
                throw ctx.invalid("the filter has " + fQ.channelCount() + " scales for " + channels + " output channels");
            }
            int axis = fQ.quantizedDimension();
            if (axis < 0 || axis >= filter.rank() || filter.dim(axis) != channels) {
                throw ctx.invalid("the filter's quantized dimension " + axis + " of " + Arrays.toString(filter.shape())
                        + " does not hold the " + channels + " output channels");
            }
        }
        float inputScale = inQ.scale(0);
        Quantization outQ = output.quantization();
        float outputScale = outQ.isNone() ? 0f : outQ.scale(0);
        double[] real = new double[channels];
        if (input.dtype() == DType.UINT8) {
            // GetQuantizedConvolutionMultipler (with the bias-scale check) gives the scalar
            // multiplier the uint8 kernels use.
            Arrays.fill(real, FullyConnected.convolutionMultiplier(ctx, bias, inputScale, fQ.scale(0), outputScale));
        } else {
            for (int c = 0; c < channels; c++) {
                float filterScale = perChannel ? fQ.scale(c) : fQ.scale(0);
                real[c] = (double) inputScale * (double) filterScale / (double) outputScale;
            }
        }
        ActivationRange.Ints range = ActivationRange.quantized(ctx, activation, output);
        NumericsProfile profile = ctx.profile();
        if (profile.isXnnpack() && input.dtype() != DType.INT16) {
            return xnnpack(profile, input.dtype(), inputScale, fQ, perChannel, outputScale, channels, real, activation,
                    output);
        }
        QuantizedMultiplier[] ms = null;
        Rounding rounding = null;
        if (profile.isFixedPoint()) {
            rounding = profile.rounding();
            ms = new QuantizedMultiplier[channels];
            for (int c = 0; c < channels; c++) {
                ms[c] = QuantizationUtil.quantizeMultiplier(real[c], rounding);
            }
        }
        return new ConvQuantization(ms, real, rounding, range.min(), range.max(), null, null);
    }

    /**
     * XNNPACK's convolution, deconvolution and fully-connected operators ({@code profile} one of
     * {@link NumericsProfile#isXnnpack()}): one float scale per output channel ({@link
     * XnnpackMath#convScale}, or on aarch64 {@link XnnpackMath#convScaleArm64PerChannel} for
     * per-channel filters), bounds quantized in float, and on aarch64 the {@code rndnu}
     * requantization for uint8.
     *
     * @param filterQ    the filter's (weights') quantization
     * @param perChannel whether it has one scale per output channel (more than one scale)
     * @param real       the real multipliers, kept for reports
     */
    static ConvQuantization xnnpack(NumericsProfile profile, DType inputType, float inputScale, Quantization filterQ,
                                    boolean perChannel, float outputScale, int channels, double[] real,
                                    Activation activation, Tensor output) {
        boolean arm64 = profile == NumericsProfile.XNNPACK_ARM64;
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = arm64 && perChannel
                    ? XnnpackMath.convScaleArm64PerChannel(inputScale, filterQ.scale(c), outputScale)
                    : XnnpackMath.convScale(inputScale, perChannel ? filterQ.scale(c) : filterQ.scale(0), outputScale);
        }
        XnnpackMath.Rndnu[] rndnu = null;
        if (arm64 && inputType == DType.UINT8) {
            rndnu = new XnnpackMath.Rndnu[channels];
            for (int c = 0; c < channels; c++) {
                rndnu[c] = XnnpackMath.Rndnu.of(scales[c]);
            }
        }
        ActivationRange.Ints xnnRange = ActivationRange.xnnpack(profile, activation, output);
        return new ConvQuantization(null, real, null, xnnRange.min(), xnnRange.max(), scales, rndnu);
    }

    /** The same parameters with the int32-accumulator multiply applied as {@code rounding}. */
    ConvQuantization withRounding(Rounding r) {
        return multipliers == null ? this
                : new ConvQuantization(multipliers, realMultipliers, r, activationMin, activationMax, xnnpackScales,
                        xnnpackRndnu);
    }

    /**
     * The int32-accumulator tail of the quantized kernels: {@code
     * MultiplyByQuantizedMultiplier(acc, m[c], shift[c]) + output_offset}, clamped. {@code acc}
     * is the accumulator as the C++ holds it (wrapped to int32); {@code exact} is the same sum
     * without wrapping, which {@link NumericsProfile#NAIVE_FLOAT} scales by the real multiplier.
     */
    int requantize(int acc, long exact, int channel, int outputOffset) {
        if (xnnpackRndnu != null) {
            return xnnpackRndnu[channel].requantize(acc, outputOffset, activationMin, activationMax);
        }
        if (xnnpackScales != null) {
            return XnnpackMath.requantizeFp32(acc, xnnpackScales[channel], outputOffset, activationMin, activationMax);
        }
        if (multipliers == null) {
            return Naive.requantize(exact * realMultipliers[channel], outputOffset, activationMin, activationMax);
        }
        int v = multipliers[channel].apply(acc, rounding) + outputOffset;
        return Math.min(Math.max(v, activationMin), activationMax);
    }

    /**
     * The int64-accumulator tail of the 16x8 kernels: {@code MultiplyByQuantizedMultiplier(int64
     * acc, m[c], shift[c])} (the same in both rounding builds), clamped; no output offset (the
     * int16 zero points are 0).
     */
    int requantizeInt64(long acc, int channel) {
        if (multipliers == null) {
            return Naive.requantize(acc * realMultipliers[channel], 0, activationMin, activationMax);
        }
        int v = multipliers[channel].apply(acc);
        return Math.min(Math.max(v, activationMin), activationMax);
    }
}
