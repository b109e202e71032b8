package io.litebit.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.testing.SharedAssets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelReaderTest {

    @Test
    void readsMobileNetV2StructureFromTheFile() throws Exception {
        TfliteModel m = TfliteModel.load(SharedAssets.require("models/tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite"));
        Subgraph g = m.mainSubgraph();
        // Counts from shared/models/README.md: CONV_2D x35, DEPTHWISE_CONV_2D x17, ADD x10, PAD x18, ...
        assertThat(count(g, BuiltinOp.CONV_2D)).isEqualTo(35);
        assertThat(count(g, BuiltinOp.DEPTHWISE_CONV_2D)).isEqualTo(17);
        assertThat(count(g, BuiltinOp.ADD)).isEqualTo(10);
        assertThat(count(g, BuiltinOp.PAD)).isEqualTo(18);
        Tensor in = g.inputTensor(0);
        assertThat(in.dtype()).isEqualTo(DType.INT8);
        assertThat(in.shape()).containsExactly(1, 3, 224, 224);
        assertThat(in.quantization().isPerTensor()).isTrue();
        Operator conv = g.operators().stream().filter(o -> o.op() == BuiltinOp.CONV_2D).findFirst().orElseThrow();
        assertThat(conv.options()).isInstanceOf(BuiltinOptions.Conv2D.class);
        Tensor weights = g.tensor(conv.input(1));
        assertThat(weights.isConstant()).isTrue();
        assertThat(weights.data().orElseThrow().remaining()).isEqualTo((int) weights.elementCount());
        assertThat(weights.quantization().channelCount()).isEqualTo(weights.dim(0));
    }

    @Test
    void everySharedModelLoadsAndRoundTripsThroughTheWriter() throws Exception {
        for (Path p : SharedAssets.allModels()) {
            TfliteModel a = TfliteModel.load(p);
            TfliteModel b = TfliteModel.fromBuffer(a.write());
            ModelAssertions.assertSameModel(p.getFileName().toString(), a, b);
            TfliteModel c = TfliteModel.fromBuffer(b.write());
            assertThat(Arrays.equals(b.toBytes(), c.toBytes())).as("writer is deterministic for " + p).isTrue();
        }
    }

    private static long count(Subgraph g, BuiltinOp op) {
        return g.operators().stream().filter(o -> o.op() == op).count();
    }

    static List<String> names(Subgraph g) {
        return g.tensors().stream().map(Tensor::name).toList();
    }
}
