package io.litebit.cli;

import io.litebit.data.Dataset;
import io.litebit.data.Datasets;
import io.litebit.model.TfliteModel;
import io.litebit.quantization.calibration.CalibrationMethod;
import io.litebit.quantization.calibration.CalibrationResult;
import io.litebit.quantization.calibration.CalibrationStats;
import io.litebit.quantization.calibration.Calibrator;
import io.litebit.trace.Backend;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The calibration options {@code calibrate} and {@code quantize --dataset} share (picocli mixin),
 * and the run they describe, so that both commands calibrate the same way.
 */
final class CalibrationOptions {
    @Option(names = "--dataset", paramLabel = "SPEC", description = "representative dataset (as in 'litebit dataset')")
    String dataset;

    @Option(names = "--records", paramLabel = "N", description = "only the first N records")
    Integer records;

    @Option(names = "--method", paramLabel = "M", defaultValue = "minmax", description = "how ranges are chosen (default minmax)")
    String method;

    @Option(names = "--backend", paramLabel = "builtin|reference", defaultValue = "builtin",
            description = "runtime of the float model: native builtin kernels with preserve_all_tensors (default) or the Java oracle")
    String backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "interpreters over shards of the records; the result is identical for any N")
    int threads;

    @Option(names = "--strict", description = "a record with NaN/Inf is an error instead of skipped")
    boolean strict;

    @Mixin
    DatasetSpecOptions images;

    /** What a calibration run gave and how long it took. */
    record Run(CalibrationResult result, Backend backend, double seconds) {
    }

    CalibrationMethod method() {
        return CalibrationMethod.parse(method);
    }

    Backend backend() {
        return switch (backend.toLowerCase(Locale.ROOT)) {
            case "builtin" -> Backend.builtin();
            case "reference" -> Backend.reference(io.litebit.reference.NumericsProfile.TFLITE);
            default -> throw new IllegalArgumentException("--backend expects builtin or reference, given " + backend);
        };
    }

    /**
     * Calibrates {@code floatModel} over {@code --dataset}, with a progress bar on {@code err} when
     * it is a terminal. Histograms are built only when the method reads them or {@code
     * withHistograms} asks for every statistic (they are most of the recording's cost).
     */
    Run run(TfliteModel floatModel, PrintWriter err, boolean withHistograms) {
        if (dataset == null) {
            throw new IllegalArgumentException("--dataset SPEC is required to calibrate");
        }
        if (records != null && records < 1) {
            throw new IllegalArgumentException("--records must be at least 1, given " + records);
        }
        CalibrationMethod m = method();
        Backend b = backend();
        TerminalProgress progress = TerminalProgress.onTerminal(err);
        long t0 = System.nanoTime();
        CalibrationStats s;
        try (Dataset all = Datasets.open(dataset, images.options(floatModel))) {
            Dataset d = records == null ? all : all.limit(records);
            Calibrator c = Calibrator.builder().backend(b).threads(threads).strict(strict)
                    .histograms(withHistograms || m.needsHistogram())
                    .progress((done, total) -> progress.show(done, total, rate(done, total, t0))).build();
            s = c.record(floatModel, d);
        } finally {
            progress.done();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Run(CalibrationResult.of(floatModel, s, m), b, seconds);
    }

    private static String rate(int done, int total, long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        double perSecond = done / Math.max(s, 1e-9);
        return String.format(Locale.ROOT, "records, %.0f/s, ETA %.0f s", perSecond, (total - done) / Math.max(perSecond, 1e-9));
    }
}
