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
 * A quantized model against its float twin (same topology, float32 ops with the dequantized
 * weights: {@code Rewriters.floatTwin}) on the same backend and thread count: what int8 buys on
 * this CPU. Goal: MobileNetV2 int8 at least 2.5x faster than its twin on XNNPACK.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FloatTwinBenchmark -p model=mobilenet_v2_int8 -p backend=XNNPACK
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FloatTwinBenchmark extends InvokeBenchmark {
    @Param({"mobilenet_v2_int8", "lstm_int8", "hello_world_int8", "zoo_cnn_int8"})
    public String model;

    @Param({"int8", "float_twin"})
    public String precision;

    @Param({"XNNPACK", "BUILTIN"})
    public Backend backend;

    @Param({"1", "2"})
    public int threads;

    @Setup(Level.Trial)
    public void setUp() {
        open(precision.equals("int8") ? model : model + BenchModels.FLOAT_TWIN, backend, threads);
    }
}
