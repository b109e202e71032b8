package io.litebit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.conformance.fuzz.Generators;
import io.litebit.conformance.fuzz.OpCase;
import io.litebit.conformance.fuzz.OpGenerator;
import org.junit.jupiter.api.Test;

/** A case is a pure function of its seed: a printed seed reproduces the failing model and inputs. */
class GeneratorsTest {
    @Test
    void sameSeedSameModelBytesAndInputs() {
        for (OpGenerator g : Generators.all().values()) {
            for (long seed = 0; seed < 20; seed++) {
                OpCase a = g.generate(seed);
                OpCase b = g.generate(seed);
                assertThat(a.model().toBytes()).as(a.toString()).isEqualTo(b.model().toBytes());
                assertThat(a.params()).isEqualTo(b.params());
                assertThat(a.inputs()).hasSameSizeAs(b.inputs());
                for (int i = 0; i < a.inputs().size(); i++) {
                    assertThat(a.inputs().get(i)).isEqualTo(b.inputs().get(i));
                }
                assertThat(a.op()).isEqualTo(g.op());
            }
        }
    }

    @Test
    void coversTheOracleOpsOfIssueFour() {
        assertThat(Generators.all()).hasSize(28);
    }
}
