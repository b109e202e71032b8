package io.litebit.conformance;

import io.litebit.trace.Trace;
import io.litebit.trace.TracedTensor;
import io.litebit.model.Operator;
import io.litebit.model.Subgraph;
import io.litebit.model.TfliteModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Two traces of the same model compared tensor by tensor, in the baseline's execution order.
 *
 * <p>The first divergent tensor is marked {@link Divergence#local() local} when every
 * non-constant input of the operator that produced it was still identical in both traces (so
 * that operator itself computes differently), or inherited when it read an already divergent
 * tensor.
 *
 * <pre>{@code
 * TraceDiff d = TraceDiff.compare(model, Backend.reference(NumericsProfile.TFLITE).run(model, in),
 *         Backend.builtinRef().run(model, in));
 * d.tensors().forEach(t -> System.out.println(t.summary()));
 * d.firstDivergence().ifPresent(f -> System.out.println("first divergence: " + f));
 * }</pre>
 *
 * @param baseline  the name of the first backend
 * @param other     the name of the second backend
 * @param tensors   one diff per tensor both traces hold, in the baseline's order
 * @param missing   tensor indices the baseline has and the other does not (and vice versa)
 */
public record TraceDiff(String baseline, String other, List<TensorDiff> tensors, List<Integer> missing,
                        Optional<Divergence> firstDivergence) {
    /**
     * The first tensor in execution order whose values differ.
     *
     * @param local whether all the producing operator's inputs were identical
     */
    public record Divergence(TensorDiff tensor, boolean local) {
        @Override
        public String toString() {
            return tensor.summary() + (local ? " [local]" : " [inherited]");
        }
    }

    public TraceDiff {
        tensors = List.copyOf(tensors);
        missing = List.copyOf(missing);
    }

    /** Compares {@code b} against the baseline {@code a}; both must be traces of {@code model}. */
    public static TraceDiff compare(TfliteModel model, Trace a, Trace b) {
        Subgraph g = model.mainSubgraph();
        Map<Integer, TracedTensor> byIndex = new HashMap<>();
        for (TracedTensor t : b.tensors()) {
            byIndex.put(t.tensorIndex(), t);
        }
        List<TensorDiff> diffs = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        Map<Integer, Boolean> identical = new HashMap<>();
        Divergence first = null;
        for (TracedTensor t : a.tensors()) {
            TracedTensor u = byIndex.remove(t.tensorIndex());
            if (u == null) {
                missing.add(t.tensorIndex());
                continue;
            }
            TensorDiff d = TensorDiff.of(t, u);
            diffs.add(d);
            identical.put(t.tensorIndex(), d.identical());
            if (first == null && !d.identical()) {
                boolean local = true;
                if (t.opIndex() >= 0) {
                    Operator op = g.operator(t.opIndex());
                    for (int in : op.inputs()) {
                        // Constants come from the file and are identical; an untraced input is unknown: not local.
                        if (in >= 0 && !g.tensor(in).isConstant() && !identical.getOrDefault(in, false)) {
                            local = false;
                        }
                    }
                }
                first = new Divergence(d, local);
            }
        }
        missing.addAll(byIndex.keySet());
        return new TraceDiff(a.backend(), b.backend(), diffs, missing, Optional.ofNullable(first));
    }

    /** Every common tensor identical and nothing missing on either side. */
    public boolean identical() {
        return firstDivergence.isEmpty() && missing.isEmpty();
    }

    /** The diffs of the subgraph's outputs. */
    public List<TensorDiff> outputs(TfliteModel model) {
        List<TensorDiff> out = new ArrayList<>();
        for (int o : model.mainSubgraph().outputs()) {
            for (TensorDiff d : tensors) {
                if (d.tensorIndex() == o) {
                    out.add(d);
                }
            }
        }
        return out;
    }
}
