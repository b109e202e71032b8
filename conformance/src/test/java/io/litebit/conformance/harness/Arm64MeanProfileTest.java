package io.litebit.conformance.harness;

import io.litebit.conformance.Backends;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.trace.Backend;
import io.litebit.conformance.MeanPaths;
import io.litebit.trace.Trace;
import io.litebit.conformance.fuzz.FuzzRunner;
import io.litebit.conformance.fuzz.Generators;
import io.litebit.conformance.fuzz.OpCase;
import io.litebit.conformance.fuzz.OpGenerator;
import io.litebit.model.BuiltinOp;
import io.litebit.reference.NumericsProfile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proof of MEAN under {@link NumericsProfile#BUILTIN_ARM64}, bounded for CI (each case is one emulated
 * run, ~0.5 s): the oracle against TFLite's optimized kernels on aarch64 ({@code arm64:builtin}), bit for
 * bit, on a few generated spatial-mean cases whose depth reaches the 16-channel NEON loop and its scalar
 * tail, one that does not take the spatial path, a uint8 one, MobileNetV2's op 81 shape and op 81 itself.
 */
class Arm64MeanProfileTest {
    private static final long SEED = Long.getLong("litebit.fuzz.seed", 1L);
    private static final Backend ARM64 = Backends.parse("arm64:builtin");

    @BeforeAll
    static void harness() {
        HarnessAssumptions.require(HarnessPlatform.ARM64).executable();
    }

    /** Two int8 spatial cases with a NEON block and a tail (depth 17..31 or 33..39), one uint8 spatial case, one other case. */
    private static List<MeanPaths.Case> generated() {
        OpGenerator gen = Generators.forOp(BuiltinOp.MEAN).orElseThrow();
        List<MeanPaths.Case> int8 = new ArrayList<>();
        List<MeanPaths.Case> uint8 = new ArrayList<>();
        List<MeanPaths.Case> other = new ArrayList<>();
        for (int i = 0; i < 2000 && (int8.size() < 2 || uint8.isEmpty() || other.isEmpty()); i++) {
            OpCase c = gen.generate(FuzzRunner.caseSeed(SEED, BuiltinOp.MEAN, i));
            MeanPaths.Case mc = new MeanPaths.Case(c.toString(), c.model(), c.inputs());
            if (!MeanPaths.spatial(c)) {
                if (other.isEmpty() && c.params().startsWith("int8")) {
                    other.add(mc);
                }
            } else if (c.params().startsWith("int8") && MeanPaths.depth(c) > 16 && MeanPaths.depth(c) % 16 != 0
                    && int8.size() < 2) {
                int8.add(mc);
            } else if (c.params().startsWith("uint8") && MeanPaths.depth(c) > 16 && uint8.isEmpty()) {
                uint8.add(mc);
            }
        }
        List<MeanPaths.Case> all = new ArrayList<>(int8);
        all.addAll(uint8);
        all.addAll(other);
        assertThat(all).hasSize(4);
        return all;
    }

    @Test
    void oracleMatchesArm64BuiltinOnMean() throws IOException {
        List<MeanPaths.Case> cases = new ArrayList<>(generated());
        cases.add(MeanPaths.op81Shaped(0));
        MeanPaths.Case op81 = MeanPaths.op81Extracted();
        cases.add(op81);
        List<String> failures = new ArrayList<>();
        long againstX86Rule = 0;
        for (MeanPaths.Case c : cases) {
            Trace arm = ARM64.run(c.model(), c.inputs());
            MeanPaths.Diff oracle = MeanPaths.Diff.of(c.model(), arm,
                    Backend.reference(NumericsProfile.BUILTIN_ARM64).run(c.model(), c.inputs()));
            MeanPaths.Diff x86Rule = MeanPaths.Diff.of(c.model(), arm,
                    Backend.reference(NumericsProfile.BUILTIN_X86).run(c.model(), c.inputs()));
            MeanPaths.Diff ref = MeanPaths.Diff.of(c.model(), arm,
                    Backend.reference(NumericsProfile.TFLITE).run(c.model(), c.inputs()));
            System.out.println("[mean-arm64] " + c.name() + ": arm64:builtin vs reference:BUILTIN_ARM64 " + oracle
                    + "; vs reference:BUILTIN_X86 " + x86Rule + "; vs reference:TFLITE " + ref);
            if (oracle.differing() != 0) {
                failures.add(c.name() + ": " + oracle);
            }
            againstX86Rule += x86Rule.differing();
            if (c == op81) {
                // docs/conformance.md, cause B: arm64:builtin differs from the reference kernels on 21 of 1,280.
                assertThat(ref.differing()).isEqualTo(21);
                assertThat(ref.maxLsb()).isEqualTo(1);
            }
        }
        assertThat(failures).as("arm64:builtin vs reference:BUILTIN_ARM64 on MEAN").isEmpty();
        // The NEON loop's rounding is what tells arm64 from x86 here.
        assertThat(againstX86Rule).isPositive();
    }

    /**
     * XNNPACK's MEAN on aarch64 converts with fused multiply-adds (Reduce#xnnpackMean): ten int8
     * values summing to 475, scales 0.5, zero points 74 in and 16 out, give -10 on {@code
     * arm64:xnnpack} and -11 on x86 (hand derivation in reference-impl's ReduceTest).
     */
    @Test
    void xnnpackArm64MeanMatchesItsProfileWhereTheFusedConvertDecides() {
        io.litebit.model.build.ModelBuilder mb = io.litebit.model.build.ModelBuilder.create();
        io.litebit.model.build.SubgraphBuilder g = mb.main();
        io.litebit.model.build.TensorRef x = g.input("x", io.litebit.model.DType.INT8, new int[] {1, 10, 1, 1},
                io.litebit.model.Quantization.perTensor(0.5f, 74));
        g.output(g.mean(x, new int[] {1, 2}, true, io.litebit.model.build.Out.int8(0.5f, 16).named("y")));
        io.litebit.model.TfliteModel model = mb.build();
        List<byte[]> inputs = List.of(new byte[] {47, 47, 47, 47, 47, 48, 48, 48, 48, 48});
        Trace arm = Backends.parse("arm64:xnnpack").run(model, inputs);
        MeanPaths.Diff profile = MeanPaths.Diff.of(model, arm,
                Backend.reference(NumericsProfile.XNNPACK_ARM64).run(model, inputs));
        MeanPaths.Diff x86 = MeanPaths.Diff.of(model, arm, Backend.reference(NumericsProfile.XNNPACK).run(model, inputs));
        System.out.println("[mean-arm64] xnnpack fused convert: vs reference:XNNPACK_ARM64 " + profile + "; vs reference:XNNPACK " + x86);
        assertThat(profile.differing()).isZero();
        assertThat(x86.differing()).isEqualTo(1);
    }
}
