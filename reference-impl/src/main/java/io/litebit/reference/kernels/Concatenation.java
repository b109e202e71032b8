package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.CppMath;
import java.util.Arrays;

/**
 * CONCATENATION along one axis (negative axes count from the end), for float32, uint8, int8,
 * int16, int32, int64 and bool. Mirrors TFLite 2.19's {@code kernels/concatenation.cc} ({@code
 * Prepare}, {@code Eval<kReference>}) with {@code reference_ops::Concatenation} and {@code
 * ConcatenationWithScaling} ({@code reference/concatenation.h}).
 *
 * <p>uint8 inputs whose scale or zero point differ from the output's are requantized in float:
 * {@code (int32) roundf(q * (s_in / s_out) + (-z_in * (s_in / s_out))) + z_out}, clamped to
 * [0, 255]; the others are copied. int8 inputs must share the output's scale and zero point,
 * int16 ones need zero points 0 (Prepare's checks), and both are copied.
 */
final class Concatenation implements Kernel {

    @Override
    public PreparedOp prepare(OpContext ctx) {
        BuiltinOptions.Concatenation options = ctx.options(BuiltinOptions.Concatenation.class);
        int n = ctx.inputCount();
        if (n < 1) {
            throw ctx.invalid("CONCATENATION needs at least one input");
        }
        Tensor output = ctx.output(0);
        Tensor first = ctx.requireInput(0, "input 0");
        DType type = first.dtype();
        int rank = first.shape().length;
        int axis = options.axis() < 0 ? options.axis() + rank : options.axis();
        if (axis < 0 || axis >= rank) {
            throw ctx.invalid("axis " + options.axis() + " is outside a rank-" + rank + " input");
        }
        Activation activation = options.activation();
        if (activation != Activation.NONE) {
            throw ctx.invalid("params->activation != kTfLiteActNone (" + activation + "): TFLite's Prepare accepts no fused activation");
        }
        switch (type) {
            case FLOAT32, UINT8, INT8, INT16, INT32, INT64, BOOL -> {
            }
            default -> throw ctx.invalid("type " + type.displayName() + " is not supported by CONCATENATION");
        }
        if (output.dtype() != type) {
            throw ctx.invalid("output type " + output.dtype().displayName() + " differs from the inputs' " + type.displayName());
        }
        int[][] shapes = new int[n][];
        int[] outShape = first.shape().clone();
        outShape[axis] = 0;
        float[] scales = new float[n];
        int[] zeroPoints = new int[n];
        for (int i = 0; i < n; i++) {
            Tensor t = ctx.requireInput(i, "input " + i);
            if (t.dtype() != type) {
                throw ctx.invalid("input " + i + " is " + t.dtype().displayName() + ", not " + type.displayName());
            }
            int[] s = t.shape();
            if (s.length != rank) {
                throw ctx.invalid("input " + i + " has rank " + s.length + ", not " + rank);
            }
            for (int d = 0; d < rank; d++) {
                if (d != axis && s[d] != first.shape()[d]) {
                    throw ctx.invalid("input " + i + " has shape " + Arrays.toString(s) + ", which differs from "
                            + Arrays.toString(first.shape()) + " outside axis " + axis);
                }
            }
            shapes[i] = s;
            outShape[axis] += s[axis];
            scales[i] = QuantParams.scale(t);
            zeroPoints[i] = QuantParams.zeroPoint(t);
            if (type == DType.INT8 && (scales[i] != QuantParams.scale(output) || zeroPoints[i] != QuantParams.zeroPoint(output))) {
                throw ctx.invalid("int8 input " + i + " must have the output's scale and zero point (no rescaling in the int8 kernel)");
            }
            if (type == DType.INT16 && zeroPoints[i] != 0) {
                throw ctx.invalid("int16 input " + i + " must have zero point 0");
            }
        }
        if (type == DType.INT16 && QuantParams.zeroPoint(output) != 0) {
            throw ctx.invalid("the int16 output must have zero point 0");
        }
        float outScale = QuantParams.scale(output);
        int outZp = QuantParams.zeroPoint(output);
        return inputs -> {
            TensorValue y = concat(inputs, shapes, axis, outShape);
            if (type == DType.UINT8) {
                y = requantizeUint8(inputs, shapes, axis, outShape, scales, zeroPoints, outScale, outZp);
            }
            return new TensorValue[] {y};
        };
    }

    /** {@code reference_ops::Concatenation}: for each outer index, each input's block along the axis in turn. */
    static TensorValue concat(TensorValue[] inputs, int[][] shapes, int axis, int[] outShape) {
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= outShape[d];
        }
        int inner = 1;
        for (int d = axis + 1; d < outShape.length; d++) {
            inner *= outShape[d];
        }
        int total = Elements.count(outShape);
        // Element-wise gather over a virtual concatenated source: index into a combined buffer.
        int[] base = new int[inputs.length];
        int sum = 0;
        for (int i = 0; i < inputs.length; i++) {
            base[i] = sum;
            sum += Elements.count(shapes[i]);
        }
        TensorValue all = joined(inputs, sum);
        int[] from = new int[total];
        int o = 0;
        for (int k = 0; k < outer; k++) {
            for (int i = 0; i < inputs.length; i++) {
                int block = shapes[i][axis] * inner;
                for (int j = 0; j < block; j++) {
                    from[o++] = base[i] + k * block + j;
                }
            }
        }
        return Elements.gather(all, from, outShape, null);
    }

    private static TensorValue joined(TensorValue[] inputs, int count) {
        DType t = inputs[0].dtype();
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(count * t.byteSize());
        for (TensorValue v : inputs) {
            b.writeBytes(v.toLittleEndianBytes());
        }
        return TensorValue.fromLittleEndian(t, new int[] {count}, java.nio.ByteBuffer.wrap(b.toByteArray()));
    }

    /** {@code ConcatenationWithScaling} for uint8: inputs with the output's parameters are copied, the others requantized in float. */
    static TensorValue requantizeUint8(TensorValue[] inputs, int[][] shapes, int axis, int[] outShape, float[] scales,
                                       int[] zeroPoints, float outScale, int outZp) {
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= outShape[d];
        }
        int inner = 1;
        for (int d = axis + 1; d < outShape.length; d++) {
            inner *= outShape[d];
        }
        float inverseOutputScale = 1.f / outScale;
        int[] out = new int[Elements.count(outShape)];
        int o = 0;
        for (int k = 0; k < outer; k++) {
            for (int i = 0; i < inputs.length; i++) {
                int block = shapes[i][axis] * inner;
                boolean copy = zeroPoints[i] == outZp && scales[i] == outScale;
                float scale = scales[i] * inverseOutputScale;
                float bias = -zeroPoints[i] * scale;
                for (int j = 0; j < block; j++) {
                    int q = inputs[i].getInt(k * block + j);
                    if (copy) {
                        out[o++] = q;
                    } else {
                        int value = CppMath.castToInt32X86(CppMath.round(q * scale + bias)) + outZp;
                        out[o++] = Math.max(Math.min(255, value), 0);
                    }
                }
            }
        }
        return TensorValue.fromInts(DType.UINT8, outShape, out);
    }
}
