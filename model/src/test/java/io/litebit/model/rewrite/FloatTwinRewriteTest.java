package io.litebit.model.rewrite;

import static io.litebit.model.rewrite.FloatTwinSharedModelsTest.floats;
import static io.litebit.model.rewrite.RewriteAssertions.assertRereads;
import static io.litebit.model.rewrite.TinyModel.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.Quantization;
import io.litebit.model.SignatureDef;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Graph surgery of the float twin on small models assembled in the test. */
class FloatTwinRewriteTest {

    /**
     * in(float) -QUANTIZE-> q -QUANTIZE-> rq (requantize) -FC(w, b)-> fc -DEQUANTIZE-> out(float)
     * and q, rq -ADD-> sum -DEQUANTIZE-> sum_f(float): q feeds both the requantize and the ADD.
     */
    private static TfliteModel requantizeChain() {
        TinyModel m = new TinyModel();
        int in = m.activation("in", DType.FLOAT32, shape(1, 4), shape(-1, 4), Quantization.NONE, false);
        int q = m.activation("q", DType.INT8, shape(1, 4), Quantization.perTensor(0.05f, 3));
        int rq = m.activation("rq", DType.INT8, shape(1, 4), Quantization.perTensor(0.1f, -2));
        int w = m.int8("w", shape(2, 4), Quantization.perChannel(new float[] {0.01f, 0.02f}, new long[] {0, 0}, 0),
                1, -2, 3, -4, 127, -128, 0, 5);
        int b = m.int32("b", shape(2), Quantization.perChannel(new float[] {0.001f, 0.002f}, new long[] {0, 0}, 0),
                1000, -70000);
        int fc = m.activation("fc", DType.INT8, shape(1, 2), Quantization.perTensor(0.2f, 1));
        int out = m.activation("out", DType.FLOAT32, shape(1, 2), Quantization.NONE);
        int sum = m.activation("sum", DType.INT8, shape(1, 4), Quantization.perTensor(0.1f, 0));
        int sumF = m.activation("sum_f", DType.FLOAT32, shape(1, 4), Quantization.NONE);
        m.op(BuiltinOp.QUANTIZE, 1, null, new int[] {in}, q);
        m.op(BuiltinOp.QUANTIZE, 1, null, new int[] {q}, rq);
        m.op(BuiltinOp.FULLY_CONNECTED, 4, new BuiltinOptions.FullyConnected(Activation.RELU, false), new int[] {rq, w, b}, fc);
        m.op(BuiltinOp.DEQUANTIZE, 2, null, new int[] {fc}, out);
        m.op(BuiltinOp.ADD, 2, new BuiltinOptions.Add(Activation.NONE, true), new int[] {q, rq}, sum);
        m.op(BuiltinOp.DEQUANTIZE, 2, null, new int[] {sum}, sumF);
        return m.build(new int[] {in}, new int[] {out, sumF},
                new SignatureDef("serving_default", 0, Map.of("x", in), Map.of("y", out, "s", sumF)));
    }

    @Test
    void edgeAndMidGraphQuantizeOpsDisappearAndConsumersAreRewired() {
        TfliteModel model = requantizeChain();
        FloatTwin twin = Rewriters.floatTwinWithMapping(model);
        Subgraph f = twin.model().mainSubgraph();

        assertThat(f.operators()).extracting(Operator::op).containsExactly(BuiltinOp.FULLY_CONNECTED, BuiltinOp.ADD);
        assertThat(f.tensors()).extracting(Tensor::name).containsExactly("in", "w", "b", "out", "sum_f");
        Operator fc = f.operator(0);
        Operator add = f.operator(1);
        // The FC reads the model's float input (the requantize is gone) and writes the model's output.
        assertThat(f.tensor(fc.input(0)).name()).isEqualTo("in");
        assertThat(f.tensor(fc.output(0)).name()).isEqualTo("out");
        // q fed both the requantize and the ADD; both of the ADD's inputs now read the input.
        assertThat(add.inputs()).containsExactly(fc.input(0), fc.input(0));
        assertThat(f.tensor(add.output(0)).name()).isEqualTo("sum_f");
        assertThat(f.inputTensor(0).shapeSignature()).containsExactly(-1, 4);
        assertThat(f.outputs()).containsExactly(fc.output(0), add.output(0));
        assertThat(twin.model().signatures()).containsExactly(new SignatureDef("serving_default", 0,
                Map.of("x", f.inputs()[0]), Map.of("y", f.outputs()[0], "s", f.outputs()[1])));
        assertThat(twin.model().operatorCodes()).extracting(c -> c.op() + " v" + c.version())
                .containsExactly("FULLY_CONNECTED v1", "ADD v1");
        assertRereads("requantize chain", twin.model());
    }

