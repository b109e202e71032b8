package io.litebit.conformance.report;

import io.litebit.conformance.Json;
import io.litebit.conformance.MatrixResult;
import io.litebit.conformance.TensorDiff;
import io.litebit.model.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * The outcome of a conformance run over one or more models, as JSON, CSV and a self-contained
 * HTML page: what {@code litebit conform --json} prints and {@code --report DIR} writes.
 *
 * <p>Files written by {@link #write(Path)}:
 * <ul>
 *   <li>{@code report.html}: per model, the backends and what they noted or lacked, the pairs, a
 *       heat map of backend pairs × tensors (max |diff|), diff histograms and the per-op table. It
 *       opens in a browser with no network: CSS, SVG and the little script are inline.</li>
 *   <li>{@code report.json}: {@link #json(boolean) json(true)}, every pair's per-tensor diffs included.</li>
 *   <li>{@code pairs.csv}: one row per model and backend pair.</li>
 *   <li>{@code tensors.csv}: one row per model, backend pair and traced tensor.</li>
 * </ul>
 *
 * <pre>{@code
 * MatrixResult r = BackendMatrix.run(path.toString(), model, backends, InputSets.random(model, 1, 0));
 * ConformanceReport report = new ConformanceReport(List.of("xnnpack", "builtin-ref"), "random:1, seed 0",
 *         CpuInfo.describe(), List.of(r), List.of(Expectation.check("xnnpack", "builtin-ref", List.of(r))));
 * report.write(Path.of("conform-report"));
 * }</pre>
 *
 * @param backends     the backends in the order given; the first is the baseline
 * @param inputs       how the inputs were made, in words ({@code "random:2, seed 0"}, a directory)
 * @param cpu          {@link io.litebit.conformance.CpuInfo#describe()}: kernels depend on it
 * @param models       one result per model
 * @param expectations the {@code --expect} assertions checked
 */
public record ConformanceReport(List<String> backends, String inputs, Map<String, Object> cpu,
                                List<MatrixResult> models, List<Expectation> expectations) {
    /** File names {@link #write} uses, in the order it writes them. */
    public static final List<String> FILES = List.of("report.html", "report.json", "pairs.csv", "tensors.csv");

    public ConformanceReport {
        backends = List.copyOf(backends);
        cpu = new LinkedHashMap<>(cpu);
        models = List.copyOf(models);
        expectations = List.copyOf(expectations);
    }

    public String baseline() {
        return backends.isEmpty() ? null : backends.get(0);
    }

    /** Every expectation met. */
    public boolean expectationsMet() {
        return expectations.stream().allMatch(Expectation::met);
    }

    /** Writes {@link #FILES} into {@code dir} (created if needed) and returns their paths. */
    public List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        String[] contents = {HtmlReport.render(this), Json.write(json(true)), pairsCsv(), tensorsCsv()};
        for (int i = 0; i < FILES.size(); i++) {
            Path p = dir.resolve(FILES.get(i));
            Files.writeString(p, contents[i], StandardCharsets.UTF_8);
            out.add(p);
        }
        return out;
    }

    /**
     * The report as JSON-ready maps and lists ({@link Json#write}). Per model and backend pair:
     * tensors compared, tensors and elements differing, max LSB and ULP, tensors traced on one
     * side only, and the first divergence (tensor, op, local or inherited, input set).
     *
     * @param tensors whether to include every pair's per-tensor diffs (with histograms) and the
     *                list of traced tensors
     */
    public Map<String, Object> json(boolean tensors) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("backends", backends);
        root.put("baseline", baseline());
        root.put("inputs", inputs);
        root.put("cpu", cpu);
        List<Object> ms = new ArrayList<>();
        for (MatrixResult m : models) {
            ms.add(modelJson(m, tensors));
        }
        root.put("models", ms);
        List<Object> es = new ArrayList<>();
        for (Expectation e : expectations) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("expect", e.spec());
            x.put("met", e.met());
            x.put("failures", e.failures());
            if (!e.caveats().isEmpty()) {
                x.put("caveats", e.caveats());
            }
            es.add(x);
        }
        root.put("expectations", es);
        root.put("expectations_met", expectationsMet());
        return root;
    }

    private static Map<String, Object> modelJson(MatrixResult m, boolean withTensors) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", m.model());
        o.put("operators", m.operators());
        o.put("traced_tensors", m.tensors().size());
        o.put("input_sets", m.inputSets());
        List<Object> bs = new ArrayList<>();
        for (MatrixResult.BackendRun b : m.backends()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("backend", b.backend());
            x.put("state", b.state().name().toLowerCase(Locale.ROOT));
            if (b.error() != null) {
                x.put("error", b.error());
            }
            if (!b.unsupported().isEmpty()) {
                List<Object> ops = new ArrayList<>();
                for (MatrixResult.UnsupportedOp u : b.unsupported()) {
                    Map<String, Object> op = new LinkedHashMap<>();
                    op.put("op_index", u.operatorIndex());
                    op.put("op", u.opName());
                    op.put("version", u.version());
                    op.put("reason", u.reason());
                    ops.add(op);
                }
                x.put("unsupported_ops", ops);
            }
            x.put("notes", b.notes());
            bs.add(x);
        }
        o.put("backends", bs);
        if (withTensors) {
            List<Object> rows = new ArrayList<>();
            for (MatrixResult.Row r : m.tensors()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("tensor_index", r.tensorIndex());
                x.put("tensor", r.name());
                x.put("op_index", r.opIndex());
                x.put("op", r.opName());
                x.put("dtype", r.dtype().displayName());
                x.put("shape", shapeList(r.shape()));
                rows.add(x);
            }
            o.put("tensors", rows);
        }
        List<Object> ps = new ArrayList<>();
        for (MatrixResult.Pair p : m.pairs()) {
            ps.add(pairJson(p, withTensors));
        }
        o.put("pairs", ps);
        return o;
    }

    private static Map<String, Object> pairJson(MatrixResult.Pair p, boolean withTensors) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("a", p.a());
        x.put("b", p.b());
        x.put("compared", p.compared());
        if (!p.compared()) {
            // Same keys as a compared pair, so consumers need no special case: nothing was compared.
            x.put("unavailable", p.unavailable());
            x.put("identical", false);
            x.put("tensors_compared", 0);
            x.put("tensors_differing", null);
            x.put("elements_differing", null);
            x.put("max_lsb", null);
            x.put("max_ulp", null);
            x.put("missing_tensors", List.of());
            x.put("first_divergence", null);
            return x;
        }
        x.put("identical", p.identical());
        x.put("tensors_compared", p.tensors().size());
        x.put("tensors_differing", p.differingTensors());
        x.put("elements_differing", p.differingElements());
        x.put("max_lsb", p.maxLsb());
        x.put("max_ulp", p.maxUlp());
        x.put("missing_tensors", p.missing());
        x.put("first_divergence", p.firstDivergence().map(ConformanceReport::divergenceJson).orElse(null));
        if (withTensors) {
            List<Object> ts = new ArrayList<>();
            for (TensorDiff t : p.tensors()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("tensor_index", t.tensorIndex());
                d.put("elements", t.elements());
                d.put("differing", t.differing());
                d.put("max_lsb", t.maxLsb());
                d.put("max_ulp", t.maxUlp());
                d.put("max_relative_error", t.maxRelativeError());
                Map<String, Object> h = new LinkedHashMap<>();
                t.histogram().forEach((k, v) -> h.put(Long.toString(k), v));
                d.put("histogram", h);
                if (t.mismatch() != null) {
                    d.put("mismatch", t.mismatch());
                }
                ts.add(d);
            }
            x.put("tensors", ts);
        }
        return x;
    }

    private static Map<String, Object> divergenceJson(MatrixResult.Divergence f) {
        TensorDiff t = f.tensor();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("tensor_index", t.tensorIndex());
        d.put("tensor", t.name());
        d.put("op_index", t.opIndex());
        d.put("op", t.opName());
        d.put("dtype", t.dtype().displayName());
        d.put("kind", f.local() ? "local" : "inherited");
        d.put("input_set", f.inputSet());
        d.put("differing", t.differing());
        d.put("elements", t.elements());
        d.put("max_lsb", t.maxLsb());
        d.put("max_ulp", t.maxUlp());
        d.put("summary", t.summary());
        return d;
    }

    private static List<Integer> shapeList(int[] shape) {
        List<Integer> l = new ArrayList<>();
        for (int s : shape) {
            l.add(s);
        }
        return l;
    }

    /** One row per model and backend pair. */
    public String pairsCsv() {
        StringBuilder sb = new StringBuilder();
        csvRow(sb, "model", "a", "b", "state", "tensors_compared", "tensors_differing", "elements_differing", "max_lsb",
                "max_ulp", "missing_tensors", "first_divergence_tensor_index", "first_divergence_tensor",
                "first_divergence_op_index", "first_divergence_op", "first_divergence_kind", "first_divergence_input_set",
                "unavailable");
        for (MatrixResult m : models) {
            for (MatrixResult.Pair p : m.pairs()) {
                if (!p.compared()) {
                    csvRow(sb, m.model(), p.a(), p.b(), "unavailable", "", "", "", "", "", "", "", "", "", "", "", "",
                            p.unavailable());
                    continue;
                }
                MatrixResult.Divergence f = p.firstDivergence().orElse(null);
                TensorDiff t = f == null ? null : f.tensor();
                csvRow(sb, m.model(), p.a(), p.b(), p.identical() ? "identical" : "differs", p.tensors().size(),
                        p.differingTensors(), p.differingElements(), p.maxLsb(), p.maxUlp(), p.missing().size(),
                        t == null ? "" : t.tensorIndex(), t == null ? "" : t.name(), t == null ? "" : t.opIndex(),
                        t == null ? "" : t.opName(), f == null ? "" : f.local() ? "local" : "inherited",
                        f == null ? "" : f.inputSet(), "");
            }
        }
        return sb.toString();
    }

    /**
     * One row per model, backend pair and traced tensor, in execution order; state is {@code
     * identical}, {@code differs}, {@code not comparable} (dtype or shape differ), {@code missing}
     * (traced on one side only) or {@code unavailable} (the pair was not compared). The histogram
     * column lists {@code diff:count} pairs separated by spaces.
     */
    public String tensorsCsv() {
        StringBuilder sb = new StringBuilder();
        csvRow(sb, "model", "a", "b", "tensor_index", "tensor", "op_index", "op", "dtype", "shape", "state", "elements",
                "differing", "max_lsb", "max_ulp", "max_relative_error", "histogram");
        for (MatrixResult m : models) {
            for (MatrixResult.Pair p : m.pairs()) {
                for (MatrixResult.Row r : m.tensors()) {
                    String shape = shapeList(r.shape()).toString().replace(",", "");
                    TensorDiff t = p.tensor(r.tensorIndex()).orElse(null);
                    String state = !p.compared() ? "unavailable" : t == null ? "missing" : state(t);
                    if (t == null) {
                        csvRow(sb, m.model(), p.a(), p.b(), r.tensorIndex(), r.name(), r.opIndex(), r.opName(),
                                r.dtype().displayName(), shape, state, "", "", "", "", "", "");
                    } else {
                        csvRow(sb, m.model(), p.a(), p.b(), r.tensorIndex(), r.name(), r.opIndex(), r.opName(),
                                r.dtype().displayName(), shape, state, t.elements(), t.differing(), t.maxLsb(), t.maxUlp(),
                                t.maxRelativeError(), histogramText(t.histogram()));
                    }
                }
            }
        }
        return sb.toString();
    }

    static String state(TensorDiff t) {
        return t.mismatch() != null ? "not comparable" : t.identical() ? "identical" : "differs";
    }

    static String histogramText(SortedMap<Long, Long> h) {
        StringBuilder s = new StringBuilder();
        h.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append(':').append(v));
        return s.toString();
    }

    static boolean isFloat(DType t) {
        return t == DType.FLOAT32;
    }

    private static void csvRow(StringBuilder sb, Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String s = String.valueOf(cells[i]);
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                s = '"' + s.replace("\"", "\"\"") + '"';
            }
            sb.append(s);
        }
        sb.append('\n');
    }
}
