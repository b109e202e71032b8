package io.litebit.conformance;

import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import io.litebit.trace.TracedTensor;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.UnsupportedOpException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The TFLite Micro "seanet" int16 per-layer goldens (issue 4 §4): zero differing elements on the
 * oracle for every case whose ops it supports; a case with an op (or dtype path) it lacks is
 * listed as pending. Native BUILTIN_REF, which reproduces them (DESIGN.md), is checked too, as a
 * control on the suite itself. Results go to {@code target/conformance/seanet-report.json}.
 */
class SeanetGoldenTest {
    private static final Map<String, Object> RESULTS = new LinkedHashMap<>();

    static List<GoldenSuite.Case> cases() throws IOException {
        return GoldenSuite.scan(SharedAssets.require("models/seanet"));
    }

    @TestFactory
    Stream<DynamicTest> oracleReproducesEveryGolden() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            TfliteModel model = c.model();
            List<byte[]> inputs = c.inputs(model);
            TracedTensor golden = c.golden(model);
            Trace t;
            try {
                t = Backend.reference(NumericsProfile.TFLITE).run(model, inputs);
            } catch (UnsupportedOpException e) {
                record(c.name(), "pending", e.getMessage());
                System.out.println("[seanet] " + c.name() + ": PENDING " + e.getMessage());
                return;
            }
            TensorDiff d = TensorDiff.of(golden, t.output(0));
            record(c.name(), d.identical() ? "match" : "MISMATCH", d.summary());
            System.out.println("[seanet] " + c.name() + ": " + d.summary());
            assertThat(d.differing()).as(c.name() + " oracle vs golden: " + d.summary()).isZero();
            assertThat(d.mismatch()).isNull();
        }));
    }

    @Test
    void builtinRefReproducesEveryGolden() throws IOException {
        List<String> bad = new ArrayList<>();
        for (GoldenSuite.Case c : cases()) {
            TfliteModel model = c.model();
            Trace t = Backend.builtinRef().run(model, c.inputs(model));
            TensorDiff d = TensorDiff.of(c.golden(model), t.output(0));
            if (!d.identical()) {
                bad.add(c.name() + ": " + d.summary());
            }
        }
        assertThat(bad).isEmpty();
    }

    private static synchronized void record(String name, String state, String detail) {
        RESULTS.put(name, Map.of("state", state, "detail", detail));
    }

    @AfterAll
    static void writeReport() throws IOException {
        Path dir = Path.of("target", "conformance");
        Files.createDirectories(dir);
        List<String> pending = new ArrayList<>();
        RESULTS.forEach((k, v) -> {
            if ("pending".equals(((Map<?, ?>) v).get("state"))) {
                pending.add(k);
            }
        });
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("pending", pending);
        root.put("cases", RESULTS);
        Files.writeString(dir.resolve("seanet-report.json"), Json.write(root));
        System.out.println("[seanet] pending: " + pending);
    }
}
