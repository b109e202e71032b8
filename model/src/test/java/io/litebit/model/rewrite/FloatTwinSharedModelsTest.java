package io.litebit.model.rewrite;

import static io.litebit.model.rewrite.RewriteAssertions.assertNoNewWarnings;
import static io.litebit.model.rewrite.RewriteAssertions.assertRereads;
import static io.litebit.model.rewrite.RewriteAssertions.shared;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.Quantization;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The float twin of the real models under shared/models. */
class FloatTwinSharedModelsTest {
    private static final String HELLO_INT8 = "tflite-micro/hello_world_int8.tflite";
    private static final String HELLO_FLOAT = "tflite-micro/hello_world_float.tflite";
    private static final String LSTM_INT8 = "tflite-micro/trained_lstm_int8.tflite";
    private static final String LSTM_FLOAT = "tflite-micro/trained_lstm.tflite";
    private static final String MOBILENET = "tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite";

    static List<String> sharedModels() {
        return RewriteAssertions.allShared();
    }

    @ParameterizedTest
    @MethodSource("sharedModels")
    void everyConstantIsScaleTimesQMinusZeroPointAndEveryTensorIsFloatUnlessAPlainInteger(String name) {
        TfliteModel model = shared(name);
        FloatTwin twin = Rewriters.floatTwinWithMapping(model);
        Subgraph g = model.mainSubgraph();
        Subgraph f = twin.model().mainSubgraph();

        Set<Integer> images = new HashSet<>();
        for (Tensor t : g.tensors()) {
            int i = twin.twinTensor(0, t.index());
            if (i < 0) {
                continue;
            }
            images.add(i);
            Tensor ft = f.tensor(i);
            String at = name + " tensor " + t.index() + " \"" + t.name() + "\"";
            if (t.dtype().isInteger() && !t.isQuantized()) {
                assertThat(ft.dtype()).as(at + ": a plain integer tensor keeps its type").isEqualTo(t.dtype());
                if (t.isConstant()) {
                    assertThat(ft.data().orElseThrow()).as(at + ": and its bytes").isEqualTo(t.data().orElseThrow());
                }
                continue;
            }
            assertThat(ft.dtype()).as(at).isEqualTo(DType.FLOAT32);
            assertThat(ft.quantization().isNone()).as(at + ": quantization removed").isTrue();
            assertThat(ft.shape()).as(at).isEqualTo(t.shape());
            if (t.isConstant() && t.isQuantized()) {
                assertSameFloats(at + ": dequantized", expectedReal(t), floats(ft));
            }
        }
        for (Tensor ft : f.tensors()) {
            if (!images.contains(ft.index())) {
                assertThat(ft.name()).as(name + ": only identity RESHAPE shapes are new").endsWith("/litebit_identity_shape");
            }
        }
        assertNoNewWarnings(name, model, twin.model());
        assertRereads(name, twin.model());
    }

    @ParameterizedTest
    @MethodSource("sharedModels")
    void noQuantizeOrDequantizeIsLeftAndTheInterfaceIsFloat(String name) {
        TfliteModel twin = Rewriters.floatTwin(shared(name));
        Subgraph f = twin.mainSubgraph();
        assertThat(f.operators()).extracting(Operator::op).doesNotContain(BuiltinOp.QUANTIZE, BuiltinOp.DEQUANTIZE);
        for (int i : f.inputs()) {
            Tensor t = f.tensor(i);
            assertThat(t.dtype().isInteger() && !t.isQuantized() || t.dtype() == DType.FLOAT32).as(name + " input " + t).isTrue();
        }
        for (int o : f.outputs()) {
            assertThat(f.tensor(o).dtype()).as(name + " output").isEqualTo(DType.FLOAT32);
        }
    }

    @Test
    void helloWorldTwinHasTheFloatModelsStructure() {
        TfliteModel twin = Rewriters.floatTwin(shared(HELLO_INT8));
        TfliteModel reference = shared(HELLO_FLOAT);
        assertSameStructure(twin, reference);
        // FULLY_CONNECTED int8 is version 4; the float kernel is version 1.
        assertThat(twin.operatorCodes()).extracting(c -> c.op() + " v" + c.version()).containsExactly("FULLY_CONNECTED v1");
        assertThat(twin.signatures()).isEqualTo(reference.signatures());
    }

