package io.litebit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litebit.model.TfliteModel;
import io.litebit.model.quant.MinMax;
import io.litebit.quantization.calibration.CalibrationResult;
import io.litebit.quantization.calibration.CalibrationStats;
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

    @Mixin
    CalibrationOptions calibration;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "CALIBRATED.tflite")
    Path output;

    @Option(names = "--stats", paramLabel = "FILE.json", description = "write every statistic (histograms, per-record ranges) as JSON; "
            + "histograms are recorded only when this or the method asks for them")
    Path stats;

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
            TfliteModel floatModel = TfliteModel.load(model);
            CalibrationOptions.Run run = calibration.run(floatModel, err, stats != null);
            CalibrationResult r = run.result();
            Backend b = run.backend();
            double seconds = run.seconds();
            Files.write(output, r.calibratedModel().toBytes());
            if (stats != null) {
                Files.writeString(stats, StatsJson.write(r));
            }
            if (json) {
                ObjectNode root = StatsJson.document(r, false);
                root.put("model", model.toString());
                root.put("output", output.toString());
                root.put("backend", b.name());
                root.put("threads", calibration.threads);
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

    private void printText(PrintWriter out, CalibrationResult r, Backend b, double seconds) {
        CalibrationStats s = r.stats();
        out.printf(Locale.ROOT, "Model     %s -> %s%n", model, output);
        out.printf(Locale.ROOT, "Records   %d read, %d used, %d skipped (%s, %d thread%s, %.2f s)%n", s.read(), s.used(),
                s.skipped().size(), b.name(), calibration.threads, calibration.threads == 1 ? "" : "s", seconds);
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
