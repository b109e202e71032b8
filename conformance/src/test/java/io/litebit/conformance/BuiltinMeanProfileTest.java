package io.litebit.conformance;

import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.conformance.fuzz.FuzzRunner;
import io.litebit.conformance.fuzz.Generators;
import io.litebit.conformance.fuzz.OpCase;
import io.litebit.conformance.fuzz.OpGenerator;
import io.litebit.model.BuiltinOp;
import io.litebit.reference.NumericsProfile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The proof of MEAN under {@link NumericsProfile#BUILTIN_X86}: the oracle against TFLite's optimized
 * kernels on x86-64 ({@code builtin}), bit for bit, on the fuzz generator's MEAN cases (about a third of
 * the int8 and uint8 ones take TFLite's 4-D spatial mean, {@code optimized_integer_ops::Mean} /
 * {@code optimized_ops::Mean}) and on MobileNetV2's op 81 (its shape built here, and the op itself
 * extracted from the shared model). Every integer element is compared exactly. The reference kernels
 * ({@code builtin-ref}, {@code reference:TFLITE}) are run beside them to show that these cases do
 * reach the path where the optimized kernel rounds otherwise.
 *
 * <p>Cases: {@code -Dlitebit.fuzz.meanCases=N} (default 300), {@code -Dlitebit.fuzz.seed=S}.
 */
class BuiltinMeanProfileTest {
    private static final int CASES = Integer.getInteger("litebit.fuzz.meanCases", 300);
    private static final long SEED = Long.getLong("litebit.fuzz.seed", 1L);

    private static final Backend ORACLE = Backend.reference(NumericsProfile.BUILTIN_X86);

    private record Outcome(OpCase c, MeanPaths.Diff oracle, MeanPaths.Diff reference) {
    }

    private static Outcome run(OpCase c) {
        Trace builtin = Backend.builtin().run(c.model(), c.inputs());
        Trace oracle = ORACLE.run(c.model(), c.inputs());
        Trace ref = Backend.builtinRef().run(c.model(), c.inputs());
        return new Outcome(c, MeanPaths.Diff.of(c.model(), builtin, oracle), MeanPaths.Diff.of(c.model(), builtin, ref));
    }

    @Test
    void oracleMatchesBuiltinOnEveryGeneratedMeanCase() {
        OpGenerator gen = Generators.forOp(BuiltinOp.MEAN).orElseThrow();
        List<Outcome> outcomes = IntStream.range(0, CASES).parallel()
                .mapToObj(i -> run(gen.generate(FuzzRunner.caseSeed(SEED, BuiltinOp.MEAN, i)))).toList();
        List<String> failures = new ArrayList<>();
        long spatial = 0;
        long spatialDifferingFromRef = 0;
        long elsewhereDifferingFromRef = 0;
        for (Outcome o : outcomes) {
            if (o.oracle().differing() != 0) {
                failures.add(o.c() + ": builtin vs reference:BUILTIN_X86 " + o.oracle());
            }
            if (MeanPaths.spatial(o.c())) {
                spatial++;
                spatialDifferingFromRef += o.reference().differing() > 0 ? 1 : 0;
            } else {
                elsewhereDifferingFromRef += o.reference().differing() > 0 ? 1 : 0;
            }
        }
        System.out.println("[mean-x86] " + CASES + " cases, " + spatial + " on the spatial path (" + spatialDifferingFromRef
                + " of them builtin != builtin-ref), " + elsewhereDifferingFromRef + " elsewhere builtin != builtin-ref; "
                + failures.size() + " builtin != reference:BUILTIN_X86");
        assertThat(failures).as("builtin vs reference:BUILTIN_X86 on MEAN").isEmpty();
        // The generator reaches the optimized path, and there the optimized kernel is not the reference.
        assertThat(spatial).isGreaterThanOrEqualTo(CASES / 10);
        assertThat(spatialDifferingFromRef).isPositive();
        // Everywhere else the optimized kernel calls the reference's QuantizedMeanOrSum.
        assertThat(elsewhereDifferingFromRef).isZero();
    }

    @Test
    void oracleMatchesBuiltinOnMobileNetV2Op81Shape() {
        long againstRef = 0;
        for (long seed = 0; seed < 4; seed++) {
            MeanPaths.Case c = MeanPaths.op81Shaped(seed);
            Trace builtin = Backend.builtin().run(c.model(), c.inputs());
            MeanPaths.Diff oracle = MeanPaths.Diff.of(c.model(), builtin, ORACLE.run(c.model(), c.inputs()));
            MeanPaths.Diff ref = MeanPaths.Diff.of(c.model(), builtin, Backend.builtinRef().run(c.model(), c.inputs()));
            System.out.println("[mean-x86] " + c.name() + ": builtin vs reference:BUILTIN_X86 " + oracle + "; vs builtin-ref " + ref);
            assertThat(oracle.differing()).as(c.name() + ": builtin vs reference:BUILTIN_X86").isZero();
            assertThat(ref.maxLsb()).isLessThanOrEqualTo(1);
            againstRef += ref.differing();
        }
        assertThat(againstRef).as("builtin vs builtin-ref over the four input sets").isPositive();
    }

    @Test
    void oracleMatchesBuiltinOnMobileNetV2Op81() throws IOException {
        MeanPaths.Case c = MeanPaths.op81Extracted();
        Trace builtin = Backend.builtin().run(c.model(), c.inputs());
        MeanPaths.Diff oracle = MeanPaths.Diff.of(c.model(), builtin, ORACLE.run(c.model(), c.inputs()));
        Trace ref = Backend.builtinRef().run(c.model(), c.inputs());
        MeanPaths.Diff againstRef = MeanPaths.Diff.of(c.model(), builtin, ref);
        MeanPaths.Diff tfliteVsOracle = MeanPaths.Diff.of(c.model(), ref,
                Backend.reference(NumericsProfile.TFLITE).run(c.model(), c.inputs()));
        System.out.println("[mean-x86] " + c.name() + ": builtin vs reference:BUILTIN_X86 " + oracle + "; vs builtin-ref "
                + againstRef);
        assertThat(oracle.differing()).as("builtin vs reference:BUILTIN_X86").isZero();
        assertThat(tfliteVsOracle.differing()).as("builtin-ref vs reference:TFLITE").isZero();
        // docs/conformance.md, cause B: 45 of the 1,280 outputs, 1 LSB (the input tensor is compared too: identical).
        assertThat(againstRef.differing()).isEqualTo(45);
        assertThat(againstRef.maxLsb()).isEqualTo(1);
    }
}
