package io.litebit.model.rewrite;

import static io.litebit.model.rewrite.RewriteAssertions.assertNoNewWarnings;
import static io.litebit.model.rewrite.RewriteAssertions.assertRereads;
import static io.litebit.model.rewrite.RewriteAssertions.shared;
import static io.litebit.model.rewrite.TinyModel.shape;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.ModelAssertions;
import io.litebit.model.Quantization;
import io.litebit.model.SignatureDef;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AllTensorsAsOutputsTest {

    static List<String> sharedModels() {
        return RewriteAssertions.allShared();
    }

    @ParameterizedTest
    @MethodSource("sharedModels")
    void everyTensorBecomesAnOutputAfterTheOriginalOnes(String name) {
        TfliteModel model = shared(name);
        TfliteModel all = Rewriters.allTensorsAsOutputs(model);

        Subgraph before = model.mainSubgraph();
        Subgraph after = all.mainSubgraph();
        int[] original = before.outputs();
        int[] outputs = after.outputs();
        assertThat(outputs).as(name + ": one output per tensor").hasSize(before.tensors().size());
        assertThat(Arrays.copyOf(outputs, original.length)).as(name + ": original outputs first, in order")
                .isEqualTo(original);
        int[] rest = Arrays.copyOfRange(outputs, original.length, outputs.length);
        int[] expectedRest = IntStream.range(0, before.tensors().size())
                .filter(t -> Arrays.stream(original).noneMatch(o -> o == t)).toArray();
        assertThat(rest).as(name + ": the others in tensor-index order").isEqualTo(expectedRest);

        // Nothing else moves: same tensors, ops, inputs and signatures.
        assertThat(after.inputs()).isEqualTo(before.inputs());
        assertThat(after.operators()).hasSameSizeAs(before.operators());
        for (int t = 0; t < before.tensors().size(); t++) {
            ModelAssertions.assertSameTensor(name + " tensor " + t, before.tensor(t), after.tensor(t));
        }
        assertThat(all.signatures()).isEqualTo(model.signatures());
        assertNoNewWarnings(name, model, all);
        assertRereads(name, all);
    }

    @Test
    void nonConstantVariantSkipsWeightsButKeepsOriginalOutputs() {
        TfliteModel model = shared("tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite");
        TfliteModel activations = Rewriters.allTensorsAsOutputs(model, Rewriters.NON_CONSTANT_TENSORS);

        Subgraph g = activations.mainSubgraph();
        long nonConstant = g.tensors().stream().filter(t -> !t.isConstant()).count();
        assertThat(g.outputs()).hasSize((int) nonConstant);
        assertThat(g.outputs()[0]).isEqualTo(model.mainSubgraph().outputs()[0]);
        assertThat(Arrays.stream(g.outputs()).mapToObj(g::tensor)).noneMatch(Tensor::isConstant);
        assertThat(Arrays.stream(g.outputs()).anyMatch(o -> o == g.inputs()[0])).as("the input is observable too").isTrue();
    }

    @Test
    void onlyEntrySubgraphsAreInstrumentedAndSignaturesAreKept() {
        TinyModel m = new TinyModel();
        int x = m.activation("x", DType.FLOAT32, shape(1, 2), Quantization.NONE);
        int w = m.constant("w", DType.FLOAT32, shape(2, 2), Quantization.NONE, TinyModel.le(16));
        int y = m.activation("y", DType.FLOAT32, shape(1, 2), Quantization.NONE);
        int z = m.activation("z", DType.FLOAT32, shape(1, 2), Quantization.NONE);
        m.op(BuiltinOp.FULLY_CONNECTED, 1, new BuiltinOptions.FullyConnected(Activation.NONE, false), new int[] {x, w, -1}, y);
        m.op(BuiltinOp.RELU, 1, null, new int[] {y}, z);
        // A subgraph no signature runs, like a WHILE body: its outputs must stay as they are.
        Tensor a = new Tensor(0, "a", DType.FLOAT32, shape(2), null, 0, null, Quantization.NONE, false, false);
        Tensor b = new Tensor(1, "b", DType.FLOAT32, shape(2), null, 0, null, Quantization.NONE, false, false);
        m.extraSubgraph(new Subgraph(1, "body", List.of(a, b), new int[] {0}, new int[] {1}, List.of()));
        TfliteModel model = m.build(new int[] {x}, new int[] {z},
                new SignatureDef("serving_default", 0, Map.of("x", x), Map.of("z", z)));

        TfliteModel all = Rewriters.allTensorsAsOutputs(model);

        assertThat(all.mainSubgraph().outputs()).containsExactly(z, x, w, y);
        assertThat(all.subgraphs().get(1).outputs()).containsExactly(1);
        assertThat(all.signatures()).isEqualTo(model.signatures());
    }

    @Test
    void aSubgraphNamedByASignatureIsAnEntryToo() {
        TinyModel m = new TinyModel();
        int x = m.activation("x", DType.FLOAT32, shape(2), Quantization.NONE);
        int y = m.activation("y", DType.FLOAT32, shape(2), Quantization.NONE);
        m.op(BuiltinOp.RELU, 1, null, new int[] {x}, y);
        Tensor a = new Tensor(0, "a", DType.FLOAT32, shape(2), null, 0, null, Quantization.NONE, false, false);
        Tensor b = new Tensor(1, "b", DType.FLOAT32, shape(2), null, 0, null, Quantization.NONE, false, false);
        Tensor c = new Tensor(2, "c", DType.FLOAT32, shape(2), null, 0, null, Quantization.NONE, false, false);
        m.extraSubgraph(new Subgraph(1, "second", List.of(a, b, c), new int[] {0}, new int[] {2}, List.of()));
        TfliteModel model = m.build(new int[] {x}, new int[] {y},
                new SignatureDef("second", 1, Map.of("a", 0), Map.of("c", 2)));

        TfliteModel all = Rewriters.allTensorsAsOutputs(model);

        assertThat(all.subgraphs().get(1).outputs()).containsExactly(2, 0, 1);
        assertThat(all.mainSubgraph().outputs()).containsExactly(y, x);
    }
}
