package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.FixedPoint;
import io.litebit.reference.fixedpoint.QuantizationUtil;
import io.litebit.reference.fixedpoint.QuantizedMultiplier;
import io.litebit.reference.fixedpoint.XnnpackMath;
import io.litebit.reference.fixedpoint.Rounding;
import java.util.Arrays;

/**
 * MUL with broadcasting, for float32, int32, int64, plain int16, quantized uint8, int8 and int16
 * (zero points 0), and int16 × int16 → int8/uint8. Mirrors TFLite 2.19's {@code kernels/mul.cc}
 * ({@code Prepare}, {@code Eval<kReference>}) with {@code reference_integer_ops::Mul} / {@code
 * BroadcastMul6DSlow} ({@code reference/integer_ops/mul.h}) and {@code reference_ops::Mul}
 * ({@code reference/mul.h}).
 *
 * <p>The quantized product is {@code out_zp + MultiplyByQuantizedMultiplier((q1 - z1) * (q2 -
 * z2), M, shift)} with {@code M = s1 * s2 / s_out} computed in float and quantized with {@code
 * QuantizeMultiplier}, then clamped to the activation range. The int16 × int16 → 8-bit path
 * ignores the scales: it multiplies the raw values as Q0.15 fixed point and divides by 2^8.
 */
final class Mul implements Kernel {

