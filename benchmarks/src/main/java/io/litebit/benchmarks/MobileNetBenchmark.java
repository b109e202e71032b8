package io.litebit.benchmarks;

import io.litebit.api.Backend;
import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.api.Model;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * MobileNetV2 int8 (../shared) invoke latency per backend, one thread: the XNNPACK-vs-BUILTIN
 * ratio is what int8 XNNPACK buys (the preset's default delegate leaves int8 on BUILTIN).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MobileNetBenchmark {
    @Param({"XNNPACK", "BUILTIN"})
    public Backend backend;

    @Param({"1"})
    public int threads;

    private Interpreter interpreter;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Model model = Model.load(SharedModels.model("tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite"));
        interpreter = Interpreter.create(model, InterpreterOptions.builder().backend(backend).threads(threads).build());
        ByteBuffer in = interpreter.input(0).buffer();
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < in.capacity(); i++) {
            in.put(i, (byte) r.nextInt(256));
        }
    }

    @Benchmark
    public void invoke() {
        interpreter.invoke();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        interpreter.close();
    }
}
