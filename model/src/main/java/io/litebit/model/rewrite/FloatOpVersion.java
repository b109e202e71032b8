package io.litebit.model.rewrite;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.Tensor;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import java.util.Arrays;

/**
 * The version an operator needs once its tensors have the float twin's types, following TFLite's
 * {@code GetBuiltinOperatorVersion} (tflite/tools/versioning/op_version.cc). The quantization-only
 * inputs of that function ("is per-channel quantized", MUL's scales, "input quantized") are all
 * false in a twin, since the twin has no quantized tensors; everything else is read from the
 * twin's types, shapes and options, so a non-quantized int16 MUL still gets its own version.
 */
final class FloatOpVersion {
    private FloatOpVersion() {
    }

    /**
     * @param op      the operator (its options and original version)
     * @param inputs  the twin's input tensors, null where the op has -1 (TFLite's kTfLiteNoType)
     * @param outputs the twin's output tensors
     */
    static int of(Operator op, Tensor[] inputs, Tensor[] outputs) {
        BuiltinOp b = op.op();
        if (b == null || b == BuiltinOp.CUSTOM) {
            return op.opcode().version();
        }
        Sig s = new Sig(inputs, outputs);
        BuiltinOptions o = op.options();
        switch (b) {
            case CONV_2D:
                if (isGroupedConvolution(inputs)) {
                    return 6;
                }
                if (s.is(0, DType.INT16) && s.is(1, DType.INT16) && s.isOut(0, DType.INT16)) {
                    return 4;
                }
                if (s.is(0, DType.INT8) && s.is(1, DType.INT8) && s.isOut(0, DType.INT8)) {
                    return 3;
                }
                if (s.is(0, DType.INT8) && s.is(1, DType.INT4) && s.isOut(0, DType.INT8)) {
                    return 7;
                }
                return 1;
            case DEPTHWISE_CONV_2D:
                if (s.is(0, DType.INT16) && s.is(1, DType.INT16) && s.isOut(0, DType.INT16)) {
                    return 5;
                }
                if (s.is(0, DType.INT8) && s.is(1, DType.INT8) && s.isOut(0, DType.INT8)) {
                    return 3;
                }
                if (s.is(0, DType.INT8) && s.is(1, DType.INT4) && s.isOut(0, DType.INT8)) {
                    return 7;
                }
                if (o instanceof BuiltinOptions.DepthwiseConv2D d && (d.dilationW() != 1 || d.dilationH() != 1)) {
                    return 2;
                }
                return 1;
            case EMBEDDING_LOOKUP:
                return s.is(1, DType.INT4) ? 4 : 1;
            case FAKE_QUANT: {
                var f = opaque(o, org.tensorflow.lite.schema.FakeQuantOptionsT.class);
                return f != null && f.getNarrowRange() ? 2 : 1;
            }
            case FULLY_CONNECTED: {
                if (s.is(0, DType.INT16) && s.is(1, DType.INT4) && s.isOut(0, DType.INT16)) {
                    return 13;
                }
                if (s.is(0, DType.INT16) && s.is(1, DType.INT16) && s.isOut(0, DType.INT16)) {
                    return 7;
                }
                if (inputs.length == 2) {
                    return 6;
                }
                var f = o instanceof BuiltinOptions.FullyConnected fc ? fc : null;
                if (f != null && f.keepNumDims()) {
                    return 5;
                }
                if (s.is(0, DType.INT8) && s.is(1, DType.INT8) && s.isOut(0, DType.INT8)) {
                    return 4;
                }
                if (s.is(0, DType.INT8) && s.is(1, DType.INT4) && s.isOut(0, DType.INT8)) {
                    return 10;
                }
                // Shuffled4x16Int8 weights are version 2 for float and uint8 kernels alike.
                return f != null && f.weightsFormat() == 1 ? 2 : 1;
            }
            case GATHER: {
                if (s.is(0, DType.INT4)) {
                    return 7;
                }
                if (s.is(1, DType.INT16)) {
                    return 6;
                }
                var g = opaque(o, org.tensorflow.lite.schema.GatherOptionsT.class);
                if (g != null && g.getBatchDims() != 0) {
                    return 5;
                }
                return s.is(0, DType.INT16) ? 4 : s.is(0, DType.BOOL) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            }
            case SVDF:
                return s.is(0, DType.INT8) ? 3 : 1;
            case SIGN:
                return s.is(0, DType.INT32) ? 2 : 1;
            case MUL:
                if (s.is(0, DType.INT16) || s.is(0, DType.UINT32)) {
                    return 7;
                }
                if (s.is(0, DType.COMPLEX64)) {
                    return 6;
                }
                return s.is(0, DType.INT64) ? 5 : s.is(0, DType.INT8) ? 2 : 1;
            case MAX_POOL_2D:
            case AVERAGE_POOL_2D:
                if (s.is(0, DType.INT16) && s.isOut(0, DType.INT16)) {
                    return 3;
                }
                return s.is(0, DType.INT8) ? 2 : 1;
            case TRANSPOSE:
                if (s.is(0, DType.INT4)) {
                    return 7;
                }
                if (s.dims(0) > 5) {
                    return 6;
                }
                if (s.is(0, DType.INT16)) {
                    return 5;
                }
                if (s.dims(0) > 4) {
                    return 4;
                }
                return s.is(0, DType.BOOL) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            case TRANSPOSE_CONV:
                if (o instanceof BuiltinOptions.TransposeConv t && t.activation() != Activation.NONE) {
                    return 4;
                }
                if (inputs.length == 4 && inputs[3] != null) {
                    return 3;
                }
                return s.is(1, DType.INT8) ? 2 : 1;
            case LSTM: {
                if (s.is(0, DType.INT16) && s.is(2, DType.INT8) && s.isOut(0, DType.INT16)) {
                    return 5;
                }
                var l = opaque(o, org.tensorflow.lite.schema.LSTMOptionsT.class);
                // KERNEL_BASIC (1) was added in version 2.
                return l != null && l.getKernelType() == 1 ? 2 : 1;
            }
            case SPLIT:
                return s.is(1, DType.INT16) ? 4 : s.is(1, DType.INT32) ? 3 : s.is(1, DType.INT8) ? 2 : 1;
            case SPARSE_TO_DENSE:
                if (s.is(2, DType.INT8) || s.is(2, DType.UINT8)) {
                    return 3;
                }
                return s.is(2, DType.INT64) ? 2 : 1;
            case SLICE:
                if (s.is(0, DType.UINT32)) {
                    return 6;
                }
                if (s.dims(0) > 4) {
                    return 5;
                }
                return s.is(0, DType.INT16) ? 4 : s.is(0, DType.STRING) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            case UNPACK:
                if (s.is(0, DType.INT8) || s.is(0, DType.UINT8)) {
                    return 2;
                }
                return s.is(0, DType.BOOL) ? 3 : s.is(0, DType.INT16) && s.isOut(0, DType.INT16) ? 4 : 1;
            case FLOOR_DIV:
                if (s.is(0, DType.INT16) || s.is(0, DType.INT8)) {
                    return 3;
                }
                return s.is(0, DType.FLOAT32) ? 2 : 1;
            case FLOOR_MOD:
                return s.is(0, DType.INT16) || s.is(0, DType.INT8) ? 2 : 1;
            case L2_NORMALIZATION:
                return s.isOut(0, DType.INT8) ? 2 : 1;
            case ABS:
                if (s.is(0, DType.INT32)) {
                    return 5;
                }
                if (s.is(0, DType.INT16)) {
                    return 4;
                }
                return s.is(0, DType.INT8) || s.is(0, DType.UINT8) ? 2 : 1;
            case RELU:
                if (s.is(0, DType.INT16)) {
                    return 3;
                }
                return s.is(0, DType.INT8) || s.is(0, DType.UINT8) ? 2 : 1;
            case STRIDED_SLICE: {
                var ss = o instanceof BuiltinOptions.StridedSlice x ? x : null;
                if (ss != null && ss.offset()) {
                    return 8;
                }
                if (s.is(0, DType.UINT32)) {
                    return 7;
                }
                if (ss != null && (ss.ellipsisMask() != 0 || ss.newAxisMask() != 0)) {
                    return 6;
                }
                if (s.is(0, DType.STRING)) {
                    return 5;
                }
                if (s.dims(0) > 4) {
                    return 4;
                }
                return s.is(0, DType.BOOL) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            }
            case REVERSE_V2:
                return s.is(0, DType.INT8) ? 3 : s.is(0, DType.BOOL) ? 2 : 1;
            case RESIZE_BILINEAR: {
                if (s.is(0, DType.INT16)) {
                    return 4;
                }
                var r = opaque(o, org.tensorflow.lite.schema.ResizeBilinearOptionsT.class);
                if (r != null && r.getHalfPixelCenters()) {
                    return 3;
                }
                return s.is(0, DType.INT8) ? 2 : 1;
            }
            case RESIZE_NEAREST_NEIGHBOR: {
                if (s.is(0, DType.INT16)) {
                    return 4;
                }
                var r = opaque(o, org.tensorflow.lite.schema.ResizeNearestNeighborOptionsT.class);
                if (r != null && (r.getHalfPixelCenters() || r.getAlignCorners())) {
                    return 3;
                }
                return s.is(0, DType.INT8) ? 2 : 1;
            }
            case MAXIMUM:
            case MINIMUM:
                if (s.is(0, DType.INT16) && s.isOut(0, DType.INT16)) {
                    return 4;
                }
                if (s.broadcasts() && s.maxDims() > 4) {
                    return 3;
                }
                return s.is(0, DType.INT8) ? 2 : 1;
            case PACK:
                if (s.is(0, DType.INT8)) {
                    return 2;
                }
                return s.is(0, DType.INT16) && s.isOut(0, DType.INT16) ? 3 : s.is(0, DType.UINT32) ? 4 : 1;
            case TILE:
                return s.is(0, DType.INT8) ? 3 : s.is(0, DType.STRING) ? 2 : 1;
            case SQUEEZE:
                return s.is(0, DType.STRING) ? 2 : 1;
            case SPACE_TO_BATCH_ND:
            case BATCH_TO_SPACE_ND:
                if (s.is(0, DType.INT16)) {
                    return 4;
                }
                if (s.dims(0) != 4) {
                    return 3;
                }
                return s.is(0, DType.INT8) ? 2 : 1;
            case ADD:
                // A twin's ADD is never "input quantized", so a (non-quantized) int16 ADD is version 5.
                if (s.is(0, DType.INT16)) {
                    return 5;
                }
                return s.is(0, DType.INT64) ? 4 : s.is(0, DType.INT8) ? 2 : 1;
            case SUB:
                if (s.is(0, DType.INT64)) {
                    return 4;
                }
                if (s.broadcasts() && s.maxDims() > 4) {
                    return 3;
                }
                return s.is(0, DType.INT8) ? 2 : 1;
            case GATHER_ND:
                if (s.is(0, DType.BOOL)) {
                    return 5;
                }
                if (s.is(1, DType.INT16)) {
                    return 4;
                }
                return s.is(0, DType.INT16) ? 3 : s.is(0, DType.STRING) ? 2 : 1;
            case DIV:
                return s.broadcasts() && s.maxDims() > 4 ? 2 : 1;
            case TANH:
            case LOGISTIC:
                if (s.is(0, DType.INT16) && s.isOut(0, DType.INT16)) {
                    return 3;
                }
                return s.is(0, DType.INT8) ? 2 : 1;
            case FILL:
                if (inputs.length >= 2) {
                    if (s.is(1, DType.FLOAT16)) {
                        return 4;
                    }
                    if (s.is(1, DType.INT8) || s.is(1, DType.INT16)) {
                        return 3;
                    }
                    if (s.is(1, DType.BOOL) || s.is(1, DType.STRING)) {
                        return 2;
                    }
                }
                return 1;
            case EQUAL:
                return s.is(0, DType.INT16) ? 4 : s.is(0, DType.STRING) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            case NOT_EQUAL:
                return s.is(0, DType.STRING) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            case LEAKY_RELU:
                return s.is(0, DType.INT16) ? 2 : 1;
            case RANGE:
                return s.is(0, DType.INT64) ? 2 : 1;
            case BATCH_MATMUL:
                return s.is(0, DType.INT16) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            case PAD:
            case PADV2:
                if (s.is(0, DType.BOOL)) {
                    return 5;
                }
                if (s.dims(0) > 4) {
                    return 4;
                }
                return s.is(0, DType.INT16) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            case CONCATENATION:
                if (s.is(0, DType.UINT32)) {
                    return 4;
                }
                return s.is(0, DType.INT16) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            case SOFTMAX:
            case MEAN:
            case MIRROR_PAD:
            case REDUCE_MAX:
            case REDUCE_MIN:
            case RELU6:
            case RSQRT:
                return s.is(0, DType.INT16) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            case UNIDIRECTIONAL_SEQUENCE_LSTM:
                if (s.is(0, DType.INT16) && s.is(2, DType.INT8) && s.isOut(0, DType.INT16)) {
                    return 5;
                }
                return o instanceof BuiltinOptions.UnidirectionalSequenceLstm l && l.diagonalRecurrentTensors() ? 4 : 1;
            case ARG_MAX:
            case ARG_MIN:
                return s.is(0, DType.BOOL) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            case SELECT:
                if (s.is(0, DType.UINT32)) {
                    return 4;
                }
                if (s.dims(0) == 5 || s.dims(1) == 5 || s.dims(2) == 5) {
                    return 3;
                }
                return s.is(0, DType.INT8) ? 2 : 1;
            case SELECT_V2:
                return s.is(0, DType.UINT32) ? 2 : 1;
            case LESS:
            case GREATER_EQUAL:
                return s.is(0, DType.INT16) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            case SPACE_TO_DEPTH:
            case SPLIT_V:
            case SUM:
            case LOG_SOFTMAX:
            case GREATER:
            case LESS_EQUAL:
            case SQUARED_DIFFERENCE:
            case DEPTH_TO_SPACE:
                return s.is(0, DType.INT8) ? 2 : 1;
            case TOPK_V2:
                if (s.is(0, DType.INT16) || s.is(1, DType.INT16) || s.isOut(1, DType.INT16)) {
                    return 3;
                }
                return s.is(0, DType.INT8) ? 2 : 1;
            case EXP:
            case LOG:
            case REDUCE_PROD:
                return s.is(0, DType.INT8) || s.is(0, DType.INT16) ? 2 : 1;
            case DYNAMIC_UPDATE_SLICE:
                if (s.is(0, DType.INT16)) {
                    return 4;
                }
                return s.is(0, DType.FLOAT16) ? 3 : s.is(2, DType.INT64) ? 2 : 1;
            case BROADCAST_TO:
                // Version 1 was rolled back upstream; float BROADCAST_TO is version 2.
                return s.is(0, DType.INT8) || s.is(0, DType.INT16) ? 3 : 2;
            case CAST:
                return castVersion(s);
            case WHERE:
                return s.is(0, DType.BOOL) ? 1 : 2;
            case GELU:
                return s.is(0, DType.INT8) || s.is(0, DType.UINT8) ? 2 : 1;
            default:
                // Every other op's version does not depend on tensor types (GetBuiltinOperatorVersion's
                // default); the RNN family's hybrid versions cannot occur once weights are float.
                return 1;
        }
    }

