package io.litebit.quantization.calibration;

import io.litebit.model.quant.MinMax;
import java.util.Arrays;
import java.util.Locale;

/**
 * How a tensor's recorded statistics become the range its quantization is computed from. Every
 * method's range is widened to include zero (TFLite's quantizer then nudges it so that zero is
 * exactly representable). Each method names its source:
 * <ul>
 *   <li>{@code minmax}: the global minimum and maximum, TFLite's calibrator
 *       ({@code calibration_logger.h}, MinMax::Update) and quantizer; the default.</li>
 *   <li>{@code moving-average}: Samsung ONE's {@code record-minmax --mode moving_average}: the
 *       records in batches of 16, each batch's min (max), {@code avg = 0.9·avg + 0.1·batch}
 *       starting from the first batch ({@code getMovingAverage}, alpha = 1 − 0.1). The default of
 *       the two because litebit reads and writes ONE's HDF5 layout: the same file gives the same
 *       range as record-minmax.
 *       {@code moving-average:aeq}: AI Edge Quantizer's per-record exponential moving average,
 *       {@code avg = 0.95·avg + 0.05·record}, starting from the first record.</li>
 *   <li>{@code percentile[:P]}: ONE's default mode: the (100 − P)-th percentile of the per-record
 *       minima and the P-th of the per-record maxima, linearly interpolated
 *       ({@code getNthPercentile}); P = 99 as ONE's defaults (1.0, 99.0).</li>
 *   <li>{@code value-percentile[:P]}: ONNX Runtime's percentile calibrator: percentiles of all the
 *       values, (100 − P)/2 % cut on each side, from the histogram (the edge of the bin where the
 *       CDF crosses); P = 99.999 as ORT's default.</li>
 *   <li>{@code entropy}: TensorRT's KL-divergence calibration: over the histogram of |x|, the
 *       threshold whose 128-level quantization of the clipped distribution has the least KL
 *       divergence from it; range {@code [−t, t]} intersected with the observed range.</li>
 *   <li>{@code mse[:BITS]}: the range {@code α·[min, max]}, α in (0, 1] on a grid of 100, that
 *       minimises the expected squared error of BITS-bit (default 8) uniform quantization over the
 *       histogram: clipping error for values outside, {@code step²/12} inside.</li>
 * </ul>
 *
 * <pre>{@code
 * CalibrationMethod m = CalibrationMethod.parse("percentile:99.9");
 * MinMax range = m.range(stats.tensor(5).orElseThrow());
 * }</pre>
 */
public sealed interface CalibrationMethod {
    /** The spec this method was parsed from, e.g. {@code percentile:99.0}. */
    String spec();

    /** The range (zero included) for a tensor with a recorded range. */
    MinMax range(TensorStats s);

    /**
     * Whether the method reads the histogram; the others need only the global and per-record
     * ranges, which a calibration without histograms ({@code Calibrator.Builder.histograms(false)})
     * records at a fraction of the cost.
     */
    default boolean needsHistogram() {
        return false;
    }

    /** The global minimum and maximum. */
    CalibrationMethod MINMAX = new MinMaxMethod();

