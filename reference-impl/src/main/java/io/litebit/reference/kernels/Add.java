package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
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
import io.litebit.reference.fixedpoint.XnnpackMath;
import java.util.Arrays;

/**
 * ADD with broadcasting, for float32, int32, int64, plain int16, and quantized uint8, int8 and
 * int16. Mirrors TFLite 2.19's {@code kernels/add.cc} ({@code Prepare}, {@code
 * Eval<kReference>}) with {@code reference_integer_ops::AddFunc} ({@code
 * reference/integer_ops/add.h}) and {@code reference_ops::AddElementwise}, {@code
 * BroadcastAdd6DSlow} and the int16 power-of-two {@code Add} ({@code reference/add.h}).
 *
 * <p>The quantized path rescales both inputs to a common scale {@code 2 * max(s1, s2) /
 * 2^left_shift} with headroom ({@code left_shift} 20 for 8-bit, 15 for int16): each input is
 * shifted left by {@code left_shift}, multiplied by its own multiplier {@code s_i / (2 max)} (a
 * {@code QuantizeMultiplierSmallerThanOneExp}), the two are added, and the sum is multiplied by
 * {@code 2 max / (2^left_shift * s_out)} — three fixed-point multiplies, each rounding.
 */
final class Add implements Kernel {

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 2) {
            throw ctx.invalid("ADD takes 2 inputs, given " + ctx.inputCount());
        }
        BuiltinOptions.Add options = ctx.options(BuiltinOptions.Add.class);
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
        boolean inputQuantized = !input1.quantization().isNone();
        switch (type) {
            case FLOAT32 -> {
                ActivationRange.Floats range = ActivationRange.floats(activation);
                return inputs -> new TensorValue[] {addFloat(inputs[0], inputs[1], outShape, range)};
            }
            case INT32, INT64 -> {
                long[] range = ActivationRange.integers(activation, type);
                return inputs -> new TensorValue[] {addIntegers(inputs[0], inputs[1], outShape, range, type)};
            }
            case INT16 -> {
                if (output.quantization().isNone()) {
                    long[] range = ActivationRange.integers(activation, type);
                    return inputs -> new TensorValue[] {addIntegers(inputs[0], inputs[1], outShape, range, type)};
                }
                return prepareQuantized(ctx, options, input1, input2, output, outShape, inputQuantized);
            }
            case UINT8, INT8 -> {
                return prepareQuantized(ctx, options, input1, input2, output, outShape, true);
            }
            default -> throw ctx.invalid("type " + type.displayName() + " is unsupported by ADD");
        }
    }

    private static PreparedOp prepareQuantized(OpContext ctx, BuiltinOptions.Add options, Tensor input1, Tensor input2,
                                               Tensor output, int[] outShape, boolean inputQuantized) {
        DType type = output.dtype();
        float s1 = scale(input1);
        float s2 = scale(input2);
        float so = scale(output);
        int z1 = zeroPoint(input1);
        int z2 = zeroPoint(input2);
        int zo = zeroPoint(output);
        boolean generalScaleInt16 = false;
        CppMath.Log2 log1 = null;
        CppMath.Log2 log2 = null;
        CppMath.Log2 logOut = null;
        if (type == DType.INT16 && inputQuantized) {
            if (z1 != 0 || z2 != 0 || zo != 0) {
                throw ctx.invalid("int16 ADD needs zero points 0, given " + z1 + ", " + z2 + " and " + zo);
            }
            generalScaleInt16 = !options.potScaleInt16();
            if (!generalScaleInt16) {
                log1 = CppMath.checkedLog2(s1);
                log2 = CppMath.checkedLog2(s2);
                logOut = CppMath.checkedLog2(so);
                generalScaleInt16 = !log1.exact() || !log2.exact() || !logOut.exact();
            }
        }
        ActivationRange.Ints range = ActivationRange.quantized(ctx, options.activation(), output);
        NumericsProfile profile = ctx.profile();
        if (profile.isXnnpack() && type != DType.INT16) {
            PreparedOp xnnpack = xnnpackAddOrNull(s1, z1, s2, z2, output, options.activation(), outShape, false, profile);
            if (xnnpack != null) {
                return xnnpack;
            }
        }
        if (!profile.isFixedPoint()) {
            return inputs -> new TensorValue[] {naive(inputs[0], inputs[1], outShape, s1, z1, s2, z2, so, zo, range, type)};
        }
        Rounding rounding = profile.rounding();
        if (type == DType.INT16 && !generalScaleInt16) {
            if (!inputQuantized) {
                throw ctx.invalid("int16 ADD with a quantized output needs quantized inputs");
            }
            int shift1 = log1.log2() - logOut.log2();
            int shift2 = log2.log2() - logOut.log2();
            if (!(shift1 == 0 || shift2 == 0) || shift1 > 0 || shift2 > 0) {
                throw ctx.invalid("the power-of-two int16 path shifts one input right only; input shifts " + shift1 + " and " + shift2);
            }
            if (!Arrays.equals(ctx.input(0).shape(), ctx.input(1).shape())) {
                throw ctx.unsupported("broadcasting in the power-of-two int16 path (TFLite's kernel there is element-wise only)");
            }
            return inputs -> new TensorValue[] {addInt16PowerOfTwo(inputs[0], inputs[1], shift1, shift2, range)};
        }
        // Prepare's derivation, in its types: the max and the doubling are float operations,
        // the quotients double; (1 << left_shift) * output scale is an int times a float: float.
        int leftShift = generalScaleInt16 ? 15 : 20;
        double twiceMaxInputScale = 2 * (s1 < s2 ? s2 : s1);   // std::max(s1, s2)
        double realInput1Multiplier = s1 / twiceMaxInputScale;
        double realInput2Multiplier = s2 / twiceMaxInputScale;
        double realOutputMultiplier = twiceMaxInputScale / (double) ((1 << leftShift) * so);
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
        Params p = new Params(leftShift, -z1, m1, -z2, m2, zo, mo, range.min(), range.max(), rounding);
        return inputs -> new TensorValue[] {addQuantized(inputs[0], inputs[1], outShape, p, type)};
    }

    /**
     * XNNPACK's 8-bit ADD (and SUB, which XNNPACK computes as ADD with the second input's scale
     * negated): {@link XnnpackMath.AddParams}, clamped to XNNPACK's quantized activation bounds.
     * Null when XNNPACK refuses the scales (a ratio to the output scale outside [2^-10, 2^8)):
     * the delegate then leaves the op to TFLite. Under {@link NumericsProfile#XNNPACK_ARM64} the
     * ratios are {@link XnnpackMath.AddParams#ofArm64}'s.
     */
    static PreparedOp xnnpackAddOrNull(float s1, int z1, float s2, int z2, Tensor output, Activation activation,
                                       int[] outShape, boolean subtract, NumericsProfile profile) {
        ActivationRange.Ints bounds = ActivationRange.xnnpack(activation, output);
        XnnpackMath.AddParams p;
        try {
            p = profile == NumericsProfile.XNNPACK_ARM64
                    ? XnnpackMath.AddParams.ofArm64(s1, z1, subtract ? -s2 : s2, z2, QuantParams.scale(output),
                            QuantParams.zeroPoint(output), bounds.min(), bounds.max())
                    : XnnpackMath.AddParams.of(s1, z1, subtract ? -s2 : s2, z2, QuantParams.scale(output), QuantParams.zeroPoint(output),
                    bounds.min(), bounds.max());
        } catch (IllegalArgumentException e) {
            return null;
        }
        DType type = output.dtype();
        return inputs -> new TensorValue[] {Broadcast.ints(inputs[0], inputs[1], outShape, type, p::add)};
    }

    /** {@code ArithmeticParams} as the quantized ADD uses them. */
    record Params(int leftShift, int input1Offset, QuantizedMultiplier input1Multiplier, int input2Offset,
                  QuantizedMultiplier input2Multiplier, int outputOffset, QuantizedMultiplier outputMultiplier,
                  int activationMin, int activationMax, Rounding rounding) {
    }

    /** {@code AddFunc} / {@code AddElementwise}: one output element. */
    static int addQuantizedElement(int x, int y, Params p) {
        int input1Val = p.input1Offset() + x;
        int input2Val = p.input2Offset() + y;
        int shiftedInput1Val = input1Val * (1 << p.leftShift());
        int shiftedInput2Val = input2Val * (1 << p.leftShift());
        int scaledInput1Val = QuantizedMultiplier.multiplySmallerThanOneExp(shiftedInput1Val,
                p.input1Multiplier().multiplier(), p.input1Multiplier().shift(), p.rounding());
        int scaledInput2Val = QuantizedMultiplier.multiplySmallerThanOneExp(shiftedInput2Val,
                p.input2Multiplier().multiplier(), p.input2Multiplier().shift(), p.rounding());
        int rawSum = scaledInput1Val + scaledInput2Val;
        int rawOutput = QuantizedMultiplier.multiplySmallerThanOneExp(rawSum, p.outputMultiplier().multiplier(),
                p.outputMultiplier().shift(), p.rounding()) + p.outputOffset();
        return Math.min(p.activationMax(), Math.max(p.activationMin(), rawOutput));
    }

    static TensorValue addQuantized(TensorValue a, TensorValue b, int[] outShape, Params p, DType type) {
        return Broadcast.ints(a, b, outShape, type, (x, y) -> addQuantizedElement(x, y, p));
    }

    /**
     * {@code reference_ops::Add} for int16 with power-of-two scales: the input with the smaller
     * scale is rounding-shifted right to the output scale and the two are added with int16
     * saturation ({@code gemmlowp::SaturatingAdd}), then clamped.
     */
    static TensorValue addInt16PowerOfTwo(TensorValue a, TensorValue b, int shift1, int shift2, ActivationRange.Ints range) {
        boolean input1Unshifted = shift1 == 0;
        int rightShift = input1Unshifted ? -shift2 : -shift1;
        int n = a.elementCount();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            short notShifted = (short) (input1Unshifted ? a.getInt(i) : b.getInt(i));
            short shifted = (short) (input1Unshifted ? b.getInt(i) : a.getInt(i));
            short scaled = FixedPoint.roundingDivideByPot(shifted, rightShift);
            short sum = FixedPoint.saturatingAdd(scaled, notShifted);
            out[i] = Math.min(range.max(), Math.max(range.min(), sum));
        }
        return TensorValue.fromInts(DType.INT16, a.shape(), out);
    }

    /** {@code reference_ops::Add} / {@code BroadcastAdd6DSlow} for float: {@code clamp(a + b)} in float. */
    static TensorValue addFloat(TensorValue a, TensorValue b, int[] outShape, ActivationRange.Floats range) {
        return Broadcast.floats(a, b, outShape, (x, y) -> ActivationRange.clamp(x + y, range.min(), range.max()));
    }

    /**
     * int32, int64 and unquantized int16: the sum wraps in the type (for int16 it is converted
     * back to {@code int16_t} before the clamp, as {@code ActivationFunctionWithMinMax<int16_t>}
     * receives it).
     */
    static TensorValue addIntegers(TensorValue a, TensorValue b, int[] outShape, long[] range, DType type) {
        int[] ia = Broadcast.sourceIndices(a.shape(), outShape);
        int[] ib = Broadcast.sourceIndices(b.shape(), outShape);
        int n = ia.length;
        if (type == DType.INT64) {
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                long sum = a.getLong(ia[i]) + b.getLong(ib[i]);
                out[i] = Math.min(Math.max(sum, range[0]), range[1]);
            }
            return TensorValue.ofInt64(outShape, out);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int sum = a.getInt(ia[i]) + b.getInt(ib[i]);
            if (type == DType.INT16) {
                sum = (short) sum;
            }
            out[i] = (int) Math.min(Math.max(sum, range[0]), range[1]);
        }
        return TensorValue.fromInts(type, outShape, out);
    }

    /** NAIVE_FLOAT: {@code clamp(rint((s1 (q1 - z1) + s2 (q2 - z2)) / so) + zo)} in double. */
    static TensorValue naive(TensorValue a, TensorValue b, int[] outShape, float s1, int z1, float s2, int z2, float so, int zo,
                             ActivationRange.Ints range, DType type) {
        return Broadcast.ints(a, b, outShape, type, (x, y) -> {
            double real = (double) s1 * (x - z1) + (double) s2 * (y - z2);
            return Naive.requantize(real / so, zo, range.min(), range.max());
        });
    }

    private static float scale(Tensor t) {
        Quantization q = t.quantization();
        return q.isNone() ? 0f : q.scale(0);
    }

    private static int zeroPoint(Tensor t) {
        Quantization q = t.quantization();
        return q.isNone() ? 0 : (int) q.zeroPoint(0);
    }
}
