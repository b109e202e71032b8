package io.litebit.cli;

import io.litebit.conformance.Backends;
import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.api.Model;
import io.litebit.trace.Backend;
import io.litebit.conformance.CpuInfo;
import io.litebit.conformance.InputSets;
import io.litebit.conformance.Json;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.rewrite.Rewriters;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code litebit bench MODEL}: latency of one model on several backends, on the same seeded
 * inputs, in one run.
 *
 * <pre>
 * litebit bench mobilenet_v2_int8.tflite --backends xnnpack,builtin --threads 2 --float-twin --json --chart bench.png
 * </pre>
 *
 * Exit status: 0, or 2 for usage errors (unknown backend, bad numbers), an unreadable model and a
 * chart that cannot be written. A backend that cannot run the model (an op the oracle lacks) is a
 * row saying so, not a failure.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures a model's latency on each backend: median, p90, min and inferences/s.",
                "",
                "Every backend gets the same seeded random inputs (as conform's random:1). Native",
                "backends time Interpreter.invoke() with the inputs already written; the oracle",
                "(reference) times a whole run, which keeps every intermediate tensor. Each",
                "iteration is timed on its own, so below ~1 us the clock's own cost (tens of ns)",
                "shows; the JMH suite in benchmarks/ measures tiny models properly.",
                "MODEL is a .tflite file or zoo:NAME."},
        footer = {"", "Exit status: 0 ok; 2 usage errors, unreadable models, a chart that cannot be written."})
final class BenchCommand implements Callable<Integer> {
    static final String DEFAULT_BACKENDS = "xnnpack,builtin,builtin-ref";

    @Parameters(index = "0", paramLabel = "MODEL", description = "a .tflite file or zoo:NAME")
    String model;

