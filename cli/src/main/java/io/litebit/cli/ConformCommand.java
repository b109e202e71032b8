package io.litebit.cli;

import io.litebit.conformance.Backends;
import io.litebit.data.NdArray;
import io.litebit.data.Npy;
import io.litebit.trace.Backend;
import io.litebit.conformance.BackendMatrix;
import io.litebit.conformance.CpuInfo;
import io.litebit.conformance.InputSets;
import io.litebit.conformance.Json;
import io.litebit.conformance.MatrixResult;
import io.litebit.conformance.TensorDiff;
import io.litebit.data.Dataset;
import io.litebit.data.Datasets;
import io.litebit.data.Mnist;
import io.litebit.data.RecordChecker;
import io.litebit.conformance.report.ConformanceReport;
import io.litebit.conformance.report.Expectation;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.zoo.Zoo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code litebit conform MODEL...}: runs each model on several backends with the same inputs and
 * diffs every intermediate tensor of every pair of backends.
 *
 * <pre>
 * litebit conform mobilenet_v2_int8.tflite --inputs random:4 --report out/ --expect builtin-ref==reference:TFLITE
 * </pre>
 *
 * Exit status: 0 when every {@code --expect} pair is bit-identical on every model (or none is
 * given), 1 when one is not (or could not be compared), 2 on usage errors, unreadable models or
 * inputs, and a report that cannot be written.
 */
@Command(name = "conform", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Diffs every traced tensor of each model across backends, pair by pair.",
                "",
                "Runs each model on every backend with the same inputs and compares the inputs",
                "and each operator's outputs, in execution order, for every pair of backends:",
                "differing elements, max |diff| in LSB (integers, exact) or ULP (float32), and",
                "the first divergence, local (its op read identical inputs) or inherited.",
                "The first backend is the baseline of the table. A backend that cannot run a",
                "model (an op the oracle lacks, a model TFLite refuses) is reported with the",
                "reason, and its pairs are not compared.",
                "MODEL is a .tflite file or zoo:NAME, a model litebit generates",
                "(zoo:tiny_cnn_int8, zoo:mnist_mlp_uint8, ...)."},
        footer = {"",
                "--inputs DIR: one .npy file per model input, named input<k>.npy, <name>.npy",
                "or <index>_<name>.npy as run --dump-all writes them (characters of the name",
                "outside [A-Za-z0-9._-] as _), holding the input's own dtype (already",
                "quantized) and element count. Subdirectories of DIR, if any, are the input",
                "sets, in name order; otherwise DIR itself is the one set.",
                "",
                "Exit status: 0 ok; 1 an --expect pair differs or could not be compared;",
                "2 usage errors, unreadable models or inputs."})
final class ConformCommand implements Callable<Integer> {
    static final String DEFAULT_BACKENDS = "xnnpack,builtin,builtin-ref,reference:TFLITE";
    private static final String ZOO = "zoo:";

    @Parameters(arity = "1..*", paramLabel = "MODEL", description = "a .tflite file or zoo:NAME")
    List<String> models;

    @Option(names = "--backends", paramLabel = "LIST", defaultValue = DEFAULT_BACKENDS,
            description = "comma-separated: xnnpack, builtin, builtin-ref, reference[:PROFILE] "
                    + "(PROFILE: TFLITE, the default, TFLITE_SINGLE_ROUNDING, NAIVE_FLOAT, XNNPACK); "
                    + "default ${DEFAULT-VALUE}")
    String backendSpecs;

