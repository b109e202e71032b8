package io.litebit.conformance.report;

import io.litebit.conformance.MatrixResult;
import io.litebit.conformance.TensorDiff;
import io.litebit.model.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The HTML page of a {@link ConformanceReport}. Everything is inline (CSS, SVG, a few lines of
 * script that only filter rows) so the file can be mailed, attached to an issue or opened from
 * a CI artifact without network access; with scripts off, every row simply stays visible.
 */
final class HtmlReport {
    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1d1d1f;max-width:1500px}
            h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:32px 0 6px;border-bottom:1px solid #ccc;padding-bottom:4px}
            h3{font-size:15px;margin:18px 0 6px}
            table{border-collapse:collapse;font-size:12.5px;margin:6px 0}
            td,th{border:1px solid #d6d6d6;padding:3px 6px;text-align:left;vertical-align:top}
            th{background:#f3f3f3;font-weight:600}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            .ok{background:#dff3e4}.bad{background:#fde2e1}.na{background:#ececec;color:#666}.warn{background:#fff3cd}
            .first{outline:2px solid #c0392b;outline-offset:-2px}
            .mono,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
            .meta{color:#555;font-size:13px}.small{font-size:11.5px;color:#555}
            .tag{display:inline-block;padding:0 5px;border-radius:3px;background:#f5c6cb;font-size:11px;margin-left:4px}
            .legend span{display:inline-block;width:14px;height:10px;margin:0 3px 0 10px;border:1px solid #999;vertical-align:middle}
            svg text{font-family:system-ui,sans-serif}
            .scroll{overflow-x:auto;max-width:100%}
            """;

    private static final String SCRIPT = """
            function onlyDiffering(box){document.querySelectorAll('#'+box.dataset.table+' tr.same')
              .forEach(function(r){r.style.display=box.checked?'none':'';});}
            """;

    private HtmlReport() {
    }

    static String render(ConformanceReport report) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>litebit conform: ")
                .append(esc(String.join(", ", report.models().stream().map(MatrixResult::model).toList())))
                .append("</title>\n<style>").append(CSS).append("</style>\n<script>").append(SCRIPT)
                .append("</script></head><body>\n");
        h.append("<h1>litebit conform</h1>\n<p class=\"meta\">Backends <b>").append(esc(String.join(", ", report.backends())))
                .append("</b> (baseline <b>").append(esc(report.baseline())).append("</b>); inputs ")
                .append(esc(report.inputs())).append("; CPU ").append(esc(cpuText(report.cpu()))).append("</p>\n");
        h.append("<p class=\"small\">Integer tensors are compared exactly: a difference is in LSB (quantized units of the "
                + "tensor's own type). Float32 tensors are compared by bits; their distance is in ULP. "
                + "\"Local\" marks a first divergence whose operator read identical inputs on both sides.</p>\n");
        expectations(h, report);
        overview(h, report);
        for (int i = 0; i < report.models().size(); i++) {
            model(h, report.models().get(i), i);
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String cpuText(Map<String, Object> cpu) {
        return cpu.getOrDefault("model", "unknown") + " (" + cpu.getOrDefault("arch", "?") + ", features "
                + cpu.getOrDefault("features", "[]") + ")";
    }

    private static void expectations(StringBuilder h, ConformanceReport report) {
        if (report.expectations().isEmpty()) {
            return;
        }
        h.append("<h2>Expectations</h2>\n<table><tr><th>expect</th><th>result</th><th>details</th></tr>\n");
        for (Expectation e : report.expectations()) {
            List<String> lines = new ArrayList<>(e.failures());
            e.caveats().forEach(c -> lines.add("caveat: " + c));
            h.append("<tr><td class=\"mono\">").append(esc(e.spec())).append("</td><td class=\"")
                    .append(e.met() ? "ok\">met" : "bad\">NOT met").append("</td><td>")
                    .append(lines.isEmpty() ? "bit-identical on every model" : esc(String.join("\n", lines)).replace("\n", "<br>"))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void overview(StringBuilder h, ConformanceReport report) {
        if (report.models().size() < 2) {
            return;
        }
        h.append("<h2>Models</h2>\n<table><tr><th>model</th>");
        List<String> labels = report.models().get(0).pairs().stream().map(MatrixResult.Pair::label).toList();
        for (String l : labels) {
            h.append("<th>").append(esc(l)).append("</th>");
        }
        h.append("</tr>\n");
        for (int i = 0; i < report.models().size(); i++) {
            MatrixResult m = report.models().get(i);
            h.append("<tr><td><a href=\"#model-").append(i).append("\">").append(esc(m.model())).append("</a></td>");
            for (MatrixResult.Pair p : m.pairs()) {
                pairCell(h, p);
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void pairCell(StringBuilder h, MatrixResult.Pair p) {
        if (!p.compared()) {
            h.append("<td class=\"na\" title=\"").append(esc(p.unavailable())).append("\">n/a</td>");
        } else if (p.identical()) {
            h.append("<td class=\"ok\">identical</td>");
        } else {
            h.append("<td class=\"bad\">").append(p.differingTensors()).append('/').append(p.tensors().size())
                    .append(" tensors").append(magnitude(p.maxLsb(), p.maxUlp())).append("</td>");
        }
    }

    private static String magnitude(long lsb, long ulp) {
        StringBuilder s = new StringBuilder();
        if (lsb > 0) {
            s.append(", ").append(lsb).append(" LSB");
        }
        if (ulp > 0) {
            s.append(", ").append(ulp).append(" ULP");
        }
        return s.toString();
    }

    private static void model(StringBuilder h, MatrixResult m, int index) {
        h.append("<h2 id=\"model-").append(index).append("\">").append(esc(m.model())).append("</h2>\n");
        h.append("<p class=\"meta\">").append(m.operators()).append(" operators, ").append(m.tensors().size())
                .append(" traced tensors, ").append(m.inputSets()).append(m.inputSets() == 1 ? " input set" : " input sets")
                .append("</p>\n");
        backends(h, m);
        pairs(h, m);
        heatMap(h, m);
        histograms(h, m);
        opTable(h, m, index);
    }

    private static void backends(StringBuilder h, MatrixResult m) {
        h.append("<h3>Backends</h3>\n<table><tr><th>backend</th><th>state</th><th>details</th></tr>\n");
        for (MatrixResult.BackendRun b : m.backends()) {
            String cls = b.ok() ? (b.notes().isEmpty() ? "ok" : "warn") : "bad";
            h.append("<tr><td class=\"mono\">").append(esc(b.backend())).append("</td><td class=\"").append(cls).append("\">")
                    .append(b.state().name().toLowerCase(Locale.ROOT)).append("</td><td>");
            List<String> lines = new ArrayList<>();
            for (MatrixResult.UnsupportedOp u : b.unsupported()) {
                lines.add("lacks " + u);
            }
            if (b.error() != null && b.unsupported().isEmpty()) {
                lines.add(b.error());
            }
            for (String n : b.notes()) {
                lines.add("note: " + n);
            }
            h.append(esc(String.join("\n", lines)).replace("\n", "<br>")).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void pairs(StringBuilder h, MatrixResult m) {
        h.append("<h3>Pairs</h3>\n<table><tr><th>a</th><th>b</th><th>tensors compared</th><th>tensors differing</th>"
                + "<th>elements differing</th><th>max LSB</th><th>max ULP</th><th>first divergence</th></tr>\n");
        for (MatrixResult.Pair p : m.pairs()) {
            h.append("<tr><td class=\"mono\">").append(esc(p.a())).append("</td><td class=\"mono\">").append(esc(p.b()))
                    .append("</td>");
            if (!p.compared()) {
                h.append("<td class=\"na\" colspan=\"6\">not compared: ").append(esc(p.unavailable())).append("</td></tr>\n");
                continue;
            }
            String cls = p.identical() ? "ok" : "bad";
            h.append("<td class=\"num\">").append(p.tensors().size()).append("</td><td class=\"num ").append(cls).append("\">")
                    .append(p.differingTensors()).append("</td><td class=\"num\">").append(p.differingElements())
                    .append("</td><td class=\"num\">").append(p.maxLsb()).append("</td><td class=\"num\">").append(p.maxUlp())
                    .append("</td><td>");
            if (p.firstDivergence().isPresent()) {
                MatrixResult.Divergence f = p.firstDivergence().get();
                h.append(esc(Expectation.firstDivergence(f))).append(", input set ").append(f.inputSet());
            } else if (!p.missing().isEmpty()) {
                h.append("tensors traced on one side only: ").append(esc(p.missing().toString()));
            } else {
                h.append("none");
            }
            h.append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    /** Backend pairs × tensors, coloured by max |diff|: where along the graph each pair parts ways. */
    private static void heatMap(StringBuilder h, MatrixResult m) {
        List<MatrixResult.Row> rows = m.tensors();
        List<MatrixResult.Pair> pairs = m.pairs();
        if (rows.isEmpty() || pairs.isEmpty()) {
            return;
        }
        int labelW = 16 + 8 * pairs.stream().mapToInt(p -> p.label().length()).max().orElse(10);
        int cell = Math.max(4, Math.min(18, 1100 / rows.size()));
        int rowH = 18;
        int top = 24;
        int width = labelW + cell * rows.size() + 10;
        int height = top + rowH * pairs.size() + 6;
        h.append("<h3>Heat map: backend pairs × tensors</h3>\n<p class=\"small\">Columns are the traced tensors in execution "
                + "order (model inputs first), rows the backend pairs; a cell's colour is the largest difference on that "
                + "tensor over all input sets. Hover a cell for details.</p>\n");
        h.append("<div class=\"legend small\">")
                .append("<span style=\"background:").append(IDENTICAL).append("\"></span>identical")
                .append("<span style=\"background:").append(intColor(1)).append("\"></span>1 LSB")
                .append("<span style=\"background:").append(intColor(8)).append("\"></span>8 LSB")
                .append("<span style=\"background:").append(intColor(256)).append("\"></span>≥256 LSB")
                .append("<span style=\"background:").append(floatColor(1)).append("\"></span>1 ULP")
                .append("<span style=\"background:").append(floatColor(1 << 20)).append("\"></span>≥2<sup>20</sup> ULP")
                .append("<span style=\"background:").append(MISSING).append("\"></span>not traced")
                .append("<span style=\"background:").append(UNAVAILABLE).append("\"></span>pair not compared")
                .append("<span style=\"background:#000\"></span>dtype/shape differ</div>\n");
        h.append("<div class=\"scroll\"><svg class=\"heatmap\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"heat map of backend pairs by tensors\">\n");
        int step = Math.max(1, (int) Math.ceil(28.0 / cell));
        for (int c = 0; c < rows.size(); c += step) {
            MatrixResult.Row r = rows.get(c);
            h.append("<text x=\"").append(labelW + c * cell).append("\" y=\"").append(top - 8)
                    .append("\" font-size=\"10\" fill=\"#555\">").append(r.opIndex() < 0 ? "in" : Integer.toString(r.opIndex()))
                    .append("</text>");
        }
        h.append("<text x=\"4\" y=\"").append(top - 8).append("\" font-size=\"10\" fill=\"#555\">op index →</text>\n");
        for (int p = 0; p < pairs.size(); p++) {
            MatrixResult.Pair pair = pairs.get(p);
            int y = top + p * rowH;
            h.append("<text x=\"4\" y=\"").append(y + 13).append("\" font-size=\"12\">").append(esc(pair.label()))
                    .append("</text>\n");
            Map<Integer, TensorDiff> byIndex = new HashMap<>();
            pair.tensors().forEach(t -> byIndex.put(t.tensorIndex(), t));
            Integer first = pair.firstDivergence().map(f -> f.tensor().tensorIndex()).orElse(null);
            for (int c = 0; c < rows.size(); c++) {
                MatrixResult.Row r = rows.get(c);
                TensorDiff t = byIndex.get(r.tensorIndex());
                String fill;
                String tip;
                if (!pair.compared()) {
                    fill = UNAVAILABLE;
                    tip = "not compared: " + pair.unavailable();
                } else if (t == null) {
                    fill = MISSING;
                    tip = "traced on one side only";
                } else {
                    fill = color(t);
                    tip = t.summary();
                }
                boolean isFirst = first != null && first == r.tensorIndex();
                h.append("<rect x=\"").append(labelW + c * cell).append("\" y=\"").append(y).append("\" width=\"")
                        .append(Math.max(1, cell - 1)).append("\" height=\"").append(rowH - 2).append("\" fill=\"").append(fill)
                        .append('"').append(isFirst ? " stroke=\"#000\" stroke-width=\"1.5\"" : "").append("><title>")
                        .append(esc(pair.label() + "\n" + r + "\n" + tip + (isFirst ? "\nfirst divergence" : "")))
                        .append("</title></rect>");
            }
            h.append('\n');
        }
        h.append("</svg></div>\n");
    }

    private static final String IDENTICAL = "#cfeedd";
    private static final String MISSING = "#bdbdbd";
    private static final String UNAVAILABLE = "#e4e4e4";

    private static String color(TensorDiff t) {
        if (t.mismatch() != null) {
            return "#000";
        }
        if (t.identical()) {
            return IDENTICAL;
        }
        if (t.dtype() == DType.FLOAT32) {
            return floatColor(t.maxUlp());
        }
        if (t.dtype().isInteger() || t.dtype() == DType.BOOL) {
            return intColor(Math.max(1, t.maxLsb()));
        }
        return "#e67e22";
    }

    /** Yellow at 1 LSB to dark red at 256 LSB and beyond, on a log scale: 1 and 2 LSB must look different. */
    static String intColor(long lsb) {
        double f = Math.min(1, log2(lsb) / 8);
        return hsl(52 - 52 * f, 95, 62 - 30 * f);
    }

    /** Light blue at 1 ULP to deep purple at 2^20 ULP. */
    static String floatColor(long ulp) {
        double f = Math.min(1, log2(Math.max(1, ulp)) / 20);
        return hsl(205 + 75 * f, 75, 72 - 40 * f);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static String hsl(double hue, double sat, double light) {
        return String.format(Locale.ROOT, "hsl(%.0f,%.0f%%,%.0f%%)", hue, sat, light);
    }

    /** Per compared pair that differs: signed differences of every integer element that differs. */
    private static void histograms(StringBuilder h, MatrixResult m) {
        List<MatrixResult.Pair> differing = m.pairs().stream()
                .filter(p -> p.compared() && p.histogram().keySet().stream().anyMatch(k -> k != 0)).toList();
        if (differing.isEmpty()) {
            return;
        }
        h.append("<h3>Diff histograms</h3>\n<p class=\"small\">Signed difference b − a of every differing element of the "
                + "integer tensors, summed over tensors and input sets, in LSB of each tensor's own type; bar heights on a "
                + "log scale. Identical elements are counted in the caption.</p>\n<div>");
        for (MatrixResult.Pair p : differing) {
            SortedMap<Long, Long> hist = p.histogram();
            long zeros = hist.getOrDefault(0L, 0L);
            long nonZero = hist.values().stream().mapToLong(Long::longValue).sum() - zeros;
            h.append("<figure style=\"display:inline-block;margin:0 18px 12px 0;vertical-align:top\">")
                    .append(histogramSvg(hist, 340, 120, true)).append("<figcaption class=\"small\"><b>")
                    .append(esc(p.label())).append("</b>: ").append(nonZero).append(" elements differ, ").append(zeros)
                    .append(" identical</figcaption></figure>\n");
        }
        h.append("</div>\n");
    }

    /** Exact values up to ±16; beyond, power-of-two bins (±2..3, ±4..7, ...) so a long tail stays readable. */
    static LinkedHashMap<String, Long> bins(SortedMap<Long, Long> hist) {
        long max = 0;
        for (long k : hist.keySet()) {
            if (k != 0) {
                max = Math.max(max, k == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(k));
            }
        }
        LinkedHashMap<String, Long> out = new LinkedHashMap<>();
        if (max == 0) {
            return out;
        }
        if (max <= 16) {
            for (long k = -max; k <= max; k++) {
                if (k != 0) {
                    out.put(Long.toString(k), hist.getOrDefault(k, 0L));
                }
            }
            return out;
        }
        int top = 64 - Long.numberOfLeadingZeros(max); // bins [2^j, 2^(j+1)) for j < top
        TreeMap<Integer, Long> neg = new TreeMap<>();
        TreeMap<Integer, Long> pos = new TreeMap<>();
        hist.forEach((k, v) -> {
            if (k == 0) {
                return;
            }
            long a = k == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(k);
            int j = 63 - Long.numberOfLeadingZeros(a);
            (k < 0 ? neg : pos).merge(j, v, Long::sum);
        });
        for (int j = top - 1; j >= 0; j--) {
            out.put(binLabel(-1, j), neg.getOrDefault(j, 0L));
        }
        for (int j = 0; j < top; j++) {
            out.put(binLabel(1, j), pos.getOrDefault(j, 0L));
        }
        return out;
    }

    private static String binLabel(int sign, int j) {
        long lo = 1L << j;
        long hi = j >= 62 ? Long.MAX_VALUE : (1L << (j + 1)) - 1;
        String s = sign < 0 ? "-" : "+";
        return lo == hi ? s + lo : s + lo + ".." + hi;
    }

    static String histogramSvg(SortedMap<Long, Long> hist, int width, int height, boolean axis) {
        LinkedHashMap<String, Long> bins = bins(hist);
        if (bins.isEmpty()) {
            return "";
        }
        int bottom = axis ? 18 : 1;
        int plotH = height - bottom - 2;
        double maxLog = 0;
        for (long v : bins.values()) {
            maxLog = Math.max(maxLog, Math.log10(v + 1));
        }
        double bw = (double) width / bins.size();
        StringBuilder s = new StringBuilder();
        s.append("<svg width=\"").append(width).append("\" height=\"").append(height)
                .append("\" class=\"hist\">");
        if (axis) {
            s.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height - bottom)
                    .append("\" fill=\"#fafafa\"/>");
        }
        int i = 0;
        for (Map.Entry<String, Long> e : bins.entrySet()) {
            double bh = e.getValue() == 0 ? 0 : Math.max(1.5, plotH * Math.log10(e.getValue() + 1) / maxLog);
            boolean negative = e.getKey().startsWith("-");
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
                    i * bw + 0.5, height - bottom - bh, Math.max(0.5, bw - 1), bh, negative ? "#2e86c1" : "#c0392b"));
            // Per-cell sparklines are many; their cell's own tooltip already has the numbers.
            s.append(axis ? "<title>" + esc(e.getKey()) + ": " + e.getValue() + "</title></rect>" : "</rect>");
            if (axis && (bins.size() <= 16 || i % Math.max(1, bins.size() / 8) == 0)) {
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" text-anchor=\"middle\" "
                        + "fill=\"#444\">%s</text>", i * bw + bw / 2, height - 5, esc(e.getKey())));
            }
            i++;
        }
        return s.append("</svg>").toString();
    }

    /** One row per traced tensor, one column per pair: the per-op view. */
    private static void opTable(StringBuilder h, MatrixResult m, int index) {
        String id = "ops-" + index;
        Map<Integer, List<String>> unsupportedOn = new HashMap<>();
        Map<Integer, List<String>> unsupportedWhy = new HashMap<>();
        for (MatrixResult.BackendRun b : m.backends()) {
            for (MatrixResult.UnsupportedOp u : b.unsupported()) {
                unsupportedOn.computeIfAbsent(u.operatorIndex(), k -> new ArrayList<>()).add(b.backend());
                unsupportedWhy.computeIfAbsent(u.operatorIndex(), k -> new ArrayList<>()).add(b.backend() + ": " + u.reason());
            }
        }
        List<Map<Integer, TensorDiff>> byPair = new ArrayList<>();
        for (MatrixResult.Pair p : m.pairs()) {
            Map<Integer, TensorDiff> x = new HashMap<>();
            p.tensors().forEach(t -> x.put(t.tensorIndex(), t));
            byPair.add(x);
        }
        h.append("<h3>Per op</h3>\n<p class=\"small\"><label><input type=\"checkbox\" data-table=\"").append(id)
                .append("\" onchange=\"onlyDiffering(this)\"> only tensors that differ somewhere</label>. "
                        + "Cells: <i>=</i> identical; differing elements / elements and max |diff|; a red outline marks the "
                        + "pair's first divergence.</p>\n");
        h.append("<div class=\"scroll\"><table id=\"").append(id).append("\"><tr><th>op</th><th>type</th><th>tensor</th>"
                + "<th>dtype</th><th>shape</th>");
        for (MatrixResult.Pair p : m.pairs()) {
            h.append("<th class=\"mono\">").append(esc(p.a())).append("<br>vs ").append(esc(p.b())).append("</th>");
        }
        h.append("</tr>\n");
        for (MatrixResult.Row r : m.tensors()) {
            boolean same = true;
            StringBuilder cells = new StringBuilder();
            for (int k = 0; k < m.pairs().size(); k++) {
                MatrixResult.Pair p = m.pairs().get(k);
                TensorDiff t = byPair.get(k).get(r.tensorIndex());
                boolean first = p.firstDivergence().map(f -> f.tensor().tensorIndex() == r.tensorIndex()).orElse(false);
                String firstCls = first ? " first" : "";
                if (!p.compared()) {
                    cells.append("<td class=\"na\">n/a</td>");
                } else if (t == null) {
                    same = false;
                    cells.append("<td class=\"na\">not traced</td>");
                } else if (t.mismatch() != null) {
                    same = false;
                    cells.append("<td class=\"bad").append(firstCls).append("\">").append(esc(t.mismatch())).append("</td>");
                } else if (t.identical()) {
                    cells.append("<td class=\"ok\">=</td>");
                } else {
                    same = false;
                    cells.append("<td class=\"bad").append(firstCls).append("\" title=\"").append(esc(t.summary()))
                            .append("\">").append(t.differing()).append('/').append(t.elements());
                    if (t.dtype() == DType.FLOAT32) {
                        cells.append(", ").append(t.maxUlp()).append(" ULP");
                    } else if (t.maxLsb() > 0) {
                        cells.append(", ").append(t.maxLsb()).append(" LSB ").append(histogramSvg(t.histogram(), 56, 14, false));
                    }
                    if (first) {
                        cells.append("<br><b>first</b> (").append(p.firstDivergence().get().local() ? "local" : "inherited")
                                .append(')');
                    }
                    cells.append("</td>");
                }
            }
            h.append("<tr").append(same ? " class=\"same\"" : "").append("><td class=\"num\">")
                    .append(r.opIndex() < 0 ? "" : r.opIndex()).append("</td><td>").append(esc(r.opName()));
            List<String> lacks = r.opIndex() < 0 ? null : unsupportedOn.get(r.opIndex());
            if (lacks != null) {
                h.append("<span class=\"tag\" title=\"").append(esc(String.join("\n", unsupportedWhy.get(r.opIndex()))))
                        .append("\">unsupported on ").append(esc(String.join(", ", lacks))).append("</span>");
            }
            h.append("</td><td class=\"mono\">").append(r.tensorIndex()).append(' ').append(esc(shorten(r.name(), 60)))
                    .append("</td><td>").append(r.dtype().displayName()).append("</td><td>").append(Arrays.toString(r.shape()))
                    .append("</td>").append(cells).append("</tr>\n");
        }
        h.append("</table></div>\n");
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
