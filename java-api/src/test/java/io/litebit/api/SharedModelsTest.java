package io.litebit.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.DType;
import io.litebit.model.testing.SharedAssets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model under shared/models loads and runs on every backend: seanet models with their own
 * input CSVs, the others with seeded random inputs. What ran where is printed at the end.
 */
class SharedModelsTest {
    private static final Map<String, String> SUMMARY = new ConcurrentHashMap<>();

    static Stream<Arguments> modelsAndBackends() {
        List<Path> models = new java.util.ArrayList<>(SharedAssets.allModels());
        // The quantization material too: random inputs reach RSQRT of negatives (NaN, legitimately) and
        // SLICE with garbage begin/size (a zero-element output TFLite gives one byte): both must read cleanly.
        models.addAll(SharedAssets.quantizationModels());
        return models.stream().flatMap(m -> Stream.of(Backend.values())
                .map(b -> Arguments.of(SharedAssets.root().resolve("models").relativize(m).toString(), b)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("modelsAndBackends")
    void runs(String relative, Backend backend) throws Exception {
        Path file = SharedAssets.require("models/" + relative);
        Model model = Model.load(file);
        String name = file.getFileName().toString().replace(".tflite", "");
        List<Path> csvs = Seanet.inputsOf(file.getParent(), name);
        long start = System.nanoTime();
        try (Interpreter interpreter = Interpreter.create(model, InterpreterOptions.of(backend))) {
            if (!csvs.isEmpty()) {
                assertThat(csvs).hasSize(interpreter.inputCount());
                for (int i = 0; i < csvs.size(); i++) {
                    Seanet.write(interpreter.input(i), csvs.get(i));
                }
            } else {
                TestInputs.fillAll(interpreter, 42);
            }
            interpreter.invoke();
            for (int i = 0; i < interpreter.outputCount(); i++) {
                TensorData out = interpreter.output(i).read();
                assertThat(out.shape()).isEqualTo(interpreter.outputDetails().get(i).shape());
                if (out.dtype() == DType.FLOAT32 && !relative.startsWith("quantization")) {
                    for (float v : out.toFloatArray()) {
                        assertThat(Float.isFinite(v)).as("finite output of %s", relative).isTrue();
                    }
                }
            }
            long delegated = interpreter.opDetails().stream().filter(OpDetails::isDelegated).count();
            long modelOps = model.view().mainSubgraph().operators().size();
            if (backend == Backend.XNNPACK) {
                SUMMARY.merge(relative, "XNNPACK runs " + delegated + "/" + modelOps + " ops", (a, b) -> a + "; " + b);
            } else {
                assertThat(delegated).as("%s has no delegate", backend).isZero();
                assertThat(interpreter.opDetails()).noneMatch(OpDetails::isDelegateKernel);
            }
            SUMMARY.merge(relative, backend + " ok " + (System.nanoTime() - start) / 1_000_000 + " ms",
                    (a, b) -> a + "; " + b);
        }
    }

    @AfterAll
    static void printSummary() {
        new TreeMap<>(SUMMARY).forEach((m, s) -> System.out.println("[litebit-api] " + m + ": " + s));
    }
}
