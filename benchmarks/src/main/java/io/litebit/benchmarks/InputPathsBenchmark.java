package io.litebit.benchmarks;

import io.litebit.api.Backend;
import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.api.TensorHandle;
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
 * A full inference (write the input, invoke, read the output) by each way the Java API offers to
 * move data: the zero-copy direct buffer, checked array copies, and explicit quantization from
 * floats ({@code writeQuantized}/{@code readDequantized}). On hello_world the difference is the
 * whole story; on MobileNetV2 (150 KB in) it is a small share of the invoke.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar InputPathsBenchmark -p model=hello_world_int8
 * java -jar benchmarks/target/benchmarks.jar InputPathsBenchmark -p model=hello_world_int8 -p backend=BUILTIN
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InputPathsBenchmark {
    @Param({"hello_world_int8", "mobilenet_v2_int8"})
    public String model;

    @Param({"XNNPACK"})
    public Backend backend;

    private Interpreter interpreter;
    private TensorHandle input;
    private TensorHandle output;
    private ByteBuffer in;
    private ByteBuffer out;
    private byte[] raw;
    private byte[] rawOut;
    private float[] real;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        interpreter = Interpreter.create(BenchModels.model(model),
                InterpreterOptions.builder().backend(backend).threads(1).build());
        input = interpreter.input(0);
        output = interpreter.output(0);
        in = input.buffer();
        out = output.buffer();
        raw = new byte[in.capacity()];
        rawOut = new byte[out.capacity()];
        real = new float[raw.length];
        SplittableRandom r = new SplittableRandom(1);
        r.nextBytes(raw);
        for (int i = 0; i < real.length; i++) {
            real[i] = (float) r.nextDouble(-1, 1);
        }
    }

    /** Bulk put into the tensor's own memory, bulk get out of it. */
    @Benchmark
    public byte directBuffer() {
        raw[0] = (byte) next++;
        in.put(0, raw);
        interpreter.invoke();
        out.get(0, rawOut);
        return rawOut[0];
    }

    /** write(byte[]) and readBytes(): dtype and size checked, copied under the interpreter's lock. */
    @Benchmark
    public byte arrayCopy() {
        raw[0] = (byte) next++;
        input.write(raw);
        interpreter.invoke();
        return output.readBytes()[0];
    }

    /** writeQuantized(float[]) and readDequantized(): the tensor's own scale and zero point, TFLite's rounding. */
    @Benchmark
    public float quantizedFloats() {
        real[0] = (next++ & 0xff) / 256f;
        input.writeQuantized(real);
        interpreter.invoke();
        return output.readDequantized()[0];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        interpreter.close();
    }
}
