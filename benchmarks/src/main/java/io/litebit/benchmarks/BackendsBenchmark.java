package io.litebit.benchmarks;

import io.litebit.api.Backend;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Invoke latency of every benchmark model on every native backend, 1 and 2 threads: what
 * XNNPACK (int8 on) buys over TFLite's optimized builtin kernels and over its C++ reference
 * kernels, per model. Inputs are filled once, as the C baseline fills them.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar BackendsBenchmark -p model=mobilenet_v2_int8 -p threads=1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BackendsBenchmark extends InvokeBenchmark {
    @Param({"mobilenet_v2_int8", "lstm_float", "lstm_int8", "hello_world_float", "hello_world_int8", "zoo_cnn_int8"})
    public String model;

    @Param({"XNNPACK", "BUILTIN", "BUILTIN_REF"})
    public Backend backend;

    @Param({"1", "2"})
    public int threads;

    @Setup(Level.Trial)
    public void setUp() {
        open(model, backend, threads);
    }
}
