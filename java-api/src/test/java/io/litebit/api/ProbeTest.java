package io.litebit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.DType;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.options.Padding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe: an unseen model runs first in a child process, a crash there is a one-sentence
 * {@link ChildCrashException} and this JVM lives on; verdicts are cached in memory and on disk.
 */
class ProbeTest {

    /**
     * DEPTHWISE_CONV_2D without a bias: TFLite 2.19's optimized kernel reads the bias through a
     * null pointer (SIGSEGV). {@link CrashGuards} refuses it statically; with the static checks
     * off, the probe must catch the real crash in its child.
     */
    static Model depthwiseWithoutBias(float weight) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        float[] w = new float[9];
        Arrays.fill(w, weight);
        g.output(g.depthwiseConv2d(g.input("x", DType.FLOAT32, new int[] {1, 3, 3, 1}),
                g.constant("w", new int[] {1, 3, 3, 1}, w), null,
                new BuiltinOptions.DepthwiseConv2D(Padding.VALID, 1, 1, 1, Activation.NONE, 1, 1), Out.float32()));
        return TestModels.of(mb.build());
    }

    @Test
    void aRealTfliteCrashInTheProbeIsAnExceptionHereAndTheJvmLives() {
        Model model = depthwiseWithoutBias(0.25f);
        long startsBefore = Probe.worker().starts();
        InterpreterOptions builtin = InterpreterOptions.of(Backend.BUILTIN);
        assertThatThrownBy(() -> Probe.check(model, builtin, false))
                .isInstanceOfSatisfying(ChildCrashException.class, e -> {
                    assertThat(e.signal()).isEqualTo("SIGSEGV");
                    assertThat(e.stage()).contains("invoking with zeros inputs");
                })
                .hasMessageStartingWith("TFLite 2.19 crashed a litebit child process with SIGSEGV while invoking"
                        + " with zeros inputs")
                .hasMessageContaining("on BUILTIN: the model was not run in this JVM")
                .hasMessageContaining("Try Backend.BUILTIN_REF");
        // Cached: the same question is answered without a child, with the same sentence.
        long runs = Probe.RUNS.get();
        assertThatThrownBy(() -> Probe.check(model, builtin, false)).isInstanceOf(ChildCrashException.class)
                .hasMessageContaining("SIGSEGV");
        assertThat(Probe.RUNS.get()).isEqualTo(runs);
        // The worker restarts for the next probe, and the reference kernels run the model.
        try (Interpreter it = Interpreter.create(model, InterpreterOptions.of(Backend.BUILTIN_REF))) {
            it.input(0).write(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1});
            it.invoke();
            assertThat(it.output(0).readFloats()).containsExactly(2.25f);
        }
        assertThat(Probe.worker().starts()).isGreaterThan(startsBefore);
    }

    @Test
    void aSafeModelIsProbedOncePerBackendThenCached() {
        Model model = TestModels.of(TestModels.fcFloat().view());
        long runs = Probe.RUNS.get();
        for (int i = 0; i < 3; i++) {
            try (Interpreter it = Interpreter.create(model, InterpreterOptions.of(Backend.BUILTIN))) {
                it.input(0).write(new float[] {1, 2, 3, 4});
                it.invoke();
            }
        }
        // One load probe was paid by TestModels.of; one interpreter probe for BUILTIN.
        assertThat(Probe.RUNS.get() - runs).isEqualTo(1);
        try (Interpreter it = Interpreter.create(model, InterpreterOptions.of(Backend.BUILTIN).withTrustedModel(true))) {
            it.invoke();
        }
        assertThat(Probe.RUNS.get() - runs).as("trusted: no probe").isEqualTo(1);
    }

    @Test
    void verdictsSurviveInTheCacheDirectory(@TempDir Path dir) throws Exception {
        String before = System.getProperty("litebit.probe.cacheDir");
        System.setProperty("litebit.probe.cacheDir", dir.toString());
        try {
            Model crashing = depthwiseWithoutBias(0.75f);
            InterpreterOptions xnn = InterpreterOptions.of(Backend.XNNPACK);
            assertThatThrownBy(() -> Probe.check(crashing, xnn, false)).isInstanceOf(ChildCrashException.class);
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .anyMatch(n -> n.equals(crashing.sha256() + "-XNNPACK-t1-raw.verdict"));
            }
            Probe.clearMemory();
            long runs = Probe.RUNS.get();
            assertThatThrownBy(() -> Probe.check(crashing, xnn, false)).isInstanceOf(ChildCrashException.class)
                    .hasMessageContaining("SIGSEGV");
            assertThat(Probe.RUNS.get()).as("answered from disk").isEqualTo(runs);
        } finally {
            if (before == null) {
                System.clearProperty("litebit.probe.cacheDir");
            } else {
                System.setProperty("litebit.probe.cacheDir", before);
            }
        }
    }
}
