package io.litebit.benchmarks;

import io.litebit.api.Backend;
import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.api.Model;
import io.litebit.api.TensorData;
import io.litebit.api.TensorDetails;
import io.litebit.data.Dataset;
import io.litebit.data.DatasetOptions;
import io.litebit.data.Datasets;
import io.litebit.data.InputSpec;
import io.litebit.data.NdArray;
import io.litebit.data.Record;
import io.litebit.model.TfliteModel;
import io.litebit.quantization.calibration.CalibrationStats;
import io.litebit.quantization.calibration.Calibrator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * Calibration against the float inferences it is made of (issue 15 §3): {@code calibrate} runs
 * {@link Calibrator} over the records; {@code plain} runs the same records through as many plain
 * interpreters (same backend, one per thread, contiguous shards as the calibrator uses), writing
 * each input, invoking and reading the outputs; {@code preserved} does the same with
 * {@code preserve_all_tensors}. Records are decoded into memory beforehand, so
 * both figures are inference plus what each adds. Goal: {@code calibrate} ≤ 1.25 × {@code plain},
 * and 2 threads ≥ 1.7 × faster than 1.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CalibrationBenchmark -p model=conv_fc_mnist
 * java -jar benchmarks/target/benchmarks.jar CalibrationBenchmark -p model=mobilenet_v2_int8+float_twin -p records=100
 * </pre>
 *
 * <p>{@code conv_fc_mnist} reads the first MNIST training images (pixel/255, as {@code eval}
 * does); other models get seeded uniform [0, 1) inputs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class CalibrationBenchmark {
    @Param({"conv_fc_mnist", "mobilenet_v2_int8+float_twin"})
    public String model;

    @Param({"1000"})
    public int records;

    @Param({"1", "2"})
    public int threads;

    /** false: what {@code calibrate --method minmax} records; true: with histograms (entropy, --stats). */
    @Param({"false", "true"})
    public boolean histograms;

    private TfliteModel view;
    private Model apiModel;
    private Dataset data;
    private List<Interpreter> plain;
    private List<Interpreter> preserved;
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        view = TfliteModel.load(BenchModels.path(model));
        apiModel = BenchModels.model(model);
        data = model.equals("conv_fc_mnist")
                ? Datasets.open("mnist:" + SharedModels.root().resolve("datasets/mnist") + ":train:" + records,
                        DatasetOptions.forModel(view)).materialize()
                : random(InputSpec.of(view), records, 1);
        plain = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            plain.add(Interpreter.create(apiModel, InterpreterOptions.of(Backend.BUILTIN)));
        }
        preserved = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            preserved.add(Interpreter.create(apiModel,
                    InterpreterOptions.builder().backend(Backend.BUILTIN).preserveAllTensors(true).build()));
        }
        pool = Executors.newFixedThreadPool(threads);
    }

    private static Dataset random(List<InputSpec> inputs, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Record> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            List<NdArray> arrays = new ArrayList<>();
            for (InputSpec in : inputs) {
                int[] shape = in.shape();
                int count = 1;
                for (int d : shape) {
                    count *= d;
                }
                float[] v = new float[count];
                for (int i = 0; i < count; i++) {
                    v[i] = (float) rnd.nextDouble();
                }
                arrays.add(NdArray.ofFloats(shape, v));
            }
            out.add(new Record(r, "random " + r, arrays));
        }
        return Dataset.of("seeded uniform [0, 1)", out);
    }

    @Benchmark
    public CalibrationStats calibrate() {
        return Calibrator.builder().threads(threads).histograms(histograms).build().record(view, data);
    }

    @Benchmark
    public long plain() throws Exception {
        return sharded(plain);
    }

    /**
     * The plain loop on interpreters that keep every tensor ({@code preserve_all_tensors}, as
     * calibration needs): how much of calibration's cost is TFLite's, not the recording's.
     */
    @Benchmark
    public long preserved() throws Exception {
        return sharded(preserved);
    }

    private long sharded(List<Interpreter> interpreters) throws Exception {
        int n = data.size();
        List<Future<Long>> parts = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            int from = (int) ((long) k * n / threads);
            int to = (int) ((long) (k + 1) * n / threads);
            Interpreter interpreter = interpreters.get(k);
            parts.add(pool.submit(() -> shard(interpreter, from, to)));
        }
        long sum = 0;
        for (Future<Long> f : parts) {
            sum += f.get();
        }
        return sum;
    }

    private long shard(Interpreter interpreter, int from, int to) {
        long sink = 0;
        for (int r = from; r < to; r++) {
            List<byte[]> in = data.record(r).bytes();
            for (int i = 0; i < in.size(); i++) {
                TensorDetails d = interpreter.input(i).details();
                interpreter.input(i).write(TensorData.ofRaw(d.dtype(), d.shape(), ByteBuffer.wrap(in.get(i))));
            }
            interpreter.invoke();
            for (int o = 0; o < interpreter.outputCount(); o++) {
                sink += interpreter.output(o).read().bytes().get(0);
            }
        }
        return sink;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdownNow();
        plain.forEach(Interpreter::close);
        preserved.forEach(Interpreter::close);
        data.close();
    }
}