    @Test
    void lstmTwinLooksLikeTheFloatLstm() {
        TfliteModel int8 = shared(LSTM_INT8);
        TfliteModel twin = Rewriters.floatTwin(int8);
        TfliteModel reference = shared(LSTM_FLOAT);

        assertSameStructure(twin, reference);
        Operator lstm = twin.mainSubgraph().operator(0);
        assertThat(lstm.op()).isEqualTo(BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM);
        assertThat(lstm.intermediates()).as("float LSTMs take no intermediates").isEmpty();
        assertThat(int8.mainSubgraph().operator(0).intermediates()).hasSize(5);
        assertThat(twin.mainSubgraph().tensors()).hasSameSizeAs(reference.mainSubgraph().tensors());
        // The int16 cell state and int8 output state become float state, still variable.
        Tensor cell = twin.mainSubgraph().tensor(lstm.input(19));
        assertThat(cell.isVariable()).isTrue();
        assertThat(cell.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(int8.mainSubgraph().tensor(int8.mainSubgraph().operator(0).input(19)).dtype()).isEqualTo(DType.INT16);
        assertThat(twin.operatorCodes()).extracting(c -> c.op() + " v" + c.version())
                .containsExactlyElementsOf(reference.operatorCodes().stream().map(c -> c.op() + " v" + c.version()).toList());
    }

    @Test
    void mobilenetKeepsItsIntegerShapeTensorsAndTopology() {
        TfliteModel int8 = shared(MOBILENET);
        FloatTwin twin = Rewriters.floatTwinWithMapping(int8);
        Subgraph g = int8.mainSubgraph();
        Subgraph f = twin.model().mainSubgraph();

        assertThat(f.operators()).hasSameSizeAs(g.operators());
        assertThat(f.tensors()).hasSameSizeAs(g.tensors());
        assertThat(f.inputTensor(0).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(f.inputTensor(0).shape()).containsExactly(1, 3, 224, 224);
        assertThat(f.outputTensor(0).shape()).containsExactly(1, 1000);
        int checked = 0;
        for (Operator op : g.operators()) {
            Operator fop = f.operator(op.index());
            assertThat(fop.op()).isEqualTo(op.op());
            assertThat(fop.options()).isEqualTo(op.options());
            assertThat(fop.opcode().version()).as("float op " + op.index() + " " + op.op()).isEqualTo(1);
            for (int k = 0; k < op.inputCount(); k++) {
                assertThat(fop.input(k)).isEqualTo(twin.twinTensor(0, op.input(k)));
            }
            // TRANSPOSE's permutation, PAD's paddings, MEAN's axes and RESHAPE's shape stay int32.
            int shapeInput = switch (op.op()) {
                case TRANSPOSE, PAD, MEAN, RESHAPE -> 1;
                default -> -1;
            };
            if (shapeInput >= 0) {
                Tensor before = g.tensor(op.input(shapeInput));
                Tensor after = f.tensor(fop.input(shapeInput));
                assertThat(after.dtype()).isEqualTo(DType.INT32);
                assertThat(after.quantization().isNone()).isTrue();
                assertThat(after.data().orElseThrow()).isEqualTo(before.data().orElseThrow());
                checked++;
            }
        }
        assertThat(checked).as("TRANSPOSE + 18 PAD + MEAN + RESHAPE").isEqualTo(21);
    }

    @Test
    void perChannelConvWeightsUseEachChannelsScale() {
        TfliteModel int8 = shared(MOBILENET);
        FloatTwin twin = Rewriters.floatTwinWithMapping(int8);
        Subgraph g = int8.mainSubgraph();
        Operator conv = g.operators().stream().filter(o -> o.op() == BuiltinOp.CONV_2D).findFirst().orElseThrow();
        Tensor w = g.tensor(conv.input(1));
        Tensor in = g.tensor(conv.input(0));
        Tensor bias = g.tensor(conv.input(2));
        Quantization q = w.quantization();
        assertThat(q.quantizedDimension()).isZero();
        int outChannels = w.dim(0);
        assertThat(q.channelCount()).isEqualTo(outChannels);
        int perChannel = (int) (w.elementCount() / outChannels);
        int[] channels = {0, outChannels / 2, outChannels - 1};
        assertThat(new float[] {q.scale(channels[0]), q.scale(channels[1]), q.scale(channels[2])})
                .as("the channels checked have different scales").doesNotHaveDuplicates();

        ByteBuffer raw = w.data().orElseThrow();
        ByteBuffer rawBias = bias.data().orElseThrow();
        float[] twinW = floats(twin.model().mainSubgraph().tensor(twin.twinTensor(0, w.index())));
        float[] twinB = floats(twin.model().mainSubgraph().tensor(twin.twinTensor(0, bias.index())));
        for (int c : channels) {
            for (int k = 0; k < perChannel; k++) {
                int i = c * perChannel + k;
                float expected = (float) (q.scale(c) * (double) (raw.get(i) - q.zeroPoint(c)));
                assertThat(twinW[i]).as("weight [%d] of channel %d", k, c).isEqualTo(expected);
            }
            // The int32 bias has its own per-channel scale: input scale times the weight's.
            Quantization bq = bias.quantization();
            assertThat((double) bq.scale(c)).isCloseTo((double) in.quantization().scale(0) * q.scale(c),
                    org.assertj.core.data.Percentage.withPercentage(1e-4));
            int qb = rawBias.order(ByteOrder.LITTLE_ENDIAN).getInt(4 * c);
            assertThat(twinB[c]).as("bias of channel %d", c).isEqualTo((float) (bq.scale(c) * (double) (qb - bq.zeroPoint(c))));
        }
    }

    @Test
    void depthwiseWeightsAreQuantizedAlongTheLastDimension() {
        TfliteModel int8 = shared(MOBILENET);
        FloatTwin twin = Rewriters.floatTwinWithMapping(int8);
        Subgraph g = int8.mainSubgraph();
        Operator dw = g.operators().stream().filter(o -> o.op() == BuiltinOp.DEPTHWISE_CONV_2D).findFirst().orElseThrow();
        Tensor w = g.tensor(dw.input(1));
        Quantization q = w.quantization();
        assertThat(q.quantizedDimension()).isEqualTo(3);
        int channels = w.dim(3);
        float[] twinW = floats(twin.model().mainSubgraph().tensor(twin.twinTensor(0, w.index())));
        ByteBuffer raw = w.data().orElseThrow();
        for (int c : new int[] {0, channels / 3, channels - 1}) {
            for (int hw = 0; hw < w.dim(1) * w.dim(2); hw++) {
                int i = hw * channels + c;
                assertThat(twinW[i]).isEqualTo((float) (q.scale(c) * (double) (raw.get(i) - q.zeroPoint(c))));
            }
        }
    }

    /** Same op list (code, version, options) and, op by op, the same tensor types, shapes and roles. */
    private static void assertSameStructure(TfliteModel twin, TfliteModel reference) {
        Subgraph a = twin.mainSubgraph();
        Subgraph b = reference.mainSubgraph();
        assertThat(a.operators()).hasSameSizeAs(b.operators());
        assertThat(describe(a, a.inputs())).isEqualTo(describe(b, b.inputs()));
        assertThat(describe(a, a.outputs())).isEqualTo(describe(b, b.outputs()));
        for (int i = 0; i < a.operators().size(); i++) {
            Operator x = a.operator(i);
            Operator y = b.operator(i);
            String at = "op " + i + " " + y.op();
            assertThat(x.opcode().displayName() + " v" + x.opcode().version()).as(at)
                    .isEqualTo(y.opcode().displayName() + " v" + y.opcode().version());
            assertThat(x.options()).as(at).isEqualTo(y.options());
            assertThat(describe(a, x.inputs())).as(at + " inputs").isEqualTo(describe(b, y.inputs()));
            assertThat(describe(a, x.outputs())).as(at + " outputs").isEqualTo(describe(b, y.outputs()));
            assertThat(x.intermediates()).as(at).hasSameSizeAs(y.intermediates());
        }
    }

    private static List<String> describe(Subgraph g, int[] tensors) {
        List<String> out = new ArrayList<>();
        for (int t : tensors) {
            if (t < 0) {
                out.add("-1");
                continue;
            }
            Tensor x = g.tensor(t);
            out.add(x.dtype() + java.util.Arrays.toString(x.shape()) + (x.isConstant() ? " const" : "")
                    + (x.isVariable() ? " var" : "") + (x.isQuantized() ? " quantized" : ""));
        }
        return out;
    }

    /** Bit-for-bit equality that names the first differing element (AssertJ's array diff is slow on 1M elements). */
    static void assertSameFloats(String at, float[] expected, float[] actual) {
        assertThat(actual.length).as(at + " element count").isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                assertThat(actual[i]).as(at + " element " + i).isEqualTo(expected[i]);
            }
        }
    }

