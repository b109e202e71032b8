package io.litebit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.conformance.fuzz.FuzzRunner;
import io.litebit.conformance.fuzz.FuzzRunner.CaseOutcome;
import io.litebit.conformance.fuzz.FuzzRunner.OpReport;
import io.litebit.conformance.fuzz.FuzzRunner.Status;
import io.litebit.conformance.fuzz.Generators;
import io.litebit.conformance.fuzz.OpGenerator;
import io.litebit.model.BuiltinOp;
import io.litebit.reference.kernels.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The oracle's proof against TFLite's C++ reference kernels (issue 4 §4), one dynamic test per op:
 * seeded random single-op models for every op the oracle supports at the time the test runs must
 * give zero differing elements in every tensor against native BUILTIN_REF. An op whose generator
 * exists but whose oracle kernel has not landed yet runs on the native backends only and is listed
 * as pending; an oracle op without a generator is listed as such. BUILTIN vs BUILTIN_REF
 * differences are recorded, not failed, in {@code target/conformance/op-fuzz-report.json}.
 *
 * <p>Case counts: {@code -Dlitebit.fuzz.cases=N} per oracle op (default 400),
 * {@code -Dlitebit.fuzz.nativeOnlyCases=N} per pending op (default 100), {@code -Dlitebit.fuzz.seed=S}.
 */
class OpFuzzTest {
    private static final int CASES = Integer.getInteger("litebit.fuzz.cases", 400);
    private static final int NATIVE_ONLY_CASES = Integer.getInteger("litebit.fuzz.nativeOnlyCases", 100);
    private static final long SEED = Long.getLong("litebit.fuzz.seed", 1L);

    private static final FuzzRunner RUNNER = new FuzzRunner();
    private static final List<OpReport> REPORTS = Collections.synchronizedList(new ArrayList<>());
    private static final Set<BuiltinOp> SUPPORTED = Kernels.supportedOps();

    @TestFactory
    Stream<DynamicTest> oracleMatchesBuiltinRefOnEveryOp() {
        Set<BuiltinOp> ops = new TreeSet<>(SUPPORTED);
        ops.addAll(Generators.all().keySet());
        return ops.stream().map(op -> DynamicTest.dynamicTest(op.name(), () -> check(op)));
    }

    private static void check(BuiltinOp op) {
        OpGenerator gen = Generators.forOp(op).orElse(null);
        if (gen == null) {
            // Listed in the report; the oracle has the kernel but nothing exercises it here yet.
            System.out.println("[op-fuzz] " + op + ": NO GENERATOR (oracle kernel untested by the fuzz suite)");
            return;
        }
        boolean supported = SUPPORTED.contains(op);
        OpReport r = RUNNER.run(gen, supported ? CASES : NATIVE_ONLY_CASES, SEED, supported);
        REPORTS.add(r);
        System.out.println("[op-fuzz] " + op + (supported ? "" : " (pending: no oracle kernel)") + " " + r.counts()
                + " builtin!=ref in " + r.builtinDifferences().size() + " cases, saturated outputs "
                + String.format("%.1f%%", 100 * r.saturatedFraction()) + ", " + r.millis() + " ms");
        FuzzRunner.describe(r, 3).forEach(l -> System.out.println("[op-fuzz]   " + l));
        // Every case the generator makes must be one TFLite accepts, or the op is not really tested.
        assertThat(r.count(Status.BOTH_REFUSE)).as(op + ": generated models TFLite refuses").isLessThanOrEqualTo(r.outcomes().size() / 10);
        // Output scales are chosen so that results spread over the range; most must not be clamped.
        assertThat(r.saturatedFraction()).as(op + ": fraction of outputs at qmin/qmax").isLessThan(0.5);
        if (!supported) {
            return;
        }
        List<CaseOutcome> bad = new ArrayList<>(r.withStatus(Status.MISMATCH));
        bad.addAll(r.withStatus(Status.NATIVE_REFUSED));
        bad.addAll(r.withStatus(Status.ORACLE_REFUSED));
        assertThat(bad).as(op + ": oracle(TFLITE) vs BUILTIN_REF must agree on every case:\n"
                + String.join("\n", FuzzRunner.describe(r, 10))).isEmpty();
    }

