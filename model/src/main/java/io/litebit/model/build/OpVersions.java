package io.litebit.model.build;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.Quantization;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The operator version TFLite's converter writes for an operator, given its tensors and options.
 *
 * <p>TFLite's op resolvers accept an op only within a registered version range (e.g. CONV_2D
 * 1..8, FULLY_CONNECTED 1..13 in TFLite 2.19), and the version tells a runtime which kernel
 * features the op needs. The rules here are those of {@code GetBuiltinOperatorVersion} in
 * TFLite's {@code tflite/tools/versioning/op_version.cc}, with the per-op facts its {@code
 * GetOpSignature} (op_signature.cc) derives from the model — per-channel quantization, grouped
 * convolution, whether an input carries quantization parameters — re-expressed here for the ops
 * the builder creates: ADD, AVERAGE_POOL_2D, BATCH_MATMUL, CONCATENATION, CONV_2D,
 * DEPTHWISE_CONV_2D, DEQUANTIZE, FULLY_CONNECTED, HARD_SWISH, LEAKY_RELU, LOGISTIC, MAX_POOL_2D,
 * MEAN, MUL, PAD, PADV2, QUANTIZE, RELU, RELU6, RESHAPE, SOFTMAX, SQUEEZE, STRIDED_SLICE, SUB,
 * TANH, TRANSPOSE, TRANSPOSE_CONV. Every other op gets 1 (pass an explicit version to
 * {@link SubgraphBuilder#op(BuiltinOp, int, BuiltinOptions, List, List)} when that is wrong).
 *
 * <p>Notable consequences: int8 CONV_2D and DEPTHWISE_CONV_2D are version 3, int8
 * FULLY_CONNECTED 4, int8 ADD/SUB/MUL/pools/SOFTMAX/MEAN/PAD 2; with int16 activations ADD is 3
 * (general scaling) or 5 (no quantization), SUB 5, SOFTMAX/MEAN/LOGISTIC/TANH/RELU/pools 3,
 * TRANSPOSE 5, QUANTIZE to int16 2. TFLite's rules give 16x8 CONV_2D and FULLY_CONNECTED (int16
 * activations, int8 weights) version 1, because the int16 checks there test for int16 weights;
 * this class reproduces that rather than guessing.
 *
 * <pre>{@code
 * Subgraph g = model.mainSubgraph();
 * for (Operator op : g.operators()) {
 *     int expected = OpVersions.of(g, op);   // what TFLite's converter would write
 * }
 * }</pre>
 */
public final class OpVersions {
    private OpVersions() {
    }

    /** The version for an operator of a loaded or built subgraph. */
    public static int of(Subgraph g, Operator op) {
        List<Tensor> inputs = new ArrayList<>();
        for (int i : op.inputs()) {
            inputs.add(i < 0 ? null : g.tensor(i));
        }
        List<Tensor> outputs = new ArrayList<>();
        for (int i : op.outputs()) {
            outputs.add(g.tensor(i));
        }
        return of(op.op(), op.options(), inputs, outputs);
    }

    /**
     * The version for an operator with these tensors (null entries are omitted optional inputs,
     * written as -1) and options.
     */
    public static int of(BuiltinOp op, BuiltinOptions options, List<Tensor> inputs, List<Tensor> outputs) {
        if (op == null) {
            return 1;
        }
        Sig s = new Sig(inputs, outputs);
        switch (op) {
            case CONV_2D: {
                DType in = s.in(0);
                DType w = s.in(1);
                DType out = s.out(0);
                Tensor input = s.tensor(0);
                Tensor filter = s.tensor(1);
                // Grouped convolution: the filter takes fewer channels than the input has.
                if (input != null && filter != null && input.rank() == 4 && filter.rank() == 4
                        && input.dim(3) != filter.dim(3)) {
                    return 6;
                }
                if (in == DType.INT16 && w == DType.INT16 && out == DType.INT16) {
                    return 4;
                }
                if (in == DType.INT8 && w == DType.INT8 && out == DType.INT8) {
                    return 3;
                }
                if (in == DType.INT8 && w == DType.INT4 && out == DType.INT8) {
                    return 7;
                }
                if (in == DType.FLOAT32 && w == DType.INT8 && out == DType.FLOAT32) {
                    // Hybrid: per-channel when there is one scale per filter (dim 0).
                    return filter != null && filter.rank() > 0 && filter.dim(0) > 0
                            && filter.quantization().channelCount() == filter.dim(0) ? 5 : 2;
                }
                return 1;
            }
            case DEPTHWISE_CONV_2D: {
                DType in = s.in(0);
                DType w = s.in(1);
                DType out = s.out(0);
                if (in == DType.INT16 && w == DType.INT16 && out == DType.INT16) {
                    return 5;
                }
                if (in == DType.FLOAT32 && w == DType.INT8 && out == DType.FLOAT32) {
                    Tensor filter = s.tensor(1);
                    return filter != null && filter.rank() == 4 && filter.dim(3) > 0
                            && filter.quantization().channelCount() == filter.dim(3) ? 6 : 4;
                }
                if (in == DType.INT8 && w == DType.INT8 && out == DType.INT8) {
                    return 3;
                }
                if (in == DType.INT8 && w == DType.INT4 && out == DType.INT8) {
                    return 7;
                }
                if (options instanceof BuiltinOptions.DepthwiseConv2D d && (d.dilationW() != 1 || d.dilationH() != 1)) {
                    return 2;
                }
                return 1;
            }
            case FULLY_CONNECTED: {
                DType in = s.in(0);
                DType w = s.in(1);
                DType out = s.out(0);
                BuiltinOptions.FullyConnected fc = options instanceof BuiltinOptions.FullyConnected f ? f
                        : new BuiltinOptions.FullyConnected(Activation.NONE, false);
                Tensor weights = s.tensor(1);
                if (in == DType.INT16 && w == DType.INT4 && out == DType.INT16) {
                    return 13;
                }
                boolean perChannel = weights != null && weights.rank() > 0 && weights.quantization().channelCount() > 0
                        && weights.quantization().channelCount() == weights.dim(0);
                if (in == DType.FLOAT32 && w == DType.INT8 && out == DType.FLOAT32 && perChannel) {
                    return 12;
                }
                if (weights != null && weights.isSparse()) {
                    return 8;
                }
                if (in == DType.INT16 && w == DType.INT16 && out == DType.INT16) {
                    return 7;
                }
                if (s.inputCount() == 2) {
                    return 6;
                }
                if (fc.keepNumDims()) {
                    return 5;
                }
                if (in == DType.INT8 && w == DType.INT8 && out == DType.INT8) {
                    return 4;
                }
                if (in == DType.INT8 && w == DType.INT4 && out == DType.INT8) {
                    return 10;
                }
                if (in == DType.FLOAT32 && w == DType.INT8 && out == DType.FLOAT32) {
                    return fc.asymmetricQuantizeInputs() ? 9 : 3;
                }
                // weights_format 1 is SHUFFLED4x16INT8.
                return fc.weightsFormat() == 1 ? 2 : 1;
            }
            case MUL: {
                DType in = s.in(0);
                boolean inputQuantized = s.hasQuantTable(0) || s.hasQuantTable(1);
                if ((in == DType.INT16 && !inputQuantized) || in == DType.UINT32) {
                    return 7;
                }
                if (in == DType.COMPLEX64) {
                    return 6;
                }
                if (in == DType.INT64) {
                    return 5;
                }
                if (in == DType.INT16) {
                    return 4;
                }
                float s1 = s.scale(s.tensor(0));
                float s2 = s.scale(s.tensor(1));
                float so = s.scale(s.outTensor(0));
                if (s1 != 0 && s2 != 0 && so != 0 && s1 * s2 / so >= 1.0) {
                    return 3;
                }
                return in == DType.INT8 ? 2 : 1;
            }
            case MAX_POOL_2D:
            case AVERAGE_POOL_2D:
                if (s.in(0) == DType.INT16 && s.out(0) == DType.INT16) {
                    return 3;
                }
                return s.in(0) == DType.INT8 ? 2 : 1;
            case TRANSPOSE: {
                DType in = s.in(0);
                int rank = s.rank(0);
                if (in == DType.INT4) {
                    return 7;
                }
                if (rank > 5) {
                    return 6;
                }
                if (in == DType.INT16) {
                    return 5;
                }
                if (rank > 4) {
                    return 4;
                }
                if (in == DType.BOOL) {
                    return 3;
                }
                return in == DType.INT8 ? 2 : 1;
            }
            case TRANSPOSE_CONV: {
                // Inputs are (output_shape, weights, input, bias).
                if (options instanceof BuiltinOptions.TransposeConv t && t.activation() != Activation.NONE) {
                    return 4;
                }
                if (s.inputCount() == 4 && s.tensor(3) != null) {
                    return 3;
                }
                return s.in(1) == DType.INT8 ? 2 : 1;
            }
            case DEQUANTIZE: {
                DType in = s.in(0);
                if (in == DType.INT4) {
                    return 6;
                }
                if (in == DType.INT16 || in == DType.FLOAT16) {
                    return 3;
                }
                if (in == DType.INT8) {
                    return perChannelAlongItsAxis(s.tensor(0)) ? 5 : 2;
                }
                return 1;
            }
            case QUANTIZE: {
                if (s.in(0) == DType.INT4 || s.out(0) == DType.INT4) {
                    return 4;
                }
                if (perChannelAlongItsAxis(s.outTensor(0))) {
                    return 3;
                }
                return s.out(0) == DType.INT16 ? 2 : 1;
            }
            case RELU: {
                DType in = s.in(0);
                if (in == DType.INT16) {
                    return 3;
                }
                return in == DType.INT8 || in == DType.UINT8 ? 2 : 1;
            }
            case STRIDED_SLICE: {
                BuiltinOptions.StridedSlice o = options instanceof BuiltinOptions.StridedSlice ss ? ss
                        : new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, false);
                DType in = s.in(0);
                if (o.offset()) {
                    return 8;
                }
                if (in == DType.UINT32) {
                    return 7;
                }
                if (o.ellipsisMask() != 0 || o.newAxisMask() != 0) {
                    return 6;
                }
                if (in == DType.STRING) {
                    return 5;
                }
                if (s.rank(0) > 4) {
                    return 4;
                }
                if (in == DType.BOOL) {
                    return 3;
                }
                return in == DType.INT8 ? 2 : 1;
            }
            case SQUEEZE:
                return s.in(0) == DType.STRING ? 2 : 1;
            case ADD: {
                DType in = s.in(0);
                if (in == DType.INT16 && !s.hasQuantTable(0)) {
                    return 5;
                }
                if (in == DType.INT64) {
                    return 4;
                }
                if (in == DType.INT16 && s.out(0) == DType.INT16
                        && options instanceof BuiltinOptions.Add a && !a.potScaleInt16()) {
                    return 3;
                }
                return in == DType.INT8 ? 2 : 1;
            }
            case SUB: {
                DType in = s.in(0);
                if (in == DType.INT16 && s.out(0) == DType.INT16
                        && options instanceof BuiltinOptions.Sub sub && !sub.potScaleInt16()) {
                    return 5;
                }
                if (in == DType.INT64) {
                    return 4;
                }
                if (s.needsBroadcast() && s.maxInputRank() > 4) {
                    return 3;
                }
                return in == DType.INT8 ? 2 : 1;
            }
            case TANH:
            case LOGISTIC:
                if (s.in(0) == DType.INT16 && s.out(0) == DType.INT16) {
                    return 3;
                }
                return s.in(0) == DType.INT8 ? 2 : 1;
            case LEAKY_RELU:
                return s.in(0) == DType.INT16 ? 2 : 1;
            case BATCH_MATMUL: {
                DType in = s.in(0);
                if (in == DType.INT16) {
                    return 3;
                }
                if (in == DType.INT8) {
                    return 2;
                }
                if (in == DType.FLOAT32 && s.in(1) == DType.INT8 && s.out(0) == DType.FLOAT32
                        && options instanceof BuiltinOptions.BatchMatMul b && b.asymmetricQuantizeInputs()) {
                    return 4;
                }
                return 1;
            }
            case PAD:
            case PADV2: {
                DType in = s.in(0);
                if (in == DType.BOOL) {
                    return 5;
                }
                if (s.rank(0) > 4) {
                    return 4;
                }
                if (in == DType.INT16) {
                    return 3;
                }
                return in == DType.INT8 ? 2 : 1;
            }
            case CONCATENATION: {
                DType in = s.in(0);
                if (in == DType.UINT32) {
                    return 4;
                }
                if (in == DType.INT16) {
                    return 3;
                }
                return in == DType.INT8 ? 2 : 1;
            }
            case SOFTMAX:
            case MEAN:
            case RELU6: {
                DType in = s.in(0);
                if (in == DType.INT16) {
                    return 3;
                }
                return in == DType.INT8 ? 2 : 1;
            }
            default:
                // RESHAPE, HARD_SWISH and ops without rules in op_version.cc.
                return 1;
        }
    }

    /** op_signature.cc's per-channel test for QUANTIZE/DEQUANTIZE: several scales, one per slice of the axis. */
    private static boolean perChannelAlongItsAxis(Tensor t) {
        if (t == null) {
            return false;
        }
        Quantization q = t.quantization();
        int axis = q.quantizedDimension();
        return q.channelCount() > 1 && axis >= 0 && axis < t.rank() && q.channelCount() == t.dim(axis);
    }

    /** The op signature: element types, ranks and quantization of the op's tensors. */
    private static final class Sig {
        private final List<Tensor> inputs;
        private final List<Tensor> outputs;

        Sig(List<Tensor> inputs, List<Tensor> outputs) {
            this.inputs = inputs;
            this.outputs = outputs;
        }

        int inputCount() {
            return inputs.size();
        }

        Tensor tensor(int i) {
            return i < inputs.size() ? inputs.get(i) : null;
        }

        Tensor outTensor(int i) {
            return i < outputs.size() ? outputs.get(i) : null;
        }

        /** Element type, or null for an omitted input (TFLite's kTfLiteNoType). */
        DType in(int i) {
            Tensor t = tensor(i);
            return t == null ? null : t.dtype();
        }

        DType out(int i) {
            Tensor t = outTensor(i);
            return t == null ? null : t.dtype();
        }

        int rank(int i) {
            Tensor t = tensor(i);
            return t == null ? 0 : t.rank();
        }

        /** Whether the file has a quantization table for the input, which is what TFLite tests. */
        boolean hasQuantTable(int i) {
            Tensor t = tensor(i);
            return t != null && (!t.quantization().isNone() || t.quantization().min().length > 0);
        }

        float scale(Tensor t) {
            return t == null || t.quantization().isNone() ? 0f : t.quantization().scale(0);
        }

        boolean needsBroadcast() {
            return inputs.size() >= 2 && inputs.get(0) != null && inputs.get(1) != null
                    && !Arrays.equals(inputs.get(0).shape(), inputs.get(1).shape());
        }

        int maxInputRank() {
            int max = 0;
            for (Tensor t : inputs) {
                max = Math.max(max, t == null ? 0 : t.rank());
            }
            return max;
        }
    }
}
