package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.CppMath;
import io.litebit.reference.fixedpoint.LookupTables;

/**
 * LOGISTIC (sigmoid) and TANH, which share TFLite's preparation: float32, uint8 and int8 (a
 * 256-entry table, {@code LUTPopulate}, looked up per element as {@code kReference} does), and
 * int16 ({@code reference_integer_ops::Logistic}/{@code Tanh}: the input rescaled to 1/(3 * 4096)
 * units and {@code sigmoid_table_uint16} interpolated). Mirrors TFLite 2.19's {@code
 * kernels/activations.cc} ({@code SigmoidPrepare}/{@code TanhPrepare} and {@code
 * SigmoidEval}/{@code TanhEval} for {@code kReference}), {@code reference_ops::Logistic<float>}
 * ({@code reference/logistic.h}) and {@code reference_ops::Tanh} ({@code reference/tanh.h}).
 */
final class Logistic implements Kernel {
    private final boolean tanh;

    private Logistic(boolean tanh) {
        this.tanh = tanh;
    }

    /** LOGISTIC. */
    static Logistic logistic() {
        return new Logistic(false);
    }

    /** TANH. */
    static Logistic tanh() {
        return new Logistic(true);
    }

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 1 || ctx.outputCount() != 1) {
            throw ctx.invalid((tanh ? "TANH" : "LOGISTIC") + " takes 1 input and 1 output");
        }
        Tensor input = ctx.requireInput(0, "input");
        Tensor output = ctx.output(0);
        DType type = input.dtype();
        if (output.dtype() != type) {
            throw ctx.invalid("input and output types differ: " + type.displayName() + " vs " + output.dtype().displayName());
        }
        float inScale = QuantParams.scale(input);
        int inZp = QuantParams.zeroPoint(input);
        float outScale = QuantParams.scale(output);
        int outZp = QuantParams.zeroPoint(output);
        switch (type) {
            case FLOAT32 -> {
                return inputs -> new TensorValue[] {tanh ? tanhFloat(inputs[0]) : logisticFloat(inputs[0])};
            }
            case UINT8, INT8 -> {
                // SigmoidPrepare: output->params.scale == 1. / 256 (the float promoted to double).
                if (!tanh && (double) outScale != 1.0 / 256) {
                    throw ctx.invalid("LOGISTIC's " + type.displayName() + " output scale must be 1/256, given " + outScale);
                }
                byte[] lut = LookupTables.populateInt8(inScale, inZp, outScale, outZp,
                        tanh ? LookupTables.TANH : LookupTables.SIGMOID, type == DType.UINT8);
                return inputs -> new TensorValue[] {lookup(inputs[0], lut)};
            }
            case INT16 -> {
                if (!tanh && ((double) outScale != 1.0 / 32768 || outZp != 0)) {
                    throw ctx.invalid("LOGISTIC's int16 output needs scale 1/32768 and zero point 0, given " + outScale + " and " + outZp);
                }
                if (inZp != 0 || outZp != 0) {
                    throw ctx.invalid("int16 needs zero points 0, given " + inZp + " and " + outZp);
                }
                LookupTables.Int16ActivationScaling scaling = LookupTables.int16ActivationScaling(inScale, tanh);
                CppMath.Log2 outLog2 = CppMath.checkedLog2(outScale);
                if (!outLog2.exact() || outLog2.log2() != -15) {
                    throw ctx.invalid("the int16 output scale must be 2^-15, given " + outScale);
                }
                return inputs -> new TensorValue[] {int16(inputs[0], scaling)};
            }
            default -> throw ctx.invalid("Eval: only float32, uint8, int16 and int8 are supported, given " + type.displayName());
        }
    }

    /** {@code optimized_integer_ops::LookupTable} (the kReference 8-bit path): one table entry per element. */
    static TensorValue lookup(TensorValue x, byte[] lut) {
        int n = x.elementCount();
        int[] out = new int[n];
        boolean unsigned = x.dtype() == DType.UINT8;
        for (int i = 0; i < n; i++) {
            byte b = LookupTables.lookup((byte) x.getInt(i), lut);
            out[i] = unsigned ? b & 0xff : b;
        }
        return TensorValue.fromInts(x.dtype(), x.shape(), out);
    }

    private TensorValue int16(TensorValue x, LookupTables.Int16ActivationScaling scaling) {
        int n = x.elementCount();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            short v = (short) x.getInt(i);
            out[i] = tanh ? LookupTables.tanhInt16(v, scaling) : LookupTables.logisticInt16(v, scaling);
        }
        return TensorValue.fromInts(DType.INT16, x.shape(), out);
    }

    /**
     * {@code reference_ops::Logistic<float>}: 1 above 16.619047, {@code expf(x)} below -9, else
     * {@code 1 / (1 + expf(-x))}, all in float.
     */
    static TensorValue logisticFloat(TensorValue x) {
        final float cutoffUpper = 16.619047164916992188f;
        final float cutoffLower = -9.f;
        int n = x.elementCount();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            float v = x.getFloat(i);
            float r;
            if (v > cutoffUpper) {
                r = 1.0f;
            } else if (v < cutoffLower) {
                r = LookupTables.expf(v);
            } else {
                r = 1.f / (1.f + LookupTables.expf(-v));
            }
            out[i] = r;
        }
        return TensorValue.ofFloat32(x.shape(), out);
    }

    /** {@code reference_ops::Tanh} for float: {@code std::tanh(float)} per element. */
    static TensorValue tanhFloat(TensorValue x) {
        int n = x.elementCount();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = LookupTables.TANH.apply(x.getFloat(i));
        }
        return TensorValue.ofFloat32(x.shape(), out);
    }
}
