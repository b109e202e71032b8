package io.litebit.quantization.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.litebit.model.quant.MinMax;
import org.junit.jupiter.api.Test;

/** Every method on statistics whose answer is derived by hand here. */
class CalibrationMethodTest {
    /** Stats of records r = 0..n-1, record r holding exactly the values given for it. */
    private static TensorStats stats(float[][] records) {
        TensorRecorder rec = new TensorRecorder(3, "t", true);
        for (int r = 0; r < records.length; r++) {
            rec.add(r, records[r].clone(), records[r].length);
        }
        return rec.stats();
    }

    @Test
    void minmaxIsTheGlobalRangeWidenedToZero() {
        TensorStats s = stats(new float[][] {{1, 2}, {3, 5}});
        assertThat(CalibrationMethod.MINMAX.range(s)).isEqualTo(new MinMax(0, 5));
        assertThat(CalibrationMethod.MINMAX.range(stats(new float[][] {{-4, -1}}))).isEqualTo(new MinMax(-4, 0));
    }

    @Test
    void percentileTakesOnesInterpolatedPercentilesOfRecordExtremes() {
        // Record r holds {-r, r}: maxima 0..10, minima -10..0. P = 90: index floor(10 * 0.9) = 9, fraction
        // (0.9 - 0.9) / ... = 0 -> max = 9; min: P = 10 -> index 1 of sorted minima (-10..0) = -9.
        float[][] recs = new float[11][];
        for (int r = 0; r <= 10; r++) {
            recs[r] = new float[] {-r, r};
        }
        MinMax m = CalibrationMethod.parse("percentile:90").range(stats(recs));
        assertThat(m.max()).isCloseTo(9, within(1e-5));
        assertThat(m.min()).isCloseTo(-9, within(1e-5));
        // Between two points: 5 maxima {0,1,2,3,4}, P = 99: index floor(4·0.99) = 3, fraction (0.99 - 0.75)/0.25 = 0.96.
        assertThat(CalibrationMethod.Percentile.nth(new float[] {4, 0, 2, 1, 3}, 99)).isCloseTo(3.96, within(1e-5));
    }

    @Test
    void movingAveragesFollowOneAndAeq() {
        // 20 records, record r's max = r. ONE: batches of 16: first batch max 15, then 0.9·15 + 0.1·19 = 15.4.
        float[][] recs = new float[20][];
        for (int r = 0; r < 20; r++) {
            recs[r] = new float[] {0, r};
        }
        TensorStats s = stats(recs);
        assertThat(CalibrationMethod.parse("moving-average").range(s).max()).isCloseTo(15.4, within(1e-5));
        // AEQ: avg_0 = 0, avg_r = 0.95·avg + 0.05·r; closed form sum_{k=1..19} 0.05·0.95^(19-k)·k.
        double expected = 0;
        for (int k = 1; k < 20; k++) {
            expected = 0.95 * expected + 0.05 * k;
        }
        assertThat(CalibrationMethod.parse("moving-average:aeq").range(s).max()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void valuePercentileCutsTheTailsOfTheValues() {
        // 1000 values 0..999 and one outlier at 1e6: P = 99.8 cuts 0.1% each side: the outlier goes.
        float[] v = new float[1001];
        for (int i = 0; i < 1000; i++) {
            v[i] = i;
        }
        v[1000] = 1e6f;
        MinMax m = CalibrationMethod.parse("value-percentile:99.8").range(stats(new float[][] {v}));
        assertThat(m.max()).isLessThan(1e5).isGreaterThan(900);
        assertThat(m.min()).isEqualTo(0);
    }

    @Test
    void entropyAndMseClipARareOutlierThatMinmaxKeeps() {
        // A dense bulk in [0, 1] and 0.01% of the values at 100: minmax spends its range on the outlier.
        float[] v = new float[100_000];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 10_000 == 0 ? 100f : (float) r.nextDouble();
        }
        TensorStats s = stats(new float[][] {v});
        assertThat(CalibrationMethod.MINMAX.range(s).max()).isEqualTo(100);
        double entropy = CalibrationMethod.parse("entropy").range(s).max();
        double mse = CalibrationMethod.parse("mse").range(s).max();
        assertThat(entropy).isLessThan(50).isGreaterThan(0.9);
        assertThat(mse).isLessThan(100).isGreaterThan(0.9);
        // With no outlier, MSE keeps (nearly) the whole range: clipping any of a uniform bulk costs more than it saves.
        float[] u = new float[10_000];
        for (int i = 0; i < u.length; i++) {
            u[i] = i / 10_000f;
        }
        assertThat(CalibrationMethod.parse("mse").range(stats(new float[][] {u})).max()).isGreaterThan(0.97);
    }

    @Test
    void badSpecsListTheMethods() {
        assertThatThrownBy(() -> CalibrationMethod.parse("kl")).hasMessageContaining("minmax, moving-average");
        assertThatThrownBy(() -> CalibrationMethod.parse("percentile:120")).hasMessageContaining("(50, 100]");
        assertThat(CalibrationMethod.parse("percentile").spec()).isEqualTo("percentile:99.0");
    }
}
