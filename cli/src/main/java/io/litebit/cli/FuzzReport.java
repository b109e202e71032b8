package io.litebit.cli;

import io.litebit.conformance.CpuInfo;
import io.litebit.conformance.fuzz.FuzzCampaign;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The console tables and the JSON summary of {@code litebit fuzz}. */
final class FuzzReport {
    private FuzzReport() {
    }

    /** {@code "12/200 cases, 31/5400 elements, max 1 LSB"} for a pair that differs. */
    static String describe(FuzzCampaign.PairSummary p) {
        String max = p.maxLsb() > 0 || p.maxUlp() == 0 ? "max " + p.maxLsb() + " LSB" : "max " + p.maxUlp() + " ULP";
        return p.differingCases() + "/" + p.cases() + " cases, " + p.differingElements() + "/" + p.elements()
                + " elements, " + max;
    }

    static String groups(List<List<String>> groups) {
        List<String> parts = new ArrayList<>();
        for (List<String> g : groups) {
            parts.add(String.join(" == ", g));
        }
        return String.join(" | ", parts);
    }

    /**
     * The disagreements on one path, one line per pair of agreeing groups (represented by their
     * first members: every other pair between the same groups shows the same cases), then the
     * backends that did not run every case.
     */
    static List<String> disagreements(FuzzCampaign.OpResult r, String path) {
        List<String> lines = new ArrayList<>();
        List<List<String>> groups = r.agreeingGroups(path);
        for (int i = 0; i < groups.size(); i++) {
            for (int j = i + 1; j < groups.size(); j++) {
                String a = groups.get(i).get(0);
                String b = groups.get(j).get(0);
                for (FuzzCampaign.PairSummary p : r.pairs(path)) {
                    if (p.a().equals(a) && p.b().equals(b) || p.a().equals(b) && p.b().equals(a)) {
                        lines.add(name(groups.get(i)) + " vs " + name(groups.get(j)) + ": " + describe(p));
                    }
                }
            }
        }
        int total = r.casesByPath().get(path);
        for (FuzzCampaign.BackendSummary b : r.backends(path)) {
            if (b.ok() < total) {
                lines.add(b.backend() + " did not run " + (total - b.ok()) + "/" + total + " cases"
                        + (b.unsupported() > 0 ? " (" + b.unsupported() + " unsupported)" : "") + ": " + shortError(b.firstError()));
            }
        }
        return lines;
    }

    private static String name(List<String> group) {
        return group.size() == 1 ? group.get(0) : "{" + String.join(", ", group) + "}";
    }

    static void printText(PrintWriter out, List<FuzzCampaign.OpResult> results, Map<FuzzCampaign.Reproducer, Path> written) {
        for (FuzzCampaign.OpResult r : results) {
            out.printf("%s: %d cases, seed %d, %.1f s%n", r.op(), r.cases(), r.seed(), r.millis() / 1000.0);
            TextTable t = new TextTable("path", "cases", "agree on every case", "disagree (cases, elements, max)");
            for (Map.Entry<String, Integer> e : r.casesByPath().entrySet()) {
                String path = e.getKey();
                List<String> differing = new ArrayList<>(disagreements(r, path));
                if (differing.isEmpty()) {
                    differing.add("-");
                }
                t.row(path, String.valueOf(e.getValue()), groups(r.agreeingGroups(path)), differing.get(0));
                for (int i = 1; i < differing.size(); i++) {
                    t.row("", "", "", differing.get(i));
                }
            }
            t.print(out);
            for (FuzzCampaign.Reproducer rep : r.reproducers()) {
                Path dir = written.get(rep);
                out.println("  reproducer " + (dir == null ? "(not written; use --out)" : dir) + " [" + rep.path() + "] "
                        + String.join(", ", rep.pairs()) + ": " + rep.minimal().params());
            }
            out.println();
        }
    }

