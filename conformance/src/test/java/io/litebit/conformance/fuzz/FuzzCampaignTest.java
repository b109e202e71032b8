package io.litebit.conformance.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.trace.Backend;
import io.litebit.conformance.TraceDiff;
import io.litebit.model.BuiltinOp;
import io.litebit.reference.NumericsProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Campaigns on native backends and the oracle: agreement is reported as such, a disagreement is shrunk. */
class FuzzCampaignTest {

    private static long elements(OpCase c) {
        return c.inputs().stream().mapToLong(b -> b.length).sum();
    }

    @Test
    void oracleAndBuiltinRefAgreeOnEveryAddCaseAndNothingIsShrunk() {
        FuzzCampaign.Options o = new FuzzCampaign.Options(
                List.of(Backend.builtinRef(), Backend.reference(NumericsProfile.TFLITE)), 60, 3L, 200);
        FuzzCampaign.OpResult r = FuzzCampaign.run(Generators.forOp(BuiltinOp.ADD).orElseThrow(), o, n -> { });
        assertThat(r.casesByPath().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
        assertThat(r.casesByPath()).containsKeys("int8", "int16");
        assertThat(r.pairs()).isNotEmpty().allSatisfy(p -> {
            assertThat(p.differingCases()).as(p.path() + " " + p.label() + " " + p.firstDivergence()).isZero();
            assertThat(p.elements()).isPositive();
        });
        assertThat(r.reproducers()).isEmpty();
    }

    @Test
    void xnnpackDisagreesWithBuiltinRefOnInt8ConvAndTheFirstDisagreementShrinksToASmallerCaseThatStillDisagrees() {
        Backend ref = Backend.builtinRef();
        // XNNPACK requantizes in float (docs/xnnpack-numerics.md): int8 convolutions differ by 1 LSB here and there.
        Backend xnnpack = Backend.xnnpack();
        FuzzCampaign.Options o = new FuzzCampaign.Options(List.of(ref, xnnpack), 30, 5L, 300);
        OpGenerator fc = Generators.forOp(BuiltinOp.CONV_2D).orElseThrow();
        FuzzCampaign.OpResult r = FuzzCampaign.run(fc, o, n -> { });
        FuzzCampaign.PairSummary int8 = r.pairs().stream().filter(p -> p.path().equals("int8")).findFirst().orElseThrow();
        assertThat(int8.differingCases()).isPositive();
        assertThat(int8.maxLsb()).isPositive();
        assertThat(int8.differingElements()).isLessThan(int8.elements());
        FuzzCampaign.Reproducer rep = r.reproducers().stream().filter(x -> x.path().equals("int8")).findFirst().orElseThrow();
        assertThat(rep.pairs()).containsExactly("builtin-ref vs xnnpack");
        assertThat(rep.original().seed()).isEqualTo(int8.firstSeed());
        assertThat(elements(rep.minimal())).isLessThan(elements(rep.original()));
        System.out.println("[fuzz-campaign] shrunk " + rep.original() + " (" + elements(rep.original()) + " input bytes) to "
                + rep.minimal() + " (" + elements(rep.minimal()) + ") in " + rep.attempts() + " attempts, " + rep.millis() + " ms");
        assertThat(rep.minimal().path()).isEqualTo("int8");
        // Independently of the campaign: the written-out case still disagrees.
        OpCase min = rep.minimal();
        TraceDiff d = TraceDiff.compare(min.model(), ref.run(min.model(), min.inputs()), xnnpack.run(min.model(), min.inputs()));
        assertThat(d.identical()).isFalse();
    }

    @Test
    void refusesFewerThanTwoBackends() {
        assertThatThrownBy(() -> new FuzzCampaign.Options(List.of(Backend.builtinRef()), 10, 1L, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least two");
    }
}