    @Test
    void theMappingSendsMergedTensorsToTheirSurvivor() {
        FloatTwin twin = Rewriters.floatTwinWithMapping(requantizeChain());
        int[] expected = {0, 0, 0, 1, 2, 3, 3, 4, 4}; // in q rq w b fc out sum sum_f
        for (int t = 0; t < expected.length; t++) {
            assertThat(twin.twinTensor(0, t)).as("tensor " + t).isEqualTo(expected[t]);
        }
        assertThatThrownBy(() -> twin.twinTensor(0, 9)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void perChannelWeightsAndWideBiasesAreDequantizedPerChannel() {
        Subgraph f = Rewriters.floatTwin(requantizeChain()).mainSubgraph();
        assertThat(floats(f.tensor(1))).containsExactly(0.01f, -0.02f, 0.03f, -0.04f,
                (float) (0.02f * 127.0), (float) (0.02f * -128.0), 0f, (float) (0.02f * 5.0));
        assertThat(floats(f.tensor(2))).containsExactly((float) (0.001f * 1000.0), (float) (0.002f * -70000.0));
        assertThat(f.tensor(1).quantization().isNone()).isTrue();
    }

    @Test
    void asymmetricUint8ConstantsSubtractTheirZeroPoint() {
        // uint8 models (the pre-int8 converter's) quantize weights asymmetrically around 128.
        TinyModel m = new TinyModel();
        int x = m.activation("x", DType.UINT8, shape(1, 3), Quantization.perTensor(0.5f, 128));
        ByteBuffer raw = TinyModel.le(6);
        raw.put(0, (byte) 0).put(1, (byte) 127).put(2, (byte) 128).put(3, (byte) 129).put(4, (byte) 200).put(5, (byte) 255);
        int w = m.constant("w", DType.UINT8, shape(2, 3), Quantization.perTensor(0.25f, 128), raw);
        int b = m.int32("b", shape(2), Quantization.perTensor(0.125f, 0), -3, 5);
        int y = m.activation("y", DType.UINT8, shape(1, 2), Quantization.perTensor(1f, 100));
        m.op(BuiltinOp.FULLY_CONNECTED, 1, new BuiltinOptions.FullyConnected(Activation.NONE, false), new int[] {x, w, b}, y);
        Subgraph f = Rewriters.floatTwin(m.build(new int[] {x}, new int[] {y})).mainSubgraph();

        assertThat(floats(f.tensor(1))).containsExactly(-32f, -0.25f, 0f, 0.25f, 18f, 31.75f);
        assertThat(floats(f.tensor(2))).containsExactly(-0.375f, 0.625f);
        assertThat(f.inputTensor(0).dtype()).isEqualTo(DType.FLOAT32);
    }

    @Test
    void aBufferSharedByTensorsWithDifferentScalesGetsOneFloatBufferPerScale() {
        TinyModel m = new TinyModel();
        int x = m.activation("x", DType.INT8, shape(2), Quantization.perTensor(1f, 0));
        int c1 = m.int8("c1", shape(2), Quantization.perTensor(0.5f, 0), 2, -4);
        int c2 = m.sharing("c2", c1, Quantization.perTensor(0.5f, 0));
        int c3 = m.sharing("c3", c1, Quantization.perTensor(2f, 1));
        int y = m.activation("y", DType.INT8, shape(2), Quantization.perTensor(1f, 0));
        int z = m.activation("z", DType.INT8, shape(2), Quantization.perTensor(1f, 0));
        int v = m.activation("v", DType.INT8, shape(2), Quantization.perTensor(1f, 0));
        m.op(BuiltinOp.ADD, 2, new BuiltinOptions.Add(Activation.NONE, true), new int[] {x, c1}, y);
        m.op(BuiltinOp.ADD, 2, new BuiltinOptions.Add(Activation.NONE, true), new int[] {y, c2}, z);
        m.op(BuiltinOp.ADD, 2, new BuiltinOptions.Add(Activation.NONE, true), new int[] {z, c3}, v);
        int u = m.activation("u", DType.INT8, shape(2), Quantization.perTensor(1f, 0));
        m.op(BuiltinOp.ADD, 2, new BuiltinOptions.Add(Activation.NONE, true), new int[] {c1, c2}, u);
        TfliteModel model = m.build(new int[] {x}, new int[] {v, u});
        TfliteModel twin = Rewriters.floatTwin(model);
        Subgraph f = twin.mainSubgraph();

        assertThat(f.tensor(c1).buffer()).as("same bytes, same scale: still shared").isEqualTo(f.tensor(c2).buffer());
        assertThat(f.tensor(c3).buffer()).isNotEqualTo(f.tensor(c1).buffer());
        assertThat(floats(f.tensor(c2))).containsExactly(1f, -2f);
        assertThat(floats(f.tensor(c3))).containsExactly(2f, -10f);
        assertThat(twin.buffers()).hasSize(3);

        // Extraction keeps the sharing too: two constants over one buffer stay one buffer.
        TfliteModel both = Rewriters.extractOperator(model, 0, 3);
        assertThat(both.buffers()).hasSize(2);
        assertThat(both.mainSubgraph().tensor(0).buffer()).isEqualTo(both.mainSubgraph().tensor(1).buffer());
        assertThat(both.mainSubgraph().inputs()).isEmpty();
    }

    @Test
    void aModelInputDequantizedStraightIntoAnOutputBecomesAnIdentityReshape() {
        TinyModel m = new TinyModel();
        int in = m.activation("raw", DType.INT8, shape(1, 3), shape(-1, 3), Quantization.perTensor(0.5f, 1), false);
        int out = m.activation("real", DType.FLOAT32, shape(1, 3), shape(-1, 3), Quantization.NONE, false);
        m.op(BuiltinOp.DEQUANTIZE, 2, null, new int[] {in}, out);
        TfliteModel model = m.build(new int[] {in}, new int[] {out});

        Subgraph f = Rewriters.floatTwin(model).mainSubgraph();

        assertThat(f.operators()).singleElement().extracting(Operator::op).isEqualTo(BuiltinOp.RESHAPE);
        Operator reshape = f.operator(0);
        assertThat(f.inputTensor(0).name()).isEqualTo("raw");
        assertThat(f.inputTensor(0).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(f.outputTensor(0).name()).isEqualTo("real");
        assertThat(reshape.inputs()).hasSize(2).startsWith(f.inputs()[0]);
        Tensor newShape = f.tensor(reshape.input(1));
        assertThat(newShape.dtype()).isEqualTo(DType.INT32);
        ByteBuffer d = newShape.data().orElseThrow();
        assertThat(new int[] {d.getInt(0), d.getInt(4)}).as("the unknown batch stays unknown").containsExactly(-1, 3);
        assertThat(reshape.options()).isEqualTo(new BuiltinOptions.Reshape(new int[] {-1, 3}));
        assertThat(reshape.opcode().version()).isEqualTo(1);
    }

    @Test
    void aConstantDequantizedIntoAnOpIsFoldedIntoFloatData() {
        // Weight-only (float16) models keep half weights and DEQUANTIZE them at run time.
        TinyModel m = new TinyModel();
        int x = m.activation("x", DType.FLOAT32, shape(1, 2), Quantization.NONE);
        ByteBuffer half = TinyModel.le(8);
        half.putShort(0, (short) 0x3c00).putShort(2, (short) 0xc000).putShort(4, (short) 0x0001).putShort(6, (short) 0x7bff);
        int wh = m.constant("w_half", DType.FLOAT16, shape(2, 2), Quantization.NONE, half);
        int w = m.activation("w", DType.FLOAT32, shape(2, 2), Quantization.NONE);
        int y = m.activation("y", DType.FLOAT32, shape(1, 2), Quantization.NONE);
        m.op(BuiltinOp.DEQUANTIZE, 3, null, new int[] {wh}, w);
        m.op(BuiltinOp.FULLY_CONNECTED, 1, new BuiltinOptions.FullyConnected(Activation.NONE, false), new int[] {x, w, -1}, y);
        TfliteModel model = m.build(new int[] {x}, new int[] {y});

        Subgraph f = Rewriters.floatTwin(model).mainSubgraph();

        assertThat(f.operators()).singleElement().extracting(Operator::op).isEqualTo(BuiltinOp.FULLY_CONNECTED);
        Operator fc = f.operator(0);
        assertThat(fc.input(2)).as("the omitted bias stays omitted").isEqualTo(-1);
        Tensor weights = f.tensor(fc.input(1));
        assertThat(weights.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(weights.isConstant()).isTrue();
        assertThat(floats(weights)).containsExactly(1f, -2f, 0x1p-24f, 65504f);
    }

    @Test
    void plainIntegerTensorsAndFloatModelsAreLeftAlone() {
        TinyModel m = new TinyModel();
        int x = m.activation("x", DType.INT8, shape(2, 3), Quantization.perTensor(0.1f, 0));
        int perm = m.int32("perm", shape(2), Quantization.NONE, 1, 0);
        int y = m.activation("y", DType.INT8, shape(3, 2), Quantization.perTensor(0.1f, 0));
        m.op(BuiltinOp.TRANSPOSE, 2, BuiltinOptions.Empty.TRANSPOSE, new int[] {x, perm}, y);
        TfliteModel model = m.build(new int[] {x}, new int[] {y});

        TfliteModel twin = Rewriters.floatTwin(model);
        Tensor p = twin.mainSubgraph().tensor(twin.mainSubgraph().operator(0).input(1));
        assertThat(p.dtype()).isEqualTo(DType.INT32);
        assertThat(p.data().orElseThrow()).isEqualTo(model.mainSubgraph().tensor(perm).data().orElseThrow());
        assertThat(twin.mainSubgraph().operator(0).opcode().version()).as("TRANSPOSE int8 v2, float v1").isEqualTo(1);

        // The twin of a float model is the same model.
        TfliteModel again = Rewriters.floatTwin(twin);
        io.litebit.model.ModelAssertions.assertSameModel("twin of a float model", twin, again);
    }

    @Test
    void packedAndHalfValuesAreReadAsTfliteStoresThem() {
        ByteBuffer b = TinyModel.le(2);
        b.put(0, (byte) 0x8f).put(1, (byte) 0x7e); // int4 elements: low nibble first: -1, -8, -2, 7
        assertThat(new long[] {Dequantizer.element(b, DType.INT4, 0, ""), Dequantizer.element(b, DType.INT4, 1, ""),
                Dequantizer.element(b, DType.INT4, 2, ""), Dequantizer.element(b, DType.INT4, 3, "")})
                .containsExactly(-1, -8, -2, 7);
        assertThat(Dequantizer.element(b, DType.UINT4, 0, "")).isEqualTo(15);
        assertThat(Dequantizer.element(b, DType.UINT8, 0, "")).isEqualTo(0x8f);
        assertThat(Dequantizer.halfToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(Dequantizer.halfToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Dequantizer.halfToFloat((short) 0x8000)).isEqualTo(-0f);
        assertThat(Float.isNaN(Dequantizer.halfToFloat((short) 0x7e00))).isTrue();
        assertThat(Quantization.perTensor(0.5f, -128).dequantize(-128, 0)).isZero();
        // 2^24 + 1 is not a float. Exact: 3 * 16777217 = 50331651, nearest float (spacing 4 there)
        // 50331652. Multiplying in float would give 3 * 16777216 = 50331648.
        assertThat(Quantization.perTensor(3f, 0).dequantize(16_777_217, 0)).isEqualTo(50331652f);
    }

    @Test
    void perChannelScalesThatDoNotFitTheShapeAreRefusedClearly() {
        TinyModel m = new TinyModel();
        int x = m.activation("x", DType.FLOAT32, shape(1, 2), Quantization.NONE);
        int w = m.int8("bad_w", shape(2, 2), Quantization.perChannel(new float[] {1f, 2f, 3f}, new long[] {0, 0, 0}, 1),
                1, 2, 3, 4);
        int y = m.activation("y", DType.FLOAT32, shape(1, 2), Quantization.NONE);
        m.op(BuiltinOp.FULLY_CONNECTED, 3, new BuiltinOptions.FullyConnected(Activation.NONE, false), new int[] {x, w, -1}, y);
        TfliteModel model = m.build(new int[] {x}, new int[] {y});

        assertThatThrownBy(() -> Rewriters.floatTwin(model)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"bad_w\"").hasMessageContaining("3 per-channel scales along dimension 1");
    }
}
