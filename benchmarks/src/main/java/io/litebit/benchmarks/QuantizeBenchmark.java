package io.litebit.benchmarks;

import io.litebit.data.Dataset;
import io.litebit.data.NdArray;
import io.litebit.data.Record;
import io.litebit.model.TfliteModel;
import io.litebit.quantization.calibration.CalibrationMethod;
import io.litebit.quantization.calibration.CalibrationResult;
import io.litebit.quantization.calibration.Calibrator;
import io.litebit.quantization.quantizer.QuantizedModel;
import io.litebit.quantization.quantizer.Quantizer;
import io.litebit.quantization.quantizer.QuantizerOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Quantizing a calibrated float model (issue 16 §3: MobileNetV2's float twin in at most 1 s),
 * calibration excluded: the twin is calibrated once in setup on seeded uniform [-1, 1) inputs,
 * and each operation quantizes it to int8 and serializes the result.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar QuantizeBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QuantizeBenchmark {
    @Param({"mobilenet_v2_int8+float_twin", "conv_fc_mnist"})
    public String model;

    private TfliteModel calibrated;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        TfliteModel floatModel = TfliteModel.load(BenchModels.path(model));
        int[] shape = floatModel.mainSubgraph().inputTensor(0).shape();
        int count = 1;
        for (int d : shape) {
            count *= d;
        }
        SplittableRandom r = new SplittableRandom(3);
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            float[] v = new float[count];
            for (int k = 0; k < count; k++) {
                v[k] = (float) (r.nextDouble() * 2 - 1);
            }
            records.add(new Record(i, "uniform " + i, List.of(NdArray.ofFloats(shape, v))));
        }
        Dataset data = Dataset.of("uniform [-1, 1)", records);
        calibrated = CalibrationResult.of(floatModel, Calibrator.builder().histograms(false).build().record(floatModel, data),
                CalibrationMethod.MINMAX).calibratedModel();
    }

    @Benchmark
    public byte[] quantize() {
        QuantizedModel q = Quantizer.quantize(calibrated, QuantizerOptions.defaults());
        return q.model().toBytes();
    }
}
