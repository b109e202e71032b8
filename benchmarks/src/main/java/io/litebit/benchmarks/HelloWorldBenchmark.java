package io.litebit.benchmarks;

import io.litebit.api.Backend;
import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.api.Model;
import io.litebit.api.TensorHandle;
import java.nio.ByteBuffer;
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
 * hello_world int8 (three tiny FULLY_CONNECTED layers): a full inference — write the input,
 * invoke, read the output — so what is measured is the cost of crossing into TFLite, by the
 * zero-copy buffer path and by the array-copy path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HelloWorldBenchmark {
    @Param({"XNNPACK", "BUILTIN"})
    public Backend backend;

    private Interpreter interpreter;
    private TensorHandle input;
    private TensorHandle output;
    private ByteBuffer in;
    private ByteBuffer out;
    private final byte[] value = new byte[1];
    private byte next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Model model = Model.load(SharedModels.model("tflite-micro/hello_world_int8.tflite"));
        interpreter = Interpreter.create(model, InterpreterOptions.builder().backend(backend).threads(1).build());
        input = interpreter.input(0);
        output = interpreter.output(0);
        in = input.buffer();
        out = output.buffer();
    }

    /** Direct buffers: one byte in, invoke, one byte out. */
    @Benchmark
    public byte fullInferenceDirectBuffer() {
        in.put(0, next++);
        interpreter.invoke();
        return out.get(0);
    }

    /** Checked array copies in and out. */
    @Benchmark
    public byte fullInferenceArrays() {
        value[0] = next++;
        input.write(value);
        interpreter.invoke();
        return output.readBytes()[0];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        interpreter.close();
    }
}
