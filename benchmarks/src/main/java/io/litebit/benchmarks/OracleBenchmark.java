package io.litebit.benchmarks;

import io.litebit.api.Backend;
import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.api.Model;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.reference.Execution;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The oracle against TFLite's C++ reference kernels on MobileNetV2 int8, same input, one run: the
 * oracle keeps every intermediate tensor (that is its job), BUILTIN_REF keeps only what TFLite
 * keeps. Goal (issue 4): the oracle no slower than BUILTIN_REF.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class OracleBenchmark {
    private ReferenceInterpreter oracle;
    private TensorValue oracleInput;
    private Interpreter builtinRef;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Model model = Model.load(SharedModels.model("tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite"));
        TfliteModel view = model.view();
        Tensor in = view.mainSubgraph().inputTensor(0);
        byte[] pixels = new byte[(int) in.elementCount()];
        new SplittableRandom(1).nextBytes(pixels);
        oracle = ReferenceInterpreter.create(view, NumericsProfile.TFLITE);
        oracleInput = TensorValue.ofInt8(in.shape(), pixels);
        builtinRef = Interpreter.create(model, InterpreterOptions.builder().backend(Backend.BUILTIN_REF).threads(1).build());
        ByteBuffer buffer = builtinRef.input(0).buffer();
        buffer.put(0, pixels);
    }

    @Benchmark
    public Execution oracleAllIntermediates() {
        return oracle.run(oracleInput);
    }

    @Benchmark
    public void nativeBuiltinRef() {
        builtinRef.invoke();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        builtinRef.close();
    }
}
