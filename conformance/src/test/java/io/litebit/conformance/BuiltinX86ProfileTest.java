package io.litebit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.conformance.fuzz.FuzzCampaign;
import io.litebit.conformance.fuzz.Generators;
import io.litebit.model.BuiltinOp;
import io.litebit.reference.NumericsProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The proof of {@link NumericsProfile#BUILTIN_X86} on the ops whose optimized x86 kernels compute
 * otherwise than the reference kernels without a GEMM: QUANTIZE (float input divided in double),
 * 8-bit SOFTMAX (the float lookup-table kernel) and DEQUANTIZE (the reference kernel on x86).
 * Seeded fuzz cases of every dtype path of these ops; on each path {@code reference:BUILTIN_X86}
 * must equal native {@code builtin} on every element of every case (integers exactly, floats by
 * bits), and both must have run every case. How far {@code builtin} is from {@code
 * reference:TFLITE} is printed, not asserted.
 *
 * <p>These kernels reach no CPU-dependent code (ruy only serves the GEMM-based ops), so the claim
 * holds on any x86-64 CPU. Cases per op: {@code -Dlitebit.fuzz.builtinCases=N} (default 400).
 */
class BuiltinX86ProfileTest {
    private static final int CASES = Integer.getInteger("litebit.fuzz.builtinCases", 400);
    private static final long SEED = Long.getLong("litebit.fuzz.seed", 1L);

    @TestFactory
    Stream<DynamicTest> builtinX86ProfileEqualsNativeBuiltin() {
        return Stream.of(BuiltinOp.QUANTIZE, BuiltinOp.SOFTMAX, BuiltinOp.DEQUANTIZE)
                .map(op -> DynamicTest.dynamicTest(op.name(), () -> check(op)));
    }

    private static void check(BuiltinOp op) {
        List<Backend> backends = List.of(Backend.builtin(), Backend.reference(NumericsProfile.BUILTIN_X86),
                Backend.reference(NumericsProfile.TFLITE));
        FuzzCampaign.OpResult r = FuzzCampaign.run(Generators.forOp(op).orElseThrow(),
                new FuzzCampaign.Options(backends, CASES, SEED, 0), done -> { });
        List<String> problems = new ArrayList<>();
        for (String path : r.casesByPath().keySet()) {
            int cases = r.casesByPath().get(path);
            for (FuzzCampaign.BackendSummary b : r.backends(path)) {
                if (b.ok() != cases) {
                    problems.add(path + ": " + b.backend() + " ran " + b.ok() + " of " + cases + " cases (first error "
                            + b.firstError() + ")");
                }
            }
            for (FuzzCampaign.PairSummary p : r.pairs(path)) {
                boolean claim = java.util.Set.of(p.a(), p.b()).equals(java.util.Set.of("builtin", "reference:BUILTIN_X86"));
                String line = op + " " + path + ": " + p.label() + ": " + p.differingCases() + "/" + p.cases() + " cases, "
                        + p.differingElements() + "/" + p.elements() + " elements, max " + p.maxLsb() + " LSB / " + p.maxUlp()
                        + " ULP";
                System.out.println("[builtin-x86-profile] " + line);
                if (claim && (p.differingCases() > 0 || p.cases() != cases)) {
                    problems.add(line + " (first case " + p.firstSeed() + ": " + p.firstDivergence() + ")");
                }
            }
        }
        assertThat(r.casesByPath()).as(op + ": dtype paths").isNotEmpty();
        assertThat(problems).as(op + ": reference:BUILTIN_X86 vs native builtin, seed " + SEED).isEmpty();
    }
}
