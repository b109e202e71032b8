package io.litebit.model.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.ModelAssertions;
import io.litebit.model.Operator;
import io.litebit.model.Quantization;
import io.litebit.model.Subgraph;
import io.litebit.model.TfliteModel;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.options.Padding;
import io.litebit.model.versioning.OpVersions;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One model per builder operation and type: the op, its inferred output shape and its version
 * are checked against hand-derived values, and the model must read back with the same structure.
 */
class ModelBuilderOpsTest {

    static final Quantization Q8 = Quantization.perTensor(0.05f, -3);
    static final Quantization Q8_RELU = Quantization.perTensor(0.02f, -128);
    static final Quantization Q16 = Quantization.perTensor(0.001f, 0);
    static final Quantization QU8 = Quantization.perTensor(0.05f, 128);

    /** Highest version TFLite 2.19's BuiltinOpResolver registers (kernels/register.cc). */
    static final Map<BuiltinOp, Integer> TFLITE_2_19_MAX = new EnumMap<>(Map.ofEntries(
            Map.entry(BuiltinOp.ADD, 5), Map.entry(BuiltinOp.AVERAGE_POOL_2D, 3), Map.entry(BuiltinOp.BATCH_MATMUL, 4),
            Map.entry(BuiltinOp.CONCATENATION, 4), Map.entry(BuiltinOp.CONV_2D, 8),
            Map.entry(BuiltinOp.DEPTHWISE_CONV_2D, 7), Map.entry(BuiltinOp.DEQUANTIZE, 6),
            Map.entry(BuiltinOp.FULLY_CONNECTED, 13), Map.entry(BuiltinOp.HARD_SWISH, 1),
            Map.entry(BuiltinOp.LEAKY_RELU, 2), Map.entry(BuiltinOp.LOGISTIC, 3), Map.entry(BuiltinOp.MAX_POOL_2D, 3),
            Map.entry(BuiltinOp.MEAN, 3), Map.entry(BuiltinOp.MUL, 7), Map.entry(BuiltinOp.PAD, 5),
            Map.entry(BuiltinOp.PADV2, 5), Map.entry(BuiltinOp.QUANTIZE, 4), Map.entry(BuiltinOp.RELU, 3),
            Map.entry(BuiltinOp.RELU6, 3), Map.entry(BuiltinOp.RESHAPE, 1), Map.entry(BuiltinOp.SOFTMAX, 3),
            Map.entry(BuiltinOp.SQUEEZE, 2), Map.entry(BuiltinOp.STRIDED_SLICE, 8), Map.entry(BuiltinOp.SUB, 5),
            Map.entry(BuiltinOp.TANH, 3), Map.entry(BuiltinOp.TRANSPOSE, 7), Map.entry(BuiltinOp.TRANSPOSE_CONV, 5)));

