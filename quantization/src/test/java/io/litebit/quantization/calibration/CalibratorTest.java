package io.litebit.quantization.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.litebit.data.Dataset;
import io.litebit.data.DatasetException;
import io.litebit.data.NdArray;
import io.litebit.data.Record;
import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.options.Padding;
import io.litebit.reference.NumericsProfile;
import io.litebit.trace.Backend;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Calibration of small built float models, with ranges derived by hand in the test. */
class CalibratorTest {
    static final float[] W = {0.5f, -1f, 0.25f, 2f, -0.5f, 1f, 0f, 0.75f};

    /** x[1,8] -> FC(1 unit, weights W, bias 0.1, RELU) -> "fc"; x -> RESHAPE [1,2,4,1] -> MAX_POOL 2x2 -> "pool". */
    static TfliteModel model() {
        ModelBuilder b = ModelBuilder.create();
        SubgraphBuilder g = b.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 8});
        TensorRef w = g.constant("w", new int[] {1, 8}, W);
        TensorRef bias = g.constant("b", new int[] {1}, new float[] {0.1f});
        TensorRef fc = g.fullyConnected(x, w, bias, new BuiltinOptions.FullyConnected(Activation.RELU, false),
                Out.float32().named("fc"));
        TensorRef r = g.reshape(x, new int[] {1, 2, 4, 1}, Out.float32().named("r"));
        TensorRef pool = g.maxPool2d(r, new BuiltinOptions.Pool2D(Padding.VALID, 2, 2, 2, 2, Activation.NONE),
                Out.float32().named("pool"));
        g.output(fc);
        g.output(pool);
        return b.build();
    }

    /** n records of 8 floats in [-3, 3), seeded; a NaN in record {@code nanAt} (or none when -1). */
    static Dataset data(int n, int nanAt) {
        float[][] rows = new float[n][8];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 8; k++) {
                rows[i][k] = (float) (r.nextDouble() * 6 - 3);
            }
        }
        if (nanAt >= 0) {
            rows[nanAt][2] = Float.NaN;
        }
        return new Dataset() {
            @Override
            public String description() {
                return "rows";
            }

            @Override
            public int size() {
                return n;
            }

            @Override
            public Record record(int index) {
                checkIndex(index);
                return new Record(index, "row " + index, List.of(NdArray.ofFloats(new int[] {1, 8}, rows[index])));
            }
        };
    }

    private static int tensor(TfliteModel m, String name) {
        return m.mainSubgraph().tensors().stream().filter(t -> t.name().equals(name)).mapToInt(Tensor::index)
                .findFirst().orElseThrow();
    }

    @Test
    void recordsTheRangeOfTheInputAndOfTheReluAsComputedByHand() {
        TfliteModel m = model();
        Dataset d = data(40, -1);
        CalibrationStats s = Calibrator.builder().build().record(m, d);
        double inMin = Double.MAX_VALUE;
        double inMax = -Double.MAX_VALUE;
        double fcMax = 0;
        double poolMin = Double.MAX_VALUE;
        for (Record r : d) {
            double dot = 0.1;
            for (int k = 0; k < 8; k++) {
                float v = r.input(0).floatAt(k);
                inMin = Math.min(inMin, v);
                inMax = Math.max(inMax, v);
                dot += (double) v * W[k];
            }
            fcMax = Math.max(fcMax, Math.max(0, dot));
            // max pool over [1,2,4,1] with 2x2 windows: max of columns {0,1,4,5} and {2,3,6,7}
            float[] v = new float[8];
            for (int k = 0; k < 8; k++) {
                v[k] = r.input(0).floatAt(k);
            }
            poolMin = Math.min(poolMin, Math.min(Math.max(Math.max(v[0], v[1]), Math.max(v[4], v[5])),
                    Math.max(Math.max(v[2], v[3]), Math.max(v[6], v[7]))));
        }
        TensorStats x = s.tensor(tensor(m, "x")).orElseThrow();
        assertThat(x.min()).isEqualTo(inMin);
        assertThat(x.max()).isEqualTo(inMax);
        assertThat(x.count()).isEqualTo(40 * 8);
        assertThat(x.records()).hasSize(40);
        TensorStats fc = s.tensor(tensor(m, "fc")).orElseThrow();
        assertThat(fc.min()).isEqualTo(0);
        assertThat(fc.max()).isCloseTo(fcMax, within(1e-5 * Math.max(1, fcMax)));
        assertThat(s.tensor(tensor(m, "pool")).orElseThrow().min()).isEqualTo(poolMin);
        assertThat(s.read()).isEqualTo(40);
        assertThat(s.used()).isEqualTo(40);
        // Constants are never calibrated.
        assertThat(s.tensor(tensor(m, "w"))).isEmpty();
    }

    @Test
    void withoutHistogramsTheRangesAreTheSameAndHistogramMethodsRefuse() {
        TfliteModel m = model();
        CalibrationStats full = Calibrator.builder().build().record(m, data(25, -1));
        CalibrationStats fast = Calibrator.builder().histograms(false).build().record(m, data(25, -1));
        for (TensorStats t : full.tensors()) {
            TensorStats f = fast.tensor(t.tensorIndex()).orElseThrow();
            assertThat(f.min()).isEqualTo(t.min());
            assertThat(f.max()).isEqualTo(t.max());
            assertThat(f.recordMins()).isEqualTo(t.recordMins());
            assertThat(f.recordMaxs()).isEqualTo(t.recordMaxs());
            assertThat(f.histogram().isEmpty()).isTrue();
        }
        for (String method : new String[] {"minmax", "moving-average", "percentile:99"}) {
            CalibrationMethod cm = CalibrationMethod.parse(method);
            assertThat(CalibrationResult.of(m, fast, cm).ranges()).as(method).isEqualTo(CalibrationResult.of(m, full, cm).ranges());
        }
        assertThatThrownBy(() -> CalibrationResult.of(m, fast, CalibrationMethod.parse("entropy")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without one");
    }

    @Test
    void anyThreadCountGivesTheSameStatisticsBitForBit() {
        TfliteModel m = model();
        CalibrationStats one = Calibrator.builder().threads(1).build().record(m, data(37, -1));
        CalibrationStats three = Calibrator.builder().threads(3).build().record(m, data(37, -1));
        assertThat(three).isEqualTo(one);
    }

    @Test
    void exactOpsGiveIdenticalRangesOnTheOracleAndNatively() {
        TfliteModel m = model();
        CalibrationStats nat = Calibrator.builder().build().record(m, data(20, -1));
        CalibrationStats ref = Calibrator.builder().backend(Backend.reference(NumericsProfile.TFLITE)).build()
                .record(m, data(20, -1));
        for (String exact : new String[] {"x", "r", "pool"}) {
            assertThat(ref.tensor(tensor(m, exact))).as(exact).isEqualTo(nat.tensor(tensor(m, exact)));
        }
        assertThat(ref.tensor(tensor(m, "fc")).orElseThrow().max())
                .isCloseTo(nat.tensor(tensor(m, "fc")).orElseThrow().max(), within(1e-5));
    }

    @Test
    void aRecordWithNanIsSkippedAndReportedOrAnErrorWhenStrict() {
        TfliteModel m = model();
        CalibrationStats s = Calibrator.builder().threads(2).build().record(m, data(10, 6));
        assertThat(s.read()).isEqualTo(10);
        assertThat(s.used()).isEqualTo(9);
        assertThat(s.skipped()).singleElement().satisfies(k -> {
            assertThat(k.record()).isEqualTo(6);
            assertThat(k.reason()).isEqualTo("1 NaN/Inf value in input 0");
        });
        TensorStats x = s.tensor(tensor(m, "x")).orElseThrow();
        assertThat(x.nanCount()).isZero();
        assertThat(x.records()).doesNotContain(6).hasSize(9);
        assertThatThrownBy(() -> Calibrator.builder().strict(true).build().record(m, data(10, 6)))
                .isInstanceOf(DatasetException.class).hasMessageContaining("row 6 (record 6) has 1 NaN/Inf value in input 0");
    }

    @Test
    void theCalibratedModelCarriesTheRangesWithZeroIncluded() {
        TfliteModel m = model();
        CalibrationStats s = Calibrator.builder().build().record(m, data(20, -1));
        CalibrationResult r = CalibrationResult.of(m, s, CalibrationMethod.MINMAX);
        Tensor fc = r.calibratedModel().mainSubgraph().tensor(tensor(m, "fc"));
        assertThat(fc.quantization().min()).containsExactly(0f);
        assertThat(fc.quantization().max()).containsExactly((float) s.tensor(fc.index()).orElseThrow().max());
        Tensor x = r.calibratedModel().mainSubgraph().tensor(tensor(m, "x"));
        assertThat(x.quantization().min()[0]).isLessThan(0);
        assertThat(x.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(r.calibratedModel().warnings()).isEmpty();
    }

    @Test
    void aQuantizedModelOrAMisfitRecordIsAClearError() {
        TfliteModel q = io.litebit.model.zoo.Zoo.tinyCnnInt8();
        assertThatThrownBy(() -> Calibrator.builder().build().record(q, data(1, -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no float32 activation");
        Dataset wrongShape = new Dataset() {
            @Override
            public String description() {
                return "bad";
            }

            @Override
            public int size() {
                return 1;
            }

            @Override
            public Record record(int index) {
                return new Record(0, "bad.npy [0]", List.of(NdArray.ofFloats(new int[] {8, 1}, new float[8])));
            }
        };
        assertThatThrownBy(() -> Calibrator.builder().build().record(model(), wrongShape))
                .isInstanceOf(DatasetException.class).hasMessageContaining("expected shape [1, 8], given [8, 1]");
    }
}
