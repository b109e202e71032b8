package io.litebit.model.versioning;

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
import java.util.OptionalInt;

/**
 * The operator version TFLite's converter writes for a builtin operator, given its tensors and
 * options.
 *
 * <p>TFLite's op resolvers accept an op only within a registered version range (e.g. CONV_2D
 * 1..8, FULLY_CONNECTED 1..13 in TFLite 2.19), and the version tells a runtime which kernel
 * features the op needs. The rules are those of {@code GetBuiltinOperatorVersion} in TFLite's
 * {@code tflite/tools/versioning/op_version.cc} (google-ai-edge/LiteRT as of commit 22f0209,
 * July 2025), with the per-op facts its {@code GetOpSignature} (op_signature.cc) derives from
 * the model read from the tensors here: per-channel quantization (CONV_2D, DEPTHWISE_CONV_2D and
 * FULLY_CONNECTED hybrids, EMBEDDING_LOOKUP, QUANTIZE, DEQUANTIZE), whether an input has a
 * quantization table (ADD, MUL, ABS), MUL's rescale, sparse FULLY_CONNECTED weights and grouped
 * convolution. Every op that op_version.cc has a rule for has one here; any other builtin op is
 * version 1, as op_version.cc's default gives. So a float model (or the float twin of a quantized
 * one, see {@code Rewriters.floatTwin}) gets its float versions without any special case: its
 * tensors carry no quantization, so every quantization fact is false.
 *
 * <p>Two kinds of operator have no rule: CUSTOM operators (their version is whatever their
 * author registered) and builtin codes newer than {@link BuiltinOp} ({@link Operator#op()} is
 * null). {@link #find} leaves the choice to the caller for those (a rewriter keeps the version the
 * op had); {@link #of(Subgraph, Operator)} and {@link #of(BuiltinOp, BuiltinOptions, List, List)}
 * give 1, which is what a builder writes.
 *
 * <p>Notable consequences: int8 CONV_2D and DEPTHWISE_CONV_2D are version 3, int8
 * FULLY_CONNECTED 4, int8 ADD/SUB/MUL/pools/SOFTMAX/MEAN/PAD 2; with int16 activations ADD is 3
 * (general scaling) or 5 (no quantization), SUB 5, SOFTMAX/MEAN/LOGISTIC/TANH/RELU/pools 3,
 * TRANSPOSE 5, QUANTIZE to int16 2. 16x8 CONV_2D and FULLY_CONNECTED (int16 activations, int8
 * weights) are version 1, because op_version.cc's int16 checks test for int16 weights.
 *
 * <p>{@code quantized_bias_type} (16x8 CONV_2D version 8, FULLY_CONNECTED 11, TRANSPOSE_CONV 5)
 * counts as set when the options carry a type other than the schema default FLOAT32. op_version.cc
 * tests the parsed {@code TfLiteType} for non-zero, and parsing turns an absent field into
 * {@code kTfLiteFloat32} (1), which is non-zero too; litebit does not follow that, so a 16x8 op
 * without the field keeps the version it had before the field existed.
 *
 * <p>Where this departs from op_version.cc: its int16 CONV_2D and DEPTHWISE_CONV_2D checks read
 * {@code outputs.at(1)}, which these single-output ops do not have; output 0 is tested here
 * instead, as intended. Likewise its 16x8 TRANSPOSE_CONV rule tests {@code inputs.at(0)}, the
 * int32 output_shape, which is never int16; the data input (2) is tested here.
 *
 * <pre>{@code
 * // What the converter would write for each operator of a loaded or built model:
 * Subgraph g = model.mainSubgraph();
 * for (Operator op : g.operators()) {
 *     int expected = OpVersions.of(g, op);
 * }
 *
 * // A rewriter that changed an operator's tensors (null: an omitted input, -1 in the file),
 * // keeping the old version where there is no rule (CUSTOM ops):
 * int v = OpVersions.find(op.op(), op.options(), newInputs, newOutputs).orElse(op.opcode().version());
 * }</pre>
 */
public final class OpVersions {
    private OpVersions() {
    }

