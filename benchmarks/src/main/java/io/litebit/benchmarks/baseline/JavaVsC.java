package io.litebit.benchmarks.baseline;

import io.litebit.api.Backend;
import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.api.Model;
import io.litebit.benchmarks.BenchModels;
import io.litebit.conformance.CpuInfo;
import io.litebit.conformance.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Java API vs the C API on the same models, delegate settings and machine, in one run: builds the
 * C baseline (cmake/) against the preset's library, then for each scenario alternates rounds of
 * the C program and of the Java loop (so that noise from other processes hits both alike) and
 * reports the median of the per-round medians and their ratio.
 *
 * <pre>
 * mvn -B -q -DskipTests package
 * java -cp benchmarks/target/benchmarks.jar io.litebit.benchmarks.baseline.JavaVsC [--rounds 3] [--samples 30]
 *      [--scenario MODEL:BACKEND:THREADS:MODE]... [--json FILE] [--work DIR]
 * </pre>
 *
 * MODEL is a {@link BenchModels} name, BACKEND xnnpack or builtin, MODE invoke (invoke only) or
 * full (write every input, invoke, read every output).
 */
public final class JavaVsC {
    /** One comparison. */
    public record Scenario(String model, Backend backend, int threads, boolean full) {
        /** {@code MODEL:BACKEND:THREADS:MODE}. */
        public static Scenario parse(String s) {
            String[] p = s.split(":");
            if (p.length != 4 || !(p[3].equals("full") || p[3].equals("invoke"))) {
                throw new IllegalArgumentException("scenario " + s + ": expected MODEL:BACKEND:THREADS:MODE, "
                        + "e.g. hello_world_int8:xnnpack:1:full");
            }
            Backend b = Backend.valueOf(p[1].toUpperCase(Locale.ROOT).replace('-', '_'));
            return new Scenario(p[0], b, Integer.parseInt(p[2]), p[3].equals("full"));
        }

        @Override
        public String toString() {
            return model + ":" + backend.name().toLowerCase(Locale.ROOT) + ":" + threads + ":" + (full ? "full" : "invoke");
        }
    }

    /** Per-round latencies of both sides and the summary. */
    public record Comparison(Scenario scenario, List<Latency> c, List<Latency> java, int xnnpackFlags) {
        public double cMedianNs() {
            return medianOf(c.stream().mapToDouble(Latency::medianNs).toArray());
        }

        public double javaMedianNs() {
            return medianOf(java.stream().mapToDouble(Latency::medianNs).toArray());
        }

        public double cMinNs() {
            return c.stream().mapToDouble(Latency::minNs).min().orElseThrow();
        }

        public double javaMinNs() {
            return java.stream().mapToDouble(Latency::minNs).min().orElseThrow();
        }

        /** Java time over C time (1.0: no overhead). */
        public double ratio() {
            return javaMedianNs() / cMedianNs();
        }

        /** The same for the fastest sample of each side: less sensitive to other processes' load. */
        public double minRatio() {
            return javaMinNs() / cMinNs();
        }
    }

    /** The default scenarios: the goals' models first. */
    public static final List<String> DEFAULT_SCENARIOS = List.of(
            "mobilenet_v2_int8:xnnpack:1:invoke",
            "mobilenet_v2_int8:xnnpack:2:invoke",
            "mobilenet_v2_int8:builtin:1:invoke",
            "hello_world_int8:xnnpack:1:full",
            "hello_world_int8:builtin:1:full",
            "hello_world_float:xnnpack:1:full",
            "lstm_int8:xnnpack:1:invoke",
            "lstm_float:xnnpack:1:invoke",
            "zoo_cnn_int8:xnnpack:1:full");