    /** What Prepare derives for the quantized paths. */
    record Params(int input1Offset, int input2Offset, int outputOffset, QuantizedMultiplier multiplier, int activationMin,
                  int activationMax, Rounding rounding) {
    }

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 2 || ctx.outputCount() != 1) {
            throw ctx.invalid("MUL takes 2 inputs and 1 output");
        }
        Activation activation = ctx.options(BuiltinOptions.Mul.class).activation();
        Tensor input1 = ctx.requireInput(0, "input1");
        Tensor input2 = ctx.requireInput(1, "input2");
        Tensor output = ctx.output(0);
        DType type = input1.dtype();
        Broadcast.requireSameType(ctx, input1, input2);
        int[] outShape = Broadcast.shapeOrInvalid(ctx, input1, input2);
        DType outType = output.dtype();
        boolean outputQuantized = !output.quantization().isNone();
        if (type == DType.INT16 && (outType == DType.INT8 || outType == DType.UINT8)) {
            ActivationRange.Ints range = ActivationRange.quantized(ctx, activation, output);
            if (!Arrays.equals(input1.shape(), input2.shape())) {
                throw ctx.unsupported("broadcasting in the int16 x int16 -> " + outType.displayName()
                        + " path (TFLite's kernel there is element-wise only)");
            }
            int outZp = QuantParams.zeroPoint(output);
            return inputs -> new TensorValue[] {mulInt16To8(inputs[0], inputs[1], outZp, range, outType)};
        }
        if (outType != type) {
            throw ctx.unsupported("an output type (" + outType.displayName() + ") other than the inputs' ("
                    + type.displayName() + ")");
        }
        switch (type) {
            case FLOAT32 -> {
                ActivationRange.Floats range = ActivationRange.floats(activation);
                return inputs -> new TensorValue[] {mulFloat(inputs[0], inputs[1], outShape, range)};
            }
            case INT32, INT64 -> {
                long[] range = ActivationRange.integers(activation, type);
                return inputs -> new TensorValue[] {mulIntegers(inputs[0], inputs[1], outShape, range, type)};
            }
            case INT16, UINT8, INT8 -> {
                if (type == DType.INT16 && !outputQuantized) {
                    long[] range = ActivationRange.integers(activation, type);
                    return inputs -> new TensorValue[] {mulIntegers(inputs[0], inputs[1], outShape, range, type)};
                }
                ActivationRange.Ints range = ActivationRange.quantized(ctx, activation, output);
                float s1 = QuantParams.scale(input1);
                float s2 = QuantParams.scale(input2);
                float so = QuantParams.scale(output);
                int z1 = QuantParams.zeroPoint(input1);
                int z2 = QuantParams.zeroPoint(input2);
                int zo = QuantParams.zeroPoint(output);
                if (type == DType.INT16 && (z1 != 0 || z2 != 0 || zo != 0)) {
                    throw ctx.invalid("int16 MUL needs zero points 0 (input1_offset, input2_offset and output_offset), given "
                            + z1 + ", " + z2 + " and " + zo);
                }
                NumericsProfile profile = ctx.profile();
                if (profile.isXnnpack() && type != DType.INT16) {
                    PreparedOp xnnpack = xnnpackMulOrNull(s1, z1, s2, z2, output, activation, outShape);
                    if (xnnpack != null) {
                        return xnnpack;
                    }
                }
                if (!profile.isFixedPoint()) {
                    return inputs -> new TensorValue[] {naive(inputs[0], inputs[1], outShape, s1, z1, s2, z2, so, zo, range, type)};
                }
                // Prepare: double real_multiplier = s1 * s2 / so, a float expression.
                QuantizedMultiplier m = QuantizationUtil.quantizeMultiplier((double) (s1 * s2 / so), profile.rounding());
                Params p = new Params(-z1, -z2, zo, m, range.min(), range.max(), profile.rounding());
                return inputs -> new TensorValue[] {mulQuantized(inputs[0], inputs[1], outShape, p, type)};
            }
            default -> throw ctx.invalid("MUL does not support " + type.displayName());
        }
    }


    /**
     * XNNPACK's 8-bit MUL ({@code qs8-vmul-minmax-fp32}): {@code (a - a_zp) * (b - b_zp)} in
     * int32, scaled by the float {@code (s1 * s2) / s_out} with {@link XnnpackMath#requantizeFp32},
     * clamped to XNNPACK's activation bounds. Null when that scale is outside [2^-16, 2^8), which
     * XNNPACK does not take (the delegate leaves the op to TFLite).
     */
    static PreparedOp xnnpackMulOrNull(float s1, int z1, float s2, int z2, Tensor output, Activation activation,
                                       int[] outShape) {
        float scale = s1 * s2 / QuantParams.scale(output);
        if (!(scale >= 0x1.0p-16f && scale < 0x1.0p+8f)) {
            return null;
        }
        ActivationRange.Ints bounds = ActivationRange.xnnpack(activation, output);
        int zo = QuantParams.zeroPoint(output);
        DType type = output.dtype();
        return inputs -> new TensorValue[] {Broadcast.ints(inputs[0], inputs[1], outShape, type,
                (x, y) -> XnnpackMath.requantizeFp32((x - z1) * (y - z2), scale, zo, bounds.min(), bounds.max()))};
    }

    /** {@code MulElementwise}: {@code clamp(out_offset + MultiplyByQuantizedMultiplier((in1 + off1) * (in2 + off2), M))}. */
    static int mulQuantizedElement(int x, int y, Params p) {
        int input1Val = p.input1Offset() + x;
        int input2Val = p.input2Offset() + y;
        int unclamped = p.outputOffset() + p.multiplier().apply(input1Val * input2Val, p.rounding());
        return Math.min(p.activationMax(), Math.max(p.activationMin(), unclamped));
    }

    static TensorValue mulQuantized(TensorValue a, TensorValue b, int[] outShape, Params p, DType type) {
        return Broadcast.ints(a, b, outShape, type, (x, y) -> mulQuantizedElement(x, y, p));
    }

    /**
     * {@code Mul(int16, int16 -> int8/uint8)}: the raw values multiplied as {@code
     * FixedPoint<int16, 0>} (a saturating rounding doubling high multiply), rounding-divided by
     * 2^8, clamped to the activation range less the output offset, and offset.
     */
    static TensorValue mulInt16To8(TensorValue a, TensorValue b, int outputOffset, ActivationRange.Ints range, DType outType) {
        int n = a.elementCount();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            short product = FixedPoint.saturatingRoundingDoublingHighMul((short) a.getInt(i), (short) b.getInt(i));
            short rescaled = FixedPoint.roundingDivideByPot(product, 8);
            short clamped = (short) Math.min(range.max() - outputOffset, rescaled);
            clamped = (short) Math.max(range.min() - outputOffset, clamped);
            out[i] = outputOffset + clamped;
        }
        return TensorValue.fromInts(outType, a.shape(), out);
    }

    /** {@code reference_ops::Mul} / {@code BroadcastMul6DSlow} for float: {@code clamp(a * b)} in float. */
    static TensorValue mulFloat(TensorValue a, TensorValue b, int[] outShape, ActivationRange.Floats range) {
        return Broadcast.floats(a, b, outShape, (x, y) -> ActivationRange.clamp(x * y, range.min(), range.max()));
    }

    /** int32, int64 and unquantized int16: the product wraps in the type, then the clamp. */
    static TensorValue mulIntegers(TensorValue a, TensorValue b, int[] outShape, long[] range, DType type) {
        int[] ia = Broadcast.sourceIndices(a.shape(), outShape);
        int[] ib = Broadcast.sourceIndices(b.shape(), outShape);
        int n = ia.length;
        if (type == DType.INT64) {
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                long p = a.getLong(ia[i]) * b.getLong(ib[i]);
                out[i] = Math.min(Math.max(p, range[0]), range[1]);
            }
            return TensorValue.ofInt64(outShape, out);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int p = a.getInt(ia[i]) * b.getInt(ib[i]);
            if (type == DType.INT16) {
                p = (short) p;
            }
            out[i] = (int) Math.min(Math.max(p, range[0]), range[1]);
        }
        return TensorValue.fromInts(type, outShape, out);
    }

    /** NAIVE_FLOAT: {@code clamp(rint(s1 (q1 - z1) s2 (q2 - z2) / so) + zo)} in double. */
    static TensorValue naive(TensorValue a, TensorValue b, int[] outShape, float s1, int z1, float s2, int z2, float so, int zo,
                             ActivationRange.Ints range, DType type) {
        return Broadcast.ints(a, b, outShape, type, (x, y) -> {
            double real = (double) s1 * (x - z1) * ((double) s2 * (y - z2));
            return Naive.requantize(real / so, zo, range.min(), range.max());
        });
    }
}
