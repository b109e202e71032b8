package io.litebit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * One very short, in-process JMH run of the suites on the zoo's generated CNN (no ../shared
 * needed): the benchmarks are wired and run. Not a measurement.
 */
class JmhSmokeTest {
    @Test
    void suitesRunOnTheZooModel() throws Exception {
        Options opt = new OptionsBuilder()
                .include(BackendsBenchmark.class.getSimpleName() + "|" + FloatTwinBenchmark.class.getSimpleName())
                .param("model", "zoo_cnn_int8")
                .param("threads", "1")
                .param("backend", "XNNPACK")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .timeUnit(TimeUnit.MICROSECONDS)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        // BackendsBenchmark once, FloatTwinBenchmark for int8 and float_twin
        assertThat(results).hasSize(3);
        for (RunResult r : results) {
            assertThat(r.getPrimaryResult().getScore()).isPositive();
        }
    }
}