    private JavaVsC() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = 3;
        int samples = 30;
        Path json = null;
        Path work = Files.isDirectory(Path.of("benchmarks", "target")) ? Path.of("benchmarks", "target", "cbaseline")
                : Path.of("target", "cbaseline");
        List<Scenario> scenarios = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null && !a.equals("--help")) {
                usage("missing value of " + a);
            }
            switch (a) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--scenario" -> scenarios.add(Scenario.parse(args[++i]));
                default -> usage(a.equals("--help") ? null : "unknown argument " + a);
            }
        }
        if (scenarios.isEmpty()) {
            DEFAULT_SCENARIOS.forEach(s -> scenarios.add(Scenario.parse(s)));
        }
        PrintStream out = System.out;
        Map<String, Object> cpu = CpuInfo.describe();
        out.printf("CPU     %s %s, %d logical cores%n", cpu.get("model"), cpu.get("features"),
                Runtime.getRuntime().availableProcessors());
        CBaseline c = CBaseline.build(work);
        out.printf("C       %s (TFLite from %s)%n", c.executable(), c.librarySource());
        out.printf("Method  %d rounds per scenario, C and Java taking turns to go first; each round %d samples of a batch sized to ~2 ms; "
                + "median of the round medians%n%n", rounds, samples);
        List<Comparison> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            Comparison r = compare(c, s, rounds, samples);
            results.add(r);
            out.printf(Locale.ROOT, "%-38s C %-10s Java %-10s Java/C %.3f (min: %.3f)%n", s, Latency.format(r.cMedianNs()),
                    Latency.format(r.javaMedianNs()), r.ratio(), r.minRatio());
        }
        out.println();
        printTable(out, results);
        if (json != null) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("cpu", cpu);
            root.put("rounds", rounds);
            root.put("samples", samples);
            List<Object> rows = new ArrayList<>();
            for (Comparison r : results) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("scenario", r.scenario().toString());
                m.put("c_median_ns", r.cMedianNs());
                m.put("java_median_ns", r.javaMedianNs());
                m.put("c_min_ns", r.cMinNs());
                m.put("java_min_ns", r.javaMinNs());
                m.put("java_over_c", r.ratio());
                m.put("java_over_c_min", r.minRatio());
                m.put("xnnpack_flags", r.xnnpackFlags());
                rows.add(m);
            }
            root.put("results", rows);
            Files.writeString(json, Json.write(root));
            out.println("JSON    " + json);
        }
    }

    /** Markdown, ready for docs/performance.md. */
    static void printTable(PrintStream out, List<Comparison> results) {
        out.println("| scenario | C API median | Java API median | Java / C | C min | Java min | Java / C (min) |");
        out.println("|---|---|---|---|---|---|---|");
        for (Comparison r : results) {
            out.printf(Locale.ROOT, "| %s | %s | %s | %.3f | %s | %s | %.3f |%n", r.scenario(), Latency.format(r.cMedianNs()),
                    Latency.format(r.javaMedianNs()), r.ratio(), Latency.format(r.cMinNs()), Latency.format(r.javaMinNs()),
                    r.minRatio());
        }
    }

    /**
     * Alternates rounds of C and Java (an interpreter created once with the same options): C
     * first in round 1, where it chooses the batch size both sides then use in every round, Java
     * first in every odd round after.
     */
    public static Comparison compare(CBaseline c, Scenario s, int rounds, int samples) {
        Path path = BenchModels.path(s.model());
        Model model = BenchModels.model(s.model());
        List<Latency> cs = new ArrayList<>();
        List<Latency> js = new ArrayList<>();
        int flags;
        try (Interpreter interpreter = Interpreter.create(model,
                InterpreterOptions.builder().backend(s.backend()).threads(s.threads()).build())) {
            JavaLoop loop = new JavaLoop(interpreter, 1);
            int warmup = warmupFor(interpreter);
            long batch = 0;
            flags = -1;
            for (int r = 0; r < rounds; r++) {
                // Odd rounds run Java first, so that neither side always follows the other (a load
                // burst from another process, caches left warm or cold by the previous run).
                boolean javaFirst = r % 2 == 1;
                if (javaFirst) {
                    js.add(loop.measure(s.full(), warmup, samples, batch));
                }
                CBaseline.Result cr = c.run(path, s.backend(), s.threads(), s.full(), warmup, samples, batch, 1);
                flags = cr.xnnpackFlags();
                batch = cr.latency().batch();
                cs.add(cr.latency());
                if (!javaFirst) {
                    // Warming the Java side every round (it is warm after round 1) keeps the two sides symmetric.
                    js.add(loop.measure(s.full(), warmup, samples, batch));
                }
            }
        }
        return new Comparison(s, cs, js, flags);
    }

    /**
     * About 0.3 s of inferences, at least 3 and at most 20,000: enough for the JIT to compile the
     * Java loop (C2 after ~10k calls) on tiny models, and a few full passes on big ones.
     */
    private static int warmupFor(Interpreter interpreter) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            interpreter.invoke();
        }
        double each = (System.nanoTime() - t0) / 3.0;
        return (int) Math.max(3, Math.min(20_000, 0.3e9 / each));
    }

    static double medianOf(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return Latency.quantile(s, 0.5);
    }

    private static void usage(String message) {
        if (message != null) {
            System.err.println("JavaVsC: " + message);
        }
        System.err.println("usage: JavaVsC [--rounds N] [--samples N] [--scenario MODEL:BACKEND:THREADS:MODE]... "
                + "[--json FILE] [--work DIR]");
        System.err.println("scenarios by default: " + DEFAULT_SCENARIOS);
        System.exit(message == null ? 0 : 2);
    }
}
