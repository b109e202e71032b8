package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.Tensor;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.QuantizationUtil;
import io.litebit.reference.fixedpoint.QuantizedMultiplier;
import io.litebit.reference.fixedpoint.Rounding;
import java.util.Arrays;

/**
 * FULLY_CONNECTED for float32, int8 (per-tensor and per-channel weights), uint8 (to uint8 or
 * int16) and int16 activations with per-tensor or per-channel int8 weights ("16x8": an int64 bias
 * or none, or an int32 bias when the options' {@code quantized_bias_type} is INT32). Mirrors TFLite 2.19's {@code kernels/fully_connected.cc} ({@code PrepareImpl}, {@code
 * EvalQuantized<kReference>}, {@code EvalFloat<kReference>}) with {@code
 * reference_integer_ops::FullyConnected} / {@code FullyConnectedPerChannel} ({@code
 * reference/integer_ops/fully_connected.h}) and {@code reference_ops::FullyConnected} ({@code
 * reference/fully_connected.h}).
 *
 * <p>Details that decide bits, kept on purpose:
 * <ul>
 *   <li>The per-tensor multiplier is {@code GetQuantizedConvolutionMultipler}: the input and
 *       weight scales are multiplied <em>in float</em>, then divided by the output scale in
 *       double. The per-channel multipliers multiply the scales in double. The same scales can
 *       therefore give different multipliers in the two paths.</li>
 *   <li>Per tensor, a bias whose scale differs from {@code input_scale * weight_scale} by more
 *       than 2% of the output scale makes Prepare fail.</li>
 *   <li>Per tensor the weights' zero point is subtracted; per channel it is ignored (weights are
 *       symmetric by specification).</li>
 *   <li>The accumulator is int32 and wraps on overflow, as the C++ does in practice; for 16x8
 *       it is int64 and requantized with the int64 {@code MultiplyByQuantizedMultiplier}.</li>
 *   <li>16x8 with {@code quantized_bias_type} INT32 ({@link Accumulator16x8}): the reference
 *       kernel's accumulator has the bias's type, so it is int32 and wraps, and the requantization
 *       is the int32 {@code MultiplyByQuantizedMultiplier} (two roundings, or one in the
 *       single-rounding build) instead of the int64 one: a tie such as -361.5 gives -362 here and
 *       -361 with an int64 bias. Unset, TFLite reads an int32 bias as int64 (past its end): that
 *       model is refused as unsupported. TFLite's optimized BUILTIN kernel is not the reference
 *       here: it gives -361 on that tie (5 of 17,279 output elements differ over 469 fuzz cases,
 *       seed 7).</li>
 * </ul>
 *
 * <p>Note for later TFLite versions: after 2.19 (April 2025) TFLite's reference kernel switched
 * to requantizing in double ({@code round(acc * in_scale * w_scale / out_scale)}); the {@code
 * TFLITE} profile follows 2.19, the version this project pins.
 */
