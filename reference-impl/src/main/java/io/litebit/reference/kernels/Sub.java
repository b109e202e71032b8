package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.CppMath;
import io.litebit.reference.fixedpoint.FixedPoint;
import io.litebit.reference.fixedpoint.QuantizationUtil;
import io.litebit.reference.fixedpoint.QuantizedMultiplier;
import io.litebit.reference.fixedpoint.Rounding;

/**
 * SUB with broadcasting, for float32, int32, int64 and quantized uint8, int8 and int16 (the
 * general rescaling path and the power-of-two path). Mirrors TFLite 2.19's {@code
 * kernels/sub.cc} ({@code Prepare} with {@code PrepareGeneralSubOp} / {@code
 * PrepareInt16SubOpPOT}, {@code Eval<kReference>}) with {@code reference_ops::Sub}, {@code
 * BroadcastQuantSubSlow}, {@code Sub16} and {@code BroadcastSub16POTSlow} ({@code
 * reference/sub.h}).
 *
 * <p>The general quantized path is ADD's ({@link Add}) with the difference of the two rescaled
 * inputs: both inputs are shifted left by 20 (8-bit) or 15 (int16), each multiplied by {@code
 * s_i / (2 max(s1, s2))}, subtracted, and the difference multiplied by {@code 2 max / (2^shift
 * s_out)}. Unlike ADD, int16 with {@code pot_scale_int16} and power-of-two scales takes the
 * power-of-two path with its checks (zero points 0, at most one input shifted, right shifts only).
 */
