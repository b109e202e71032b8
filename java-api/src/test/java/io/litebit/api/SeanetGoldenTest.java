package io.litebit.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TFLite Micro seanet int16 per-layer goldens are reproduced bit-exactly by TFLite's builtin
 * and reference kernels. XNNPACK is run too and its agreement is printed, not asserted (the goldens
 * come from TFLite's kernels, and which ops XNNPACK takes depends on its version).
 */
class SeanetGoldenTest {
    private static final Map<String, String> SUMMARY = new ConcurrentHashMap<>();

    static Stream<Arguments> cases() {
        return Seanet.all().stream().flatMap(c -> Stream.of(Backend.values()).map(b -> Arguments.of(c, b)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void reproducesTheGolden(Seanet c, Backend backend) throws Exception {
        long[] expected = Seanet.csv(c.golden());
        long[] actual;
        long delegated;
        try (Interpreter interpreter = Interpreter.create(Model.load(c.model()), InterpreterOptions.of(backend))) {
            assertThat(interpreter.inputCount()).isEqualTo(c.inputs().size());
            for (int i = 0; i < c.inputs().size(); i++) {
                Seanet.write(interpreter.input(i), c.inputs().get(i));
            }
            interpreter.invoke();
            actual = Seanet.readIntegers(interpreter.output(0));
            delegated = interpreter.opDetails().stream().filter(OpDetails::isDelegated).count();
        }
        assertThat(actual).as("output element count").hasSameSizeAs(expected);
        int differing = 0;
        long maxDiff = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            long d = Math.abs(actual[i] - expected[i]);
            if (d != 0) {
                differing++;
                maxDiff = Math.max(maxDiff, d);
                if (first < 0) {
                    first = i;
                }
            }
        }
        String verdict = differing == 0 ? "bit-exact (" + expected.length + " elements)"
                : differing + " of " + expected.length + " elements differ, max " + maxDiff + " LSB (first at "
                        + first + ": golden " + expected[first] + ", got " + actual[first] + ")";
        SUMMARY.merge(c.name(), backend + " " + verdict + (delegated > 0 ? " [" + delegated + " ops on XNNPACK]" : ""),
                (a, b) -> a + "; " + b);
        if (backend != Backend.XNNPACK) {
            assertThat(differing).as("%s on %s: %s", c.name(), backend, verdict).isZero();
        }
    }

    @AfterAll
    static void printSummary() {
        new TreeMap<>(SUMMARY).forEach((m, s) -> System.out.println("[litebit-api] seanet " + m + ": " + s));
    }
}
