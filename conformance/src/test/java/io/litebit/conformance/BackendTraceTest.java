package io.litebit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import io.litebit.trace.TracedTensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every backend traces a small int8 model (QUANTIZE -> FULLY_CONNECTED -> ADD -> DEQUANTIZE)
 * tensor by tensor in execution order, and the oracle matches BUILTIN_REF on every one.
 */
class BackendTraceTest {
    static TfliteModel model() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {2, 16});
        TensorRef q = g.quantize(x, Out.int8(0.05f, 3).named("xq"));
        SplittableRandom r = new SplittableRandom(7);
        byte[] w = new byte[8 * 16];
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) (r.nextInt(255) - 127);
        }
        Quantization wq = Quantization.perTensor(0.01f, 0);
        TensorRef wt = g.constant("w", DType.INT8, new int[] {8, 16}, w, wq);
        TensorRef b = g.constant("b", new int[] {8}, new int[] {100, -50, 0, 7, 900, -900, 3, 1},
                SubgraphBuilder.biasQuantization(q, wt));
        TensorRef fc = g.fullyConnected(q, wt, b, new BuiltinOptions.FullyConnected(Activation.RELU, false),
                Out.int8(0.07f, -20).named("fc"));
        TensorRef y = g.input("y", DType.FLOAT32, new int[] {2, 8});
        TensorRef yq = g.quantize(y, Out.int8(0.03f, 10).named("yq"));
        TensorRef sum = g.add(fc, yq, Out.int8(0.1f, -5).named("sum"));
        g.output(g.dequantize(sum, Out.float32().named("out")));
        return mb.build();
    }

    static List<byte[]> inputs() {
        SplittableRandom r = new SplittableRandom(11);
        java.nio.ByteBuffer x = java.nio.ByteBuffer.allocate(2 * 16 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 32; i++) {
            x.putFloat((float) (r.nextDouble() * 10 - 5));
        }
        java.nio.ByteBuffer y = java.nio.ByteBuffer.allocate(2 * 8 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 16; i++) {
            y.putFloat((float) (r.nextDouble() * 6 - 3));
        }
        return List.of(x.array(), y.array());
    }

    @Test
    void everyBackendTracesEveryTensorInExecutionOrder() {
        TfliteModel model = model();
        for (Backend backend : List.of(Backend.xnnpack(), Backend.builtin(), Backend.builtinRef(),
                Backend.reference(NumericsProfile.TFLITE))) {
            Trace t = backend.run(model, inputs());
            assertThat(t.backend()).isEqualTo(backend.name());
            assertThat(t.tensors()).extracting(TracedTensor::opName)
                    .as(backend.name())
                    .containsExactly("input", "input", "QUANTIZE", "FULLY_CONNECTED", "QUANTIZE", "ADD", "DEQUANTIZE");
            assertThat(t.tensors()).extracting(TracedTensor::name).containsExactly("x", "y", "xq", "fc", "yq", "sum", "out");
            assertThat(t.output(0).dtype()).isEqualTo(DType.FLOAT32);
        }
    }

    @Test
    void oracleMatchesBuiltinRefOnEveryTensor() {
        TfliteModel model = model();
        TraceDiff d = TraceDiff.compare(model, Backend.reference(NumericsProfile.TFLITE).run(model, inputs()),
                Backend.builtinRef().run(model, inputs()));
        assertThat(d.tensors()).hasSize(7);
        assertThat(d.identical()).as(d.tensors().toString()).isTrue();
        assertThat(d.firstDivergence()).isEmpty();
    }

    @Test
    void firstDivergenceIsLocalToTheOpThatDiverges() {
        TfliteModel model = model();
        // NAIVE_FLOAT rounds differently: wherever it first differs, that op's inputs were identical.
        TraceDiff d = TraceDiff.compare(model, Backend.builtinRef().run(model, inputs()),
                Backend.reference(NumericsProfile.NAIVE_FLOAT).run(model, inputs()));
        d.firstDivergence().ifPresent(f -> assertThat(f.local()).as(f.toString()).isTrue());
    }

    @Test
    void parsesBackendNames() {
        assertThat(Backend.parse("builtin-ref").name()).isEqualTo("builtin-ref");
        assertThat(Backend.parse("reference").name()).isEqualTo("reference:TFLITE");
        assertThat(Backend.parse("reference:naive_float").name()).isEqualTo("reference:NAIVE_FLOAT");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Backend.parse("gpu"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xnnpack, builtin, builtin-ref");
    }
}