    /** A table for the issue note and the docs: one row per op. */
    private static String markdown(List<OpReport> reports, List<String> noGenerator) {
        StringBuilder sb = new StringBuilder();
        sb.append("Op fuzz, seed ").append(SEED).append(", CPU ").append(CpuInfo.describe()).append("\n\n");
        sb.append("| op | state | cases | oracle=REF | oracle pending path | oracle vs REF differing elements | "
                + "BUILTIN != REF cases | BUILTIN vs REF max LSB | outputs saturated |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (OpReport r : reports) {
            long differing = r.outcomes().stream().mapToLong(CaseOutcome::differing).sum();
            long maxLsb = r.builtinDifferences().stream().filter(o -> o.builtin().refused() == null)
                    .mapToLong(o -> o.builtin().maxLsb()).max().orElse(0);
            sb.append("| ").append(r.op()).append(" | ").append(r.oracleSupported() ? "checked" : "pending")
                    .append(" | ").append(r.outcomes().size())
                    .append(" | ").append(r.count(Status.MATCH))
                    .append(" | ").append(r.count(Status.PENDING))
                    .append(" | ").append(r.oracleSupported() ? String.valueOf(differing) : "-")
                    .append(" | ").append(r.builtinDifferences().size())
                    .append(" | ").append(maxLsb)
                    .append(" | ").append(String.format("%.1f%%", 100 * r.saturatedFraction())).append(" |\n");
        }
        sb.append("\nOracle ops without a generator: ").append(noGenerator.isEmpty() ? "none" : noGenerator).append('\n');
        return sb.toString();
    }

    @AfterAll
    static void writeReport() throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("seed", SEED);
        root.put("cpu", CpuInfo.describe());
        root.put("oracleOps", SUPPORTED.stream().map(Enum::name).sorted().toList());
        List<String> noGenerator = SUPPORTED.stream().filter(o -> Generators.forOp(o).isEmpty()).map(Enum::name).sorted().toList();
        root.put("noGenerator", noGenerator);
        List<String> pending = new ArrayList<>();
        List<Object> ops = new ArrayList<>();
        List<Object> builtinVsRef = new ArrayList<>();
        List<OpReport> sorted = new ArrayList<>(REPORTS);
        sorted.sort((a, b) -> a.op().name().compareTo(b.op().name()));
        for (OpReport r : sorted) {
            if (!r.oracleSupported()) {
                pending.add(r.op().name());
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("op", r.op().name());
            m.put("state", r.oracleSupported() ? "checked" : "pending");
            m.put("cases", r.outcomes().size());
            Map<String, Object> counts = new LinkedHashMap<>();
            r.counts().forEach((k, v) -> counts.put(k.name(), v));
            m.put("counts", counts);
            m.put("millis", r.millis());
            m.put("saturatedOutputFraction", r.saturatedFraction());
            List<Object> notMatching = new ArrayList<>();
            for (CaseOutcome o : r.outcomes()) {
                if (o.status() != Status.MATCH && o.status() != Status.NATIVE_ONLY) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("status", o.status().name());
                    c.put("seed", o.opCase().seed());
                    c.put("params", o.opCase().params());
                    c.put("differing", o.differing());
                    c.put("maxLsb", o.maxLsb());
                    c.put("detail", o.detail());
                    notMatching.add(c);
                }
                if (o.builtin() != null) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("op", r.op().name());
                    c.put("seed", o.opCase().seed());
                    c.put("params", o.opCase().params());
                    if (o.builtin().refused() != null) {
                        c.put("builtinRefused", o.builtin().refused());
                    } else {
                        c.put("differing", o.builtin().differing());
                        c.put("elements", o.builtin().elements());
                        c.put("maxLsb", o.builtin().maxLsb());
                        c.put("maxUlp", o.builtin().maxUlp());
                        Map<String, Object> h = new LinkedHashMap<>();
                        o.builtin().histogram().forEach((k, v) -> h.put(String.valueOf(k), v));
                        c.put("histogram", h);
                    }
                    builtinVsRef.add(c);
                }
            }
            // Per dtype path (the first word of the parameters, e.g. "int8", "float32->int16").
            Map<String, Map<String, Long>> byPath = new java.util.TreeMap<>();
            for (CaseOutcome o : r.outcomes()) {
                Map<String, Long> p = byPath.computeIfAbsent(o.opCase().params().split(" ", 2)[0], k -> new java.util.TreeMap<>());
                p.merge(o.status().name(), 1L, Long::sum);
                if (o.builtin() != null) {
                    p.merge("builtinDiffersFromRef", 1L, Long::sum);
                }
            }
            m.put("byPath", byPath);
            m.put("notMatching", notMatching);
            m.put("builtinVsRefCases", r.builtinDifferences().size());
            ops.add(m);
        }
        root.put("pending", pending);
        root.put("ops", ops);
        root.put("builtinVsRef", builtinVsRef);
        Path dir = Path.of("target", "conformance");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("op-fuzz-report.json"), Json.write(root));
        Files.writeString(dir.resolve("op-fuzz-summary.md"), markdown(sorted, noGenerator));
        System.out.println("[op-fuzz] pending (generator, no oracle kernel): " + pending);
        System.out.println("[op-fuzz] oracle ops without a generator: " + noGenerator);
        System.out.println("[op-fuzz] report: " + dir.resolve("op-fuzz-report.json").toAbsolutePath());
    }
}