    static String shortError(String e) {
        if (e == null) {
            return "";
        }
        String one = e.replace('\n', ' ');
        return one.length() > 140 ? one.substring(0, 137) + "..." : one;
    }

    static Map<String, Object> json(List<FuzzCampaign.OpResult> results, Map<FuzzCampaign.Reproducer, Path> written,
                                    List<String> backends, int cases, long seed, List<String[]> expectations) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("cpu", CpuInfo.describe());
        root.put("backends", backends);
        root.put("cases_per_op", cases);
        root.put("seed", seed);
        List<Object> ops = new ArrayList<>();
        for (FuzzCampaign.OpResult r : results) {
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("op", r.op().name());
            op.put("millis", r.millis());
            Map<String, Object> paths = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> e : r.casesByPath().entrySet()) {
                Map<String, Object> path = new LinkedHashMap<>();
                path.put("cases", e.getValue());
                path.put("agreeing_groups", r.agreeingGroups(e.getKey()));
                Map<String, Object> bs = new LinkedHashMap<>();
                for (FuzzCampaign.BackendSummary b : r.backends(e.getKey())) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ran", b.ok());
                    m.put("unsupported", b.unsupported());
                    m.put("failed", b.failed());
                    m.put("first_error", b.firstError());
                    bs.put(b.backend(), m);
                }
                path.put("backends", bs);
                List<Object> pairs = new ArrayList<>();
                for (FuzzCampaign.PairSummary p : r.pairs(e.getKey())) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("a", p.a());
                    m.put("b", p.b());
                    m.put("cases", p.cases());
                    m.put("differing_cases", p.differingCases());
                    m.put("elements", p.elements());
                    m.put("differing_elements", p.differingElements());
                    m.put("max_lsb", p.maxLsb());
                    m.put("max_ulp", p.maxUlp());
                    m.put("first_seed", p.firstSeed() < 0 ? null : p.firstSeed());
                    m.put("first_divergence", p.firstDivergence());
                    pairs.add(m);
                }
                path.put("pairs", pairs);
                paths.put(e.getKey(), path);
            }
            op.put("paths", paths);
            List<Object> reps = new ArrayList<>();
            for (FuzzCampaign.Reproducer rep : r.reproducers()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", rep.path());
                m.put("pairs", rep.pairs());
                m.put("params", rep.minimal().params());
                m.put("original_seed", rep.original().seed());
                m.put("original_params", rep.original().params());
                m.put("shrink_attempts", rep.attempts());
                m.put("dir", written.containsKey(rep) ? written.get(rep).toString() : null);
                reps.add(m);
            }
            op.put("reproducers", reps);
            ops.add(op);
        }
        root.put("ops", ops);
        List<Object> exp = new ArrayList<>();
        for (String[] ab : expectations) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("expect", ab[0] + "==" + ab[1]);
            String failure = expectationFailure(results, ab[0], ab[1]);
            m.put("met", failure == null);
            m.put("failure", failure);
            exp.add(m);
        }
        root.put("expectations", exp);
        return root;
    }

    /** Why {@code a==b} does not hold over the campaign, or null when they agreed on every case of every op. */
    static String expectationFailure(List<FuzzCampaign.OpResult> results, String a, String b) {
        for (FuzzCampaign.OpResult r : results) {
            for (FuzzCampaign.PairSummary p : r.pairs()) {
                boolean match = p.a().equals(a) && p.b().equals(b) || p.a().equals(b) && p.b().equals(a);
                if (!match) {
                    continue;
                }
                if (p.differingCases() > 0) {
                    return r.op() + " " + p.path() + ": " + describe(p) + "; first at seed " + p.firstSeed() + ": "
                            + p.firstDivergence();
                }
                int total = r.casesByPath().get(p.path());
                if (p.cases() < total) {
                    return r.op() + " " + p.path() + ": compared on " + p.cases() + " of " + total
                            + " cases (a backend did not run the others)";
                }
            }
        }
        return null;
    }
}
