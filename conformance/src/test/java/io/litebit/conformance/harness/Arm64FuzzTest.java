package io.litebit.conformance.harness;

import io.litebit.conformance.Backends;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.trace.Backend;
import io.litebit.conformance.fuzz.FuzzCampaign;
import io.litebit.conformance.fuzz.Generators;
import io.litebit.conformance.fuzz.OpGenerator;
import io.litebit.model.BuiltinOp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bounded arm64 fuzz campaign for CI: every op with a generator, a few seeded cases each
 * ({@code -Dlitebit.fuzz.arm64Cases=N}, default 6: emulation costs ~0.5 s per case), on the JNI
 * x86 backends and the arm64 harness backends. Asserts what the long campaigns established
 * (docs/conformance.md, "arm64"): arm64 runs whatever x86 runs, and TFLite's reference kernels
 * compute the same integers on both ISAs; and each arm64 backend computes what its profile does
 * ({@code TFLITE_ARM64}, {@code BUILTIN_ARM64} — which refuses the cases where that backend
 * crashes — and {@code XNNPACK_ARM64}), bit for bit on every tensor of every case. The per-op
 * agreement groups go to
 * {@code target/conformance/arm64-fuzz.md}.
 */
class Arm64FuzzTest {
    private static final int CASES = Integer.getInteger("litebit.fuzz.arm64Cases", 6);
    private static final long SEED = Long.getLong("litebit.fuzz.seed", 1L);
    private static final Map<String, String> TWINS = Map.of("arm64:builtin", "builtin", "arm64:builtin-ref", "builtin-ref",
            "arm64:xnnpack", "xnnpack");
    private static final Map<String, String> PROFILE_OF = Map.of("arm64:builtin", "reference:BUILTIN_ARM64",
            "arm64:builtin-ref", "reference:TFLITE_ARM64", "arm64:xnnpack", "reference:XNNPACK_ARM64");

    /**
     * Found by the arm64 campaign (docs/conformance.md, "arm64"): the arm64 optimized int8
     * FULLY_CONNECTED with per-channel weights, no bias and more than one batch row dies with
     * SIGSEGV (qemu's "uncaught target signal 11", exit 139); x86 runs the same case.
     */
    private static boolean knownCrash(BuiltinOp op, FuzzCampaign.BackendSummary b) {
        return op == BuiltinOp.FULLY_CONNECTED && b.backend().equals("arm64:builtin") && b.firstError() != null
                && b.firstError().contains("exited 139");
    }

    @BeforeAll
    static void harness() {
        HarnessAssumptions.require(HarnessPlatform.ARM64).executable();
    }

    @Test
    void arm64CampaignOverEveryOp() throws IOException {
        List<Backend> backends = List.of(Backend.builtin(), Backend.builtinRef(), Backend.xnnpack(),
                Backends.parse("arm64:builtin"), Backends.parse("arm64:builtin-ref"), Backends.parse("arm64:xnnpack"),
                Backends.parse("reference:TFLITE_ARM64"), Backends.parse("reference:BUILTIN_ARM64"),
                Backends.parse("reference:XNNPACK_ARM64"));
        FuzzCampaign.Options options = new FuzzCampaign.Options(backends, CASES, SEED, 0);
        StringBuilder md = new StringBuilder("# arm64 fuzz campaign: " + CASES + " cases per op, seed " + SEED + "\n\n")
                .append("| op | path | cases | agree on every case | disagreeing pairs (cases, max LSB / ULP) |\n")
                .append("|---|---|---|---|---|\n");
        List<String> problems = new ArrayList<>();
        List<String> known = new ArrayList<>();
        long t0 = System.nanoTime();
        int cases = 0;
        for (Map.Entry<BuiltinOp, OpGenerator> e : Generators.all().entrySet()) {
            FuzzCampaign.OpResult r = FuzzCampaign.run(e.getValue(), options, done -> { });
            for (Map.Entry<String, Integer> path : r.casesByPath().entrySet()) {
                String p = path.getKey();
                cases += path.getValue();
                for (FuzzCampaign.BackendSummary b : r.backends(p)) {
                    String twin = TWINS.get(b.backend());
                    if (twin == null) {
                        continue;
                    }
                    FuzzCampaign.BackendSummary x86 = r.backends(p).stream().filter(s -> s.backend().equals(twin))
                            .findFirst().orElseThrow();
                    if (x86.ok() != b.ok() && knownCrash(e.getKey(), b)) {
                        known.add(e.getKey() + " " + p + ": " + b.backend() + " failed " + b.failed() + " case(s): "
                                + b.firstError().lines().findFirst().orElse(""));
                    } else if (x86.ok() != b.ok()) {
                        problems.add(e.getKey() + " " + p + ": " + twin + " ran " + x86.ok() + " cases, " + b.backend()
                                + " " + b.ok() + " (first error " + b.firstError() + ")");
                    }
                }
                StringBuilder diff = new StringBuilder();
                for (FuzzCampaign.PairSummary s : r.pairs(p)) {
                    if (s.differingCases() == 0) {
                        continue;
                    }
                    diff.append(diff.length() == 0 ? "" : "; ").append(s.label()).append(" (").append(s.differingCases())
                            .append(", ").append(s.maxLsb()).append(" / ").append(s.maxUlp()).append(")");
                    // Integer paths only: from float input (QUANTIZE) the reference divides in float,
                    // which the arm64 build may contract or round differently (docs/conformance.md).
                    boolean refPair = s.label().equals("builtin-ref vs arm64:builtin-ref") && !p.contains("float");
                    // Each arm64 backend against its profile, floats by bits too (the fuzzed float paths
                    // are data movement and DEQUANTIZE, which the profiles model).
                    String profile = PROFILE_OF.get(s.a());
                    boolean profilePair = s.b().equals(profile);
                    if (profilePair) {
                        problems.add(e.getKey() + " " + p + ": " + profile + " differs from " + s.a() + " on "
                                + s.differingCases() + " case(s), max " + s.maxLsb() + " LSB / " + s.maxUlp() + " ULP (case seed "
                                + s.firstSeed() + ", " + s.firstDivergence() + ")");
                    }
                    if (refPair && s.maxLsb() > 0) {
                        problems.add(e.getKey() + " " + p + ": TFLite's reference kernels differ across ISAs by "
                                + s.maxLsb() + " LSB (case seed " + s.firstSeed() + ", " + s.firstDivergence() + ")");
                    }
                }
                md.append("| ").append(e.getKey()).append(" | ").append(p).append(" | ").append(path.getValue()).append(" | ")
                        .append(r.agreeingGroups(p).stream().map(g -> String.join(" == ", g)).toList()).append(" | ")
                        .append(diff.length() == 0 ? "-" : diff).append(" |\n");
            }
        }
        long s = (System.nanoTime() - t0) / 1_000_000_000L;
        md.append("\n").append(cases).append(" cases in ").append(s).append(" s\n");
        for (String k : known) {
            md.append("\nKnown: ").append(k).append('\n');
        }
        Path out = Path.of("target", "conformance", "arm64-fuzz.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md);
        System.out.println("Arm64FuzzTest: " + cases + " cases over " + Generators.all().size() + " ops in " + s + " s; " + out
                + (known.isEmpty() ? "" : "; known issues: " + known));
        assertThat(problems).isEmpty();
        assertThat(cases).isGreaterThanOrEqualTo(CASES * Generators.all().size());
    }
}
