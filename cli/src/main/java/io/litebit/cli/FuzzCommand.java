package io.litebit.cli;

import io.litebit.trace.Backend;
import io.litebit.conformance.CpuInfo;
import io.litebit.conformance.Json;
import io.litebit.conformance.fuzz.FuzzCampaign;
import io.litebit.conformance.fuzz.Generators;
import io.litebit.conformance.fuzz.OpGenerator;
import io.litebit.model.BuiltinOp;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code litebit fuzz --op OP}: generates seeded single-op models over the op's parameter space,
 * runs them on several backends, reports which backends agree per dtype path, and shrinks each
 * disagreement to a minimal reproducer.
 *
 * <pre>
 * litebit fuzz --op CONV_2D --cases 300 --backends xnnpack,builtin-ref --out repro/
 * litebit fuzz --op all --backends xnnpack,builtin,builtin-ref,reference:TFLITE,reference:XNNPACK \
 *     --out docs/reproducers --markdown docs/conformance.md
 * </pre>
 *
 * Exit status: 0 when every {@code --expect} pair agreed on every case (or none is given), 1 when
 * one did not, 2 on usage errors and files that cannot be written.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fuzzes single ops across backends and shrinks every disagreement.",
                "",
                "Generates seeded random single-op models over the op's parameter space",
                "(shapes, strides, padding, dilation, scales 1e-6..1e2, zero points across",
                "the range, per-channel weights, broadcasting, fused activations, dtype",
                "paths), runs each case on every backend and diffs every traced tensor of",
                "every pair. Per dtype path it prints which backends agreed on every case",
                "and, for each pair that did not, how often and by how much. The first",
                "disagreement of each pair is shrunk (fewer elements, smaller channels,",
                "simpler parameters and data) to a minimal case; --out writes it as",
                "model.tflite, input<k>.npy and README.txt. Same seed, same cases, same",
                "reproducers."},
        footer = {"",
                "OP is a builtin op name (CONV_2D, FULLY_CONNECTED, ...) or all; repeat --op or",
                "separate names with commas. Ops with a generator: see --list-ops.",
                "",
                "Exit status: 0 ok; 1 an --expect pair disagreed on some case or could not",
                "be compared; 2 usage errors, files that cannot be written."})
final class FuzzCommand implements Callable<Integer> {
    static final String DEFAULT_BACKENDS = "xnnpack,builtin,builtin-ref,reference:TFLITE";

    @Option(names = "--op", paramLabel = "OP", split = ",",
            description = "op(s) to fuzz, or all; repeatable")
    List<String> ops = new ArrayList<>();

