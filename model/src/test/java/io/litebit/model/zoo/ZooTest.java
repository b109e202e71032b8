package io.litebit.model.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.ModelAssertions;
import io.litebit.model.Operator;
import io.litebit.model.Quantization;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.versioning.OpVersions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZooTest {

    @Test
    void everyModelIsDeterministic() {
        Map<String, TfliteModel> first = Zoo.all();
        Map<String, TfliteModel> second = Zoo.all();
        assertThat(first.keySet()).containsExactly("tiny_cnn_int8", "tiny_cnn_float", "mnist_mlp_uint8", "mnist_mlp_float");
        for (String name : first.keySet()) {
            assertThat(second.get(name).toBytes()).as(name + " bytes").isEqualTo(first.get(name).toBytes());
        }
        assertThat(Zoo.defaultModel().toBytes()).isEqualTo(Zoo.tinyCnnInt8().toBytes());
    }

    @Test
    void everyModelReadsBackCleanlyWithConverterVersions() {
        for (Map.Entry<String, TfliteModel> e : Zoo.all().entrySet()) {
            TfliteModel m = e.getValue();
            assertThat(m.warnings()).as(e.getKey()).isEmpty();
            ModelAssertions.assertSameModel(e.getKey(), m, TfliteModel.fromBytes(m.toBytes()));
            Subgraph g = m.mainSubgraph();
            for (Operator op : g.operators()) {
                assertThat(op.opcode().version()).as(e.getKey() + " " + op).isEqualTo(OpVersions.of(g, op));
            }
            assertThat(m.signatures()).hasSize(1);
            assertThat(m.signatures().get(0).key()).isEqualTo("serving_default");
            assertThat(m.description()).startsWith("litebit zoo: ");
        }
    }

    @Test
    void tinyCnnInt8Structure() {
        TfliteModel m = Zoo.tinyCnnInt8();
        Subgraph g = m.mainSubgraph();
        assertThat(ops(g)).containsExactly(BuiltinOp.CONV_2D, BuiltinOp.DEPTHWISE_CONV_2D, BuiltinOp.AVERAGE_POOL_2D,
                BuiltinOp.FULLY_CONNECTED, BuiltinOp.SOFTMAX);
        assertThat(g.operators()).extracting(o -> o.opcode().version()).containsExactly(3, 3, 2, 4, 2);
        Tensor in = g.inputTensor(0);
        assertThat(in.dtype()).isEqualTo(DType.INT8);
        assertThat(in.shape()).containsExactly(1, 16, 16, 3);
        assertThat(in.quantization()).isEqualTo(Quantization.perTensor(1f / 255, -128));
        Tensor out = g.outputTensor(0);
        assertThat(out.dtype()).isEqualTo(DType.INT8);
        assertThat(out.shape()).containsExactly(1, 10);
        assertThat(out.quantization()).as("TFLite's int8 softmax output").isEqualTo(Quantization.perTensor(1f / 256, -128));

        Operator conv = g.operator(0);
        Tensor convW = g.tensor(conv.input(1));
        assertThat(convW.quantization().isPerChannel()).isTrue();
        assertThat(convW.quantization().channelCount()).isEqualTo(8);
        assertThat(convW.quantization().quantizedDimension()).isEqualTo(0);
        assertThat(g.tensor(conv.output(0)).shape()).as("SAME/2 on 16x16").containsExactly(1, 8, 8, 8);
        Tensor dwW = g.tensor(g.operator(1).input(1));
        assertThat(dwW.quantization().quantizedDimension()).as("depthwise channels are dim 3").isEqualTo(3);
        assertThat(g.tensor(g.operator(2).output(0)).shape()).containsExactly(1, 4, 4, 8);

        for (int i : new int[] {0, 1, 3}) {
            Operator op = g.operator(i);
            assertBiasIsInputTimesWeightScale(g, op);
            Tensor w = g.tensor(op.input(1));
            assertThat(w.quantization().zeroPoints()).as("symmetric weights").containsOnly(0L);
            int maxAbs = 0;
            for (byte v : bytesOf(w)) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
            assertThat(maxAbs).as("scale = max|w| / 127 maps the largest weight to ±127").isEqualTo(127);
        }
        // ReLU and ReLU6 outputs start at 0, which is -128 in int8.
        assertThat(g.tensor(conv.output(0)).quantization().zeroPoint(0)).isEqualTo(-128);
        assertThat(g.tensor(g.operator(1).output(0)).quantization().zeroPoint(0)).isEqualTo(-128);
        assertThat(((BuiltinOptions.Conv2D) conv.options()).activation()).isEqualTo(Activation.RELU);
        assertThat(g.tensor(g.operator(2).output(0)).quantization()).as("average pool keeps the scale")
                .isEqualTo(g.tensor(g.operator(1).output(0)).quantization());
        Quantization logits = g.tensor(g.operator(3).output(0)).quantization();
        assertThat(logits.zeroPoint(0)).as("logits are signed: zero point inside the range").isBetween(-127L, 126L);
        assertThat(logits.scale(0)).isBetween(1e-3f, 1f);
    }

    @Test
    void mnistMlpStructure() {
        Subgraph g = Zoo.mnistMlpUint8().mainSubgraph();
        assertThat(ops(g)).containsExactly(BuiltinOp.QUANTIZE, BuiltinOp.FULLY_CONNECTED, BuiltinOp.FULLY_CONNECTED,
                BuiltinOp.SOFTMAX);
        Tensor in = g.inputTensor(0);
        assertThat(in.dtype()).isEqualTo(DType.UINT8);
        assertThat(in.shape()).containsExactly(1, 784);
        assertThat(in.quantization()).isEqualTo(Quantization.perTensor(1f / 255, 0));
        Tensor q = g.tensor(g.operator(0).output(0));
        assertThat(q.dtype()).isEqualTo(DType.INT8);
        assertThat(q.quantization()).as("same real values, shifted by 128").isEqualTo(Quantization.perTensor(1f / 255, -128));
        Operator hidden = g.operator(1);
        assertThat(g.tensor(hidden.input(1)).shape()).containsExactly(128, 784);
        assertThat(((BuiltinOptions.FullyConnected) hidden.options()).activation()).isEqualTo(Activation.RELU);
        assertThat(g.tensor(hidden.output(0)).quantization().zeroPoint(0)).isEqualTo(-128);
        assertBiasIsInputTimesWeightScale(g, hidden);
        assertBiasIsInputTimesWeightScale(g, g.operator(2));
        assertThat(g.outputTensor(0).dtype()).isEqualTo(DType.INT8);
        assertThat(g.outputTensor(0).quantization()).isEqualTo(Quantization.perTensor(1f / 256, -128));
        assertThat(g.operators()).extracting(o -> o.opcode().version()).containsExactly(1, 4, 4, 2);
    }

    @Test
    void floatTwinsCarryTheDequantizedWeights() {
        checkTwin(Zoo.tinyCnnInt8(), Zoo.tinyCnnFloat(), 0);
        checkTwin(Zoo.mnistMlpUint8(), Zoo.mnistMlpFloat(), 1);
    }

    /** Same ops with float tensors; every float weight and bias equals scale * (q - zero point) of the int8 model. */
    private static void checkTwin(TfliteModel quantized, TfliteModel twin, int skipLeadingOps) {
        Subgraph gq = quantized.mainSubgraph();
        Subgraph gf = twin.mainSubgraph();
        List<Operator> qOps = gq.operators().subList(skipLeadingOps, gq.operators().size());
        assertThat(gf.operators()).extracting(Operator::op).containsExactlyElementsOf(qOps.stream().map(Operator::op).toList());
        assertThat(gf.inputTensor(0).dtype()).isEqualTo(DType.FLOAT32);
        for (int i = 0; i < qOps.size(); i++) {
            Operator oq = qOps.get(i);
            Operator of = gf.operator(i);
            assertThat(of.options()).isEqualTo(oq.options());
            for (int k = 1; k < oq.inputCount(); k++) {
                Tensor tq = gq.tensor(oq.input(k));
                Tensor tf = gf.tensor(of.input(k));
                assertThat(tf.dtype()).isEqualTo(DType.FLOAT32);
                assertThat(tf.shape()).isEqualTo(tq.shape());
                float[] expected = dequantize(tq);
                ByteBuffer d = tf.data().orElseThrow().order(ByteOrder.LITTLE_ENDIAN);
                for (int e = 0; e < expected.length; e++) {
                    assertThat(d.getFloat(4 * e)).as(tf.name() + "[" + e + "]").isEqualTo(expected[e]);
                }
            }
            assertThat(gf.tensor(of.output(0)).shape()).isEqualTo(gq.tensor(oq.output(0)).shape());
        }
    }

    private static float[] dequantize(Tensor t) {
        Quantization q = t.quantization();
        int n = (int) t.elementCount();
        int axis = q.quantizedDimension();
        int inner = 1;
        for (int i = axis + 1; i < t.rank(); i++) {
            inner *= t.dim(i);
        }
        ByteBuffer d = t.data().orElseThrow().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int c = q.isPerTensor() ? 0 : (i / inner) % q.channelCount();
            long v = t.dtype() == DType.INT32 ? d.getInt(4 * i) : d.get(i);
            out[i] = q.scale(c) * (float) (v - q.zeroPoint(c));
        }
        return out;
    }

    private static void assertBiasIsInputTimesWeightScale(Subgraph g, Operator op) {
        Quantization in = g.tensor(op.input(0)).quantization();
        Quantization w = g.tensor(op.input(1)).quantization();
        Tensor bias = g.tensor(op.input(2));
        assertThat(bias.dtype()).isEqualTo(DType.INT32);
        Quantization b = bias.quantization();
        assertThat(b.channelCount()).isEqualTo(w.channelCount());
        for (int c = 0; c < b.channelCount(); c++) {
            assertThat(b.scale(c)).as(op + " bias scale " + c).isEqualTo(in.scale(0) * w.scale(c));
            assertThat(b.zeroPoint(c)).isZero();
        }
    }

    private static List<BuiltinOp> ops(Subgraph g) {
        return g.operators().stream().map(Operator::op).toList();
    }

    private static byte[] bytesOf(Tensor t) {
        ByteBuffer d = t.data().orElseThrow();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
