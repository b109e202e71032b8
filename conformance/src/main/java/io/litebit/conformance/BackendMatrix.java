package io.litebit.conformance;

import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import io.litebit.api.TfliteException;
import io.litebit.model.Operator;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.rewrite.Rewriters;
import io.litebit.reference.InvalidOpException;
import io.litebit.reference.UnsupportedOpException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs one model on several backends with the same input sets and diffs every pair of backends
 * on every traced tensor (matrix mode): the engine of {@code litebit conform}.
 *
 * <p>A backend that cannot run the model does not stop the others. When the oracle lacks an op,
 * every operator it lacks is listed ({@link MatrixResult.State#UNSUPPORTED}); when TFLite refuses
 * the model or a run fails, the error is kept ({@link MatrixResult.State#FAILED}); either way the
 * pairs with that backend are marked unavailable with the reason, and the other pairs are compared
 * as usual. A backend that fails on any input set counts as failed for the model: its earlier sets
 * are not reported, so that every compared pair covers the same inputs.
 *
 * <p>Only one input set's traces are held at a time, so long campaigns on large models run in
 * constant memory.
 *
 * <pre>{@code
 * TfliteModel model = TfliteModel.load(Path.of("mobilenet_v2_int8.tflite"));
 * MatrixResult r = BackendMatrix.run("mobilenet", model,
 *         List.of(Backend.xnnpack(), Backend.builtinRef(), Backend.reference(NumericsProfile.TFLITE)),
 *         InputSets.random(model, 2, 0));
 * for (MatrixResult.Pair p : r.pairs()) {
 *     System.out.println(p.label() + ": " + (p.identical() ? "identical" : p.firstDivergence().orElseThrow()));
 * }
 * }</pre>
 */
public final class BackendMatrix {
    private BackendMatrix() {
    }

    /**
     * Runs {@code model} on every backend with every input set and compares every pair.
     *
     * @param label     how reports name the model (its path, say)
     * @param backends  at least one backend, no two with the same {@link Backend#name() name}
     * @param inputSets at least one set, each one little-endian byte array per model input
     * @throws IllegalArgumentException when an input set does not fit the model's inputs (count,
     *                                  byte size), when no backend or no input set is given, or
     *                                  when two backends have the same name
     */
    public static MatrixResult run(String label, TfliteModel model, List<Backend> backends, List<List<byte[]>> inputSets) {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("no backend given");
        }
        if (inputSets.isEmpty()) {
            throw new IllegalArgumentException("no input set given");
        }
        Set<String> names = new HashSet<>();
        for (Backend b : backends) {
            if (!names.add(b.name())) {
                throw new IllegalArgumentException("backend " + b.name() + " is given twice");
            }
        }
        for (int k = 0; k < inputSets.size(); k++) {
            try {
                Backend.checkInputs(model, inputSets.get(k));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException((inputSets.size() > 1 ? "input set " + k + ": " : "") + e.getMessage(), e);
            }
        }
        List<MatrixResult.Row> rows = rows(model);
        Map<Integer, Integer> position = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            position.put(rows.get(i).tensorIndex(), i);
        }

        int n = backends.size();
        Backend.Session[] sessions = new Backend.Session[n];
        MatrixResult.BackendRun[] failed = new MatrixResult.BackendRun[n];
        List<Set<String>> notes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            notes.add(new LinkedHashSet<>());
        }
        Accumulator[][] acc = new Accumulator[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                acc[i][j] = new Accumulator(position);
            }
        }
        try {
            for (int i = 0; i < n; i++) {
                try {
                    sessions[i] = backends.get(i).open(model);
                } catch (RuntimeException e) {
                    failed[i] = failure(backends.get(i), model, e, -1, inputSets.size());
                }
            }
            for (int k = 0; k < inputSets.size(); k++) {
                Trace[] traces = new Trace[n];
                for (int i = 0; i < n; i++) {
                    if (failed[i] != null) {
                        continue;
                    }
                    try {
                        traces[i] = sessions[i].run(inputSets.get(k));
                    } catch (RuntimeException e) {
                        failed[i] = failure(backends.get(i), model, e, k, inputSets.size());
                        continue;
                    }
                    for (String note : traces[i].notes()) {
                        notes.get(i).add(inputSets.size() > 1 ? "input set " + k + ": " + note : note);
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int j = i + 1; j < n; j++) {
                        if (traces[i] != null && traces[j] != null) {
                            acc[i][j].add(TraceDiff.compare(model, traces[i], traces[j]), k);
                        }
                    }
                }
            }
        } finally {
            for (Backend.Session s : sessions) {
                if (s != null) {
                    s.close();
                }
            }
        }

        List<MatrixResult.BackendRun> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            runs.add(failed[i] != null ? failed[i]
                    : new MatrixResult.BackendRun(backends.get(i).name(), MatrixResult.State.OK, null, List.of(),
                            new ArrayList<>(notes.get(i))));
        }
        List<MatrixResult.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                String a = backends.get(i).name();
                String b = backends.get(j).name();
                if (failed[i] != null || failed[j] != null) {
                    List<String> why = new ArrayList<>();
                    for (MatrixResult.BackendRun r : new MatrixResult.BackendRun[] {failed[i], failed[j]}) {
                        if (r != null) {
                            why.add(r.backend() + " " + (r.state() == MatrixResult.State.UNSUPPORTED
                                    ? "lacks " + opList(r.unsupported()) : "failed: " + r.error()));
                        }
                    }
                    pairs.add(MatrixResult.Pair.unavailable(a, b, String.join("; ", why)));
                } else {
                    pairs.add(acc[i][j].result(a, b, rows));
                }
            }
        }
        return new MatrixResult(label, model.mainSubgraph().operators().size(), inputSets.size(), rows, runs, pairs);
    }

    /** The inputs, then each operator's outputs in execution order: what every backend traces. */
    static List<MatrixResult.Row> rows(TfliteModel model) {
        Subgraph g = model.mainSubgraph();
        List<MatrixResult.Row> rows = new ArrayList<>();
        for (int in : g.inputs()) {
            Tensor t = g.tensor(in);
            rows.add(new MatrixResult.Row(in, t.name(), -1, "input", t.dtype(), t.shape()));
        }
        for (int opIndex : g.executionOrder()) {
            Operator op = g.operator(opIndex);
            for (int out : op.outputs()) {
                if (out >= 0) {
                    Tensor t = g.tensor(out);
                    rows.add(new MatrixResult.Row(out, t.name(), opIndex, op.opcode().displayName(), t.dtype(), t.shape()));
                }
            }
        }
        return rows;
    }

    private static String opList(List<MatrixResult.UnsupportedOp> ops) {
        List<String> s = new ArrayList<>();
        for (MatrixResult.UnsupportedOp op : ops) {
            s.add("op " + op.operatorIndex() + " " + op.opName());
        }
        return String.join(", ", s);
    }

    private static MatrixResult.BackendRun failure(Backend backend, TfliteModel model, RuntimeException e, int inputSet,
                                                   int inputSets) {
        String where = inputSet >= 0 && inputSets > 1 ? "input set " + inputSet + ": " : "";
        if (e instanceof UnsupportedOpException u) {
            return new MatrixResult.BackendRun(backend.name(), MatrixResult.State.UNSUPPORTED, where + u.getMessage(),
                    unsupportedOps(backend, model, u), List.of());
        }
        return new MatrixResult.BackendRun(backend.name(), MatrixResult.State.FAILED, where + describe(e), List.of(),
                List.of());
    }

    static String describe(RuntimeException e) {
        String m = e.getMessage();
        if (e instanceof TfliteException || e instanceof InvalidOpException) {
            return m.replace('\n', ' ');
        }
        return m == null ? e.toString() : e.getClass().getSimpleName() + ": " + m.replace('\n', ' ');
    }

    /**
     * Every operator the backend cannot prepare, found by opening each operator as a one-op model:
     * a backend stops at the first op it lacks, but a report should list all of them at once.
     */
    private static List<MatrixResult.UnsupportedOp> unsupportedOps(Backend backend, TfliteModel model,
                                                                   UnsupportedOpException first) {
        List<MatrixResult.UnsupportedOp> ops = new ArrayList<>();
        Subgraph g = model.mainSubgraph();
        for (int opIndex : g.executionOrder()) {
            TfliteModel single;
            try {
                single = Rewriters.extractOperator(model, g.index(), opIndex);
            } catch (RuntimeException e) {
                continue; // control flow and the like: not something one op can show
            }
            try (Backend.Session ignored = backend.open(single)) {
                // prepares: supported
            } catch (UnsupportedOpException e) {
                ops.add(new MatrixResult.UnsupportedOp(opIndex, e.opName(), e.version(), reason(e)));
            } catch (RuntimeException e) {
                // refused for another reason in isolation (a run-time shape, say): not "unsupported"
            }
        }
        if (ops.stream().noneMatch(o -> o.operatorIndex() == first.operatorIndex())) {
            ops.add(new MatrixResult.UnsupportedOp(first.operatorIndex(), first.opName(), first.version(), reason(first)));
            ops.sort((x, y) -> Integer.compare(order(g, x.operatorIndex()), order(g, y.operatorIndex())));
        }
        return ops;
    }

    private static int order(Subgraph g, int opIndex) {
        int[] order = g.executionOrder();
        for (int i = 0; i < order.length; i++) {
            if (order[i] == opIndex) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    /** The message after its {@code operator N OP vK (types)} head, which the report shows in its own columns. */
    private static String reason(UnsupportedOpException e) {
        String m = e.getMessage();
        int cut = m.indexOf("): ");
        return cut < 0 ? m : m.substring(cut + 3);
    }

    /** One pair's diffs summed over the input sets. */
    private static final class Accumulator {
        private final Map<Integer, Integer> position;
        private final Map<Integer, TensorDiff> tensors = new LinkedHashMap<>();
        private final Set<Integer> missing = new TreeSet<>();
        private MatrixResult.Divergence first;

        Accumulator(Map<Integer, Integer> position) {
            this.position = position;
        }

        void add(TraceDiff d, int inputSet) {
            for (TensorDiff t : d.tensors()) {
                tensors.merge(t.tensorIndex(), t, TensorDiff::plus);
            }
            missing.addAll(d.missing());
            Optional<TraceDiff.Divergence> f = d.firstDivergence();
            if (f.isPresent() && (first == null || pos(f.get().tensor()) < pos(first.tensor()))) {
                first = new MatrixResult.Divergence(f.get().tensor(), f.get().local(), inputSet);
            }
        }

        private int pos(TensorDiff t) {
            return position.getOrDefault(t.tensorIndex(), Integer.MAX_VALUE);
        }

        MatrixResult.Pair result(String a, String b, List<MatrixResult.Row> rows) {
            List<TensorDiff> ordered = new ArrayList<>();
            for (MatrixResult.Row r : rows) {
                TensorDiff t = tensors.remove(r.tensorIndex());
                if (t != null) {
                    ordered.add(t);
                }
            }
            ordered.addAll(tensors.values());
            return new MatrixResult.Pair(a, b, true, null, ordered, new ArrayList<>(missing), Optional.ofNullable(first));
        }
    }
}
