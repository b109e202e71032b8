package io.litebit.conformance.report;

import io.litebit.conformance.MatrixResult;
import io.litebit.conformance.TensorDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An assertion that two backends compute the same bits: {@code litebit conform --expect A==B}.
 * It is met when, on every model, the pair was compared and every traced tensor is identical on
 * every input set. A pair that could not be compared (a backend lacks an op or failed) does not
 * meet it: an assertion that was not checked must not pass.
 *
 * <pre>{@code
 * Expectation e = Expectation.check("builtin-ref", "reference:TFLITE", results);
 * if (!e.met()) {
 *     e.failures().forEach(System.err::println);
 * }
 * }</pre>
 *
 * @param a        a backend name as {@link io.litebit.trace.Backend#name()} spells it
 * @param b        the other backend
 * @param failures one line per model where it is not met, naming the model
 * @param caveats  remarks that do not change the outcome (XNNPACK's instrumented outputs differing
 *                 from its uninstrumented ones)
 */
public record Expectation(String a, String b, boolean met, List<String> failures, List<String> caveats) {
    public Expectation {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        failures = List.copyOf(failures);
        caveats = List.copyOf(caveats);
    }

    /** {@code a==b}. */
    public String spec() {
        return a + "==" + b;
    }

    /**
     * Checks {@code a == b} on every result.
     *
     * @throws IllegalArgumentException when a result has no such pair (a backend not run)
     */
    public static Expectation check(String a, String b, List<MatrixResult> results) {
        List<String> failures = new ArrayList<>();
        List<String> caveats = new ArrayList<>();
        for (MatrixResult r : results) {
            MatrixResult.Pair p = r.pair(a, b).orElseThrow(() -> new IllegalArgumentException(
                    "--expect " + a + "==" + b + ": " + r.model() + " was not run on both backends"));
            if (!p.compared()) {
                failures.add(r.model() + ": not compared: " + p.unavailable());
                continue;
            }
            for (String backend : List.of(a, b)) {
                Optional<MatrixResult.BackendRun> run = r.backend(backend);
                if (run.isPresent() && !run.get().notes().isEmpty()) {
                    caveats.add(r.model() + ": " + backend + " noted: " + String.join("; ", run.get().notes()));
                }
            }
            if (!p.identical()) {
                StringBuilder s = new StringBuilder(r.model()).append(": ").append(p.differingTensors()).append(" of ")
                        .append(p.tensors().size()).append(" tensors differ");
                if (p.maxLsb() > 0) {
                    s.append(", max ").append(p.maxLsb()).append(" LSB");
                }
                if (p.maxUlp() > 0) {
                    s.append(", max ").append(p.maxUlp()).append(" ULP");
                }
                if (!p.missing().isEmpty()) {
                    s.append(", tensors traced on one side only: ").append(p.missing());
                }
                p.firstDivergence().ifPresent(f -> s.append("; first divergence ").append(firstDivergence(f)));
                failures.add(s.toString());
            }
        }
        return new Expectation(a, b, failures.isEmpty(), failures, caveats);
    }

    static String firstDivergence(MatrixResult.Divergence f) {
        TensorDiff t = f.tensor();
        String at = t.opIndex() < 0 ? "input" : "op " + t.opIndex() + " " + t.opName();
        return at + ", tensor " + t.tensorIndex() + " \"" + t.name() + "\" (" + (f.local() ? "local" : "inherited") + ")";
    }
}