final class Sub implements Kernel {

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 2 || ctx.outputCount() != 1) {
            throw ctx.invalid("SUB takes 2 inputs and 1 output");
        }
        BuiltinOptions.Sub options = ctx.options(BuiltinOptions.Sub.class);
        Tensor input1 = ctx.requireInput(0, "input1");
        Tensor input2 = ctx.requireInput(1, "input2");
        Tensor output = ctx.output(0);
        DType type = input1.dtype();
        Broadcast.requireSameType(ctx, input1, input2);
        if (output.dtype() != type) {
            throw ctx.unsupported("an output type (" + output.dtype().displayName() + ") other than the inputs' (TFLite "
                    + "retypes the output to " + type.displayName() + ")");
        }
        int[] outShape = Broadcast.shapeOrInvalid(ctx, input1, input2);
        Activation activation = options.activation();
        switch (type) {
            case FLOAT32 -> {
                ActivationRange.Floats range = ActivationRange.floats(activation);
                return inputs -> new TensorValue[] {subFloat(inputs[0], inputs[1], outShape, range)};
            }
            case INT32, INT64 -> {
                long[] range = ActivationRange.integers(activation, type);
                return inputs -> new TensorValue[] {subIntegers(inputs[0], inputs[1], outShape, range, type)};
            }
            case UINT8, INT8, INT16 -> {
                if (output.quantization().isNone() || input1.quantization().isNone() || input2.quantization().isNone()) {
                    throw ctx.unsupported("unquantized " + type.displayName() + " tensors (TFLite runs them through the "
                            + "quantized kernel with scale 0)");
                }
                return prepareQuantized(ctx, options, input1, input2, output, outShape);
            }
            default -> throw ctx.invalid("output type " + type.displayName() + " is not supported by SUB");
        }
    }

    private static PreparedOp prepareQuantized(OpContext ctx, BuiltinOptions.Sub options, Tensor input1, Tensor input2,
                                               Tensor output, int[] outShape) {
        DType type = output.dtype();
        float s1 = QuantParams.scale(input1);
        float s2 = QuantParams.scale(input2);
        float so = QuantParams.scale(output);
        int z1 = QuantParams.zeroPoint(input1);
        int z2 = QuantParams.zeroPoint(input2);
        int zo = QuantParams.zeroPoint(output);
        boolean generalScaleInt16 = false;
        CppMath.Log2 log1 = null;
        CppMath.Log2 log2 = null;
        CppMath.Log2 logOut = null;
        if (type == DType.INT16) {
            // TFLite 2.19's Prepare requires symmetric int16 on both paths (later LiteRT lets the
            // general path take zero points).
            if (z1 != 0 || z2 != 0 || zo != 0) {
                throw ctx.invalid("int16 SUB needs zero points 0, given " + z1 + ", " + z2 + " and " + zo);
            }
            generalScaleInt16 = !options.potScaleInt16();
            if (!generalScaleInt16) {
                log1 = CppMath.checkedLog2(s1);
                log2 = CppMath.checkedLog2(s2);
                logOut = CppMath.checkedLog2(so);
                generalScaleInt16 = !log1.exact() || !log2.exact() || !logOut.exact();
            }
        }
        ActivationRange.Ints range;
        if (type != DType.INT16 || generalScaleInt16) {
            // PrepareGeneralSubOp: the zero points must lie in the output type's range.
            int lo = QuantParams.min(type);
            int hi = QuantParams.max(type);
            for (int zp : new int[] {z1, z2, zo}) {
                if (zp < lo || zp > hi) {
                    throw ctx.invalid("zero point " + zp + " is outside " + type.displayName() + "'s range");
                }
            }
            range = ActivationRange.quantized(ctx, options.activation(), output);
            NumericsProfile profile = ctx.profile();
            if (profile.isXnnpack() && type != DType.INT16) {
                PreparedOp xnnpack = Add.xnnpackAddOrNull(s1, z1, s2, z2, output, options.activation(), outShape, true, profile);
                if (xnnpack != null) {
                    return xnnpack;
                }
            }
            if (!profile.isFixedPoint()) {
                return inputs -> new TensorValue[] {naive(inputs[0], inputs[1], outShape, s1, z1, s2, z2, so, zo, range, type)};
            }
            Rounding rounding = profile.rounding();
            int leftShift = type == DType.INT16 ? 15 : 20;
            double twiceMaxInputScale = 2 * (s1 < s2 ? s2 : s1);   // std::max of the floats, doubled
            double realInput1Multiplier = s1 / twiceMaxInputScale;
            double realInput2Multiplier = s2 / twiceMaxInputScale;
            double realOutputMultiplier = twiceMaxInputScale / (double) ((1 << leftShift) * so);
            if (realOutputMultiplier > 1) {
                // Prepare takes QuantizeMultiplierGreaterThanOne, but the kernel then applies it with
                // MultiplyByQuantizedMultiplierSmallerThanOneExp, whose right shift by a negative
                // amount is undefined behaviour in C++.
                throw ctx.unsupported("an output multiplier above 1 (" + realOutputMultiplier + "): TFLite's kernel shifts by a "
                        + "negative amount there (undefined behaviour)");
            }
            QuantizedMultiplier m1;
            QuantizedMultiplier m2;
            QuantizedMultiplier mo;
            try {
                m1 = QuantizationUtil.quantizeMultiplierSmallerThanOneExp(realInput1Multiplier, rounding);
                m2 = QuantizationUtil.quantizeMultiplierSmallerThanOneExp(realInput2Multiplier, rounding);
                mo = QuantizationUtil.quantizeMultiplierSmallerThanOneExp(realOutputMultiplier, rounding);
            } catch (IllegalArgumentException e) {
                throw ctx.invalid(e.getMessage() + " (input scales " + s1 + ", " + s2 + ", output scale " + so + ")", e);
            }
            Add.Params p = new Add.Params(leftShift, -z1, m1, -z2, m2, zo, mo, range.min(), range.max(), rounding);
            return inputs -> new TensorValue[] {subQuantized(inputs[0], inputs[1], outShape, p, type)};
        }
        // PrepareInt16SubOpPOT.
        if (z1 != 0 || z2 != 0 || zo != 0) {
            throw ctx.invalid("the power-of-two int16 path needs zero points 0, given " + z1 + ", " + z2 + " and " + zo);
        }
        int shift1 = log1.log2() - logOut.log2();
        int shift2 = log2.log2() - logOut.log2();
        if (!(shift1 == 0 || shift2 == 0) || shift1 > 0 || shift2 > 0) {
            throw ctx.invalid("the power-of-two int16 path shifts one input right only; input shifts " + shift1 + " and " + shift2);
        }
        range = ActivationRange.quantized(ctx, options.activation(), output);
        return inputs -> new TensorValue[] {subInt16PowerOfTwo(inputs[0], inputs[1], outShape, shift1, shift2, range)};
    }


    /** {@code SubElementwise} / {@code BroadcastQuantSubSlow}: one output element. */
    static int subQuantizedElement(int x, int y, Add.Params p) {
        int shifted1 = (p.input1Offset() + x) * (1 << p.leftShift());
        int shifted2 = (p.input2Offset() + y) * (1 << p.leftShift());
        int scaled1 = QuantizedMultiplier.multiplySmallerThanOneExp(shifted1, p.input1Multiplier().multiplier(),
                p.input1Multiplier().shift(), p.rounding());
        int scaled2 = QuantizedMultiplier.multiplySmallerThanOneExp(shifted2, p.input2Multiplier().multiplier(),
                p.input2Multiplier().shift(), p.rounding());
        int rawSub = scaled1 - scaled2;
        int rawOutput = QuantizedMultiplier.multiplySmallerThanOneExp(rawSub, p.outputMultiplier().multiplier(),
                p.outputMultiplier().shift(), p.rounding()) + p.outputOffset();
        return Math.min(p.activationMax(), Math.max(p.activationMin(), rawOutput));
    }

    static TensorValue subQuantized(TensorValue a, TensorValue b, int[] outShape, Add.Params p, DType type) {
        return Broadcast.ints(a, b, outShape, type, (x, y) -> subQuantizedElement(x, y, p));
    }

    /**
     * {@code Sub16} / {@code BroadcastSub16POTSlow}: the input with the smaller scale is
     * rounding-shifted right to the output scale, the difference is saturated and clamped (the
     * broadcast variant clamps the int32 difference directly; the activation range lies within
     * int16, so both give the same values).
     */
    static TensorValue subInt16PowerOfTwo(TensorValue a, TensorValue b, int[] outShape, int shift1, int shift2,
                                          ActivationRange.Ints range) {
        return Broadcast.ints(a, b, outShape, DType.INT16, (p, q) -> {
            int x = FixedPoint.roundingDivideByPot(p, -shift1);
            int y = FixedPoint.roundingDivideByPot(q, -shift2);
            int diff = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, x - y));
            return Math.min(range.max(), Math.max(range.min(), diff));
        });
    }

    /** {@code SubWithActivation} / {@code BroadcastSubSlow} for float: {@code clamp(a - b)} in float. */
    static TensorValue subFloat(TensorValue a, TensorValue b, int[] outShape, ActivationRange.Floats range) {
        return Broadcast.floats(a, b, outShape, (x, y) -> ActivationRange.clamp(x - y, range.min(), range.max()));
    }

    /** int32 and int64: the difference wraps, then the clamp. */
    static TensorValue subIntegers(TensorValue a, TensorValue b, int[] outShape, long[] range, DType type) {
        int[] ia = Broadcast.sourceIndices(a.shape(), outShape);
        int[] ib = Broadcast.sourceIndices(b.shape(), outShape);
        int n = ia.length;
        if (type == DType.INT64) {
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = Math.min(Math.max(a.getLong(ia[i]) - b.getLong(ib[i]), range[0]), range[1]);
            }
            return TensorValue.ofInt64(outShape, out);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) Math.min(Math.max(a.getInt(ia[i]) - b.getInt(ib[i]), range[0]), range[1]);
        }
        return TensorValue.fromInts(type, outShape, out);
    }

    /** NAIVE_FLOAT: {@code clamp(rint((s1 (q1 - z1) - s2 (q2 - z2)) / so) + zo)} in double. */
    static TensorValue naive(TensorValue a, TensorValue b, int[] outShape, float s1, int z1, float s2, int z2, float so, int zo,
                             ActivationRange.Ints range, DType type) {
        return Broadcast.ints(a, b, outShape, type, (x, y) -> {
            double real = (double) s1 * (x - z1) - (double) s2 * (y - z2);
            return Naive.requantize(real / so, zo, range.min(), range.max());
        });
    }
}