final class FullyConnected implements Kernel {

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 2 && ctx.inputCount() != 3) {
            throw ctx.invalid("FULLY_CONNECTED takes 2 or 3 inputs, given " + ctx.inputCount());
        }
        BuiltinOptions.FullyConnected options = ctx.options(BuiltinOptions.FullyConnected.class);
        Tensor input = ctx.requireInput(0, "input");
        Tensor weights = ctx.requireInput(1, "weights");
        Tensor bias = ctx.input(2);
        Tensor output = ctx.output(0);
        DType in = input.dtype();
        DType w = weights.dtype();
        DType out = output.dtype();
        if (options.weightsFormat() != 0) {
            throw ctx.unsupported("shuffled weights (weights_format " + options.weightsFormat() + ") are not implemented");
        }
        boolean quantizedWeights = w == DType.UINT8 || w == DType.INT8 || w == DType.INT4;
        boolean hybrid = quantizedWeights && in == DType.FLOAT32;
        Activation activation = options.activation();
        if (!hybrid && activation != Activation.NONE && activation != Activation.RELU
                && activation != Activation.RELU_N1_TO_1 && activation != Activation.RELU6) {
            throw ctx.invalid("fused activation " + activation + " is not supported (NONE, RELU, RELU_N1_TO_1, RELU6)");
        }
        if (hybrid) {
            throw ctx.unsupported("hybrid float input with " + w.displayName() + " weights is not implemented yet");
        }
        if (weights.rank() != 2) {
            throw ctx.invalid("weights must have rank 2, given " + Arrays.toString(weights.shape()));
        }
        int units = weights.dim(0);
        int depth = weights.dim(1);
        int[] inShape = input.shape();
        int inputSize = 1;
        for (int d : inShape) {
            inputSize *= d;
        }
        int batch = depth == 0 ? productExceptLast(inShape) : inputSize / depth;
        int[] outShape;
        if (options.keepNumDims()) {
            if (depth != 0 && (inShape.length == 0 || inShape[inShape.length - 1] != depth)) {
                throw ctx.invalid("keep_num_dims needs the input's last dimension to equal the weights' "
                        + depth + ", input shape " + Arrays.toString(inShape));
            }
            outShape = inShape.clone();
            if (outShape.length == 0) {
                throw ctx.invalid("keep_num_dims with a scalar input");
            }
            outShape[outShape.length - 1] = units;
        } else {
            outShape = new int[] {batch, units};
        }
        if (depth == 0) {
            // PrepareImpl returns right after sizing the output, and Eval memsets it to zero
            // bytes: 0, not the zero point.
            return inputs -> new TensorValue[] {TensorValue.zeros(out, outShape)};
        }
        if (bias != null && bias.elementCount() != units) {
            throw ctx.invalid("bias has " + bias.elementCount() + " elements, the weights " + units + " units");
        }
        if (in == DType.FLOAT32) {
            if (w != DType.FLOAT32 || out != DType.FLOAT32 || (bias != null && bias.dtype() != DType.FLOAT32)) {
                throw ctx.invalid("float32 FULLY_CONNECTED needs float32 weights, bias and output");
            }
            ActivationRange.Floats range = ActivationRange.floats(activation);
            return inputs -> new TensorValue[] {evalFloat(inputs[0], inputs[1], inputs[2], outShape, range)};
        }
        return prepareQuantized(ctx, input, weights, bias, output, activation, outShape);
    }

    private static PreparedOp prepareQuantized(OpContext ctx, Tensor input, Tensor weights, Tensor bias, Tensor output,
                                               Activation activation, int[] outShape) {
        DType in = input.dtype();
        DType w = weights.dtype();
        DType out = output.dtype();
        if ((in != DType.UINT8 && in != DType.INT8 && in != DType.INT16)
                || (out != DType.UINT8 && out != DType.INT8 && out != DType.INT16)) {
            throw ctx.invalid("quantized FULLY_CONNECTED needs uint8, int8 or int16 input and output, given "
                    + in.displayName() + " -> " + out.displayName());
        }
        if (bias != null && bias.dtype() != DType.INT32 && bias.dtype() != DType.INT64) {
            throw ctx.invalid("a quantized FULLY_CONNECTED needs an int32 or int64 bias, given " + bias.dtype().displayName());
        }
        if (in == DType.INT16) {
            return prepareInt16(ctx, input, weights, bias, output, activation, outShape,
                    ctx.options(BuiltinOptions.FullyConnected.class));
        }
        if (w == DType.INT4) {
            throw ctx.unsupported("int4 weights are not implemented yet");
        }
        boolean int8Path = in == DType.INT8 && w == DType.INT8 && out == DType.INT8;
        boolean uint8Path = in == DType.UINT8 && w == DType.UINT8 && (out == DType.UINT8 || out == DType.INT16);
        if (!int8Path && !uint8Path) {
            throw ctx.unsupported("the combination " + in.displayName() + " input, " + w.displayName() + " weights, "
                    + out.displayName() + " output (TFLite reinterprets the data for it) is not implemented");
        }
        if (bias != null && bias.dtype() != DType.INT32) {
            throw ctx.unsupported("an int64 bias with " + in.displayName() + " input (TFLite would read it as int32)");
        }
        if (uint8Path && out == DType.INT16 && bias == null) {
            throw ctx.invalid("the uint8 -> int16 kernel reads the bias unconditionally; TFLite would dereference a null bias");
        }
        Quantization inQ = input.quantization();
        Quantization wQ = weights.quantization();
        Quantization outQ = output.quantization();
        if (inQ.isNone() || wQ.isNone()) {
            throw ctx.invalid("the input and weights need affine quantization");
        }
        float inScale = inQ.scale(0);
        float outScale = outQ.isNone() ? 0f : outQ.scale(0);
        int inputOffset = -(int) inQ.zeroPoint(0);
        int outputOffset = outQ.isNone() ? 0 : (int) outQ.zeroPoint(0);
        int units = weights.dim(0);
        boolean perChannel = wQ.isPerChannel();
        double[] realMultipliers = new double[perChannel ? wQ.channelCount() : 1];
        int weightsOffset;
        if (perChannel) {
            if (in != DType.INT8 || w != DType.INT8) {
                throw ctx.invalid("per-channel weights need int8 (or int16) input and int8 (or int4) weights");
            }
            System.arraycopy(perChannelMultipliers(ctx, weights, inScale, outScale), 0, realMultipliers, 0,
                    realMultipliers.length);
            weightsOffset = 0;
        } else {
            float wScale = wQ.scale(0);
            realMultipliers[0] = convolutionMultiplier(ctx, bias, inScale, wScale, outScale);
            weightsOffset = -(int) wQ.zeroPoint(0);
        }
        ActivationRange.Ints range = ActivationRange.quantized(ctx, activation, output);
        NumericsProfile profile = ctx.profile();
        Requantizer requantizer;
        boolean toInt16 = uint8Path && out == DType.INT16;
        if (profile.isXnnpack() && !toInt16) {
            // XNNPACK's fully-connected operator: float scales, rounding after a float clamp to
            // its own activation bounds; the kernel's offset-and-clamp that follows is then a no-op.
            ConvQuantization xq = ConvQuantization.xnnpack(profile, in, inScale, wQ, perChannel, outScale,
                    realMultipliers.length, realMultipliers, activation, output);
            range = new ActivationRange.Ints(xq.activationMin(), xq.activationMax());
            requantizer = (acc, c) -> xq.requantize(acc, acc, realMultipliers.length == 1 ? 0 : c, outputOffset) - outputOffset;
        } else if (profile.isFixedPoint()) {
            if (int8Path) {
                OptimizedGemm.refuseArm64NullBiasCrash(ctx, perChannel, bias != null, units, weights.dim(1),
                        batches(outShape, units));
            }
            // The optimized kernels run one GEMM: units x depth times depth x batches.
            Rounding rounding = OptimizedGemm.rounding(profile, uint8Path ? OptimizedGemm.Operands.UINT8
                    : OptimizedGemm.Operands.INT8, true, units, weights.dim(1), batches(outShape, units));
            QuantizedMultiplier[] ms = new QuantizedMultiplier[realMultipliers.length];
            for (int c = 0; c < ms.length; c++) {
                ms[c] = QuantizationUtil.quantizeMultiplier(realMultipliers[c], rounding);
            }
            requantizer = (acc, c) -> ms[ms.length == 1 ? 0 : c].apply(acc, rounding);
        } else {
            requantizer = null;
        }
        Params p = new Params(inputOffset, weightsOffset, outputOffset, range.min(), range.max(), requantizer,
                realMultipliers, out, outShape, units);
        return inputs -> new TensorValue[] {toInt16 ? evalUint8ToInt16(inputs[0], inputs[1], inputs[2], p)
                : evalQuantized(inputs[0], inputs[1], inputs[2], p)};
    }

    /** The GEMM's column count: the output's elements over its units. */
    private static int batches(int[] outShape, int units) {
        long n = 1;
        for (int d : outShape) {
            n *= d;
        }
        return units == 0 ? 0 : (int) (n / units);
    }

    /**
     * 16x8: int16 input and output, int8 weights (per tensor or per channel), an int64 bias, an
     * int32 bias with {@code quantized_bias_type} INT32, or none. {@code PrepareImpl} requires the
     * int16 zero points to be 0 and derives the multipliers as for int8 (per tensor with the
     * bias-scale check, per channel in double); {@code FullyConnectedInt16} and {@code
     * FullyConnectedPerChannelInt16} pick the reference kernel instantiated for the bias type,
     * which accumulates in that type; per channel the weights' zero point is ignored.
     */
    private static PreparedOp prepareInt16(OpContext ctx, Tensor input, Tensor weights, Tensor bias, Tensor output,
                                           Activation activation, int[] outShape, BuiltinOptions.FullyConnected options) {
        DType w = weights.dtype();
        if (output.dtype() != DType.INT16) {
            throw ctx.unsupported("int16 input with a " + output.dtype().displayName() + " output is not implemented");
        }
        if (w != DType.INT8) {
            throw ctx.unsupported("int16 input with " + w.displayName() + " weights is not implemented (only int8, 16x8)");
        }
        Quantization inQ = input.quantization();
        Quantization wQ = weights.quantization();
        Quantization outQ = output.quantization();
        if (inQ.isNone() || wQ.isNone() || outQ.isNone()) {
            throw ctx.invalid("the input, weights and output need affine quantization");
        }
        if (inQ.zeroPoint(0) != 0 || outQ.zeroPoint(0) != 0) {
            throw ctx.invalid("int16 input and output need zero point 0, given " + inQ.zeroPoint(0) + " and "
                    + outQ.zeroPoint(0));
        }
        float inScale = inQ.scale(0);
        float outScale = outQ.scale(0);
        double[] realMultipliers;
        int weightsOffset;
        if (wQ.isPerChannel()) {
            realMultipliers = perChannelMultipliers(ctx, weights, inScale, outScale);
            weightsOffset = 0;
        } else {
            float wScale = wQ.scale(0);
            realMultipliers = new double[] {convolutionMultiplier(ctx, bias, inScale, wScale, outScale)};
            weightsOffset = -(int) wQ.zeroPoint(0);
        }
        ActivationRange.Ints range = ActivationRange.quantized(ctx, activation, output);
        NumericsProfile profile = ctx.profile();
        QuantizedMultiplier[] ms = null;
        if (profile.isFixedPoint()) {
            ms = new QuantizedMultiplier[realMultipliers.length];
            for (int c = 0; c < ms.length; c++) {
                ms[c] = QuantizationUtil.quantizeMultiplier(realMultipliers[c], profile.rounding());
            }
        }
        QuantizedMultiplier[] multipliers = ms;
        int min = range.min();
        int max = range.max();
        // After the zero-point checks, as PrepareImpl orders them.
        Accumulator16x8 accumulator = Accumulator16x8.of(ctx, options.quantizedBiasType(), bias);
        // TFLite 2.19's optimized Eval takes the GEMM (int32 accumulator) whenever all zero points
        // are 0 and the bias is not int64 — without a bias too, whatever quantized_bias_type says.
        boolean optimizedGemm = profile.isFixedPoint() && profile.builtinKernels().isOptimized()
                && weightsOffset == 0 && (bias == null || accumulator == Accumulator16x8.INT32);
        if (accumulator == Accumulator16x8.INT32 || optimizedGemm) {
            // TFLite's kernels instantiated for an int32 bias: the int8 arithmetic exactly (an int32
            // accumulator that wraps, the int32 MultiplyByQuantizedMultiplier) with zero offsets.
            Rounding rounding = !profile.isFixedPoint() ? null
                    : optimizedGemm ? OptimizedGemm.rounding(profile, OptimizedGemm.Operands.INT16_BY_INT8, true,
                    weights.dim(0), weights.dim(1), batches(outShape, weights.dim(0)))
                    : profile.rounding();
            Requantizer requantizer = multipliers == null ? null
                    : (acc, c) -> multipliers[multipliers.length == 1 ? 0 : c].apply(acc, rounding);
            Params p = new Params(0, weightsOffset, 0, min, max, requantizer, realMultipliers, DType.INT16, outShape,
                    weights.dim(0));
            return inputs -> new TensorValue[] {evalQuantized(inputs[0], inputs[1], inputs[2], p)};
        }
        return inputs -> new TensorValue[] {evalInt16(inputs[0], inputs[1], inputs[2], weightsOffset, multipliers,
                realMultipliers, min, max, outShape)};
    }

    /**
     * The int16 {@code reference_integer_ops::FullyConnected} with an int64 bias: {@code acc =
     * sum (w + w_off) * x} (each product in int32) in int64, plus the bias, then the int64 {@code
     * MultiplyByQuantizedMultiplier}, clamped and stored as int16; the input and output offsets
     * are 0 (Prepare requires it).
     */
    static TensorValue evalInt16(TensorValue input, TensorValue weights, TensorValue bias, int weightsOffset,
                                 QuantizedMultiplier[] multipliers, double[] realMultipliers, int min, int max,
                                 int[] outShape) {
        int outputDepth = outShape[outShape.length - 1];
        int batches = productExceptLast(outShape);
        int accumDepth = weights.dim(1);
        int[] x = input.toIntArray();
        int[] w = weights.toIntArray();
        long[] b = bias == null ? null : bias.toLongArray();
        int[] result = new int[batches * outputDepth];
        for (int batch = 0; batch < batches; batch++) {
            for (int c = 0; c < outputDepth; c++) {
                long acc = 0;
                for (int d = 0; d < accumDepth; d++) {
                    acc += (w[c * accumDepth + d] + weightsOffset) * x[batch * accumDepth + d];
                }
                if (b != null) {
                    acc += b[c];
                }
                int channel = realMultipliers.length == 1 ? 0 : c;
                int v;
                if (multipliers != null) {
                    v = Math.min(Math.max(multipliers[channel].apply(acc), min), max);
                } else {
                    v = Naive.requantize(acc * realMultipliers[channel], 0, min, max);
                }
                result[batch * outputDepth + c] = (short) v;
            }
        }
        return TensorValue.fromInts(DType.INT16, outShape, result);
    }

    /**
     * {@code PrepareImpl}'s per-channel multipliers: one per output unit, the scales multiplied
     * and divided in double. TFLite indexes them by output unit, so only weights quantized along
     * dimension 0 are meaningful.
     */
    private static double[] perChannelMultipliers(OpContext ctx, Tensor weights, float inScale, float outScale) {
        Quantization wQ = weights.quantization();
        int axis = wQ.quantizedDimension();
        if (axis < 0 || axis >= 2 || wQ.channelCount() != weights.dim(axis)) {
            throw ctx.invalid("per-channel weights have " + wQ.channelCount() + " scales along dimension " + axis
                    + " of " + Arrays.toString(weights.shape()));
        }
        if (axis != 0) {
            throw ctx.unsupported("per-channel weights quantized along dimension 1 (TFLite indexes the multipliers "
                    + "by output unit regardless)");
        }
        double[] m = new double[wQ.channelCount()];
        for (int c = 0; c < m.length; c++) {
            m[c] = perChannelRealMultiplier(inScale, wQ.scale(c), outScale);
        }
        return m;
    }

    /**
     * {@code GetQuantizedConvolutionMultipler}, used for per-tensor weights: Prepare fails when a
     * bias scale is more than 2% of the output scale away from {@code input_scale *
     * weight_scale}, or when that product is negative; the multiplier is {@link
     * #perTensorRealMultiplier}.
     */
    static double convolutionMultiplier(OpContext ctx, Tensor bias, float inScale, float wScale, float outScale) {
        if (bias != null) {
            double inputProductScale = (double) inScale * (double) wScale;
            double biasScale = bias.quantization().isNone() ? 0.0 : bias.quantization().scale(0);
            double scaleDiff = Math.abs(inputProductScale - biasScale);
            if (!(scaleDiff / (double) outScale <= 0.02)) {
                throw ctx.invalid("bias scale " + biasScale + " differs from input_scale * weight_scale = "
                        + inputProductScale + " by more than 2% of the output scale " + outScale
                        + " (GetQuantizedConvolutionMultipler)");
            }
        }
        if (!(inScale * wScale >= 0)) {
            throw ctx.invalid("input_scale * weight_scale must be non-negative, given " + inScale * wScale);
        }
        return perTensorRealMultiplier(inScale, wScale, outScale);
    }

    /**
     * The per-tensor real multiplier, as {@code GetQuantizedConvolutionMultipler} computes it:
     * {@code static_cast<double>(input_scale * filter_scale)} — the product rounded to float —
     * divided by the output scale in double.
     */
    static double perTensorRealMultiplier(float inputScale, float weightScale, float outputScale) {
        float inputProductScale = inputScale * weightScale;
        return (double) inputProductScale / (double) outputScale;
    }

    /** The per-channel real multiplier of {@code PrepareImpl}: the whole product and quotient in double. */
    static double perChannelRealMultiplier(float inputScale, float weightScale, float outputScale) {
        return (double) inputScale * (double) weightScale / (double) outputScale;
    }

    /** Applies the output multiplier of channel {@code c} to an accumulator. */
    @FunctionalInterface
    interface Requantizer {
        int apply(int acc, int channel);
    }

    /**
     * The parameters Prepare hands to the quantized kernel ({@code FullyConnectedParams} plus the
     * multipliers); {@code requantizer} is null for {@link NumericsProfile#NAIVE_FLOAT}, which
     * uses {@code realMultipliers}.
     */
    record Params(int inputOffset, int weightsOffset, int outputOffset, int activationMin, int activationMax,
                  Requantizer requantizer, double[] realMultipliers, DType outputType, int[] outputShape, int units) {
    }

    /**
     * {@code reference_integer_ops::FullyConnected} (per tensor), {@code FullyConnectedPerChannel}
     * and {@code reference_ops::FullyConnected} for uint8: {@code acc = sum (w + w_off) * (x +
     * x_off) + bias} in int32, requantized, plus the output zero point, clamped.
     */
    static TensorValue evalQuantized(TensorValue input, TensorValue weights, TensorValue bias, Params p) {
        int[] outShape = p.outputShape();
        int outputDepth = outShape[outShape.length - 1];
        int batches = productExceptLast(outShape);
        int accumDepth = weights.dim(1);
        int[] x = input.toIntArray();
        int[] w = weights.toIntArray();
        int[] b = bias == null ? null : bias.toIntArray();
        int[] result = new int[batches * outputDepth];
        for (int batch = 0; batch < batches; batch++) {
            for (int c = 0; c < outputDepth; c++) {
                int acc = 0;
                long exact = 0;
                for (int d = 0; d < accumDepth; d++) {
                    int term = (w[c * accumDepth + d] + p.weightsOffset()) * (x[batch * accumDepth + d] + p.inputOffset());
                    acc += term;
                    exact += term;
                }
                if (b != null) {
                    acc += b[c];
                    exact += b[c];
                }
                int v;
                if (p.requantizer() != null) {
                    v = p.requantizer().apply(acc, c) + p.outputOffset();
                    v = Math.min(Math.max(v, p.activationMin()), p.activationMax());
                } else {
                    double m = p.realMultipliers()[p.realMultipliers().length == 1 ? 0 : c];
                    v = Naive.requantize(exact * m, p.outputOffset(), p.activationMin(), p.activationMax());
                }
                result[batch * outputDepth + c] = v;
            }
        }
        return TensorValue.fromInts(p.outputType(), outShape, result);
    }

    /**
     * {@code reference_ops::FullyConnected} for uint8 input and int16 output: the accumulator
     * starts at the bias, the offset inputs and weights are stored in {@code int16_t} first, and
     * the clamp is applied before adding the output offset.
     */
    static TensorValue evalUint8ToInt16(TensorValue input, TensorValue weights, TensorValue bias, Params p) {
        int[] outShape = p.outputShape();
        int outputDepth = outShape[outShape.length - 1];
        int batches = productExceptLast(outShape);
        int accumDepth = weights.dim(1);
        int[] x = input.toIntArray();
        int[] w = weights.toIntArray();
        int[] b = bias.toIntArray();
        int[] result = new int[batches * outputDepth];
        for (int batch = 0; batch < batches; batch++) {
            for (int c = 0; c < outputDepth; c++) {
                int acc = b[c];
                long exact = b[c];
                for (int d = 0; d < accumDepth; d++) {
                    short xv = (short) (x[batch * accumDepth + d] + p.inputOffset());
                    short wv = (short) (w[c * accumDepth + d] + p.weightsOffset());
                    acc += wv * xv;
                    exact += wv * xv;
                }
                int v;
                if (p.requantizer() != null) {
                    v = p.requantizer().apply(acc, c);
                    v = Math.max(v, p.activationMin() - p.outputOffset());
                    v = Math.min(v, p.activationMax() - p.outputOffset());
                    v = (short) (v + p.outputOffset());
                } else {
                    v = Naive.requantize(exact * p.realMultipliers()[0], p.outputOffset(), p.activationMin(), p.activationMax());
                }
                result[batch * outputDepth + c] = v;
            }
        }
        return TensorValue.fromInts(DType.INT16, outShape, result);
    }

    /** {@code reference_ops::FullyConnected} for float: a float sum in input order, plus bias, clamped. */
    static TensorValue evalFloat(TensorValue input, TensorValue weights, TensorValue bias, int[] outShape,
                                 ActivationRange.Floats range) {
        int outputDepth = outShape[outShape.length - 1];
        int batches = productExceptLast(outShape);
        int accumDepth = weights.dim(1);
        float[] x = input.toFloatArray();
        float[] w = weights.toFloatArray();
        float[] b = bias == null ? null : bias.toFloatArray();
        float[] result = new float[batches * outputDepth];
        for (int batch = 0; batch < batches; batch++) {
            for (int c = 0; c < outputDepth; c++) {
                float total = 0f;
                for (int d = 0; d < accumDepth; d++) {
                    total += x[batch * accumDepth + d] * w[c * accumDepth + d];
                }
                float biasValue = b == null ? 0f : b[c];
                result[batch * outputDepth + c] = ActivationRange.clamp(total + biasValue, range.min(), range.max());
            }
        }
        return TensorValue.ofFloat32(outShape, result);
    }

    private static int productExceptLast(int[] shape) {
        int n = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            n *= shape[i];
        }
        return n;
    }
}
