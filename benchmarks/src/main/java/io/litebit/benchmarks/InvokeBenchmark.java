package io.litebit.benchmarks;

import io.litebit.api.Backend;
import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.benchmarks.baseline.JavaLoop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The invoke-only measurement the per-model suites share: a subclass opens its interpreter in its
 * own {@code @Setup} from its {@code @Param}s; inputs are filled once, as the C baseline fills
 * them, so that every figure is TFLite's invoke and nothing else.
 *
 * <pre>{@code
 * public class MySuite extends InvokeBenchmark {
 *     @Param({"mobilenet_v2_int8"}) public String model;
 *     @Setup(Level.Trial) public void setUp() { open(model, Backend.XNNPACK, 1); }
 * }
 * }</pre>
 */
public abstract class InvokeBenchmark {
    private Interpreter interpreter;

    /** Opens {@code modelName} (see {@link BenchModels}) on a backend and fills its inputs. */
    protected void open(String modelName, Backend backend, int threads) {
        interpreter = Interpreter.create(BenchModels.model(modelName),
                InterpreterOptions.builder().backend(backend).threads(threads).build());
        new JavaLoop(interpreter, 1);
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
