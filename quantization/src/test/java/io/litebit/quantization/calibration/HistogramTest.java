package io.litebit.quantization.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HistogramTest {
    @Test
    void binsAreAnchoredAtZeroWithPowerOfTwoWidths() {
        Histogram h = Histogram.EMPTY.add(new float[] {0f, 0.5f, 3f, -1f});
        // Smallest width 2^e with floor(3/2^e) - floor(-1/2^e) + 1 = 4·2^-e + 1 <= 4096 bins: e = -9
        // (2049 bins; e = -10 would need 4097).
        assertThat(h.exponent()).isEqualTo(-9);
        assertThat(h.bins()).isEqualTo(2049);
        assertThat(h.firstIndex()).isEqualTo(-512);
        assertThat(h.total()).isEqualTo(4);
        assertThat(h.count(0)).isEqualTo(1);                    // -1 in [-1, -1 + 2^-9)
        assertThat(h.count(512)).isEqualTo(1);                  // 0
        assertThat(h.count(512 + 256)).isEqualTo(1);            // 0.5
        assertThat(h.count(2048)).isEqualTo(1);                 // 3
        assertThat(Histogram.EMPTY.add(new float[] {5f}).bins()).isEqualTo(1);
    }

    @Test
    void mergingShardsEqualsOnePassWhateverTheSplitOrOrder() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + r.nextInt(2000);
            float[] all = new float[n];
            double scale = Math.pow(10, r.nextInt(-6, 7));
            for (int i = 0; i < n; i++) {
                all[i] = (float) ((r.nextDouble() - 0.3) * scale * (r.nextInt(20) == 0 ? 50 : 1));
            }
            Histogram one = Histogram.EMPTY.add(all);
            // Three shards built separately, record by record, merged in another order.
            int a = r.nextInt(n + 1);
            int b = a + r.nextInt(n - a + 1);
            Histogram.Builder s0 = new Histogram.Builder();
            Histogram.Builder s1 = new Histogram.Builder();
            Histogram.Builder s2 = new Histogram.Builder();
            for (int i = 0; i < n; i += 7) {
                int end = Math.min(n, i + 7);
                for (int k = i; k < end; k++) {
                    (k < a ? s0 : k < b ? s1 : s2).add(all, k, k + 1);
                }
            }
            Histogram merged = s2.build().merge(s0.build()).merge(s1.build());
            assertThat(merged).as("trial %d", trial).isEqualTo(one);
            assertThat(merged.total()).isEqualTo(n);
        }
    }

    @Test
    void countsEqualANaiveCountWhenMostValuesShareABin() {
        // ReLU-like data: the counting runs over interleaved lanes, so a naive count is the check.
        SplittableRandom r = new SplittableRandom(11);
        Histogram.Builder b = new Histogram.Builder();
        java.util.List<Float> all = new java.util.ArrayList<>();
        for (int record = 0; record < 30; record++) {
            int n = r.nextInt(1, 40);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = r.nextInt(3) == 0 ? (float) (r.nextDouble() * (1 + record)) : 0f;
                all.add(v[i]);
            }
            b.add(v, 0, n);
        }
        Histogram h = b.build();
        long[] naive = new long[h.bins()];
        for (float v : all) {
            naive[(int) ((long) Math.floor(Math.scalb((double) v, -h.exponent())) - h.firstIndex())]++;
        }
        assertThat(h.counts()).isEqualTo(naive);
        assertThat(h.total()).isEqualTo(all.size());
    }
}