    static float[] floats(Tensor t) {
        ByteBuffer b = t.data().orElseThrow();
        float[] out = new float[b.remaining() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat(4 * i);
        }
        return out;
    }

    /**
     * real = scale * (q - zero_point), written out here from the raw little-endian bytes of the
     * quantized tensor (not with the rewriter's code), channel by channel for per-channel tensors.
     */
    static float[] expectedReal(Tensor t) {
        ByteBuffer raw = t.data().orElseThrow();
        Quantization q = t.quantization();
        int n = (int) t.elementCount();
        int inner = 1;
        for (int d = q.quantizedDimension() + 1; d < t.rank() && q.isPerChannel(); d++) {
            inner *= t.dim(d);
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            long v = switch (t.dtype()) {
                case INT8 -> raw.get(i);
                case UINT8 -> raw.get(i) & 0xff;
                case INT16 -> raw.getShort(2 * i);
                case INT32 -> raw.getInt(4 * i);
                case INT64 -> raw.getLong(8 * i);
                default -> throw new AssertionError("test does not read " + t.dtype());
            };
            int c = q.isPerChannel() ? (i / inner) % q.channelCount() : 0;
            out[i] = (float) (q.scale(c) * (double) (v - q.zeroPoint(c)));
        }
        return out;
    }
}
