package io.litebit.model.build;

import static io.litebit.model.build.ModelBuilderOpsTest.Q8;
import static io.litebit.model.build.ModelBuilderOpsTest.weights8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.ModelAssertions;
import io.litebit.model.Operator;
import io.litebit.model.OperatorCode;
import io.litebit.model.Quantization;
import io.litebit.model.SignatureDef;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.options.Padding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelBuilderTest {

    private static final BuiltinOptions.Conv2D SAME_1 = new BuiltinOptions.Conv2D(Padding.SAME, 1, 1, Activation.NONE, 1, 1);

    private static TfliteModel identityModel(java.util.function.Consumer<SubgraphBuilder> constants) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1});
        constants.accept(g);
        g.output(g.relu(x));
        return mb.build();
    }

    private static ByteBuffer data(TfliteModel m, String name) {
        return m.mainSubgraph().tensor(name).orElseThrow().data().orElseThrow().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void constantsRoundTripBitExactly() {
        float[] floats = {0f, -0f, 1.5f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY,
                Float.intBitsToFloat(0x7fc00001), -3.25e-20f};
        byte[] int8 = {Byte.MIN_VALUE, -1, 0, 1, Byte.MAX_VALUE, 42};
        byte[] uint8 = {0, 1, (byte) 200, (byte) 255, 127, (byte) 128};
        short[] int16 = {Short.MIN_VALUE, -2, 0, 7, Short.MAX_VALUE, 1000};
        int[] int32 = {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, 123456789};
        long[] int64 = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 0x0102030405060708L};
        boolean[] bools = {true, false, false, true, true, false};
        TfliteModel m = identityModel(g -> {
            g.constant("f32", new int[] {2, 4}, floats);
            g.constant("i8", DType.INT8, new int[] {2, 3}, int8, Q8);
            g.constant("u8", DType.UINT8, new int[] {6}, uint8, Quantization.perTensor(0.1f, 128));
            g.constant("i16", new int[] {3, 2}, int16, Quantization.perTensor(0.001f, 0));
            g.constant("i32", new int[] {6}, int32);
            g.constant("i64", new int[] {1, 6}, int64);
            g.constant("b", new int[] {6}, bools);
            g.constant("scalar", new int[0], new float[] {7f});
            ByteBuffer raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(-2f);
            g.constant("raw", DType.FLOAT32, new int[] {2}, raw.array(), Quantization.NONE);
        });
        ByteBuffer f = data(m, "f32");
        for (float v : floats) {
            assertThat(Float.floatToRawIntBits(f.getFloat())).isEqualTo(Float.floatToRawIntBits(v));
        }
        assertThat(bytes(data(m, "i8"))).containsExactly(int8);
        assertThat(bytes(data(m, "u8"))).containsExactly(uint8);
        ByteBuffer s = data(m, "i16");
        for (short v : int16) {
            assertThat(s.getShort()).isEqualTo(v);
        }
        ByteBuffer i = data(m, "i32");
        for (int v : int32) {
            assertThat(i.getInt()).isEqualTo(v);
        }
        ByteBuffer l = data(m, "i64");
        for (long v : int64) {
            assertThat(l.getLong()).isEqualTo(v);
        }
        assertThat(bytes(data(m, "b"))).containsExactly(1, 0, 0, 1, 1, 0);
        assertThat(data(m, "scalar").getFloat()).isEqualTo(7f);
        assertThat(m.mainSubgraph().tensor("scalar").orElseThrow().shape()).isEmpty();
        ByteBuffer raw = data(m, "raw");
        assertThat(raw.getFloat()).isEqualTo(1f);
        assertThat(raw.getFloat()).isEqualTo(-2f);
        Tensor u8 = m.mainSubgraph().tensor("u8").orElseThrow();
        assertThat(u8.dtype()).isEqualTo(DType.UINT8);
        assertThat(u8.quantization().zeroPoint(0)).isEqualTo(128);
        // Each constant has its own buffer after the empty buffer 0; "x" and the output have none.
        assertThat(m.buffers().get(0)).isNull();
        assertThat(m.mainSubgraph().tensor(0).buffer()).isEqualTo(0);
        assertThat(m.mainSubgraph().tensors().stream().filter(Tensor::isConstant).map(Tensor::buffer).distinct().count())
                .isEqualTo(9);
    }

    @Test
    void perChannelQuantizationRoundTrips() {
        float[] scales = {0.5f, 0.25f, 1e-9f, 3.0e-3f};
        long[] zps = {0, 0, 0, 0};
        TfliteModel m = identityModel(g -> {
            g.constant("w", DType.INT8, new int[] {4, 1, 1, 2}, new byte[8], Quantization.perChannel(scales, zps, 0));
            g.constant("dw", DType.INT8, new int[] {1, 1, 1, 4}, new byte[4], Quantization.perChannel(scales, zps, 3));
            g.constant("asym", DType.UINT8, new int[] {2, 2}, new byte[4],
                    Quantization.perChannel(new float[] {0.1f, 0.2f}, new long[] {3, 250}, 1));
        });
        Quantization w = m.mainSubgraph().tensor("w").orElseThrow().quantization();
        assertThat(w.scales()).containsExactly(scales);
        assertThat(w.zeroPoints()).containsExactly(zps);
        assertThat(w.quantizedDimension()).isEqualTo(0);
        assertThat(m.mainSubgraph().tensor("dw").orElseThrow().quantization().quantizedDimension()).isEqualTo(3);
        Quantization asym = m.mainSubgraph().tensor("asym").orElseThrow().quantization();
        assertThat(asym.zeroPoints()).containsExactly(3, 250);
        assertThat(asym.quantizedDimension()).isEqualTo(1);
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void biasQuantizationIsInputScaleTimesWeightScalePerChannel() {
        Quantization in = Quantization.perTensor(0.5f, -128);
        Quantization w = Quantization.perChannel(new float[] {0.1f, 0.02f}, new long[2], 0);
        Quantization b = SubgraphBuilder.biasQuantization(in, w);
        assertThat(b.scales()).containsExactly(0.5f * 0.1f, 0.5f * 0.02f);
        assertThat(b.zeroPoints()).containsExactly(0, 0);
        assertThat(SubgraphBuilder.biasQuantization(in, Quantization.perTensor(0.1f, 0)).isPerTensor()).isTrue();
    }

    @Test
    void constantSizeIsCheckedAgainstTheShape() {
        SubgraphBuilder g = ModelBuilder.create().main();
        assertThatThrownBy(() -> g.constant("w", new int[] {2, 3}, new float[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("constant \"w\": shape [2, 3] needs 6 float32 values, given 5");
        assertThatThrownBy(() -> g.constant("q", DType.INT8, new int[] {4}, new byte[3], Q8))
                .hasMessage("constant \"q\": shape [4] needs 4 int8 values, given 3");
        assertThatThrownBy(() -> g.constant("r", DType.INT32, new int[] {2}, new byte[7], Quantization.NONE))
                .hasMessage("constant \"r\": shape [2] needs 8 bytes (int32), given 7");
        assertThatThrownBy(() -> g.constant("l", new int[] {3}, new long[] {1, 2}))
                .hasMessage("constant \"l\": shape [3] needs 3 int64 values, given 2");
        assertThatThrownBy(() -> g.constant("n", new int[] {-1}, new int[] {1}))
                .hasMessageContaining("dimensions must be >= 0");
    }

    @Test
    void quantizationIsCheckedAgainstTheTensor() {
        SubgraphBuilder g = ModelBuilder.create().main();
        assertThatThrownBy(() -> g.constant("w", DType.INT8, new int[] {3, 2}, new byte[6],
                Quantization.perChannel(new float[] {1, 1}, new long[2], 0)))
                .hasMessageContaining("per-channel quantization along dimension 0 needs 3 scales (shape [3, 2]), given 2");
        assertThatThrownBy(() -> g.input("x", DType.INT8, new int[] {2}, Quantization.perChannel(new float[] {1, 1}, new long[2], 1)))
                .hasMessageContaining("quantized_dimension 1 is outside the shape [2]");
        assertThatThrownBy(() -> g.input("y", DType.INT8, new int[] {2}, Quantization.perTensor(0.1f, 200)))
                .hasMessageContaining("zero point 200 is outside the int8 range -128..127");
        assertThatThrownBy(() -> g.input("z", DType.UINT8, new int[] {2}, Quantization.perTensor(0f, 0)))
                .hasMessageContaining("scales must be positive and finite");
    }

    @Test
    void unknownTensorsAreRejected() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder main = mb.main();
        SubgraphBuilder other = mb.addSubgraph("other");
        TensorRef x = other.input("x", DType.FLOAT32, new int[] {1, 2});
        assertThatThrownBy(() -> main.relu(x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RELU: unknown tensor tensor 0 \"x\"")
                .hasMessageContaining("belongs to subgraph 1, not to subgraph 0");
        TensorRef foreign = ModelBuilder.create().main().input("y", DType.FLOAT32, new int[] {1});
        assertThatThrownBy(() -> main.output(foreign)).hasMessageContaining("belongs to another ModelBuilder");
        assertThatThrownBy(() -> main.tensor("nope")).hasMessage("subgraph 0 has no tensor named \"nope\"");
        assertThatThrownBy(() -> main.relu(null)).hasMessageContaining("RELU: a required tensor is null");
    }

    @Test
    void typeMismatchesAreRejected() {
        SubgraphBuilder g = ModelBuilder.create().main();
        TensorRef a = g.input("a", DType.INT8, new int[] {1, 4}, Q8);
        TensorRef b = g.input("b", DType.UINT8, new int[] {1, 4}, Quantization.perTensor(0.1f, 128));
        TensorRef f = g.input("f", DType.FLOAT32, new int[] {1, 4});
        assertThatThrownBy(() -> g.add(a, b, Out.of(DType.INT8, Q8)))
                .hasMessageContaining("ADD: input 2 must have the type of input 1 (int8), given tensor 1 \"b\" uint8[1, 4]");
        assertThatThrownBy(() -> g.add(a, a, Out.float32()))
                .hasMessage("ADD: output type must be int8, given float32");
        assertThatThrownBy(() -> g.concatenation(List.of(a, f), 1))
                .hasMessageContaining("CONCATENATION: input 1 must have the type of input 0 (int8)");
        assertThatThrownBy(() -> g.reshape(a, new int[] {4}, Out.float32()))
                .hasMessage("RESHAPE: output type must be int8, given float32");
        assertThatThrownBy(() -> g.add(a, a, Out.of(DType.INT8)))
                .hasMessage("ADD: the int8 output needs quantization parameters (scale, zero point)");
        TensorRef unquantized = g.input("u", DType.INT8, new int[] {1, 4});
        assertThatThrownBy(() -> g.relu(unquantized))
                .hasMessageContaining("has no quantization parameters; TFLite's integer kernels need scale and zero point");
        assertThatThrownBy(() -> g.dequantize(f)).hasMessageContaining("DEQUANTIZE: input type must be one of");
        assertThatThrownBy(() -> g.quantize(f, Out.of(DType.INT8)))
                .hasMessage("QUANTIZE: the output needs quantization parameters (scale, zero point)");
        TensorRef y = g.input("y", DType.INT8, new int[] {1, 4}, Quantization.perTensor(0.07f, 1));
        assertThatThrownBy(() -> g.concatenation(List.of(a, y), 1))
                .hasMessageContaining("TFLite's int8 concatenation needs equal scale and zero point");
    }

    @Test
    void weightedOpsCheckLayoutsBiasesAndQuantization() {
        SubgraphBuilder g = ModelBuilder.create().main();
        TensorRef x = g.input("x", DType.INT8, new int[] {1, 5, 5, 2}, Q8);
        TensorRef w3 = g.constant("w3", DType.INT8, new int[] {4, 3, 2}, new byte[24], Quantization.perTensor(0.1f, 0));
        assertThatThrownBy(() -> g.conv2d(x, w3, null, SAME_1, Out.of(DType.INT8, Q8)))
                .hasMessage("CONV_2D: filter (weights) must have rank 4 [out_channels, height, width, in_channels], "
                        + "given tensor 1 \"w3\" int8[4, 3, 2] scale=0.1 zero_point=0");
        TensorRef w = weights8(g, "w", new int[] {4, 3, 3, 2}, 0);
        assertThatThrownBy(() -> g.conv2d(x, w, null, SAME_1, Out.of(DType.INT8, Q8)))
                .hasMessageContaining("CONV_2D: a bias is required");
        TensorRef wrongScale = g.constant("b1", new int[] {4}, new int[4], Quantization.perChannel(
                new float[] {1, 1, 1, 1}, new long[4], 0));
        assertThatThrownBy(() -> g.conv2d(x, w, wrongScale, SAME_1, Out.of(DType.INT8, Q8)))
                .hasMessageContaining("bias scale 1.0 (channel 0) must equal input_scale * weight_scale = 0.05 * 0.01");
        TensorRef unquantizedBias = g.constant("b2", new int[] {4}, new int[4]);
        assertThatThrownBy(() -> g.conv2d(x, w, unquantizedBias, SAME_1, Out.of(DType.INT8, Q8)))
                .hasMessageContaining("needs scale input_scale * weight_scale and zero point 0");
        TensorRef floatBias = g.constant("b3", new int[] {4}, new float[4]);
        assertThatThrownBy(() -> g.conv2d(x, w, floatBias, SAME_1, Out.of(DType.INT8, Q8)))
                .hasMessageContaining("int8 input needs a bias of type [int32]");
        TensorRef shortBias = g.constant("b4", new int[] {3}, new int[3], Quantization.perTensor(0.0005f, 0));
        assertThatThrownBy(() -> g.conv2d(x, w, shortBias, SAME_1, Out.of(DType.INT8, Q8)))
                .hasMessageContaining("bias must have 4 elements (one per output channel)");
        TensorRef wrongAxis = weights8(g, "w_axis3", new int[] {2, 3, 3, 2}, 3);
        assertThatThrownBy(() -> g.conv2d(x, wrongAxis, null, SAME_1, Out.of(DType.INT8, Q8)))
                .isInstanceOf(IllegalArgumentException.class);
        TensorRef asymmetric = g.constant("w_zp", DType.INT8, new int[] {4, 3, 3, 2}, new byte[72], Quantization.perTensor(0.1f, 3));
        TensorRef okBias = g.constant("b5", new int[] {4}, new int[4], SubgraphBuilder.biasQuantization(x, asymmetric));
        assertThatThrownBy(() -> g.conv2d(x, asymmetric, okBias, SAME_1, Out.of(DType.INT8, Q8)))
                .hasMessageContaining("int8 weights must be symmetric (zero point 0)");
        TensorRef floatW = g.constant("wf", new int[] {4, 3, 3, 2}, new float[72]);
        assertThatThrownBy(() -> g.conv2d(x, floatW, okBias, SAME_1, Out.of(DType.INT8, Q8)))
                .hasMessageContaining("CONV_2D: int8 input needs weights of type [int4, int8]");
        TensorRef dwW = weights8(g, "dw", new int[] {1, 3, 3, 4}, 2);
        assertThatThrownBy(() -> g.depthwiseConv2d(x, dwW, null,
                new BuiltinOptions.DepthwiseConv2D(Padding.SAME, 1, 1, 0, Activation.NONE, 1, 1), Out.of(DType.INT8, Q8)))
                .hasMessageContaining("per-channel weights must be quantized along dimension 3 with 4 scales");
        TensorRef fcW = g.constant("fc", DType.INT8, new int[] {3, 7}, new byte[21], Quantization.perTensor(0.1f, 0));
        assertThatThrownBy(() -> g.fullyConnected(x, fcW, null, new BuiltinOptions.FullyConnected(Activation.NONE, false),
                Out.of(DType.INT8, Q8)))
                .hasMessageContaining("FULLY_CONNECTED: input [1, 5, 5, 2] has 50 elements, not a multiple of the weights' input size 7");
    }

    @Test
    void outputQuantizationThatTfliteFixesIsFilledOrChecked() {
        SubgraphBuilder g = ModelBuilder.create().main();
        TensorRef x = g.input("x", DType.INT8, new int[] {1, 4}, Q8);
        TensorRef p = g.softmax(x, 1f, Out.of(DType.INT8));
        assertThat(p.quantization()).isEqualTo(Quantization.perTensor(1f / 256, -128));
        assertThat(g.tanh(x, Out.of(DType.INT8)).quantization()).isEqualTo(Quantization.perTensor(1f / 128, 0));
        assertThat(g.logistic(g.input("u", DType.UINT8, new int[] {2}, Quantization.perTensor(0.1f, 128)), Out.of(DType.UINT8))
                .quantization()).isEqualTo(Quantization.perTensor(1f / 256, 0));
        assertThat(g.softmax(x, 1f, Out.of(DType.INT16)).quantization()).as("int8 in, int16 out")
                .isEqualTo(Quantization.perTensor(1f / 32768, 0));
        assertThatThrownBy(() -> g.softmax(x, 1f, Out.int8(0.1f, 0)))
                .hasMessageContaining("SOFTMAX: TFLite requires a int8 output with scale 0.00390625 and zero point -128, given scale=0.1 zero_point=0");
    }

    @Test
    void explicitShapesMustMatchWhatTfliteComputes() {
        SubgraphBuilder g = ModelBuilder.create().main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 7, 7, 3});
        TensorRef same = g.maxPool2d(x, new BuiltinOptions.Pool2D(Padding.SAME, 2, 2, 2, 2, Activation.NONE),
                Out.float32().withShape(1, 4, 4, 3));
        assertThat(same.shape()).containsExactly(1, 4, 4, 3);
        assertThatThrownBy(() -> g.maxPool2d(x, new BuiltinOptions.Pool2D(Padding.VALID, 2, 2, 2, 2, Activation.NONE),
                Out.float32().withShape(1, 4, 4, 3)))
                .hasMessage("MAX_POOL_2D: explicit output shape [1, 4, 4, 3] differs from the shape TFLite computes, [1, 3, 3, 3]");
        assertThatThrownBy(() -> g.reshape(x, new int[] {2, -1}))
                .hasMessageContaining("RESHAPE: cannot infer the -1 in [2, -1]: input [1, 7, 7, 3] has 147 elements");
        assertThatThrownBy(() -> g.transposeConv(x, g.constant("w", new int[] {2, 3, 3, 3}, new float[54]), null,
                new BuiltinOptions.TransposeConv(Padding.SAME, 2, 2, Activation.NONE), Out.float32().withShape(1, 16, 16, 2)))
                .hasMessageContaining("TRANSPOSE_CONV: output shape [1, 16, 16, 2] does not invert to the input");
    }

    @Test
    void incompleteModelsAreRejectedAtBuild() {
        assertThatThrownBy(() -> ModelBuilder.create().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the model has no subgraph");
        ModelBuilder noOutputs = ModelBuilder.create();
        noOutputs.main().input("x", DType.FLOAT32, new int[] {1});
        assertThatThrownBy(noOutputs::build).hasMessage("subgraph 0 \"main\" has no outputs: mark them with output(...)");
        ModelBuilder dangling = ModelBuilder.create();
        SubgraphBuilder g = dangling.main();
        TensorRef t = g.tensor("never_written", DType.FLOAT32, new int[] {2}, Quantization.NONE);
        g.output(g.relu(t));
        assertThatThrownBy(dangling::build)
                .hasMessageContaining("operator 0 (RELU) reads tensor 0 \"never_written\" float32[2], which is not an input, "
                        + "a constant or written by an earlier operator");
        SubgraphBuilder h = ModelBuilder.create().main();
        h.input("x", DType.FLOAT32, new int[] {1});
        assertThatThrownBy(() -> h.input("x", DType.FLOAT32, new int[] {1}))
                .hasMessageContaining("subgraph 0 already has a tensor named \"x\" (tensor 0); tensor names must be unique");
    }

    @Test
    void operatorCodesAreSharedPerOpVersionAndCustomCode() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.INT8, new int[] {1, 4, 4, 2}, Q8);
        TensorRef w1 = weights8(g, "w1", new int[] {2, 1, 1, 2}, 0);
        TensorRef c1 = g.conv2d(x, w1, g.constant("b1", new int[] {2}, new int[2], SubgraphBuilder.biasQuantization(x, w1)),
                SAME_1, Out.of(DType.INT8, Q8));
        TensorRef w2 = weights8(g, "w2", new int[] {2, 1, 1, 2}, 0);
        TensorRef c2 = g.conv2d(c1, w2, g.constant("b2", new int[] {2}, new int[2], SubgraphBuilder.biasQuantization(c1, w2)),
                SAME_1, Out.of(DType.INT8, Q8));
        TensorRef f = g.dequantize(c2);
        TensorRef c3 = g.conv2d(f, g.constant("wf", new int[] {2, 1, 1, 2}, new float[4]), g.constant("bf", new int[] {2}, new float[2]),
                SAME_1, Out.float32());
        g.output(c3);
        SubgraphBuilder body = mb.addSubgraph("second");
        TensorRef y = body.input("y", DType.INT8, new int[] {1, 4, 4, 2}, Q8);
        TensorRef w3 = weights8(body, "w3", new int[] {2, 1, 1, 2}, 0);
        body.output(body.conv2d(y, w3, body.constant("b3", new int[] {2}, new int[2], SubgraphBuilder.biasQuantization(y, w3)),
                SAME_1, Out.of(DType.INT8, Q8)));
        TfliteModel m = mb.build();
        assertThat(m.operatorCodes()).containsExactly(OperatorCode.of(BuiltinOp.CONV_2D, 3),
                OperatorCode.of(BuiltinOp.DEQUANTIZE, 2), OperatorCode.of(BuiltinOp.CONV_2D, 1));
        assertThat(m.mainSubgraph().operators().stream().mapToInt(Operator::opcodeIndex).toArray()).containsExactly(0, 0, 1, 2);
        assertThat(m.subgraphs().get(1).operator(0).opcodeIndex()).as("shared across subgraphs").isEqualTo(0);
    }

    @Test
    void subgraphsSignaturesDescriptionAndMetadata() {
        ModelBuilder mb = ModelBuilder.create().description("two entry points");
        SubgraphBuilder main = mb.main();
        TensorRef a = main.input("a", DType.FLOAT32, new int[] {1, 3});
        TensorRef b = main.input("b", DType.FLOAT32, new int[] {1, 3});
        TensorRef sum = main.add(a, b, Out.float32().named("sum"));
        main.output(sum);
        SubgraphBuilder second = mb.addSubgraph("negate");
        TensorRef x = second.input("x", DType.FLOAT32, new int[] {2});
        TensorRef minusOne = second.constant("minus_one", new int[] {1}, new float[] {-1f});
        second.output(second.mul(x, minusOne, Out.float32().named("neg")));
        mb.signature("serving_default", main);
        Map<String, TensorRef> ins = new LinkedHashMap<>();
        ins.put("value", x);
        mb.signature("negate", second, ins, Map.of("result", second.tensor("neg")));
        mb.metadata("min_runtime_version", "1.14.0");
        mb.metadata("blob", new byte[] {1, 2, 3, 0, (byte) 255});
        TfliteModel m = mb.build();

        assertThat(m.description()).isEqualTo("two entry points");
        assertThat(m.subgraphs()).extracting(Subgraph::name).containsExactly("main", "negate");
        assertThat(m.mainSubgraph().inputs()).containsExactly(0, 1);
        assertThat(m.subgraphs().get(1).inputs()).containsExactly(0);
        assertThat(m.signatures()).containsExactly(
                new SignatureDef("serving_default", 0, Map.of("a", 0, "b", 1), Map.of("sum", 2)),
                new SignatureDef("negate", 1, Map.of("value", 0), Map.of("result", 2)));
        assertThat(m.signatures().get(0).inputs().keySet()).containsExactly("a", "b");
        assertThat(m.metadata("min_runtime_version").orElseThrow().asText()).isEqualTo("1.14.0");
        assertThat(bytes(m.metadata("blob").orElseThrow().data())).containsExactly(1, 2, 3, 0, -1);
        ModelAssertions.assertSameModel("reread", m, TfliteModel.fromBytes(m.toBytes()));

        assertThatThrownBy(() -> mb.signature("negate", main)).hasMessage("signature \"negate\" is already defined");
        assertThatThrownBy(() -> mb.signature("bad", main, Map.of("x", x), Map.of()))
                .hasMessageContaining("signature \"bad\": \"x\" is an unknown tensor");
        assertThatThrownBy(() -> mb.metadata("blob", new byte[0])).hasMessage("metadata \"blob\" is already set");
    }

    @Test
    void genericAndCustomOperators() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {2, 2});
        TensorRef e = g.tensor("exp", DType.FLOAT32, new int[] {2, 2}, Quantization.NONE);
        g.op(BuiltinOp.EXP, BuiltinOptions.None.INSTANCE, List.of(x), List.of(e));
        TensorRef c = g.tensor("custom_out", DType.FLOAT32, new int[] {2, 2}, Quantization.NONE);
        g.custom("MyOp", 2, new byte[] {9, 8, 7}, List.of(e), List.of(c));
        TensorRef z = g.tensor("gelu", DType.FLOAT32, new int[] {2, 2}, Quantization.NONE);
        g.op(BuiltinOp.GELU, 5, BuiltinOptions.None.INSTANCE, java.util.Arrays.asList(c, null), List.of(z));
        g.output(z);
        TfliteModel m = mb.build();
        List<Operator> ops = m.mainSubgraph().operators();
        assertThat(ops.get(0).opcode()).isEqualTo(OperatorCode.of(BuiltinOp.EXP, 1));
        assertThat(ops.get(1).opcode()).isEqualTo(OperatorCode.custom("MyOp", 2));
        assertThat(bytes(ops.get(1).customOptions().orElseThrow())).containsExactly(9, 8, 7);
        assertThat(ops.get(2).opcode().displayName()).isEqualTo("GELU");
        assertThat(ops.get(2).opcode().version()).isEqualTo(5);
        assertThat(ops.get(2).inputs()).as("optional input written as -1").containsExactly(c.index(), -1);

        assertThatThrownBy(() -> g.op(BuiltinOp.EXP, BuiltinOptions.None.INSTANCE, List.of(x), List.of(e)))
                .hasMessageContaining("EXP: tensor 1 \"exp\" float32[2, 2] is already written by operator 0 (EXP)");
        assertThatThrownBy(() -> g.op(BuiltinOp.EXP, BuiltinOptions.None.INSTANCE, List.of(e), List.of(x)))
                .hasMessageContaining("cannot write subgraph input");
    }

    @Test
    void fullyConnectedWithoutBiasWritesTheOmittedInputAsMinusOne() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 3});
        g.output(g.fullyConnected(x, g.constant("w", new int[] {2, 3}, new float[6]), null,
                new BuiltinOptions.FullyConnected(Activation.NONE, false), Out.float32()));
        Operator fc = mb.build().mainSubgraph().operator(0);
        assertThat(fc.inputs()).containsExactly(0, 1, -1);
        assertThat(fc.opcode().version()).isEqualTo(1);
    }

    @Test
    void shapeOperandsBecomeNamedConstants() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 2, 3});
        TensorRef r = g.reshape(x, new int[] {1, -1}, Out.float32().named("flat"));
        TensorRef m = g.mean(x, new int[] {1}, false, Out.float32());
        g.output(r, m);
        TfliteModel model = mb.build();
        Subgraph sg = model.mainSubgraph();
        Tensor shape = sg.tensor("flat/shape").orElseThrow();
        assertThat(shape.dtype()).isEqualTo(DType.INT32);
        assertThat(shape.data().orElseThrow().getInt(4)).isEqualTo(-1);
        assertThat(sg.operator(0).options()).isEqualTo(new BuiltinOptions.Reshape(new int[] {1, -1}));
        assertThat(sg.operator(0).inputs()).containsExactly(0, shape.index());
        assertThat(sg.tensor("mean/axes")).isPresent();
        assertThat(sg.tensor(sg.operator(1).output(0)).name()).isEqualTo("mean");
    }

    @Test
    void buildingTwiceGivesTheSameBytes() {
        byte[] first = ModelBuilderTest.sample().toBytes();
        byte[] second = ModelBuilderTest.sample().toBytes();
        assertThat(second).isEqualTo(first);
        assertThat(Arrays.copyOfRange(first, 4, 8)).as("file identifier").containsExactly('T', 'F', 'L', '3');
    }

    private static TfliteModel sample() {
        ModelBuilder mb = ModelBuilder.create().description("sample");
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.INT8, new int[] {1, 6, 6, 2}, Q8);
        TensorRef w = weights8(g, "w", new int[] {4, 3, 3, 2}, 0);
        TensorRef c = g.conv2d(x, w, g.constant("b", new int[] {4}, new int[] {1, 2, 3, 4}, SubgraphBuilder.biasQuantization(x, w)),
                new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, Activation.RELU, 1, 1), Out.int8(0.1f, -128));
        g.output(g.softmax(g.reshape(c, new int[] {1, -1}), 1f, Out.of(DType.INT8)));
        mb.signature("serving_default", g);
        return mb.build();
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
