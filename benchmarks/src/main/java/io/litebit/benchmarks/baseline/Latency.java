package io.litebit.benchmarks.baseline;

import java.util.Arrays;
import java.util.Locale;

/**
 * Latency of one measurement, in nanoseconds per inference. A sample is the mean of a batch of
 * consecutive inferences (one clock read per inference would cost more than a tiny model's
 * invoke); median and p90 are nearest-rank quantiles over the samples, as litebit_bench computes
 * them, so a Java and a C latency are comparable number for number.
 */
public record Latency(double medianNs, double p90Ns, double minNs, double meanNs, long batch, int samples) {
    /** Summarizes per-inference sample times. */
    public static Latency of(double[] perInference, long batch) {
        if (perInference.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] s = perInference.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElseThrow();
        return new Latency(quantile(s, 0.5), quantile(s, 0.9), s[0], mean, batch, s.length);
    }

    /** Nearest-rank quantile of sorted values. */
    public static double quantile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length - 1e-9);
        return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1];
    }

    /** Inferences per second at the median latency. */
    public double perSecond() {
        return 1e9 / medianNs;
    }

    @Override
    public String toString() {
        return format(medianNs) + " (p90 " + format(p90Ns) + ", min " + format(minNs) + ")";
    }

    /** ns, µs or ms with three significant digits. */
    public static String format(double ns) {
        if (ns < 1e3) {
            return String.format(Locale.ROOT, "%.0f ns", ns);
        }
        if (ns < 1e6) {
            return String.format(Locale.ROOT, ns < 1e4 ? "%.2f µs" : ns < 1e5 ? "%.1f µs" : "%.0f µs", ns / 1e3);
        }
        return String.format(Locale.ROOT, ns < 1e7 ? "%.2f ms" : ns < 1e8 ? "%.1f ms" : "%.0f ms", ns / 1e6);
    }
}