    @Option(names = "--inputs", paramLabel = "random:N|mnist:N|DIR|DATASET", defaultValue = "random:1",
            description = "N seeded random input sets (integers uniform over their dtype, float32 over "
                    + "what the QUANTIZE reading it represents, else [-1, 1)), N MNIST test images scaled onto each "
                    + "input (mnist:N, see --mnist), .npy files in DIR (see below), or every record of a dataset "
                    + "(FILE.h5|.npy|.npz, mnist:DIR[:test][:N][:seed=S], as in 'litebit dataset'); "
                    + "default ${DEFAULT-VALUE}")
    String inputs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "seed of random inputs: set k uses seed S+k; with mnist:N, the first test image (default ${DEFAULT-VALUE})")
    long seed;

    @picocli.CommandLine.Mixin
    DatasetSpecOptions images;

    @Option(names = "--mnist", paramLabel = "DIR", defaultValue = "../shared/datasets/mnist",
            description = "MNIST IDX files for --inputs mnist:N (default ${DEFAULT-VALUE})")
    Path mnistDir;

    @Option(names = "--report", paramLabel = "DIR",
            description = "write report.html (self-contained), report.json, pairs.csv and tensors.csv to DIR")
    Path reportDir;

    @Option(names = "--expect", paramLabel = "A==B",
            description = "require backends A and B to be bit-identical on every traced tensor of every "
                    + "model (else exit 1); repeatable")
    List<String> expect = new ArrayList<>();

    @Option(names = "--json", description = "print a JSON summary instead of tables")
    boolean json;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConformanceReport report;
        List<Path> written = List.of();
        try {
            List<Backend> backends = parseBackends(backendSpecs);
            if (backends.size() < 2) {
                throw new IllegalArgumentException("--backends: conform compares backends, give at least two (given "
                        + backends.get(0).name() + ")");
            }
            List<String> names = backends.stream().map(Backend::name).toList();
            List<String[]> expectations = parseExpectations(expect, names);
            InputSpec inputSpec = InputSpec.parse(inputs);
            Mnist mnist = inputSpec.mnist ? Mnist.load(mnistDir, Mnist.Split.TEST) : null;
            // Every model is read before anything runs: a typo in the last path fails in a second, not after a campaign.
            List<Map.Entry<String, TfliteModel>> loaded = new ArrayList<>();
            for (String m : models) {
                loaded.add(Map.entry(m, loadModel(m)));
            }
            List<MatrixResult> results = new ArrayList<>();
            for (Map.Entry<String, TfliteModel> e : loaded) {
                TfliteModel model = e.getValue();
                List<List<byte[]>> sets = inputSpec.dataset != null ? datasetSets(inputSpec.dataset, model)
                        : inputSpec.mnist ? mnistSets(mnist, model, inputSpec.count, seed)
                        : inputSpec.dir == null ? InputSets.random(model, inputSpec.count, seed)
                        : readInputSets(inputSpec.dir, model);
                try {
                    results.add(BackendMatrix.run(e.getKey(), model, backends, sets));
                } catch (IllegalArgumentException x) {
                    throw new IllegalArgumentException(e.getKey() + ": " + x.getMessage(), x);
                }
            }
            List<Expectation> checked = new ArrayList<>();
            for (String[] ab : expectations) {
                checked.add(Expectation.check(ab[0], ab[1], results));
            }
            String inputText = inputSpec.dataset != null ? inputSpec.dataset + " (dataset)"
                    : inputSpec.mnist ? "mnist:" + inputSpec.count + " (test images from " + seed + ", "
                    + mnistDir + ")"
                    : inputSpec.dir == null ? "random:" + inputSpec.count + ", seed " + seed
                    : inputSpec.dir + " (.npy files)";
            report = new ConformanceReport(names, inputText, CpuInfo.describe(), results, checked);
            if (reportDir != null) {
                written = report.write(reportDir);
            }
        } catch (IOException | RuntimeException e) {
            return Failures.report("conform", e, verbose, err);
        }
        if (json) {
            Map<String, Object> root = report.json(false);
            if (reportDir != null) {
                root.put("report_files", written.stream().map(Path::toString).toList());
            }
            out.print(Json.write(root));
        } else {
            printText(out, report, written);
        }
        out.flush();
        int status = 0;
        for (Expectation e : report.expectations()) {
            if (!e.met()) {
                err.println("litebit conform: expectation " + e.spec() + " not met: " + e.failures().get(0)
                        + (e.failures().size() > 1 ? " (and " + (e.failures().size() - 1) + " more models)" : ""));
                status = 1;
            }
        }
        err.flush();
        return status;
    }

    /** Parses a comma-separated list (see {@link Backend#parse}); duplicates after canonicalization are an error. */
    static List<Backend> parseBackends(String list) {
        List<Backend> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String s : list.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            Backend b = Backends.parse(s);
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

    /** {@code A==B} with both sides among the selected backends, as canonical names. */
    static List<String[]> parseExpectations(List<String> specs, List<String> selected) {
        List<String[]> out = new ArrayList<>();
        for (String s : specs) {
            int eq = s.indexOf("==");
            if (eq < 0 || s.indexOf("==", eq + 2) >= 0) {
                throw new IllegalArgumentException("--expect " + s + ": expected A==B, e.g. builtin-ref==reference:TFLITE");
            }
            String a = Backends.parse(s.substring(0, eq)).name();
            String b = Backends.parse(s.substring(eq + 2)).name();
            if (a.equals(b)) {
                throw new IllegalArgumentException("--expect " + s + ": compares " + a + " with itself");
            }
            for (String x : new String[] {a, b}) {
                if (!selected.contains(x)) {
                    throw new IllegalArgumentException("--expect " + s + ": " + x + " is not among --backends " + selected);
                }
            }
            out.add(new String[] {a, b});
        }
        return out;
    }

    /** A .tflite path, or {@code zoo:NAME} for one of litebit's generated models. */
    static TfliteModel loadModel(String spec) throws IOException {
        if (spec.startsWith(ZOO)) {
            TfliteModel m = Zoo.all().get(spec.substring(ZOO.length()));
            if (m == null) {
                throw new IllegalArgumentException("no zoo model \"" + spec.substring(ZOO.length()) + "\"; the zoo has "
                        + String.join(", ", Zoo.all().keySet()));
            }
            return m;
        }
        return TfliteModel.load(Path.of(spec));
    }

    /**
     * Input sets made from MNIST test images {@code first .. first + count - 1}, scaled onto each
     * input and quantized ({@link InputSets#fromImage}): real data for any model, not only the
     * MNIST ones.
     */
    static List<List<byte[]>> mnistSets(Mnist mnist, TfliteModel model, int count, long first) {
        if (first < 0 || first + count > mnist.size()) {
            throw new IllegalArgumentException("--inputs mnist:" + count + " --seed " + first + ": the test split has images 0.."
                    + (mnist.size() - 1));
        }
        List<List<byte[]>> sets = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            sets.add(InputSets.fromImage(model, mnist.image((int) first + k), mnist.rows(), mnist.cols()));
        }
        return sets;
    }

    /** Every record of a dataset spec, held to the model's inputs ({@link RecordChecker}). */
    private List<List<byte[]>> datasetSets(String spec, TfliteModel model) {
        RecordChecker check = new RecordChecker(io.litebit.data.InputSpec.of(model));
        List<List<byte[]>> sets = new ArrayList<>();
        try (Dataset d = Datasets.open(spec, images.options(model))) {
            for (int i = 0; i < d.size(); i++) {
                sets.add(check.fit(d.record(i)).bytes());
            }
        }
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("--inputs " + spec + ": the dataset has no records");
        }
        return sets;
    }

    /** {@code random:N}, {@code mnist:N}, a directory of input sets, or any dataset spec ({@code dataset}). */
    record InputSpec(int count, Path dir, boolean mnist, String dataset) {
        InputSpec(int count, Path dir) {
            this(count, dir, false, null);
        }

        InputSpec(int count, Path dir, boolean mnist) {
            this(count, dir, mnist, null);
        }

        static InputSpec parse(String s) {
            if (s.equals("random")) {
                return new InputSpec(1, null);
            }
            if (s.startsWith("mnist:") && !s.substring("mnist:".length()).matches("-?\\d+")) {
                return new InputSpec(0, null, false, s);   // mnist:DIR[:split][:N][:seed=S]
            }
            if (Files.isRegularFile(Path.of(s))) {
                return new InputSpec(0, null, false, s);   // .h5, .npy, .npz
            }
            if (s.startsWith("mnist:")) {
                int n;
                try {
                    n = Integer.parseInt(s.substring("mnist:".length()));
                } catch (NumberFormatException e) {
                    n = 0;
                }
                if (n < 1) {
                    throw new IllegalArgumentException("--inputs " + s + ": N of mnist:N must be a positive integer");
                }
                return new InputSpec(n, null, true);
            }
            if (s.startsWith("random:")) {
                int n;
                try {
                    n = Integer.parseInt(s.substring("random:".length()));
                } catch (NumberFormatException e) {
                    n = 0;
                }
                if (n < 1) {
                    throw new IllegalArgumentException("--inputs " + s + ": N of random:N must be a positive integer");
                }
                return new InputSpec(n, null);
            }
            Path dir = Path.of(s);
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--inputs " + s + ": expected random:N, mnist:N, a directory of .npy "
                        + "files or a dataset (FILE.h5|.npy|.npz, mnist:DIR[:test][:N]); no such file or directory");
            }
            return new InputSpec(0, dir);
        }
    }

    /**
     * The input sets in {@code dir}: its subdirectories in name order, one set each, or, without
     * subdirectories, {@code dir} itself as the one set.
     */
    static List<List<byte[]>> readInputSets(Path dir, TfliteModel model) throws IOException {
        List<Path> subdirs;
        List<Path> npys;
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = s.sorted().toList();
            subdirs = all.stream().filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList();
            npys = all.stream().filter(p -> p.getFileName().toString().endsWith(".npy")).toList();
        }
        if (!subdirs.isEmpty() && !npys.isEmpty()) {
            throw new IllegalArgumentException("--inputs " + dir + ": holds both .npy files and subdirectories; put every "
                    + "input set in its own subdirectory, or use the directory itself as the one set");
        }
        List<List<byte[]>> sets = new ArrayList<>();
        for (Path set : subdirs.isEmpty() ? List.of(dir) : subdirs) {
            sets.add(readInputSet(set, model));
        }
        return sets;
    }

    private static List<byte[]> readInputSet(Path dir, TfliteModel model) throws IOException {
        Subgraph g = model.mainSubgraph();
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < g.inputs().length; i++) {
            Tensor t = g.inputTensor(i);
            String byIndex = "input" + i + ".npy";
            String dumped = RunCommand.fileName(t);
            String byName = dumped.substring(dumped.indexOf('_') + 1);
            Path file = null;
            for (String candidate : new String[] {byIndex, byName, dumped}) {
                if (Files.isRegularFile(dir.resolve(candidate))) {
                    file = dir.resolve(candidate);
                    break;
                }
            }
            String what = "input " + i + " \"" + t.name() + "\" " + t.dtype().displayName() + Arrays.toString(t.shape());
            if (file == null) {
                throw new IllegalArgumentException(dir + " has no file for " + what + ": expected " + byIndex + ", " + byName
                        + " or " + dumped);
            }
            NdArray a = Npy.read(file);
            if (a.dtype() != t.dtype() || a.elementCount() != t.elementCount()) {
                throw new IllegalArgumentException(file + " holds " + a.dtype().displayName() + Arrays.toString(a.shape())
                        + ", " + what + " needs " + t.elementCount() + " values of its own dtype"
                        + (t.isQuantized() ? " (already quantized with " + t.quantization() + ")" : ""));
            }
            out.add(a.bytes());
        }
        return out;
    }

    private static void printText(PrintWriter out, ConformanceReport report, List<Path> written) {
        out.printf("Backends  %s (baseline %s)%n", String.join(", ", report.backends()), report.baseline());
        out.printf("Inputs    %s%n", report.inputs());
        out.printf("CPU       %s %s%n", report.cpu().get("model"), report.cpu().get("features"));
        for (MatrixResult m : report.models()) {
            out.println();
            out.printf("Model     %s: %d operators, %d traced tensors, %d input set%s%n", m.model(), m.operators(),
                    m.tensors().size(), m.inputSets(), m.inputSets() == 1 ? "" : "s");
            String baseline = m.backends().get(0).backend();
            TextTable table = new TextTable("vs " + baseline, "tensors", "differing", "elements", "max LSB", "max ULP",
                    "first divergence");
            for (MatrixResult.Pair p : m.baselinePairs()) {
                if (!p.compared()) {
                    table.row(p.b(), "-", "-", "-", "-", "-", "not compared: " + unavailable(m, p));
                    continue;
                }
                table.row(p.b(), p.tensors().size(), p.differingTensors(), p.differingElements(), p.maxLsb(), p.maxUlp(),
                        firstDivergence(p, m.inputSets()));
            }
            table.print(out);
            List<MatrixResult.Pair> others = m.pairs().stream().filter(p -> !p.a().equals(baseline)).toList();
            if (!others.isEmpty()) {
                out.println("Other pairs");
                for (MatrixResult.Pair p : others) {
                    out.printf("  %s: %s%n", p.label(), pairSummary(m, p));
                }
            }
            for (MatrixResult.BackendRun b : m.backends()) {
                if (!b.unsupported().isEmpty()) {
                    for (MatrixResult.UnsupportedOp u : b.unsupported()) {
                        out.printf("Unsupported  %s lacks op %d %s v%d: %s%n", b.backend(), u.operatorIndex(), u.opName(),
                                u.version(), shortReason(u.reason()));
                    }
                } else if (!b.ok()) {
                    out.printf("Failed    %s: %s%n", b.backend(), b.error());
                }
                for (String n : b.notes()) {
                    out.printf("Note      %s: %s%n", b.backend(), n);
                }
            }
        }
        if (!report.expectations().isEmpty()) {
            out.println();
            for (Expectation e : report.expectations()) {
                out.printf("Expect    %s: %s%n", e.spec(), e.met() ? "met (bit-identical on every traced tensor)"
                        : "NOT met");
                for (String f : e.failures()) {
                    out.printf("            %s%n", f);
                }
                for (String c : e.caveats()) {
                    out.printf("            caveat: %s%n", c);
                }
            }
        }
        if (!written.isEmpty()) {
            out.println();
            out.printf("Report    %s%n", written.get(0));
        }
    }

    /** Why a pair was not compared, short enough for a table cell; the full errors follow the table. */
    private static String unavailable(MatrixResult m, MatrixResult.Pair p) {
        List<String> why = new ArrayList<>();
        for (String name : List.of(p.a(), p.b())) {
            MatrixResult.BackendRun b = m.backend(name).orElseThrow();
            if (!b.unsupported().isEmpty()) {
                MatrixResult.UnsupportedOp first = b.unsupported().get(0);
                why.add(name + " lacks op " + first.operatorIndex() + " " + first.opName()
                        + (b.unsupported().size() > 1 ? " and " + (b.unsupported().size() - 1) + " more" : ""));
            } else if (!b.ok()) {
                why.add(name + " failed");
            }
        }
        return String.join(", ", why);
    }

    private static String pairSummary(MatrixResult m, MatrixResult.Pair p) {
        if (!p.compared()) {
            return "not compared: " + unavailable(m, p);
        }
        int inputSets = m.inputSets();
        if (p.identical()) {
            return "identical (" + p.tensors().size() + " tensors)";
        }
        StringBuilder s = new StringBuilder().append(p.differingTensors()).append(" of ").append(p.tensors().size())
                .append(" tensors differ");
        if (p.maxLsb() > 0) {
            s.append(", max ").append(p.maxLsb()).append(" LSB");
        }
        if (p.maxUlp() > 0) {
            s.append(", max ").append(p.maxUlp()).append(" ULP");
        }
        if (p.firstDivergence().isPresent()) {
            s.append("; first ").append(firstDivergence(p, inputSets));
        }
        return s.toString();
    }

    private static String firstDivergence(MatrixResult.Pair p, int inputSets) {
        if (p.firstDivergence().isEmpty()) {
            return p.missing().isEmpty() ? "-" : "tensors traced on one side only: " + p.missing();
        }
        MatrixResult.Divergence f = p.firstDivergence().get();
        TensorDiff t = f.tensor();
        String name = t.name().length() > 36 ? t.name().substring(0, 35) + "..." : t.name();
        return (t.opIndex() < 0 ? "input" : "op " + t.opIndex() + " " + t.opName()) + ", tensor " + t.tensorIndex() + " \""
                + name + "\" (" + (f.local() ? "local" : "inherited") + ")"
                + (inputSets > 1 ? ", set " + f.inputSet() : "");
    }

    /** Oracle messages end with the list of every op it implements: too long for a terminal line. */
    private static String shortReason(String s) {
        int cut = s.indexOf(" (it implements");
        return cut < 0 ? s : s.substring(0, cut);
    }
}
