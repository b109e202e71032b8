package io.litebit.cli;

import io.litebit.trace.Backend;
import io.litebit.conformance.GoldenSuite;
import io.litebit.conformance.Json;
import io.litebit.conformance.TensorDiff;
import io.litebit.trace.Trace;
import io.litebit.trace.TracedTensor;
import io.litebit.model.TfliteModel;
import io.litebit.reference.UnsupportedOpException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code litebit golden DIR}: checks backends against a golden suite in TFLite Micro's per-layer
 * format ({@link GoldenSuite}).
 *
 * <pre>
 * litebit golden ../shared/models/seanet --backends builtin-ref,reference:TFLITE
 * </pre>
 *
 * Exit status: 0 when every selected backend reproduces every golden exactly, 1 when a backend
 * differs from a golden or cannot run a case (an op the oracle lacks, a model TFLite refuses), 2
 * on usage errors and a malformed suite.
 */
@Command(name = "golden", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Checks backends against TFLite Micro per-layer goldens in DIR.",
                "",
                "Runs every <name>.tflite in DIR with its <name>_input<k>_<dtype>.csv inputs",
                "on each backend and compares output 0 with <name>_golden_<dtype>.csv (one",
                "line of comma-separated integers per file) exactly: differing elements and",
                "max |diff| in LSB."},
        footer = {"",
                "Exit status: 0 every backend matches every golden; 1 a backend differs from",
                "a golden or cannot run a case; 2 usage errors or a malformed suite."})
