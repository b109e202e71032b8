package io.litebit.reference.kernels;

import io.litebit.model.BuiltinOp;
import io.litebit.model.Operator;
import io.litebit.reference.InvalidOpException;
import io.litebit.reference.UnsupportedOpException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The kernels of the reference, dispatched by {@link BuiltinOp}, with the op versions TFLite
 * 2.19's builtin op resolver registers ({@code tflite/core/kernels/register.cc}): a version
 * above those is refused as TFLite's resolver refuses it.
 *
 * <pre>{@code
 * PreparedOp op = Kernels.prepare(new OpContext(subgraph, operator, NumericsProfile.TFLITE));
 * TensorValue[] outputs = op.eval(inputs);
 * }</pre>
 */
public final class Kernels {
    private record Entry(Kernel kernel, int maxVersion) {
    }

    private static final Map<BuiltinOp, Entry> KERNELS = new EnumMap<>(BuiltinOp.class);

    static {
        KERNELS.put(BuiltinOp.ADD, new Entry(new Add(), 5));
        KERNELS.put(BuiltinOp.AVERAGE_POOL_2D, new Entry(Pooling.average(), 3));
        KERNELS.put(BuiltinOp.CONV_2D, new Entry(new Conv(), 8));
        KERNELS.put(BuiltinOp.DEPTHWISE_CONV_2D, new Entry(new DepthwiseConv(), 7));
        KERNELS.put(BuiltinOp.DEQUANTIZE, new Entry(new Dequantize(), 6));
        KERNELS.put(BuiltinOp.FULLY_CONNECTED, new Entry(new FullyConnected(), 13));
        KERNELS.put(BuiltinOp.MAX_POOL_2D, new Entry(Pooling.max(), 3));
        KERNELS.put(BuiltinOp.MEAN, new Entry(new Reduce(), 3));
        KERNELS.put(BuiltinOp.QUANTIZE, new Entry(new Quantize(), 3));
        KERNELS.put(BuiltinOp.TRANSPOSE_CONV, new Entry(new TransposeConv(), 5));
        KERNELS.put(BuiltinOp.SOFTMAX, new Entry(new Softmax(), 3));
        KERNELS.put(BuiltinOp.LOGISTIC, new Entry(Logistic.logistic(), 3));
        KERNELS.put(BuiltinOp.TANH, new Entry(Logistic.tanh(), 3));
        KERNELS.put(BuiltinOp.RELU, new Entry(Relu.relu(), 3));
        KERNELS.put(BuiltinOp.RELU6, new Entry(Relu.relu6(), 3));
        KERNELS.put(BuiltinOp.RELU_N1_TO_1, new Entry(Relu.reluN1To1(), 1));
        KERNELS.put(BuiltinOp.LEAKY_RELU, new Entry(new LeakyRelu(), 2));
        KERNELS.put(BuiltinOp.HARD_SWISH, new Entry(new HardSwish(), 1));
        KERNELS.put(BuiltinOp.MUL, new Entry(new Mul(), 7));
        KERNELS.put(BuiltinOp.SUB, new Entry(new Sub(), 5));
        KERNELS.put(BuiltinOp.BATCH_MATMUL, new Entry(new BatchMatMul(), 4));
        KERNELS.put(BuiltinOp.PAD, new Entry(Pad.pad(), 4));
        KERNELS.put(BuiltinOp.PADV2, new Entry(Pad.padV2(), 4));
        KERNELS.put(BuiltinOp.CONCATENATION, new Entry(new Concatenation(), 4));
        KERNELS.put(BuiltinOp.RESHAPE, new Entry(new Reshape(), 1));
        KERNELS.put(BuiltinOp.SQUEEZE, new Entry(new Squeeze(), 2));
        KERNELS.put(BuiltinOp.TRANSPOSE, new Entry(new Transpose(), 6));
        KERNELS.put(BuiltinOp.STRIDED_SLICE, new Entry(new StridedSlice(), 8));
        KERNELS.put(BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM, new Entry(new UnidirectionalSequenceLstm(), 4));
    }

    private Kernels() {
    }

    /** The builtin ops the reference has a kernel for (each with some dtype paths). */
    public static Set<BuiltinOp> supportedOps() {
        return Collections.unmodifiableSet(KERNELS.keySet());
    }

    /** The highest version of {@code op} that TFLite 2.19 registers, for ops the reference implements. */
    public static int maxVersion(BuiltinOp op) {
        Entry e = KERNELS.get(op);
        if (e == null) {
            throw new IllegalArgumentException(op + " has no reference kernel");
        }
        return e.maxVersion();
    }

    /**
     * Prepares one operator.
     *
     * @throws UnsupportedOpException when the op, its version or its dtype path is not implemented
     * @throws InvalidOpException     when TFLite's Prepare would refuse the operator
     */
    public static PreparedOp prepare(OpContext ctx) {
        Operator op = ctx.operator();
        BuiltinOp builtin = op.op();
        if (builtin == null || builtin == BuiltinOp.CUSTOM) {
            throw ctx.unsupported(builtin == null ? "an op code newer than the schema litebit knows" : "custom operators");
        }
        Entry entry = KERNELS.get(builtin);
        if (entry == null) {
            throw ctx.unsupported("the reference has no " + builtin + " kernel yet (it implements "
                    + KERNELS.keySet() + ")");
        }
        int version = op.opcode().version();
        if (version < 1 || version > entry.maxVersion()) {
            throw ctx.unsupported("TFLite 2.19 registers " + builtin + " versions 1.." + entry.maxVersion()
                    + " (\"Didn't find op for builtin opcode '" + builtin + "' version '" + version + "'\")");
        }
        try {
            return entry.kernel().prepare(ctx);
        } catch (UnsupportedOpException | InvalidOpException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // The fixed-point derivations throw IllegalArgumentException where TFLite's checks abort.
            throw ctx.invalid(e.getMessage(), e);
        }
    }
}
