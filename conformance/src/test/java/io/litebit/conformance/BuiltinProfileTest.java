package io.litebit.conformance;

import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.litebit.conformance.fuzz.FuzzRunner;
import io.litebit.conformance.fuzz.Generators;
import io.litebit.conformance.fuzz.OpCase;
import io.litebit.conformance.fuzz.OpGenerator;
import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import io.litebit.model.zoo.Zoo;
import io.litebit.reference.InvalidOpException;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.UnsupportedOpException;
import io.litebit.reference.kernels.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The proof of the {@link NumericsProfile#BUILTIN_X86} profile (issue 7 §4): the oracle under
 * that profile against TFLite's optimized builtin kernels ({@code builtin}, no delegate) on this
 * x86-64 CPU, bit for bit on every integer tensor.
 *
 * <ul>
 *   <li>Per op, seeded random single-op models from the fuzz generators (the cases {@link
 *       OpFuzzTest} proves against the reference kernels): zero differing elements on every case
 *       with an integer output. Cases whose op computes in float (float in and out) are not
 *       asserted: TFLite's float kernels (Eigen, ruy float) sum in their own order.</li>
 *   <li>Whole models: every shared and zoo model whose ops the oracle has, on seeded random
 *       inputs: every traced integer tensor identical.</li>
 * </ul>
 *
 * <p>Runs on x86-64 with AVX only (ruy dispatches its x86 kernels at run time; without AVX it
 * runs its portable path, a different rounding). Cases per op: {@code
 * -Dlitebit.fuzz.builtinCases=N} (default 300). Summary: {@code
 * target/conformance/builtin-profile-summary.md}.
 */
class BuiltinProfileTest {
    private static final int CASES = Integer.getInteger("litebit.fuzz.builtinCases", 300);
    private static final long SEED = Long.getLong("litebit.fuzz.seed", 1L);
    private static final Map<String, String> SUMMARY = Collections.synchronizedMap(new TreeMap<>());

    private record Outcome(String kind, String problem, long differing, long elements) {
        static Outcome skipped(String kind) {
            return new Outcome(kind, null, 0, 0);
        }
    }

    @TestFactory
    Stream<DynamicTest> oracleMatchesTheOptimizedKernelsOnEveryCase() {
        assumeTrue(CpuInfo.isX86WithAvx(), "BUILTIN_X86 models TFLite's optimized kernels on x86-64 with AVX; this is "
                + CpuInfo.describe());
        TreeSet<BuiltinOp> ops = new TreeSet<>(Kernels.supportedOps());
        ops.retainAll(Generators.all().keySet());
        return ops.stream().map(op -> DynamicTest.dynamicTest(op.name(), () -> checkOp(Generators.forOp(op).orElseThrow())));
    }

    private static void checkOp(OpGenerator gen) {
        List<Outcome> outcomes = IntStream.range(0, CASES).parallel()
                .mapToObj(i -> runCase(gen.generate(FuzzRunner.caseSeed(SEED, gen.op(), i)))).toList();
        List<String> failures = new ArrayList<>();
        long compared = 0;
        long elements = 0;
        long floatCases = 0;
        long refused = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            switch (o.kind()) {
                case "float" -> floatCases++;
                case "refused" -> refused++;
                default -> {
                    compared++;
                    elements += o.elements();
                    if (o.problem() != null) {
                        failures.add("case " + FuzzRunner.caseSeed(SEED, gen.op(), i) + ": " + o.problem());
                    }
                }
            }
        }
        String line = gen.op() + ": " + compared + " cases compared (" + elements + " elements), " + failures.size()
                + " differing; " + floatCases + " float cases (not asserted); " + refused + " refused by both";
        SUMMARY.put("op " + gen.op(), line);
        System.out.println("[builtin-profile] " + line);
        assertThat(failures).as(gen.op() + ": oracle(BUILTIN_X86) vs native builtin").isEmpty();
    }

    private static Outcome runCase(OpCase c) {
        if (c.computesInFloat()) {
            return Outcome.skipped("float");
        }
        Trace oracle = null;
        String oracleRefusal = null;
        try {
            oracle = Backend.reference(NumericsProfile.BUILTIN_X86).run(c.model(), c.inputs());
        } catch (UnsupportedOpException | InvalidOpException e) {
            oracleRefusal = e.getMessage();
        }
        Trace builtin = null;
        String builtinRefusal = null;
        try {
            builtin = Backend.builtin().run(c.model(), c.inputs());
        } catch (RuntimeException e) {
            builtinRefusal = e.getMessage();
        }
        if (oracle == null && builtin == null) {
            return Outcome.skipped("refused");
        }
        if (oracle == null || builtin == null) {
            // OpFuzzTest holds the oracle to TFLite's Prepare against the reference kernels; here
            // one side refusing what the other ran is a disagreement all the same.
            return new Outcome("compared", c + " :: only one side ran: oracle " + (oracle == null ? oracleRefusal : "ran")
                    + ", builtin " + (builtin == null ? builtinRefusal : "ran"), 0, 0);
        }
        TraceDiff d = TraceDiff.compare(c.model(), builtin, oracle);
        long differing = d.tensors().stream().mapToLong(TensorDiff::differing).sum();
        long elements = d.tensors().stream().filter(t -> t.opIndex() >= 0).mapToLong(TensorDiff::elements).sum();
        String problem = d.firstDivergence().map(f -> c + " :: " + f).orElse(null);
        if (problem == null && !d.missing().isEmpty()) {
            problem = c + " :: tensors missing from one trace: " + d.missing();
        }
        return new Outcome("compared", problem, differing, elements);
    }

    @TestFactory
    Stream<DynamicTest> oracleMatchesTheOptimizedKernelsOnEveryIntegerTensorOfWholeModels() throws IOException {
        assumeTrue(CpuInfo.isX86WithAvx(), "BUILTIN_X86 models TFLite's optimized kernels on x86-64 with AVX; this is "
                + CpuInfo.describe());
        Map<String, TfliteModel> models = new TreeMap<>();
        Path root = SharedAssets.root().resolve("models");
        for (Path p : SharedAssets.allModels()) {
            models.put("shared/" + root.relativize(p).toString().replace('\\', '/'), TfliteModel.load(p));
        }
        Zoo.all().forEach((name, m) -> models.put("zoo/" + name, m));
        return models.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> checkModel(e.getKey(), e.getValue())));
    }

    private static void checkModel(String name, TfliteModel model) {
        List<List<byte[]>> sets = InputSets.random(model, 2, 11);
        for (int k = 0; k < sets.size(); k++) {
            List<byte[]> inputs = sets.get(k);
            Trace oracle;
            try {
                oracle = Backend.reference(NumericsProfile.BUILTIN_X86).run(model, inputs);
            } catch (UnsupportedOpException e) {
                SUMMARY.put("model " + name, name + ": pending (op " + e.opName() + " is not in the oracle)");
                return;
            } catch (InvalidOpException e) {
                // Random values in a run-time shape input (seanet transpose_conv); WholeModelDiffTest says the same.
                SUMMARY.put("model " + name, name + ": random inputs invalid for the model (" + e.getMessage() + ")");
                return;
            }
            Trace builtin = Backend.builtin().run(model, inputs);
            TraceDiff d = TraceDiff.compare(model, builtin, oracle);
            List<TensorDiff> integerDiffs = d.tensors().stream()
                    .filter(t -> t.dtype() != DType.FLOAT32 && !t.identical()).toList();
            long floatDiffs = d.tensors().stream().filter(t -> t.dtype() == DType.FLOAT32 && !t.identical()).count();
            SUMMARY.put("model " + name, name + ": " + d.tensors().size() + " tensors compared per input set, "
                    + integerDiffs.size() + " integer tensors differ" + (floatDiffs == 0 ? ""
                    : "; " + floatDiffs + " float tensors differ (not asserted)"));
            assertThat(integerDiffs).as(name + " input set " + k + ": oracle(BUILTIN_X86) vs native builtin, every integer tensor")
                    .isEmpty();
            assertThat(d.missing()).as(name + ": tensors traced by one backend only").isEmpty();
        }
    }

    @AfterAll
    static void writeSummary() throws IOException {
        Path dir = Path.of("target", "conformance");
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder("# oracle(BUILTIN_X86) vs native builtin, seed " + SEED + ", CPU "
                + CpuInfo.describe() + "\n\n");
        SUMMARY.values().forEach(l -> sb.append("- ").append(l).append('\n'));
        Files.writeString(dir.resolve("builtin-profile-summary.md"), sb.toString());
    }
}