    record Case(String name, BuiltinOp op, int[] shape, int version, Function<SubgraphBuilder, TensorRef> body) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, BuiltinOp op, int[] shape, int version, Function<SubgraphBuilder, TensorRef> body) {
        return new Case(name, op, shape, version, body);
    }

    static int[] s(int... dims) {
        return dims;
    }

    static TensorRef in8(SubgraphBuilder g, int... shape) {
        return g.input("x", DType.INT8, shape, Q8);
    }

    static TensorRef in16(SubgraphBuilder g, int... shape) {
        return g.input("x", DType.INT16, shape, Q16);
    }

    static TensorRef inF(SubgraphBuilder g, int... shape) {
        return g.input("x", DType.FLOAT32, shape);
    }

    /** Symmetric int8 weights quantized per channel along {@code axis} (scales 0.01, 0.02, ...). */
    static TensorRef weights8(SubgraphBuilder g, String name, int[] shape, int axis) {
        int n = (int) ShapeInference.elements(shape);
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) ((i * 37) % 255 - 127);
        }
        float[] scales = new float[shape[axis]];
        for (int c = 0; c < scales.length; c++) {
            scales[c] = 0.01f * (c + 1);
        }
        return g.constant(name, DType.INT8, shape, data, Quantization.perChannel(scales, new long[scales.length], axis));
    }

    static TensorRef bias32(SubgraphBuilder g, String name, TensorRef input, TensorRef w, int n) {
        int[] v = new int[n];
        Arrays.setAll(v, i -> i * 100 - 50);
        return g.constant(name, new int[] {n}, v, SubgraphBuilder.biasQuantization(input, w));
    }

    static TensorRef weightsF(SubgraphBuilder g, String name, int... shape) {
        float[] v = new float[(int) ShapeInference.elements(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 7) * 0.1f - 0.3f;
        }
        return g.constant(name, shape, v);
    }

    static BuiltinOptions.Conv2D conv(Padding p, int stride) {
        return new BuiltinOptions.Conv2D(p, stride, stride, Activation.NONE, 1, 1);
    }

    static BuiltinOptions.Pool2D pool(Padding p, int size, int stride) {
        return new BuiltinOptions.Pool2D(p, stride, stride, size, size, Activation.NONE);
    }

    static BuiltinOptions.StridedSlice slice(int beginMask, int endMask, int ellipsis, int newAxis, int shrink, boolean offset) {
        return new BuiltinOptions.StridedSlice(beginMask, endMask, ellipsis, newAxis, shrink, offset);
    }

    static Stream<Case> cases() {
        return Stream.of(
                c("conv2d int8: SAME/2 on 7x7 gives ceil(7/2) = 4", BuiltinOp.CONV_2D, s(1, 4, 4, 8), 3, g -> {
                    TensorRef x = in8(g, 1, 7, 7, 3);
                    TensorRef w = weights8(g, "w", s(8, 3, 3, 3), 0);
                    return g.conv2d(x, w, bias32(g, "b", x, w, 8), conv(Padding.SAME, 2), Out.of(DType.INT8, Q8_RELU));
                }),
                c("conv2d float: VALID 7-3+1 = 5", BuiltinOp.CONV_2D, s(1, 5, 5, 2), 1, g ->
                        g.conv2d(inF(g, 1, 7, 7, 3), weightsF(g, "w", 2, 3, 3, 3), weightsF(g, "b", 2),
                                conv(Padding.VALID, 1), Out.float32())),
                c("conv2d int8 grouped (4 channels, filters take 2)", BuiltinOp.CONV_2D, s(1, 4, 4, 6), 6, g -> {
                    TensorRef x = in8(g, 1, 4, 4, 4);
                    TensorRef w = weights8(g, "w", s(6, 1, 1, 2), 0);
                    return g.conv2d(x, w, bias32(g, "b", x, w, 6), conv(Padding.SAME, 1), Out.of(DType.INT8, Q8));
                }),
                c("depthwise int8: multiplier 2, VALID 5-3+1 = 3", BuiltinOp.DEPTHWISE_CONV_2D, s(1, 3, 3, 8), 3, g -> {
                    TensorRef x = in8(g, 1, 5, 5, 4);
                    TensorRef w = weights8(g, "w", s(1, 3, 3, 8), 3);
                    return g.depthwiseConv2d(x, w, bias32(g, "b", x, w, 8),
                            new BuiltinOptions.DepthwiseConv2D(Padding.VALID, 1, 1, 0, Activation.RELU6, 1, 1),
                            Out.of(DType.INT8, Q8_RELU));
                }),
                c("depthwise float dilation 2: effective 5, 9-5+1 = 5", BuiltinOp.DEPTHWISE_CONV_2D, s(1, 5, 5, 2), 2, g ->
                        g.depthwiseConv2d(inF(g, 1, 9, 9, 2), weightsF(g, "w", 1, 3, 3, 2), null,
                                new BuiltinOptions.DepthwiseConv2D(Padding.VALID, 1, 1, 1, Activation.NONE, 2, 2), Out.float32())),
                c("transpose_conv int8 with bias: SAME/2 4 -> 8", BuiltinOp.TRANSPOSE_CONV, s(1, 8, 8, 3), 3, g -> {
                    TensorRef x = in8(g, 1, 4, 4, 8);
                    TensorRef w = weights8(g, "w", s(3, 3, 3, 8), 0);
                    return g.transposeConv(x, w, bias32(g, "b", x, w, 3),
                            new BuiltinOptions.TransposeConv(Padding.SAME, 2, 2, Activation.NONE), Out.of(DType.INT8, Q8));
                }),
                c("conv2d 16x8 with quantized_bias_type INT32 is version 8", BuiltinOp.CONV_2D, s(1, 3, 3, 2), 8, g -> {
                    TensorRef x = in16(g, 1, 3, 3, 4);
                    TensorRef w = weights8(g, "w", s(2, 1, 1, 4), 0);
                    return g.conv2d(x, w, bias32(g, "b", x, w, 2), conv(Padding.VALID, 1).withQuantizedBiasType(DType.INT32),
                            Out.of(DType.INT16, Q16));
                }),
                c("transpose_conv 16x8 with quantized_bias_type INT32 is version 5", BuiltinOp.TRANSPOSE_CONV,
                        s(1, 4, 4, 3), 5, g -> {
                    TensorRef x = in16(g, 1, 2, 2, 8);
                    TensorRef w = weights8(g, "w", s(3, 3, 3, 8), 0);
                    return g.transposeConv(x, w, bias32(g, "b", x, w, 3),
                            new BuiltinOptions.TransposeConv(Padding.SAME, 2, 2, Activation.NONE, DType.INT32),
                            Out.of(DType.INT16, Q16));
                }),
                c("transpose_conv int8 without bias, explicit 7x7", BuiltinOp.TRANSPOSE_CONV, s(1, 7, 7, 3), 2, g ->
                        g.transposeConv(in8(g, 1, 4, 4, 8), weights8(g, "w", s(3, 3, 3, 8), 0), null,
                                new BuiltinOptions.TransposeConv(Padding.SAME, 2, 2, Activation.NONE),
                                Out.of(DType.INT8, Q8).withShape(1, 7, 7, 3))),
                c("transpose_conv float VALID: (5-1)*2+4 = 12", BuiltinOp.TRANSPOSE_CONV, s(1, 3, 12, 4), 1, g ->
                        g.transposeConv(inF(g, 1, 1, 5, 2), weightsF(g, "w", 4, 3, 4, 2), null,
                                new BuiltinOptions.TransposeConv(Padding.VALID, 2, 1, Activation.NONE), Out.float32())),
                c("fully_connected int8", BuiltinOp.FULLY_CONNECTED, s(1, 5), 4, g -> {
                    TensorRef x = in8(g, 1, 12);
                    TensorRef w = g.constant("w", DType.INT8, s(5, 12), new byte[60], Quantization.perTensor(0.01f, 0));
                    return g.fullyConnected(x, w, bias32(g, "b", x, w, 5),
                            new BuiltinOptions.FullyConnected(Activation.RELU, false), Out.of(DType.INT8, Q8_RELU));
                }),
                c("fully_connected 16x8 with quantized_bias_type INT32 is version 11", BuiltinOp.FULLY_CONNECTED, s(1, 5),
                        11, g -> {
                    TensorRef x = in16(g, 1, 12);
                    TensorRef w = g.constant("w", DType.INT8, s(5, 12), new byte[60], Quantization.perTensor(0.01f, 0));
                    return g.fullyConnected(x, w, bias32(g, "b", x, w, 5),
                            new BuiltinOptions.FullyConnected(Activation.NONE, false).withQuantizedBiasType(DType.INT32),
                            Out.of(DType.INT16, Q16));
                }),
                c("fully_connected int8 without bias (-1 input)", BuiltinOp.FULLY_CONNECTED, s(2, 5), 4, g ->
                        g.fullyConnected(in8(g, 2, 12), g.constant("w", DType.INT8, s(5, 12), new byte[60],
                                Quantization.perTensor(0.01f, 0)), null,
                                new BuiltinOptions.FullyConnected(Activation.NONE, false), Out.of(DType.INT8, Q8))),
                c("fully_connected float keep_num_dims", BuiltinOp.FULLY_CONNECTED, s(2, 3, 5), 5, g ->
                        g.fullyConnected(inF(g, 2, 3, 4), weightsF(g, "w", 5, 4), weightsF(g, "b", 5),
                                new BuiltinOptions.FullyConnected(Activation.NONE, true), Out.float32())),
                c("fully_connected float hybrid (int8 weights)", BuiltinOp.FULLY_CONNECTED, s(1, 5), 3, g ->
                        g.fullyConnected(inF(g, 1, 12), g.constant("w", DType.INT8, s(5, 12), new byte[60],
                                Quantization.perTensor(0.01f, 0)), weightsF(g, "b", 5),
                                new BuiltinOptions.FullyConnected(Activation.NONE, false), Out.float32())),
                c("batch_matmul int8: [2,3,4] @ [2,4,5]", BuiltinOp.BATCH_MATMUL, s(2, 3, 5), 2, g ->
                        g.batchMatMul(in8(g, 2, 3, 4), g.input("y", DType.INT8, s(2, 4, 5), Q8),
                                new BuiltinOptions.BatchMatMul(false, false, false), Out.of(DType.INT8, Q8))),
                c("batch_matmul float adj_y", BuiltinOp.BATCH_MATMUL, s(3, 6), 1, g ->
                        g.batchMatMul(inF(g, 3, 4), g.input("y", DType.FLOAT32, s(6, 4)),
                                new BuiltinOptions.BatchMatMul(false, true, false), Out.float32())),
                c("add int8 broadcasting [1,4,4,3] + [3]", BuiltinOp.ADD, s(1, 4, 4, 3), 2, g ->
                        g.add(in8(g, 1, 4, 4, 3), g.constant("k", DType.INT8, s(3), new byte[] {1, 2, 3}, Q8),
                                Activation.RELU, Out.of(DType.INT8, Q8_RELU))),
                c("add int16 (general scaling)", BuiltinOp.ADD, s(1, 8), 3, g ->
                        g.add(in16(g, 1, 8), g.input("y", DType.INT16, s(1, 8), Q16), Out.of(DType.INT16, Q16))),
                c("add float", BuiltinOp.ADD, s(2, 3), 1, g ->
                        g.add(inF(g, 2, 1), g.input("y", DType.FLOAT32, s(1, 3)), Out.float32())),
                c("sub int8", BuiltinOp.SUB, s(1, 4), 2, g ->
                        g.sub(in8(g, 1, 4), g.input("y", DType.INT8, s(1, 4), Q8), Out.of(DType.INT8, Q8))),
                c("sub int16", BuiltinOp.SUB, s(1, 4), 5, g ->
                        g.sub(in16(g, 1, 4), g.input("y", DType.INT16, s(1, 4), Q16), Out.of(DType.INT16, Q16))),
                c("sub float 5-D broadcast", BuiltinOp.SUB, s(2, 1, 1, 1, 3), 3, g ->
                        g.sub(inF(g, 2, 1, 1, 1, 1), g.input("y", DType.FLOAT32, s(3)), Out.float32())),
                c("mul int8, rescale 0.05*0.05/0.01 < 1", BuiltinOp.MUL, s(1, 4), 2, g ->
                        g.mul(in8(g, 1, 4), g.input("y", DType.INT8, s(1, 4), Q8), Out.int8(0.01f, 0))),
                c("mul int8, rescale 0.05*0.05/0.001 >= 1", BuiltinOp.MUL, s(1, 4), 3, g ->
                        g.mul(in8(g, 1, 4), g.input("y", DType.INT8, s(1, 4), Q8), Out.int8(0.001f, 0))),
                c("mul int16", BuiltinOp.MUL, s(1, 4), 4, g ->
                        g.mul(in16(g, 1, 4), g.input("y", DType.INT16, s(1, 4), Q16), Out.of(DType.INT16, Q16))),
                c("average_pool int8: 2x2/2 VALID halves 8x8", BuiltinOp.AVERAGE_POOL_2D, s(1, 4, 4, 3), 2, g ->
                        g.averagePool2d(in8(g, 1, 8, 8, 3), pool(Padding.VALID, 2, 2), Out.of(DType.INT8, Q8))),
                c("max_pool float: 3x3/2 SAME on 7 gives 4", BuiltinOp.MAX_POOL_2D, s(1, 4, 4, 3), 1, g ->
                        g.maxPool2d(inF(g, 1, 7, 7, 3), pool(Padding.SAME, 3, 2))),
                c("max_pool int16", BuiltinOp.MAX_POOL_2D, s(1, 2, 2, 1), 3, g ->
                        g.maxPool2d(in16(g, 1, 4, 4, 1), pool(Padding.VALID, 2, 2))),
                c("mean int8 over H, W with keep_dims", BuiltinOp.MEAN, s(1, 1, 1, 16), 2, g ->
                        g.mean(in8(g, 1, 7, 7, 16), new int[] {1, 2}, true, Out.of(DType.INT8, Q8))),
                c("mean float over -1 without keep_dims", BuiltinOp.MEAN, s(2, 3), 1, g ->
                        g.mean(inF(g, 2, 3, 4), new int[] {-1}, false, Out.float32())),
                c("softmax int8 gets 1/256, -128", BuiltinOp.SOFTMAX, s(1, 10), 2, g ->
                        g.softmax(in8(g, 1, 10), 1f, Out.of(DType.INT8))),
                c("softmax int16", BuiltinOp.SOFTMAX, s(1, 10), 3, g ->
                        g.softmax(in16(g, 1, 10), 1f, Out.of(DType.INT16))),
                c("softmax float", BuiltinOp.SOFTMAX, s(1, 10), 1, g -> g.softmax(inF(g, 1, 10), 0.5f, Out.float32())),
                c("logistic int8", BuiltinOp.LOGISTIC, s(1, 3), 2, g -> g.logistic(in8(g, 1, 3), Out.of(DType.INT8))),
                c("logistic int16", BuiltinOp.LOGISTIC, s(1, 3), 3, g -> g.logistic(in16(g, 1, 3), Out.of(DType.INT16))),
                c("tanh int8 gets 1/128, 0", BuiltinOp.TANH, s(1, 3), 2, g -> g.tanh(in8(g, 1, 3), Out.of(DType.INT8))),
                c("tanh float", BuiltinOp.TANH, s(1, 3), 1, g -> g.tanh(inF(g, 1, 3), Out.float32())),
                c("relu int8", BuiltinOp.RELU, s(1, 3), 2, g -> g.relu(in8(g, 1, 3), Out.of(DType.INT8, Q8_RELU))),
                c("relu uint8", BuiltinOp.RELU, s(1, 3), 2, g -> g.relu(g.input("x", DType.UINT8, s(1, 3), QU8))),
                c("relu int16", BuiltinOp.RELU, s(1, 3), 3, g -> g.relu(in16(g, 1, 3))),
                c("relu float", BuiltinOp.RELU, s(1, 3), 1, g -> g.relu(inF(g, 1, 3))),
                c("relu6 int8", BuiltinOp.RELU6, s(1, 3), 2, g -> g.relu6(in8(g, 1, 3))),
                c("relu6 int16", BuiltinOp.RELU6, s(1, 3), 3, g -> g.relu6(in16(g, 1, 3))),
                c("leaky_relu int8", BuiltinOp.LEAKY_RELU, s(1, 3), 1, g -> g.leakyRelu(in8(g, 1, 3), 0.2f, Out.of(DType.INT8, Q8))),
                c("leaky_relu int16", BuiltinOp.LEAKY_RELU, s(1, 3), 2, g -> g.leakyRelu(in16(g, 1, 3), 0.3f, Out.of(DType.INT16, Q16))),
                c("hard_swish int8", BuiltinOp.HARD_SWISH, s(1, 3), 1, g -> g.hardSwish(in8(g, 1, 3), Out.of(DType.INT8, Q8))),
                c("pad int8: 224 + 1 + 1 = 226", BuiltinOp.PAD, s(1, 226, 226, 3), 2, g ->
                        g.pad(in8(g, 1, 224, 224, 3), new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}})),
                c("pad int16", BuiltinOp.PAD, s(3, 4), 3, g -> g.pad(in16(g, 1, 2), new int[][] {{1, 1}, {0, 2}})),
                c("pad float 5-D", BuiltinOp.PAD, s(1, 1, 1, 1, 4), 4, g ->
                        g.pad(inF(g, 1, 1, 1, 1, 2), new int[][] {{0, 0}, {0, 0}, {0, 0}, {0, 0}, {1, 1}})),
                c("padv2 float with pad value", BuiltinOp.PADV2, s(2, 5), 1, g ->
                        g.padV2(inF(g, 2, 3), new int[][] {{0, 0}, {2, 0}}, g.constant("v", s(), new float[] {-1f}))),
                c("padv2 int8", BuiltinOp.PADV2, s(2, 5), 2, g ->
                        g.padV2(in8(g, 2, 3), new int[][] {{0, 0}, {2, 0}}, g.constant("v", DType.INT8, s(1), new byte[] {-3}, Q8))),
                c("concatenation int8 on axis -1: 3 + 5 channels", BuiltinOp.CONCATENATION, s(1, 4, 4, 8), 2, g ->
                        g.concatenation(List.of(in8(g, 1, 4, 4, 3), g.input("y", DType.INT8, s(1, 4, 4, 5), Q8)), -1)),
                c("concatenation int16", BuiltinOp.CONCATENATION, s(4, 2), 3, g ->
                        g.concatenation(List.of(in16(g, 1, 2), g.input("y", DType.INT16, s(3, 2), Q16)), 0)),
                c("concatenation float", BuiltinOp.CONCATENATION, s(1, 6), 1, g ->
                        g.concatenation(List.of(inF(g, 1, 2), g.input("y", DType.FLOAT32, s(1, 4))), 1, Activation.NONE,
                                Out.float32())),
                c("reshape int8 with -1: 1960 / (49*40) = 1", BuiltinOp.RESHAPE, s(1, 49, 40, 1), 1, g ->
                        g.reshape(in8(g, 1, 1960), new int[] {-1, 49, 40, 1})),
                c("squeeze all size-1 dims", BuiltinOp.SQUEEZE, s(3, 2), 1, g -> g.squeeze(in8(g, 1, 3, 1, 2), new int[0])),
                c("transpose int8 NCHW to NHWC", BuiltinOp.TRANSPOSE, s(1, 224, 224, 3), 2, g ->
                        g.transpose(in8(g, 1, 3, 224, 224), new int[] {0, 2, 3, 1})),
                c("transpose int16", BuiltinOp.TRANSPOSE, s(3, 2), 5, g -> g.transpose(in16(g, 2, 3), new int[] {1, 0})),
                c("transpose float 5-D", BuiltinOp.TRANSPOSE, s(5, 4, 3, 2, 1), 4, g ->
                        g.transpose(inF(g, 1, 2, 3, 4, 5), new int[] {4, 3, 2, 1, 0})),
                c("strided_slice int8: 2:8:2 gives 3", BuiltinOp.STRIDED_SLICE, s(1, 3), 2, g ->
                        g.stridedSlice(in8(g, 1, 10), new int[] {0, 2}, new int[] {1, 8}, new int[] {1, 2},
                                slice(0, 0, 0, 0, 0, false))),
                c("strided_slice float with ellipsis", BuiltinOp.STRIDED_SLICE, s(4, 5, 2), 6, g ->
                        g.stridedSlice(inF(g, 4, 5, 6), new int[] {0, 1}, new int[] {0, 3}, new int[] {1, 1},
                                slice(0, 0, 1, 0, 0, false))),
                c("strided_slice float with offset", BuiltinOp.STRIDED_SLICE, s(3, 4), 8, g ->
                        g.stridedSlice(inF(g, 10, 4), new int[] {2, 0}, new int[] {3, 4}, new int[] {1, 1},
                                slice(0, 0, 0, 0, 0, true))),
                c("quantize float to int8", BuiltinOp.QUANTIZE, s(1, 4), 1, g -> g.quantize(inF(g, 1, 4), Out.of(DType.INT8, Q8))),
                c("quantize float to int16", BuiltinOp.QUANTIZE, s(1, 4), 2, g -> g.quantize(inF(g, 1, 4), Out.of(DType.INT16, Q16))),
                c("quantize uint8 to int8", BuiltinOp.QUANTIZE, s(1, 784), 1, g ->
                        g.quantize(g.input("x", DType.UINT8, s(1, 784), Quantization.perTensor(1f / 255, 0)),
                                Out.int8(1f / 255, -128))),
                c("quantize float to per-channel int8", BuiltinOp.QUANTIZE, s(2, 3), 3, g ->
                        g.quantize(inF(g, 2, 3), Out.of(DType.INT8, Quantization.perChannel(new float[] {0.1f, 0.2f, 0.3f},
                                new long[3], 1)))),
                c("dequantize int8", BuiltinOp.DEQUANTIZE, s(1, 4), 2, g -> g.dequantize(in8(g, 1, 4))),
                c("dequantize int16", BuiltinOp.DEQUANTIZE, s(1, 4), 3, g -> g.dequantize(in16(g, 1, 4))),
                c("dequantize uint8", BuiltinOp.DEQUANTIZE, s(1, 4), 1, g -> g.dequantize(g.input("x", DType.UINT8, s(1, 4), QU8))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void builderOpReadsBackWithTheInferredShapeAndVersion(Case c) {
        ModelBuilder mb = ModelBuilder.create().description(c.name());
        SubgraphBuilder g = mb.main();
        TensorRef out = c.body().apply(g);
        g.output(out);
        TfliteModel m = mb.build();

        Subgraph sg = m.mainSubgraph();
        Operator op = sg.operators().get(sg.operators().size() - 1);
        assertThat(op.op()).isEqualTo(c.op());
        assertThat(sg.tensor(op.output(0)).shape()).as("inferred output shape").isEqualTo(c.shape());
        assertThat(out.shape()).as("the handle's shape").isEqualTo(c.shape());
        assertThat(op.opcode().version()).as("op version").isEqualTo(c.version());
        assertThat(op.opcode().version()).as("within TFLite 2.19's registered range")
                .isBetween(1, TFLITE_2_19_MAX.get(c.op()));
        assertThat(OpVersions.of(sg, op)).as("versions recomputed from the read model").isEqualTo(c.version());
        assertThat(sg.outputs()).containsExactly(out.index());
        assertThat(m.warnings()).isEmpty();

        // What a reader sees of the bytes is the model; writing that view again gives the same bytes.
        TfliteModel reread = TfliteModel.fromBytes(m.toBytes());
        ModelAssertions.assertSameModel(c.name(), m, reread);
        assertThat(ModelWriterBytes.of(reread)).as("writer reproduces the builder's bytes").isEqualTo(m.toBytes());
    }

    /** Writes a model view with litebit's writer (not returning the bytes it was loaded from). */
    static final class ModelWriterBytes {
        static byte[] of(TfliteModel m) {
            return io.litebit.model.io.ModelWriter.toArray(m.write());
        }
    }
}
