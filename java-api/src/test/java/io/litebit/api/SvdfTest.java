package io.litebit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.BuiltinOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The 8-bit SVDF of TFLite Micro's keyword benchmark ({@code keyword_scrambled_8bit.tflite}):
 * int8 input, weights_feature, weights_time and state. Full TFLite 2.19 reads weights_time and the
 * state as int16 without checking (kernels/svdf.cc), so the model runs past its tensors. This test
 * builds an equivalent model with the builder (no third-party file in the repository), proves the
 * crash is real in a child process, and that litebit refuses the model before TFLite sees it,
 * while the int16 SVDF that TFLite supports runs on every backend.
 */
class SvdfTest {
    static final int BATCH = 1;
    static final int INPUT = 64;
    static final int FILTERS = 256;
    static final int MEMORY = 128;

    /** SVDF rank 1, [1, 64] -> [1, 256], memory 128; weights_time and state in {@code stateType}. */
    static Model svdf(DType stateType, long seed) {
        Random r = new Random(seed);
        ModelBuilder mb = ModelBuilder.create().description("svdf " + stateType.displayName() + " state");
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.INT8, new int[] {BATCH, INPUT}, Quantization.perTensor(0.05f, 0));
        TensorRef wf = g.constant("weights_feature", DType.INT8, new int[] {FILTERS, INPUT},
                random(r, FILTERS * INPUT), Quantization.perTensor(0.01f, 0));
        int wtBytes = FILTERS * MEMORY * stateType.byteSize();
        float wtScale = 0.002f;
        float stateScale = 0.03f;
        TensorRef wt = g.constant("weights_time", stateType, new int[] {FILTERS, MEMORY}, random(r, wtBytes),
                Quantization.perTensor(wtScale, 0));
        ByteBuffer bias = ByteBuffer.allocate(FILTERS * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < FILTERS; i++) {
            bias.putInt(r.nextInt(2000) - 1000);
        }
        TensorRef b = g.constant("bias", DType.INT32, new int[] {FILTERS}, bias.array(),
                Quantization.perTensor(stateScale * wtScale, 0));
        TensorRef state = g.variable("state", stateType, new int[] {BATCH, MEMORY * FILTERS},
                Quantization.perTensor(stateScale, 0));
        TensorRef y = g.tensor("y", DType.INT8, new int[] {BATCH, FILTERS}, Quantization.perTensor(0.1f, 0));
        org.tensorflow.lite.schema.SVDFOptionsT o = new org.tensorflow.lite.schema.SVDFOptionsT();
        o.setRank(1);
        o.setFusedActivationFunction(org.tensorflow.lite.schema.ActivationFunctionType.RELU); // TFLite requires it for int8
        g.op(BuiltinOp.SVDF, new BuiltinOptions.Opaque(org.tensorflow.lite.schema.BuiltinOptions.SVDFOptions,
                "SVDFOptions", () -> o), List.of(x, wf, wt, b, state), List.of(y));
        g.output(y);
        return Model.fromBytes(mb.build().toBytes());
    }

    private static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Test
    void theInt8StateSvdfIsRefusedWithTflitesWordingOnEveryBackend() {
        Model model = svdf(DType.INT8, 1);
        for (Backend backend : Backend.values()) {
            assertThatThrownBy(() -> Interpreter.create(model, InterpreterOptions.of(backend)))
                    .isInstanceOf(TfliteException.class)
                    .hasMessageStartingWith("SVDF (subgraph 0, operator 0): weights_time->type != kTfLiteInt16"
                            + " (INT8 != INT16), tensor 2 \"weights_time\".")
                    .hasMessageContaining("would be read and written past the end of its tensors");
        }
    }

    @Test
    void rawTfliteReallyCrashesOnItInAChildProcess() {
        Model model = svdf(DType.INT8, 2);
        // Without litebit's static check, the probe's child runs TFLite's own kernel on it.
        assertThatThrownBy(() -> Probe.check(model, InterpreterOptions.of(Backend.BUILTIN), false))
                .isInstanceOfSatisfying(ChildCrashException.class,
                        e -> assertThat(e.signal()).isIn("SIGSEGV", "SIGABRT", "SIGBUS"))
                .hasMessageContaining("on BUILTIN: the model was not run in this JVM");
    }

    @Test
    void theInt16StateSvdfThatTfliteSupportsRunsOnEveryBackendAlike() {
        Model model = svdf(DType.INT16, 3);
        byte[] input = random(new Random(4), BATCH * INPUT);
        byte[] first = null;
        for (Backend backend : Backend.values()) {
            try (Interpreter it = Interpreter.create(model, InterpreterOptions.of(backend))) {
                it.input(0).write(input);
                it.invoke();
                it.invoke(); // the state carries over
                byte[] out = it.output(0).readBytes();
                if (first == null) {
                    first = out;
                } else {
                    assertThat(out).as(backend.name()).containsExactly(first);
                }
            }
        }
    }
}