    @Option(names = "--backends", paramLabel = "LIST", defaultValue = DEFAULT_BACKENDS,
            description = "comma-separated: xnnpack, builtin, builtin-ref, reference[:PROFILE] "
                    + "(the Java oracle; PROFILE TFLITE by default); default ${DEFAULT-VALUE}")
    String backendSpecs;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "threads of the native backends (the oracle uses one); default ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--float-twin", description = "also run the model's float twin (quantized ops rewritten to float32 "
            + "with the dequantized weights) on the same backends")
    boolean floatTwin;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10",
            description = "untimed iterations per backend first; default ${DEFAULT-VALUE}")
    int warmup;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "50",
            description = "timed iterations per backend; default ${DEFAULT-VALUE}")
    int iterations;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of the random inputs; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--json", description = "print one JSON document instead of the table")
    boolean json;

    @Option(names = "--chart", paramLabel = "FILE.png", description = "write a bar chart of the median latencies (PNG)")
    Path chart;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One backend's result on one model variant; {@code error} set when it could not run. */
    record Row(String backend, String variant, double[] sortedNs, String error) {
        double median() {
            return quantile(0.5);
        }

        double quantile(double p) {
            int rank = (int) Math.ceil(p * sortedNs.length - 1e-9);
            return sortedNs[Math.max(1, Math.min(sortedNs.length, rank)) - 1];
        }

        boolean ok() {
            return error == null;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TerminalProgress progress = TerminalProgress.onTerminal(err);
        List<Row> rows = new ArrayList<>();
        try {
            if (threads < 1 || warmup < 0 || iterations < 1) {
                throw new IllegalArgumentException("--threads and --iterations must be at least 1 and --warmup at least 0 "
                        + "(given " + threads + ", " + iterations + ", " + warmup + ")");
            }
            List<Backend> backends = parseBackends(backendSpecs);
            TfliteModel m = ConformCommand.loadModel(model);
            Map<String, TfliteModel> variants = new LinkedHashMap<>();
            variants.put("model", m);
            if (floatTwin) {
                if (m.mainSubgraph().tensors().stream().noneMatch(Tensor::isQuantized)) {
                    throw new IllegalArgumentException("--float-twin: " + model + " has no quantized tensor, it is its own float twin");
                }
                variants.put("float twin", Rewriters.floatTwin(m));
            }
            for (Map.Entry<String, TfliteModel> v : variants.entrySet()) {
                List<byte[]> inputs = InputSets.random(v.getValue(), seed);
                for (Backend b : backends) {
                    String label = b.name() + (v.getKey().equals("model") ? "" : " (float twin)");
                    rows.add(measure(b, v.getKey(), v.getValue(), inputs, progress, label));
                }
            }
            progress.done();
            if (chart != null) {
                writeChart(chart, rows);
            }
        } catch (IOException | RuntimeException e) {
            progress.done();
            return Failures.report("bench", e, verbose, err);
        }
        if (json) {
            out.print(Json.write(json(rows)));
        } else {
            printTable(out, rows);
        }
        out.flush();
        return 0;
    }

    static List<Backend> parseBackends(String list) {
        List<Backend> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String s : list.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            Backend b;
            try {
                b = Backends.parse(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--backends: " + e.getMessage(), e);
            }
            if (b.emulated()) {
                // An emulator's speed says nothing about the hardware it imitates: refuse, never print it.
                throw new IllegalArgumentException("--backends: bench refuses " + b.name() + ": on this machine it runs "
                        + "under an emulator (qemu-user), so its timings would mean nothing; run bench on an arm64 host");
            }
            if (b instanceof io.litebit.conformance.harness.HarnessBackend) {
                throw new IllegalArgumentException("--backends: " + b.name() + " is a conformance backend (a child "
                        + "process per run); time its JNI twin " + b.name().substring(b.name().indexOf(':') + 1)
                        + " (the same TFLite library) or the C baseline (benchmarks/, JavaVsC)");
            }
            if (!seen.add(b.name())) {
                throw new IllegalArgumentException("--backends: " + b.name() + " is listed twice");
            }
            out.add(b);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--backends: no backend given");
        }
        return out;
    }

    private Row measure(Backend backend, String variant, TfliteModel model, List<byte[]> inputs,
                        TerminalProgress progress, String label) {
        String name = backend.name();
        try {
            if (name.startsWith("reference:")) {
                NumericsProfile profile = NumericsProfile.valueOf(name.substring("reference:".length()));
                ReferenceInterpreter oracle = ReferenceInterpreter.create(model, profile);
                TensorValue[] values = new TensorValue[inputs.size()];
                for (int i = 0; i < values.length; i++) {
                    Tensor t = model.mainSubgraph().inputTensor(i);
                    values[i] = TensorValue.fromLittleEndian(t.dtype(), t.shape(),
                            ByteBuffer.wrap(inputs.get(i)).order(ByteOrder.LITTLE_ENDIAN));
                }
                return new Row(name, variant, time(() -> oracle.run(values), progress, label), null);
            }
            io.litebit.api.Backend api = io.litebit.api.Backend.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
            try (Interpreter interpreter = Interpreter.create(Model.fromBytes(model.toBytes()),
                    InterpreterOptions.builder().backend(api).threads(threads).build())) {
                for (int i = 0; i < inputs.size(); i++) {
                    interpreter.input(i).buffer().order(ByteOrder.LITTLE_ENDIAN).put(0, inputs.get(i));
                }
                return new Row(name, variant, time(interpreter::invoke, progress, label), null);
            }
        } catch (RuntimeException e) {
            // The oracle lacks an op, TFLite refuses this model on this backend: a row, not the end of the run.
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' ');
            return new Row(name, variant, new double[0], msg);
        }
    }

    private double[] time(Runnable step, TerminalProgress progress, String label) {
        int total = warmup + iterations;
        for (int i = 0; i < warmup; i++) {
            step.run();
            progress.show(i + 1, total, label);
        }
        double[] ns = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            step.run();
            ns[i] = System.nanoTime() - t0;
            progress.show(warmup + i + 1, total, label);
        }
        Arrays.sort(ns);
        return ns;
    }

    private void printTable(PrintWriter out, List<Row> rows) {
        Map<String, Object> cpu = CpuInfo.describe();
        out.printf("Model       %s%s%n", model, floatTwin ? " (and its float twin)" : "");
        out.printf("CPU         %s %s, %d thread%s for native backends%n", cpu.get("model"), cpu.get("features"), threads,
                threads == 1 ? "" : "s");
        out.printf("Iterations  %d timed after %d warm-up, per backend%n%n", iterations, warmup);
        boolean twins = rows.stream().anyMatch(r -> !r.variant().equals("model"));
        Row base = rows.stream().filter(Row::ok).findFirst().orElse(null);
        TextTable t = twins ? new TextTable("backend", "model", "median", "p90", "min", "inferences/s", "time vs " + (base == null ? "-" : label(base)))
                : new TextTable("backend", "median", "p90", "min", "inferences/s", "time vs " + (base == null ? "-" : label(base)));
        for (Row r : rows) {
            List<Object> cells = new ArrayList<>();
            cells.add(r.backend());
            if (twins) {
                cells.add(r.variant());
            }
            if (!r.ok()) {
                cells.addAll(List.of("-", "-", "-", "-", "not run (see below)"));
            } else {
                cells.add(fmt(r.median()));
                cells.add(fmt(r.quantile(0.9)));
                cells.add(fmt(r.sortedNs()[0]));
                cells.add(String.format(Locale.ROOT, "%.1f", 1e9 / r.median()));
                cells.add(String.format(Locale.ROOT, "%.2fx", r.median() / base.median()));
            }
            t.row(cells.toArray());
        }
        t.print(out);
        if (twins) {
            out.println();
            for (Row q : rows) {
                Row f = rows.stream().filter(r -> r.ok() && !r.variant().equals("model") && r.backend().equals(q.backend()))
                        .findFirst().orElse(null);
                if (q.ok() && q.variant().equals("model") && f != null) {
                    double speedup = f.median() / q.median();
                    out.printf(Locale.ROOT, "Float twin  %s: the model as given is %.2fx %s than its float twin%n", q.backend(),
                            speedup >= 1 ? speedup : 1 / speedup, speedup >= 1 ? "faster" : "slower");
                }
            }
        }
        for (Row r : rows) {
            if (!r.ok()) {
                out.printf("Not run     %s%s: %s%n", r.backend(), r.variant().equals("model") ? "" : " (float twin)", r.error());
            }
        }
    }

    private static String label(Row r) {
        return r.backend() + (r.variant().equals("model") ? "" : " (float twin)");
    }

    private Map<String, Object> json(List<Row> rows) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", model);
        root.put("threads", threads);
        root.put("warmup", warmup);
        root.put("iterations", iterations);
        root.put("seed", seed);
        root.put("cpu", CpuInfo.describe());
        Map<String, Object> main = new LinkedHashMap<>();
        Map<String, Object> twin = new LinkedHashMap<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (r.ok()) {
                m.put("median_us", r.median() / 1e3);
                m.put("p90_us", r.quantile(0.9) / 1e3);
                m.put("min_us", r.sortedNs()[0] / 1e3);
                m.put("mean_us", Arrays.stream(r.sortedNs()).average().orElseThrow() / 1e3);
                m.put("inferences_per_s", 1e9 / r.median());
            } else {
                m.put("error", r.error());
            }
            (r.variant().equals("model") ? main : twin).put(r.backend(), m);
        }
        root.put("backends", main);
        if (floatTwin) {
            root.put("float_twin", twin);
        }
        return root;
    }

    /** A bar chart of median latency per backend (two series with --float-twin), rendered headless. */
    private void writeChart(Path file, List<Row> rows) throws IOException {
        // No display is needed to render a PNG; without this a JVM on a desktop would initialise AWT's toolkit.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        List<String> names = rows.stream().filter(Row::ok).map(Row::backend).distinct().toList();
        CategoryChart c = new CategoryChartBuilder().width(800).height(500)
                .title("litebit bench: " + Path.of(model).getFileName() + ", " + threads + " thread" + (threads == 1 ? "" : "s"))
                .xAxisTitle("backend").yAxisTitle("median latency (µs)").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendVisible(floatTwin);
        c.getStyler().setLabelsVisible(true);
        c.getStyler().setDecimalPattern("#,##0.#");
        for (String variant : floatTwin ? List.of("model", "float twin") : List.of("model")) {
            List<Double> values = new ArrayList<>();
            for (String b : names) {
                Row r = rows.stream().filter(x -> x.backend().equals(b) && x.variant().equals(variant)).findFirst().orElse(null);
                values.add(r == null || !r.ok() ? 0.0 : r.median() / 1e3);
            }
            c.addSeries(variant.equals("model") ? "as given" : "float twin", names, values);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String f = file.toString();
        // BitmapEncoder appends the extension itself.
        String base = f.toLowerCase(Locale.ROOT).endsWith(".png") ? f.substring(0, f.length() - 4) : f;
        BitmapEncoder.saveBitmap(c, base, BitmapEncoder.BitmapFormat.PNG);
        if (!f.toLowerCase(Locale.ROOT).endsWith(".png")) {
            Files.move(Path.of(base + ".png"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String fmt(double ns) {
        if (ns < 1e3) {
            return String.format(Locale.ROOT, "%.0f ns", ns);
        }
        if (ns < 1e6) {
            return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
        }
        return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
    }
}