    /**
     * The version for an operator of a loaded or built subgraph, 1 when there is no rule (CUSTOM
     * ops and unknown codes).
     */
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
     * As {@link #find(BuiltinOp, BuiltinOptions, List, List)}, but 1 when there is no rule, which
     * is what a builder writes for an op it knows nothing about.
     */
    public static int of(BuiltinOp op, BuiltinOptions options, List<Tensor> inputs, List<Tensor> outputs) {
        return find(op, options, inputs, outputs).orElse(1);
    }

    /**
     * The version TFLite's rules give for an operator with these options and tensors, or empty for
     * a CUSTOM operator or a null {@code op} (a code newer than {@link BuiltinOp}).
     *
     * @param op      the builtin operator, null for an unknown code
     * @param options its options (null is taken as {@link BuiltinOptions.None}: each option at
     *                its schema default)
     * @param inputs  the input tensors in order; a null entry is an omitted optional input (-1 in
     *                the file, TFLite's {@code kTfLiteNoType})
     * @param outputs the output tensors in order
     */
    public static OptionalInt find(BuiltinOp op, BuiltinOptions options, List<Tensor> inputs, List<Tensor> outputs) {
        if (op == null || op == BuiltinOp.CUSTOM) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(version(op, options == null ? BuiltinOptions.None.INSTANCE : options,
                new Sig(inputs, outputs)));
    }

    /** GetBuiltinOperatorVersion, case by case in op_version.cc's order. */
    private static int version(BuiltinOp op, BuiltinOptions o, Sig s) {
        switch (op) {
            case CONV_2D: {
                if (s.is(0, DType.INT16) && s.is(1, DType.INT8) && s.isOut(0, DType.INT16)
                        && o instanceof BuiltinOptions.Conv2D c && c.quantizedBiasType() != null) {
                    return 8;
                }
                if (s.isGroupedConvolution()) {
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
                if (s.isHybrid(1)) {
                    // Per-channel: one scale per filter (dimension 0).
                    return perChannelAlong(s.tensor(1), 0) ? 5 : 2;
                }
                return 1;
            }
            case DEPTHWISE_CONV_2D: {
                if (s.is(0, DType.INT16) && s.is(1, DType.INT16) && s.isOut(0, DType.INT16)) {
                    return 5;
                }
                if (s.isHybrid(1)) {
                    // Per-channel: one scale per output channel (dimension 3).
                    return s.rank(1) == 4 && perChannelAlong(s.tensor(1), 3) ? 6 : 4;
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
            }
            case EMBEDDING_LOOKUP: {
                Tensor table = s.tensor(1);
                boolean perChannel = table != null && table.quantization().channelCount() > 1
                        && perChannelAlong(table, 0);
                return s.is(1, DType.INT4) || perChannel ? 4 : 1;
            }
            case FAKE_QUANT: {
                var f = opaque(o, org.tensorflow.lite.schema.FakeQuantOptionsT.class);
                return f != null && f.getNarrowRange() ? 2 : 1;
            }
            case FULLY_CONNECTED: {
                BuiltinOptions.FullyConnected fc = o instanceof BuiltinOptions.FullyConnected f ? f
                        : new BuiltinOptions.FullyConnected(Activation.NONE, false);
                Tensor weights = s.tensor(1);
                if (s.is(0, DType.INT16) && s.is(1, DType.INT4) && s.isOut(0, DType.INT16)) {
                    return 13;
                }
                if (s.isHybrid(1) && perChannelAlong(weights, 0)) {
                    return 12;
                }
                if (s.is(0, DType.INT16) && s.is(1, DType.INT8) && s.isOut(0, DType.INT16)
                        && fc.quantizedBiasType() != null) {
                    return 11;
                }
                if (weights != null && weights.isSparse()) {
                    return 8;
                }
                if (s.is(0, DType.INT16) && s.is(1, DType.INT16) && s.isOut(0, DType.INT16)) {
                    return 7;
                }
                // No bias input at all (an omitted bias, -1, still counts as an input).
                if (s.inputCount() == 2) {
                    return 6;
                }
                if (fc.keepNumDims()) {
                    return 5;
                }
                if (s.is(0, DType.INT8) && s.is(1, DType.INT8) && s.isOut(0, DType.INT8)) {
                    return 4;
                }
                if (s.is(0, DType.INT8) && s.is(1, DType.INT4) && s.isOut(0, DType.INT8)) {
                    return 10;
                }
                if (s.isHybrid(1)) {
                    return fc.asymmetricQuantizeInputs() ? 9 : 3;
                }
                // Shuffled4x16Int8 weights (weights_format 1) are version 2 for float and uint8 kernels alike.
                return fc.weightsFormat() == 1 ? 2 : 1;
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
            case SVDF: {
                if (s.is(0, DType.INT8)) {
                    return 3;
                }
                if (s.isHybrid(1)) {
                    var f = opaque(o, org.tensorflow.lite.schema.SVDFOptionsT.class);
                    return f != null && f.getAsymmetricQuantizeInputs() ? 4 : 2;
                }
                return 1;
            }
            case SIGN:
                return s.is(0, DType.INT32) ? 2 : 1;
            case MUL: {
                if ((s.is(0, DType.INT16) && !s.mulInputQuantized()) || s.is(0, DType.UINT32)) {
                    return 7;
                }
                if (s.is(0, DType.COMPLEX64)) {
                    return 6;
                }
                if (s.is(0, DType.INT64)) {
                    return 5;
                }
                if (s.is(0, DType.INT16)) {
                    return 4;
                }
                if (s.mulRescaleAtLeastOne()) {
                    return 3;
                }
                return s.is(0, DType.INT8) ? 2 : 1;
            }
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
                if (s.rank(0) > 5) {
                    return 6;
                }
                if (s.is(0, DType.INT16)) {
                    return 5;
                }
                if (s.rank(0) > 4) {
                    return 4;
                }
                return s.is(0, DType.BOOL) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            case TRANSPOSE_CONV:
                // Inputs are (output_shape, weights, input, bias); see the class comment for
                // which input the 16x8 rule tests.
                if (s.is(2, DType.INT16) && s.is(1, DType.INT8) && s.isOut(0, DType.INT16)
                        && o instanceof BuiltinOptions.TransposeConv t && t.quantizedBiasType() != null) {
                    return 5;
                }
                if (o instanceof BuiltinOptions.TransposeConv t && t.activation() != Activation.NONE) {
                    return 4;
                }
                if (s.inputCount() == 4 && s.tensor(3) != null) {
                    return 3;
                }
                return s.is(1, DType.INT8) ? 2 : 1;
            case LSTM: {
                var l = opaque(o, org.tensorflow.lite.schema.LSTMOptionsT.class);
                // kernel_type: 0 FULL (the default), 1 BASIC.
                boolean full = l == null || l.getKernelType() == 0;
                if (full && s.is(0, DType.INT16) && s.is(2, DType.INT8) && s.isOut(0, DType.INT16)) {
                    return 5;
                }
                if (full && s.is(0, DType.FLOAT32) && s.is(2, DType.INT8) && s.isOut(0, DType.FLOAT32)) {
                    return l != null && l.getAsymmetricQuantizeInputs() ? 4 : 3;
                }
                return l != null && l.getKernelType() == 1 ? 2 : 1;
            }
            case SPLIT:
                // Input 0 is the axis; the data is input 1.
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
                if (s.rank(0) > 4) {
                    return 5;
                }
                return s.is(0, DType.INT16) ? 4 : s.is(0, DType.STRING) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            case UNPACK:
                if (s.is(0, DType.INT8) || s.is(0, DType.UINT8)) {
                    return 2;
                }
                return s.is(0, DType.BOOL) ? 3 : s.is(0, DType.INT16) && s.isOut(0, DType.INT16) ? 4 : 1;
            case DEQUANTIZE:
                if (s.is(0, DType.INT4)) {
                    return 6;
                }
                if (s.is(0, DType.INT16) || s.is(0, DType.FLOAT16)) {
                    return 3;
                }
                if (s.is(0, DType.INT8)) {
                    return perChannelAlongItsAxis(s.tensor(0)) ? 5 : 2;
                }
                return 1;
            case QUANTIZE:
                if (s.is(0, DType.INT4) || s.isOut(0, DType.INT4)) {
                    return 4;
                }
                if (perChannelAlongItsAxis(s.outTensor(0))) {
                    return 3;
                }
                return s.isOut(0, DType.INT16) ? 2 : 1;
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
                    return s.hasQuantizationTable(0) ? 3 : 4;
                }
                return s.is(0, DType.INT8) || s.is(0, DType.UINT8) ? 2 : 1;
            case RELU:
                if (s.is(0, DType.INT16)) {
                    return 3;
                }
                return s.is(0, DType.INT8) || s.is(0, DType.UINT8) ? 2 : 1;
            case STRIDED_SLICE: {
                BuiltinOptions.StridedSlice ss = o instanceof BuiltinOptions.StridedSlice x ? x
                        : new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, false);
                if (ss.offset()) {
                    return 8;
                }
                if (s.is(0, DType.UINT32)) {
                    return 7;
                }
                if (ss.ellipsisMask() != 0 || ss.newAxisMask() != 0) {
                    return 6;
                }
                if (s.is(0, DType.STRING)) {
                    return 5;
                }
                if (s.rank(0) > 4) {
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
                if (s.needsBroadcast() && s.maxInputRank() > 4) {
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
                if (s.rank(0) != 4) {
                    return 3;
                }
                return s.is(0, DType.INT8) ? 2 : 1;
            case ADD:
                if (s.is(0, DType.INT16) && !s.hasQuantizationTable(0)) {
                    return 5;
                }
                if (s.is(0, DType.INT64)) {
                    return 4;
                }
                // pot_scale_int16 defaults to true, so an ADD without options is not version 3.
                if (s.is(0, DType.INT16) && s.isOut(0, DType.INT16)
                        && o instanceof BuiltinOptions.Add a && !a.potScaleInt16()) {
                    return 3;
                }
                return s.is(0, DType.INT8) ? 2 : 1;
            case SUB:
                if (s.is(0, DType.INT16) && s.isOut(0, DType.INT16)
                        && o instanceof BuiltinOptions.Sub sub && !sub.potScaleInt16()) {
                    return 5;
                }
                if (s.is(0, DType.INT64)) {
                    return 4;
                }
                if (s.needsBroadcast() && s.maxInputRank() > 4) {
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
                return s.needsBroadcast() && s.maxInputRank() > 4 ? 2 : 1;
            case TANH:
            case LOGISTIC:
                if (s.is(0, DType.INT16) && s.isOut(0, DType.INT16)) {
                    return 3;
                }
                return s.is(0, DType.INT8) ? 2 : 1;
            case FILL:
                if (s.inputCount() >= 2) {
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
                if (s.is(0, DType.INT16)) {
                    return 3;
                }
                if (s.is(0, DType.INT8)) {
                    return 2;
                }
                return s.isHybrid(1) && o instanceof BuiltinOptions.BatchMatMul b && b.asymmetricQuantizeInputs() ? 4 : 1;
            case PAD:
            case PADV2:
                if (s.is(0, DType.BOOL)) {
                    return 5;
                }
                if (s.rank(0) > 4) {
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
            case RNN: {
                var r = opaque(o, org.tensorflow.lite.schema.RNNOptionsT.class);
                return rnnHybrid(s, r != null && r.getAsymmetricQuantizeInputs());
            }
            case UNIDIRECTIONAL_SEQUENCE_RNN: {
                var r = opaque(o, org.tensorflow.lite.schema.SequenceRNNOptionsT.class);
                return rnnHybrid(s, r != null && r.getAsymmetricQuantizeInputs());
            }
            case BIDIRECTIONAL_SEQUENCE_RNN: {
                var r = opaque(o, org.tensorflow.lite.schema.BidirectionalSequenceRNNOptionsT.class);
                return rnnHybrid(s, r != null && r.getAsymmetricQuantizeInputs());
            }
            case BIDIRECTIONAL_SEQUENCE_LSTM: {
                var r = opaque(o, org.tensorflow.lite.schema.BidirectionalSequenceLSTMOptionsT.class);
                return rnnHybrid(s, r != null && r.getAsymmetricQuantizeInputs());
            }
            case UNIDIRECTIONAL_SEQUENCE_LSTM: {
                var l = o instanceof BuiltinOptions.UnidirectionalSequenceLstm u ? u : null;
                if (s.is(0, DType.INT16) && s.is(2, DType.INT8) && s.isOut(0, DType.INT16)) {
                    return 5;
                }
                if (l != null && l.diagonalRecurrentTensors()) {
                    return 4;
                }
                if (s.is(0, DType.FLOAT32) && s.is(2, DType.INT8) && s.isOut(0, DType.FLOAT32)) {
                    return l != null && l.asymmetricQuantizeInputs() ? 3 : 2;
                }
                return 1;
            }
            case ARG_MAX:
            case ARG_MIN:
                return s.is(0, DType.BOOL) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            case SELECT:
                if (s.is(0, DType.UINT32)) {
                    return 4;
                }
                if (s.rank(0) == 5 || s.rank(1) == 5 || s.rank(2) == 5) {
                    return 3;
                }
                return s.is(0, DType.INT8) ? 2 : 1;
            case LESS:
            case GREATER_EQUAL:
                return s.is(0, DType.INT16) ? 3 : s.is(0, DType.INT8) ? 2 : 1;
            case SELECT_V2:
                return s.is(0, DType.UINT32) ? 2 : 1;
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
                return castVersion(s.in(0), s.out(0));
            case WHERE:
                return s.is(0, DType.BOOL) ? 1 : 2;
            case GELU:
                return s.is(0, DType.INT8) || s.is(0, DType.UINT8) ? 2 : 1;
            default:
                // op_version.cc's default: RESHAPE, HARD_SWISH and every other op without a rule.
                return 1;
        }
    }

    /** RNN, the sequence RNNs and BIDIRECTIONAL_SEQUENCE_LSTM: int8 weights with float output are hybrid. */
    private static int rnnHybrid(Sig s, boolean asymmetricQuantizeInputs) {
        if (s.is(1, DType.INT8) && s.isOut(0, DType.FLOAT32)) {
            return asymmetricQuantizeInputs ? 3 : 2;
        }
        return 1;
    }

    private static int castVersion(DType in, DType out) {
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

    /**
     * op_signature.cc's per-channel test for CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and
     * EMBEDDING_LOOKUP: as many scales as the tensor has entries along {@code dim} (which must
     * exist and be positive). A single scale counts when that dimension is 1.
     */
    private static boolean perChannelAlong(Tensor t, int dim) {
        if (t == null || dim >= t.rank() || t.dim(dim) <= 0) {
            return false;
        }
        return t.quantization().channelCount() == t.dim(dim);
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

    /** The schema object behind {@link BuiltinOptions.Opaque} options, or null when absent or of another type. */
    private static <T> T opaque(BuiltinOptions o, Class<T> type) {
        if (o instanceof BuiltinOptions.Opaque p && p.schemaObject() != null) {
            Object value = p.schemaObject().get();
            return type.isInstance(value) ? type.cast(value) : null;
        }
        return null;
    }

    /** The op signature: element types, ranks and quantization of the op's tensors. */
    private static final class Sig {
        private final List<Tensor> inputs;
        private final List<Tensor> outputs;

        Sig(List<Tensor> inputs, List<Tensor> outputs) {
            this.inputs = inputs == null ? List.of() : inputs;
            this.outputs = outputs == null ? List.of() : outputs;
        }

        /** The number of inputs, omitted ones (-1) included. */
        int inputCount() {
            return inputs.size();
        }

        Tensor tensor(int i) {
            return i < inputs.size() ? inputs.get(i) : null;
        }

        Tensor outTensor(int i) {
            return i < outputs.size() ? outputs.get(i) : null;
        }

        /** Element type, or null for an omitted or absent input (TFLite's kTfLiteNoType). */
        DType in(int i) {
            Tensor t = tensor(i);
            return t == null ? null : t.dtype();
        }

        DType out(int i) {
            Tensor t = outTensor(i);
            return t == null ? null : t.dtype();
        }

        boolean is(int input, DType type) {
            return in(input) == type;
        }

        boolean isOut(int output, DType type) {
            return out(output) == type;
        }

        /** Float input 0 and output 0 with an int8 weight input: TFLite's hybrid kernels. */
        boolean isHybrid(int weights) {
            return is(0, DType.FLOAT32) && is(weights, DType.INT8) && isOut(0, DType.FLOAT32);
        }

        int rank(int i) {
            Tensor t = tensor(i);
            return t == null ? 0 : t.rank();
        }

        /**
         * Whether the file has a quantization table for the input, which is what op_signature.cc
         * tests for ADD, MUL and ABS: scales, or just the min/max a converter recorded.
         */
        boolean hasQuantizationTable(int i) {
            Tensor t = tensor(i);
            return t != null && (!t.quantization().isNone() || t.quantization().min().length > 0);
        }

        /** MUL's input_quantized: op_signature.cc sets it only for an op with two inputs and an output. */
        boolean mulInputQuantized() {
            return inputs.size() >= 2 && !outputs.isEmpty() && (hasQuantizationTable(0) || hasQuantizationTable(1));
        }

        /** MUL's version 3: all three tensors have scales and input1 * input2 / output >= 1 (in float, as TFLite). */
        boolean mulRescaleAtLeastOne() {
            float s1 = scale(tensor(0));
            float s2 = scale(tensor(1));
            float so = scale(outTensor(0));
            return s1 != 0 && s2 != 0 && so != 0 && s1 * s2 / so >= 1.0;
        }

        private static float scale(Tensor t) {
            return t == null || t.quantization().isNone() ? 0f : t.quantization().scale(0);
        }

        /** CONV_2D's is_grouped_convolution: the input's channels differ from the filter's. */
        boolean isGroupedConvolution() {
            Tensor input = tensor(0);
            Tensor filter = tensor(1);
            return input != null && filter != null && input.rank() == 4 && filter.rank() == 4
                    && input.dim(3) != filter.dim(3);
        }

        /** The first two inputs' shapes differ (an omitted input has no dimensions). */
        boolean needsBroadcast() {
            return inputs.size() >= 2 && !Arrays.equals(shape(0), shape(1));
        }

        private int[] shape(int i) {
            Tensor t = tensor(i);
            return t == null ? new int[0] : t.shape();
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