    static CalibrationMethod parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        String arg = colon < 0 ? null : s.substring(colon + 1);
        switch (name) {
            case "minmax":
                noArg(spec, arg);
                return MINMAX;
            case "moving-average":
                if (arg == null || arg.equals("one")) {
                    return new MovingAverage(false);
                }
                if (arg.equals("aeq")) {
                    return new MovingAverage(true);
                }
                throw new IllegalArgumentException("--method " + spec + ": expected moving-average, moving-average:one or "
                        + "moving-average:aeq");
            case "percentile":
                return new Percentile(arg == null ? 99.0 : percent(spec, arg));
            case "value-percentile":
                return new ValuePercentile(arg == null ? 99.999 : percent(spec, arg));
            case "entropy":
                noArg(spec, arg);
                return new Entropy();
            case "mse":
                int bits = 8;
                if (arg != null) {
                    try {
                        bits = Integer.parseInt(arg);
                    } catch (NumberFormatException e) {
                        bits = -1;
                    }
                    if (bits < 2 || bits > 16) {
                        throw new IllegalArgumentException("--method " + spec + ": BITS must be 2 to 16, given " + arg);
                    }
                }
                return new Mse(bits);
            default:
                throw new IllegalArgumentException("unknown calibration method \"" + spec + "\", expected minmax, "
                        + "moving-average[:one|aeq], percentile[:P], value-percentile[:P], entropy or mse[:BITS]");
        }
    }

    private static void noArg(String spec, String arg) {
        if (arg != null) {
            throw new IllegalArgumentException("--method " + spec + " takes no argument");
        }
    }

    private static double percent(String spec, String arg) {
        double p;
        try {
            p = Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (!(p > 50 && p <= 100)) {
            throw new IllegalArgumentException("--method " + spec + ": P must be a percentage in (50, 100], given " + arg);
        }
        return p;
    }

    /** Widens {@code [lo, hi]} to include zero. */
    static MinMax withZero(double lo, double hi) {
        return new MinMax(Math.min(lo, 0), Math.max(hi, 0));
    }

    record MinMaxMethod() implements CalibrationMethod {
        @Override
        public String spec() {
            return "minmax";
        }

        @Override
        public MinMax range(TensorStats s) {
            return withZero(s.min(), s.max());
        }
    }

    /** @param aeq AI Edge Quantizer's per-record 0.95/0.05 form instead of ONE's batches of 16 at 0.9/0.1 */
    record MovingAverage(boolean aeq) implements CalibrationMethod {
        @Override
        public String spec() {
            return aeq ? "moving-average:aeq" : "moving-average:one";
        }

        @Override
        public MinMax range(TensorStats s) {
            return aeq ? withZero(ema(s.recordMins()), ema(s.recordMaxs()))
                    : withZero(one(s.recordMins(), true), one(s.recordMaxs(), false));
        }

        private static double ema(float[] v) {
            double avg = v[0];
            for (int i = 1; i < v.length; i++) {
                avg = 0.95 * avg + 0.05 * v[i];
            }
            return avg;
        }

        /** ONE's getMovingAverage with batch 16 and alpha 0.9, in its float arithmetic. */
        private static double one(float[] v, boolean isMin) {
            int batch = 16;
            float avg = batchExtreme(v, 0, batch, isMin);
            for (int i = batch; i < v.length; i += batch) {
                avg = (float) (avg * 0.9f + batchExtreme(v, i, batch, isMin) * (1.0 - 0.9f));
            }
            return avg;
        }

        private static float batchExtreme(float[] v, int start, int batch, boolean isMin) {
            float r = isMin ? Float.MAX_VALUE : -Float.MAX_VALUE;
            for (int i = start; i < Math.min(start + batch, v.length); i++) {
                r = isMin ? Math.min(r, v[i]) : Math.max(r, v[i]);
            }
            return r;
        }
    }

    /** @param percent P: the max is the P-th percentile of the record maxima, the min the (100 − P)-th of the minima */
    record Percentile(double percent) implements CalibrationMethod {
        @Override
        public String spec() {
            return "percentile:" + percent;
        }

        @Override
        public MinMax range(TensorStats s) {
            return withZero(nth(s.recordMins(), 100 - percent), nth(s.recordMaxs(), percent));
        }

        /** ONE's getNthPercentile: sort, index floor((n−1)·p/100), linear interpolation to the next. */
        static double nth(float[] values, double p) {
            float[] v = values.clone();
            if (v.length == 1) {
                return v[0];
            }
            Arrays.sort(v);
            if (p == 0) {
                return v[0];
            }
            if (p == 100) {
                return v[v.length - 1];
            }
            int index = (int) Math.floor((v.length - 1) * p / 100.0);
            float percentI = (float) index / (float) (v.length - 1);
            float fraction = (float) ((p / 100.0 - percentI) / ((index + 1.0) / (v.length - 1.0) - percentI));
            return v[index] + fraction * (v[index + 1] - v[index]);
        }
    }

    record ValuePercentile(double percent) implements CalibrationMethod {
        @Override
        public boolean needsHistogram() {
            return true;
        }

        @Override
        public String spec() {
            return "value-percentile:" + percent;
        }

        @Override
        public MinMax range(TensorStats s) {
            Histogram h = s.histogram();
            double cut = (100 - percent) / 200;
            long total = h.total();
            long acc = 0;
            double lo = s.min();
            double hi = s.max();
            boolean loFound = false;
            for (int b = 0; b < h.bins(); b++) {
                acc += h.count(b);
                double cdf = (double) acc / total;
                if (!loFound && cdf >= cut) {
                    lo = Math.max(s.min(), h.binLow(b));
                    loFound = true;
                }
                if (cdf >= 1 - cut) {
                    hi = Math.min(s.max(), h.binHigh(b));
                    break;
                }
            }
            return withZero(lo, hi);
        }
    }

    record Entropy() implements CalibrationMethod {
        @Override
        public boolean needsHistogram() {
            return true;
        }

        static final int QUANTIZED_BINS = 128;

        @Override
        public String spec() {
            return "entropy";
        }

        @Override
        public MinMax range(TensorStats s) {
            double t = threshold(s.histogram());
            return withZero(Math.max(s.min(), -t), Math.min(s.max(), t));
        }

        /** TensorRT's threshold search over the histogram of |x| folded from the signed one. */
        static double threshold(Histogram h) {
            long first = h.firstIndex();
            // Bin k covers [k·w, (k+1)·w); for k < 0 its |x| lies in bin −k−1.
            long maxBin = Math.max(Math.abs(first + h.bins() - 1), Math.abs(first)) + 1;
            int n = Math.toIntExact(maxBin);
            long[] abs = new long[n];
            for (int b = 0; b < h.bins(); b++) {
                long k = first + b;
                abs[(int) (k >= 0 ? k : -k - 1)] += h.count(b);
            }
            double w = h.binWidth();
            if (n <= QUANTIZED_BINS) {
                return n * w;
            }
            int step = Math.max(1, (n - QUANTIZED_BINS) / 512);
            double bestKl = Double.POSITIVE_INFINITY;
            int best = n;
            for (int i = QUANTIZED_BINS; i <= n; i += step) {
                double kl = divergence(abs, i);
                if (kl < bestKl) {
                    bestKl = kl;
                    best = i;
                }
            }
            return (best + 0.5) * w;
        }

        private static double divergence(long[] hist, int i) {
            double[] p = new double[i];
            for (int k = 0; k < i; k++) {
                p[k] = hist[k];
            }
            for (int k = i; k < hist.length; k++) {
                p[i - 1] += hist[k];
            }
            double[] q = new double[i];
            for (int j = 0; j < QUANTIZED_BINS; j++) {
                int start = (int) ((long) j * i / QUANTIZED_BINS);
                int end = (int) ((long) (j + 1) * i / QUANTIZED_BINS);
                double sum = 0;
                int nonZero = 0;
                for (int k = start; k < end; k++) {
                    sum += hist[k];
                    if (hist[k] != 0) {
                        nonZero++;
                    }
                }
                for (int k = start; k < end; k++) {
                    q[k] = hist[k] != 0 ? sum / nonZero : 0;
                }
            }
            double ps = 0;
            double qs = 0;
            for (int k = 0; k < i; k++) {
                ps += p[k];
                qs += q[k];
            }
            if (ps == 0 || qs == 0) {
                return Double.POSITIVE_INFINITY;
            }
            double kl = 0;
            for (int k = 0; k < i; k++) {
                if (p[k] == 0) {
                    continue;
                }
                double pk = p[k] / ps;
                // A level the clipped distribution has but the quantized one lost: TensorRT smooths
                // such zeros; a small floor keeps the divergence finite in the same spirit.
                double qk = Math.max(q[k] / qs, 1e-12);
                kl += pk * Math.log(pk / qk);
            }
            return kl;
        }
    }

    record Mse(int bits) implements CalibrationMethod {
        @Override
        public boolean needsHistogram() {
            return true;
        }

        @Override
        public String spec() {
            return "mse:" + bits;
        }

        @Override
        public MinMax range(TensorStats s) {
            MinMax full = withZero(s.min(), s.max());
            if (full.width() == 0) {
                return full;
            }
            Histogram h = s.histogram();
            double levels = Math.scalb(1.0, bits) - 1;
            double bestErr = Double.POSITIVE_INFINITY;
            MinMax best = full;
            for (int step = 100; step >= 1; step--) {
                double a = step / 100.0;
                double lo = full.min() * a;
                double hi = full.max() * a;
                double q = (hi - lo) / levels;
                double err = 0;
                for (int b = 0; b < h.bins(); b++) {
                    long c = h.count(b);
                    if (c == 0) {
                        continue;
                    }
                    double x = (h.binLow(b) + h.binHigh(b)) / 2;
                    double e = x < lo ? (x - lo) * (x - lo) : x > hi ? (x - hi) * (x - hi) : q * q / 12;
                    err += c * e;
                }
                // Strictly better only: among equals the wider range (the first tried) stays.
                if (err < bestErr) {
                    bestErr = err;
                    best = new MinMax(lo, hi);
                }
            }
            return best;
        }
    }
}
