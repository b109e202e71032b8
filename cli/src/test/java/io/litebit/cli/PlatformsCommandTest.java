package io.litebit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.litebit.cli.InspectCommandTest.Run;
import io.litebit.conformance.harness.HarnessBackend;
import io.litebit.conformance.harness.HarnessPlatform;
import io.litebit.conformance.harness.NativeHarness;
import org.junit.jupiter.api.Test;

class PlatformsCommandTest {
    @Test
    void tableListsEveryBackendWithItsAvailability() {
        Run r = InspectCommandTest.run("platforms");
        assertThat(r.status()).as(r.err()).isZero();
        for (String b : HarnessBackend.allNames()) {
            assertThat(r.out()).containsPattern("(?m)^" + b + " +(yes|no|emulated) ");
        }
        assertThat(r.out()).containsPattern("(?m)^xnnpack +yes ");
    }

    @Test
    void jsonAgreesWithTheHarnessAvailability() throws Exception {
        Run r = InspectCommandTest.run("platforms", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        for (JsonNode b : root.get("backends")) {
            String name = b.get("backend").asText();
            if (!name.contains(":") || name.startsWith("reference")) {
                continue;
            }
            NativeHarness h = NativeHarness.of(HarnessPlatform.parse(name.substring(0, name.indexOf(':'))));
            assertThat(b.get("available").asBoolean()).as(name).isEqualTo(h.availability().isEmpty());
            assertThat(b.get("emulated").asBoolean()).as(name).isEqualTo(h.emulated());
            if (!b.get("available").asBoolean()) {
                assertThat(b.get("missing").asText()).as(name).isNotBlank();
            }
        }
    }
}