final class GoldenCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "directory of the golden suite")
    Path dir;

    @Option(names = "--backends", paramLabel = "LIST", defaultValue = ConformCommand.DEFAULT_BACKENDS,
            description = "comma-separated: xnnpack, builtin, builtin-ref, reference[:PROFILE] (see "
                    + "conform); default ${DEFAULT-VALUE}")
    String backendSpecs;

    @Option(names = "--json", description = "print one JSON document instead of a table")
    boolean json;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** How one backend fared on one case. */
    enum State {
        MATCH, MISMATCH, UNSUPPORTED, FAILED
    }

    record Result(String backend, State state, TensorDiff diff, String error) {
    }

    record CaseResult(GoldenSuite.Case goldenCase, TracedTensor golden, List<Result> results) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Backend> backends;
        List<CaseResult> cases = new ArrayList<>();
        try {
            backends = ConformCommand.parseBackends(backendSpecs);
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(Files.exists(dir) ? dir + " is not a directory" : "no such directory: " + dir);
            }
            List<GoldenSuite.Case> suite = GoldenSuite.scan(dir);
            if (suite.isEmpty()) {
                throw new IllegalArgumentException(dir + " holds no golden case (<name>.tflite with <name>_input<k>_<dtype>.csv "
                        + "and <name>_golden_<dtype>.csv)");
            }
            for (GoldenSuite.Case c : suite) {
                cases.add(check(c, backends));
            }
        } catch (IOException | RuntimeException e) {
            return Failures.report("golden", e, verbose, err);
        }
        List<String> names = backends.stream().map(Backend::name).toList();
        if (json) {
            out.print(Json.write(json(names, cases)));
        } else {
            printText(out, names, cases);
        }
        out.flush();
        long bad = cases.stream().flatMap(c -> c.results().stream()).filter(r -> r.state() != State.MATCH).count();
        if (bad > 0) {
            err.println("litebit golden: " + bad + " of " + cases.size() * names.size()
                    + " case results do not match their golden (" + dir + ")");
            err.flush();
            return 1;
        }
        return 0;
    }

    /** Runs one case on every backend; a suite file that does not fit its model is an error (exit 2), not a result. */
    private static CaseResult check(GoldenSuite.Case c, List<Backend> backends) throws IOException {
        TfliteModel model = TfliteModel.load(c.modelFile());
        List<byte[]> inputs = c.inputs(model);
        TracedTensor golden = c.golden(model);
        List<Result> results = new ArrayList<>();
        for (Backend b : backends) {
            try {
                Trace t = b.run(model, inputs);
                TensorDiff d = TensorDiff.of(golden, t.output(0));
                results.add(new Result(b.name(), d.identical() ? State.MATCH : State.MISMATCH, d, null));
            } catch (UnsupportedOpException e) {
                results.add(new Result(b.name(), State.UNSUPPORTED, null, e.getMessage()));
            } catch (RuntimeException e) {
                String m = e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' ');
                results.add(new Result(b.name(), State.FAILED, null, m));
            }
        }
        return new CaseResult(c, golden, results);
    }

    private void printText(PrintWriter out, List<String> names, List<CaseResult> cases) {
        out.printf("Golden suite  %s: %d cases, output 0 of each model against <name>_golden_<dtype>.csv%n", dir, cases.size());
        List<String> header = new ArrayList<>(List.of("case", "output"));
        header.addAll(names);
        TextTable table = new TextTable(header.toArray(String[]::new));
        List<String> problems = new ArrayList<>();
        for (CaseResult c : cases) {
            List<Object> row = new ArrayList<>();
            row.add(c.goldenCase().name());
            row.add(c.golden().dtype().displayName() + Arrays.toString(c.golden().shape()));
            for (Result r : c.results()) {
                row.add(cell(r));
                if (r.state() == State.UNSUPPORTED || r.state() == State.FAILED) {
                    problems.add(c.goldenCase().name() + " on " + r.backend() + ": " + shortReason(r.error()));
                }
            }
            table.row(row.toArray());
        }
        table.print(out);
        StringBuilder summary = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            int k = i;
            long match = cases.stream().filter(c -> c.results().get(k).state() == State.MATCH).count();
            summary.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ').append(match).append('/').append(cases.size());
        }
        out.printf("Matches       %s%n", summary);
        for (String p : problems) {
            out.printf("Not run       %s%n", p);
        }
    }

    private static String cell(Result r) {
        return switch (r.state()) {
            case MATCH -> "match";
            case MISMATCH -> r.diff().mismatch() != null ? "not comparable: " + r.diff().mismatch()
                    : r.diff().differing() + "/" + r.diff().elements() + " differ, max " + r.diff().maxLsb() + " LSB";
            case UNSUPPORTED -> "unsupported";
            case FAILED -> "failed";
        };
    }

    private static String shortReason(String s) {
        int cut = s.indexOf(" (it implements");
        return cut < 0 ? s : s.substring(0, cut);
    }

    private Map<String, Object> json(List<String> names, List<CaseResult> cases) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dir", dir.toString());
        root.put("backends", names);
        List<Object> cs = new ArrayList<>();
        for (CaseResult c : cases) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("case", c.goldenCase().name());
            x.put("model", c.goldenCase().modelFile().toString());
            x.put("golden", c.goldenCase().golden().toString());
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("tensor_index", c.golden().tensorIndex());
            o.put("tensor", c.golden().name());
            o.put("dtype", c.golden().dtype().displayName());
            o.put("elements", c.golden().elementCount());
            x.put("output", o);
            List<Object> rs = new ArrayList<>();
            for (Result r : c.results()) {
                Map<String, Object> y = new LinkedHashMap<>();
                y.put("backend", r.backend());
                y.put("state", r.state().name().toLowerCase(java.util.Locale.ROOT));
                if (r.diff() != null) {
                    y.put("differing", r.diff().differing());
                    y.put("max_lsb", r.diff().maxLsb());
                    if (r.diff().mismatch() != null) {
                        y.put("mismatch", r.diff().mismatch());
                    }
                }
                if (r.error() != null) {
                    y.put("error", r.error());
                }
                rs.add(y);
            }
            x.put("results", rs);
            cs.add(x);
        }
        root.put("cases", cs);
        List<Object> summary = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("backend", names.get(i));
            s.put("cases", cases.size());
            for (State st : State.values()) {
                int k = i;
                s.put(st.name().toLowerCase(java.util.Locale.ROOT),
                        cases.stream().filter(c -> c.results().get(k).state() == st).count());
            }
            summary.add(s);
        }
        root.put("summary", summary);
        root.put("all_match", cases.stream().flatMap(c -> c.results().stream()).allMatch(r -> r.state() == State.MATCH));
        return root;
    }
}