    private static int castVersion(Sig s) {
        DType in = s.in(0);
        DType out = s.out(0);
        if (in == DType.BFLOAT16 || out == DType.BFLOAT16) {
            return 7;
        }
        if (in == DType.INT4 && out == DType.FLOAT32) {
            return 6;
        }
        if (in == DType.FLOAT64 || out == DType.FLOAT64 || in == DType.FLOAT16 || out == DType.FLOAT16) {
            return 5;
        }
        if (in == DType.UINT16 || out == DType.UINT16) {
            return 4;
        }
        if (in == DType.INT8 || out == DType.INT8) {
            return 3;
        }
        return in == DType.UINT32 || out == DType.UINT32 ? 2 : 1;
    }

    /** As TFLite's op signature computes it: the input's channels differ from the filter's. */
    private static boolean isGroupedConvolution(Tensor[] inputs) {
        if (inputs.length < 2 || inputs[0] == null || inputs[1] == null) {
            return false;
        }
        int[] in = inputs[0].shape();
        int[] filter = inputs[1].shape();
        return in.length == 4 && filter.length == 4 && in[3] != filter[3];
    }

    private static <T> T opaque(BuiltinOptions o, Class<T> type) {
        if (o instanceof BuiltinOptions.Opaque p && p.schemaObject() != null) {
            Object value = p.schemaObject().get();
            return type.isInstance(value) ? type.cast(value) : null;
        }
        return null;
    }

    private record Sig(Tensor[] inputs, Tensor[] outputs) {
        DType in(int i) {
            return i < inputs.length && inputs[i] != null ? inputs[i].dtype() : null;
        }

        DType out(int i) {
            return i < outputs.length && outputs[i] != null ? outputs[i].dtype() : null;
        }

        boolean is(int input, DType type) {
            return in(input) == type;
        }

        boolean isOut(int output, DType type) {
            return out(output) == type;
        }

        int dims(int i) {
            return i < inputs.length && inputs[i] != null ? inputs[i].rank() : 0;
        }

        int maxDims() {
            int max = 0;
            for (Tensor t : inputs) {
                max = Math.max(max, t == null ? 0 : t.rank());
            }
            return max;
        }

        boolean broadcasts() {
            return inputs.length >= 2 && !Arrays.equals(inputs[0] == null ? new int[0] : inputs[0].shape(),
                    inputs[1] == null ? new int[0] : inputs[1].shape());
        }
    }
}
