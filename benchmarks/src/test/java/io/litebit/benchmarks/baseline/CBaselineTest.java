package io.litebit.benchmarks.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.api.Backend;
import io.litebit.benchmarks.BenchModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Builds the C baseline with CMake against the preset's library and runs it briefly (a smoke
 * run, not a measurement). Uses only the zoo's generated model, so it runs without ../shared.
 * Without cmake it is skipped locally and fails under CI=true: CI must build the baseline.
 */
class CBaselineTest {
    private static CBaseline baseline;

    @BeforeAll
    static void build() {
        if (!CBaseline.cmakeAvailable()) {
            String msg = "cmake is not on the PATH (Debian: apt-get install cmake gcc)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(msg + "; in CI the C baseline must build");
            }
            Assumptions.abort(msg);
        }
        baseline = CBaseline.build(Path.of("target", "cbaseline-test"));
    }

    @Test
    void xnnpackRunsWithInt8FlagsReadBack() {
        CBaseline.Result r = baseline.run(BenchModels.path("zoo_cnn_int8"), Backend.XNNPACK, 1, true, 10, 3, 10, 1);
        assertThat(r.xnnpackFlags()).isEqualTo(3);
        assertThat(r.latency().samples()).isEqualTo(3);
        assertThat(r.latency().batch()).isEqualTo(10);
        assertThat(r.latency().minNs()).isPositive().isLessThanOrEqualTo(r.latency().medianNs());
        assertThat(r.latency().medianNs()).isLessThanOrEqualTo(r.latency().p90Ns());
        assertThat(r.json()).contains("\"tflite\": \"2.19.0\"", "\"mode\": \"full\"");
    }

    @Test
    void builtinHasNoDelegateAndTwoThreadsWork() {
        CBaseline.Result r = baseline.run(BenchModels.path("zoo_cnn_float"), Backend.BUILTIN, 2, false, 2, 2, 0, 1);
        assertThat(r.xnnpackFlags()).isEqualTo(-1);
        assertThat(r.latency().batch()).isPositive();
    }

    @Test
    void javaAndCAreMeasuredSideBySide() {
        JavaVsC.Comparison c = JavaVsC.compare(baseline,
                JavaVsC.Scenario.parse("zoo_cnn_int8+float_twin:xnnpack:1:full"), 2, 3);
        assertThat(c.c()).hasSize(2);
        assertThat(c.java()).hasSize(2);
        assertThat(c.java().get(0).batch()).isEqualTo(c.c().get(0).batch());
        assertThat(c.ratio()).isPositive();
    }

    @Test
    void aMissingModelIsAClearError() {
        assertThatThrownBy(() -> baseline.run(Path.of("target", "no-such-model.tflite"), Backend.XNNPACK, 1, false, 1, 1, 1, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with 1")
                .hasMessageContaining("cannot load the model");
    }

    @Test
    void scenariosParse() {
        assertThat(JavaVsC.Scenario.parse("hello_world_int8:builtin:2:invoke"))
                .isEqualTo(new JavaVsC.Scenario("hello_world_int8", Backend.BUILTIN, 2, false));
        assertThatThrownBy(() -> JavaVsC.Scenario.parse("hello_world_int8:xnnpack:1"))
                .hasMessageContaining("MODEL:BACKEND:THREADS:MODE");
    }
}
