package io.litebit.conformance.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.trace.Backend;
import io.litebit.conformance.BackendMatrix;
import io.litebit.conformance.Backends;
import io.litebit.conformance.InputSets;
import io.litebit.conformance.MatrixResult;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every shared model on the three arm64 backends (under qemu on x86), beside their x86 twins and
 * the oracle's arm64 profiles: arm64 must run what x86 runs and trace the same tensors; each arm64
 * backend must equal its profile ({@code TFLITE_ARM64}, {@code BUILTIN_ARM64}, {@code
 * XNNPACK_ARM64}) on every integer tensor of every model the oracle runs; the per-pair divergences
 * are written to {@code target/conformance/arm64-models.md} (first divergent op, elements, max LSB).
 */
class Arm64ModelsTest {
    private static final List<String> BACKENDS = List.of("x86:builtin", "x86:builtin-ref", "x86:xnnpack", "arm64:builtin",
            "arm64:builtin-ref", "arm64:xnnpack", "reference:TFLITE_ARM64", "reference:BUILTIN_ARM64",
            "reference:XNNPACK_ARM64");
    private static final java.util.Map<String, String> PROFILE_OF = java.util.Map.of("arm64:builtin-ref",
            "reference:TFLITE_ARM64", "arm64:builtin", "reference:BUILTIN_ARM64", "arm64:xnnpack", "reference:XNNPACK_ARM64");

    @BeforeAll
    static void harnesses() {
        HarnessAssumptions.require(HarnessPlatform.X86).executable();
        HarnessAssumptions.require(HarnessPlatform.ARM64).executable();
    }

    @Test
    void arm64BackendsRunEverySharedModel() throws IOException {
        List<Backend> backends = BACKENDS.stream().map(Backends::parse).toList();
        StringBuilder md = new StringBuilder("# arm64 vs x86 on the shared models (random inputs, seed 0)\n\n")
                .append("| model | pair | tensors differing | elements differing | max LSB | max ULP | first divergence |\n")
                .append("|---|---|---|---|---|---|---|\n");
        List<String> problems = new ArrayList<>();
        int ran = 0;
        for (Path p : SharedAssets.allModels()) {
            TfliteModel model = TfliteModel.load(p);
            long t0 = System.nanoTime();
            MatrixResult r = BackendMatrix.run(p.getFileName().toString(), model, backends, InputSets.random(model, 1, 0));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            for (String platformKind : HarnessBackend.KINDS) {
                MatrixResult.BackendRun x86 = r.backend("x86:" + platformKind).orElseThrow();
                MatrixResult.BackendRun arm = r.backend("arm64:" + platformKind).orElseThrow();
                if (x86.ok() != arm.ok()) {
                    problems.add(p.getFileName() + " " + platformKind + ": x86 " + x86.state() + " " + x86.error()
                            + " but arm64 " + arm.state() + " " + arm.error());
                }
            }
            for (MatrixResult.Pair pair : r.pairs()) {
                if (!pair.compared()) {
                    continue;
                }
                ran++;
                md.append("| ").append(p.getFileName()).append(" | ").append(pair.a()).append(" vs ").append(pair.b())
                        .append(" | ").append(pair.differingTensors()).append('/').append(pair.tensors().size())
                        .append(" | ").append(pair.differingElements()).append('/')
                        .append(pair.tensors().stream().mapToLong(t -> t.elements()).sum())
                        .append(" | ").append(pair.maxLsb()).append(" | ").append(pair.maxUlp()).append(" | ")
                        .append(pair.firstDivergence().map(Object::toString).orElse("identical")).append(" |\n");
                if (!pair.missing().isEmpty()) {
                    problems.add(p.getFileName() + " " + pair.a() + " vs " + pair.b() + ": " + pair.missing()
                            + " tensors traced by one side only");
                }
            }
            // TFLite's reference kernels are portable integer C++: every integer tensor must be the
            // same bytes on both ISAs (float tensors may differ: the arm64 build contracts a*b+c into FMA).
            r.pair("x86:builtin-ref", "arm64:builtin-ref").filter(MatrixResult.Pair::compared).ifPresent(pair -> {
                if (pair.maxLsb() != 0) {
                    problems.add(p.getFileName() + ": integer reference kernels differ across ISAs by " + pair.maxLsb()
                            + " LSB, first " + pair.firstDivergence().orElseThrow());
                }
            });
            PROFILE_OF.forEach((nativeBackend, profile) -> r.pair(nativeBackend, profile).filter(MatrixResult.Pair::compared)
                    .ifPresent(pair -> {
                        if (pair.maxLsb() != 0) {
                            problems.add(p.getFileName() + ": " + profile + " differs from " + nativeBackend + " by "
                                    + pair.maxLsb() + " LSB, first " + pair.firstDivergence().orElseThrow());
                        }
                    }));
            if (p.getFileName().toString().startsWith("mobilenet_v2")) {
                // arm64's convolutions here reach gemmlowp (the reference rounding), so only the optimized
                // spatial MEAN differs (1 LSB); x86's go to ruy and part ways at op 5 CONV_2D
                // (docs/conformance.md, causes 6, A, B).
                assertThat(r.pair("arm64:builtin", "arm64:builtin-ref").orElseThrow().firstDivergence())
                        .map(d -> d.tensor().opName()).contains("MEAN");
                assertThat(r.pair("x86:builtin", "x86:builtin-ref").orElseThrow().firstDivergence())
                        .map(d -> d.tensor().opName()).contains("CONV_2D");
            }
            System.out.println("Arm64ModelsTest: " + p.getFileName() + " on " + BACKENDS.size() + " backends, " + ms + " ms");
        }
        Path out = Path.of("target", "conformance", "arm64-models.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md);
        assertThat(problems).as("arm64 vs x86 run parity").isEmpty();
        assertThat(ran).as("compared pairs").isGreaterThan(0);
    }
}
