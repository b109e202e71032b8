package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.reference.TensorValue;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * PAD and PADV2 with constant padding, for float32, uint8, int8, int16, int32 and int64 (ranks up
 * to 5). Mirrors TFLite 2.19's {@code kernels/pad.cc} ({@code Prepare}, {@code Eval}; PAD has no
 * separate reference registration) with {@code reference_ops::Pad}: the values move unchanged
 * (an 8- or 16-bit input is not requantized), and the pad value is 0 for float and int32/int64,
 * the output zero point for quantized PAD, and PADV2's {@code constant_values} element, which for
 * quantized types must have the output's scale and zero point.
 */
final class Pad implements Kernel {
    private final boolean v2;

    private Pad(boolean v2) {
        this.v2 = v2;
    }

    static Pad pad() {
        return new Pad(false);
    }

    static Pad padV2() {
        return new Pad(true);
    }

    @Override
    public PreparedOp prepare(OpContext ctx) {
        String name = v2 ? "PADV2" : "PAD";
        int expectedInputs = v2 ? 3 : 2;
        if (ctx.inputCount() != expectedInputs && !(v2 && ctx.inputCount() == 2)) {
            throw ctx.invalid(name + " takes " + expectedInputs + " inputs, given " + ctx.inputCount());
        }
        Tensor input = ctx.requireInput(0, "input");
        Tensor paddingsTensor = ctx.requireInput(1, "paddings");
        Tensor output = ctx.output(0);
        DType type = input.dtype();
        if (output.dtype() != type) {
            throw ctx.invalid("input and output types differ: " + type.displayName() + " vs " + output.dtype().displayName());
        }
        switch (type) {
            case FLOAT32, UINT8, INT8, INT16, INT32, INT64 -> {
            }
            default -> throw ctx.invalid("type " + type.displayName() + " is not supported by " + name);
        }
        int rank = input.shape().length;
        if (rank > 5) {
            throw ctx.invalid(name + " supports up to 5 dimensions, given " + rank);
        }
        if (paddingsTensor.dtype() != DType.INT32 && paddingsTensor.dtype() != DType.INT64) {
            throw ctx.invalid("paddings must be int32 or int64, given " + paddingsTensor.dtype().displayName());
        }
        if (!Arrays.equals(paddingsTensor.shape(), new int[] {rank, 2})) {
            throw ctx.invalid("paddings must have shape [" + rank + ", 2], given " + Arrays.toString(paddingsTensor.shape()));
        }
        TensorValue paddings = ctx.constantInput(1)
                .orElseThrow(() -> ctx.unsupported("non-constant paddings (the reference fixes shapes at prepare time)"));
        int[] before = new int[rank];
        int[] after = new int[rank];
        int[] outShape = new int[rank];
        for (int d = 0; d < rank; d++) {
            long b = paddings.getLong(2 * d);
            long a = paddings.getLong(2 * d + 1);
            if (b < 0 || a < 0) {
                throw ctx.invalid("paddings must be non-negative, given " + b + " and " + a + " for dimension " + d);
            }
            before[d] = (int) b;
            after[d] = (int) a;
            outShape[d] = input.shape()[d] + before[d] + after[d];
        }
        boolean quantized = type == DType.UINT8 || type == DType.INT8 || type == DType.INT16;
        TensorValue padValue;
        if (v2 && ctx.hasInput(2)) {
            Tensor constant = ctx.input(2);
            if (constant.dtype() != type) {
                throw ctx.invalid("constant_values must have the input's type " + type.displayName() + ", given "
                        + constant.dtype().displayName());
            }
            if (Elements.count(constant.shape()) != 1) {
                throw ctx.invalid("constant_values must hold one element, given shape " + Arrays.toString(constant.shape()));
            }
            if (quantized && (QuantParams.zeroPoint(constant) != QuantParams.zeroPoint(output)
                    || QuantParams.scale(constant) != QuantParams.scale(output))) {
                throw ctx.invalid("constant_values must have the output's scale and zero point");
            }
            padValue = ctx.constantInput(2).orElse(null);
            if (padValue == null) {
                return inputs -> new TensorValue[] {pad(inputs[0], before, outShape, inputs[2])};
            }
        } else {
            padValue = Elements.scalar(type, quantized ? QuantParams.zeroPoint(output) : 0);
        }
        TensorValue fill = padValue;
        return inputs -> new TensorValue[] {pad(inputs[0], before, outShape, fill)};
    }

    /**
     * {@code reference_ops::Pad}: every output element reads the input at its index less the
     * leading padding, or the pad value. Moved here as whole innermost rows: the output is filled
     * with the pad value, then each input row is copied to where its elements land.
     */
    static TensorValue pad(TensorValue x, int[] before, int[] outShape, TensorValue fill) {
        int rank = outShape.length;
        if (rank == 0) {
            return x;
        }
        int w = x.dtype().byteSize();
        byte[] out = new byte[Elements.count(outShape) * w];
        Elements.fillWith(out, Arrays.copyOf(fill.toLittleEndianBytes(), w));
        int[] inShape = x.shape();
        int rowLength = inShape[rank - 1];
        int rows = rowLength == 0 ? 0 : Elements.count(inShape) / rowLength;
        byte[] src = x.toLittleEndianBytes();
        int[] outStrides = Elements.strides(outShape);
        int[] index = new int[rank - 1];
        for (int r = 0; r < rows; r++) {
            int offset = before[rank - 1];
            for (int d = 0; d < rank - 1; d++) {
                offset += (index[d] + before[d]) * outStrides[d];
            }
            System.arraycopy(src, r * rowLength * w, out, offset * w, rowLength * w);
            for (int d = rank - 2; d >= 0; d--) {
                if (++index[d] < inShape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return TensorValue.fromLittleEndian(x.dtype(), outShape, ByteBuffer.wrap(out));
    }
}
