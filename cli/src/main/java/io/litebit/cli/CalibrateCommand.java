package io.litebit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litebit.data.Dataset;
import io.litebit.data.Datasets;
import io.litebit.model.TfliteModel;
import io.litebit.model.quant.MinMax;
import io.litebit.quantization.calibration.CalibrationMethod;
import io.litebit.quantization.calibration.CalibrationResult;
import io.litebit.quantization.calibration.CalibrationStats;
import io.litebit.quantization.calibration.Calibrator;
import io.litebit.quantization.calibration.StatsJson;
import io.litebit.quantization.calibration.TensorStats;
import io.litebit.trace.Backend;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code litebit calibrate MODEL --dataset SPEC -o OUT}: the range of every activation, written into the model. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Runs a float model over a representative dataset and records the range of every float",
                "activation tensor (model inputs included), then writes min/max into the model's tensors",
                "as TFLite's calibrator and ONE's record-minmax do. SPEC as in 'litebit dataset'.",
                "Methods: minmax (default; TFLite), moving-average[:one|aeq], percentile[:P] (ONE,",
                "per-record extremes, P=99), value-percentile[:P] (ONNX Runtime, P=99.999), entropy",
                "(TensorRT KL), mse[:BITS]. Every range includes zero."},
        footer = {"", "Exit status: 0 ok; 2 usage errors, unreadable models or datasets, records that do not fit."})
final class CalibrateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "a float .tflite model")
    Path model;

    @Option(names = "--dataset", required = true, paramLabel = "SPEC")
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

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "CALIBRATED.tflite")
    Path output;

    @Option(names = "--stats", paramLabel = "FILE.json", description = "write every statistic (histograms, per-record ranges) as JSON")
    Path stats;

    @Mixin
    DatasetSpecOptions images;

    @Option(names = "--json", description = "print a JSON summary: records, used, skipped, method, tensors[index,name,min,max]")
    boolean json;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (records != null && records < 1) {
                throw new IllegalArgumentException("--records must be at least 1, given " + records);
            }
            CalibrationMethod m = CalibrationMethod.parse(method);
            Backend b = switch (backend.toLowerCase(Locale.ROOT)) {
                case "builtin" -> Backend.builtin();
                case "reference" -> Backend.reference(io.litebit.reference.NumericsProfile.TFLITE);
                default -> throw new IllegalArgumentException("--backend expects builtin or reference, given " + backend);
            };
            TfliteModel floatModel = TfliteModel.load(model);
            TerminalProgress progress = TerminalProgress.onTerminal(err);
            long t0 = System.nanoTime();
            CalibrationStats s;
            try (Dataset all = Datasets.open(dataset, images.options(floatModel))) {
                Dataset d = records == null ? all : all.limit(records);
                Calibrator c = Calibrator.builder().backend(b).threads(threads).strict(strict)
                        .progress((done, total) -> progress.show(done, total, rate(done, total, t0))).build();
                s = c.record(floatModel, d);
            } finally {
                progress.done();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            CalibrationResult r = CalibrationResult.of(floatModel, s, m);
            Files.write(output, r.calibratedModel().toBytes());
            if (stats != null) {
                Files.writeString(stats, StatsJson.write(r));
            }
            if (json) {
                ObjectNode root = StatsJson.document(r, false);
                root.put("model", model.toString());
                root.put("output", output.toString());
                root.put("backend", b.name());
                root.put("threads", threads);
                root.put("seconds", seconds);
                out.println(InspectCommand.mapper().writeValueAsString(root));
            } else {
                printText(out, r, b, seconds);
            }
            out.flush();
            return 0;
        } catch (Exception e) {
            return Failures.report("calibrate", e, verbose, err);
        }
    }

    private static String rate(int done, int total, long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        double perSecond = done / Math.max(s, 1e-9);
        return String.format(Locale.ROOT, "records, %.0f/s, ETA %.0f s", perSecond, (total - done) / Math.max(perSecond, 1e-9));
    }

    private void printText(PrintWriter out, CalibrationResult r, Backend b, double seconds) {
        CalibrationStats s = r.stats();
        out.printf(Locale.ROOT, "Model     %s -> %s%n", model, output);
        out.printf(Locale.ROOT, "Records   %d read, %d used, %d skipped (%s, %d thread%s, %.2f s)%n", s.read(), s.used(),
                s.skipped().size(), b.name(), threads, threads == 1 ? "" : "s", seconds);
        for (CalibrationStats.Skipped k : s.skipped()) {
            out.printf(Locale.ROOT, "  skipped record %d (%s): %s%n", k.record(), k.source(), k.reason());
        }
        out.printf(Locale.ROOT, "Method    %s%n", r.method().spec());
        TextTable t = new TextTable("tensor", "name", "min", "max", "recorded min", "recorded max", "values");
        for (TensorStats ts : s.tensors()) {
            MinMax range = r.ranges().get(ts.tensorIndex());
            t.row(ts.tensorIndex(), ts.name(), range == null ? "-" : fmt(range.min()), range == null ? "-" : fmt(range.max()),
                    ts.hasRange() ? fmt(ts.min()) : "-", ts.hasRange() ? fmt(ts.max()) : "-", ts.count());
        }
        t.print(out);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