    @Option(names = "--cases", paramLabel = "N", defaultValue = "200",
            description = "cases per op (default ${DEFAULT-VALUE})")
    int cases;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "campaign seed; case i of op OP has seed S*10^9 + code(OP)*10^5 + i (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--backends", paramLabel = "LIST", defaultValue = DEFAULT_BACKENDS,
            description = "comma-separated: xnnpack, builtin, builtin-ref, reference[:PROFILE]; default ${DEFAULT-VALUE}")
    String backendSpecs;

    @Option(names = "--out", paramLabel = "DIR", description = "write each minimal reproducer to a directory under DIR")
    Path out;

    @Option(names = "--shrink-attempts", paramLabel = "N", defaultValue = "400",
            description = "candidate cases the shrinker may run per reproducer; 0: do not shrink (default ${DEFAULT-VALUE})")
    int shrinkAttempts;

    @Option(names = "--expect", paramLabel = "A==B",
            description = "require backends A and B to agree on every tensor of every case (else exit 1); repeatable")
    List<String> expect = new ArrayList<>();

    @Option(names = "--markdown", paramLabel = "FILE",
            description = "write the conformance matrix into FILE (between its generated markers, keeping the rest; "
                    + "needs --out for the reproducer links)")
    Path markdown;

    @Option(names = "--markdown-section", paramLabel = "NAME",
            description = "with --markdown: write the named generated section (markers naming NAME) instead of the main one")
    String markdownSection;

    @Option(names = "--json", description = "print a JSON summary instead of tables")
    boolean json;

    @Option(names = "--list-ops", description = "list the ops that have a generator and exit")
    boolean listOps;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (listOps) {
            Generators.all().keySet().forEach(op -> stdout.println(op.name()));
            stdout.flush();
            return 0;
        }
        List<FuzzCampaign.OpResult> results = new ArrayList<>();
        Map<FuzzCampaign.Reproducer, Path> written = new LinkedHashMap<>();
        List<String[]> expectations;
        List<String> names;
        try {
            List<OpGenerator> generators = parseOps(ops);
            List<Backend> backends = ConformCommand.parseBackends(backendSpecs);
            if (backends.size() < 2) {
                throw new IllegalArgumentException("--backends: fuzz compares backends, give at least two (given "
                        + backends.get(0).name() + ")");
            }
            names = backends.stream().map(Backend::name).toList();
            expectations = ConformCommand.parseExpectations(expect, names);
            if (cases < 1) {
                throw new IllegalArgumentException("--cases must be at least 1, given " + cases);
            }
            if (shrinkAttempts < 0) {
                throw new IllegalArgumentException("--shrink-attempts must not be negative, given " + shrinkAttempts);
            }
            if (markdown != null && out == null) {
                throw new IllegalArgumentException("--markdown needs --out: the matrix links the reproducers it writes there");
            }
            FuzzCampaign.Options options = new FuzzCampaign.Options(backends, cases, seed, shrinkAttempts);
            TerminalProgress progress = TerminalProgress.onTerminal(err);
            int total = generators.size() * cases;
            for (int i = 0; i < generators.size(); i++) {
                OpGenerator g = generators.get(i);
                int before = i * cases;
                FuzzCampaign.OpResult r = FuzzCampaign.run(g, options, n -> progress.show(before + n, total, g.op().name()));
                progress.note(g.op().name() + ": shrinking");
                results.add(r);
                if (out != null) {
                    for (FuzzCampaign.Reproducer rep : r.reproducers()) {
                        written.put(rep, Reproducers.write(out, r, rep, options));
                    }
                }
            }
            progress.done();
            if (markdown != null) {
                FuzzMarkdown.update(markdown, markdownSection, out, results, written, options, backendSpecs);
            }
        } catch (IOException | RuntimeException e) {
            return Failures.report("fuzz", e, verbose, err);
        }
        if (json) {
            stdout.print(Json.write(FuzzReport.json(results, written, names, cases, seed, expectations)));
        } else {
            FuzzReport.printText(stdout, results, written);
        }
        stdout.flush();
        int status = 0;
        for (String[] ab : expectations) {
            String failure = FuzzReport.expectationFailure(results, ab[0], ab[1]);
            if (failure != null) {
                err.println("litebit fuzz: expectation " + ab[0] + "==" + ab[1] + " not met: " + failure);
                status = 1;
            }
        }
        err.flush();
        return status;
    }

    /** Op names (case-insensitive) or {@code all}, each with a generator, in the order given, no duplicates. */
    static List<OpGenerator> parseOps(List<String> specs) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("--op is required: an op name such as CONV_2D, or all (see --list-ops)");
        }
        Set<BuiltinOp> chosen = new LinkedHashSet<>();
        for (String s : specs) {
            String name = s.trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("ALL")) {
                chosen.addAll(Generators.all().keySet());
                continue;
            }
            BuiltinOp op;
            try {
                op = BuiltinOp.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--op " + s + ": not a builtin op name; ops with a generator: "
                        + Generators.all().keySet());
            }
            if (Generators.forOp(op).isEmpty()) {
                throw new IllegalArgumentException("--op " + s + ": no generator for " + op + "; ops with a generator: "
                        + Generators.all().keySet());
            }
            chosen.add(op);
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("--op: no op given");
        }
        return chosen.stream().map(op -> Generators.forOp(op).orElseThrow()).toList();
    }
}
