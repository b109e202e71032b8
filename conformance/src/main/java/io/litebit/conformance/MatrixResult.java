package io.litebit.conformance;

import io.litebit.model.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One model run on several backends over the same input sets, every pair of backends diffed
 * tensor by tensor: what {@link BackendMatrix#run} returns and what {@code litebit conform}
 * reports.
 *
 * <pre>{@code
 * MatrixResult r = BackendMatrix.run("fc.tflite", model,
 *         List.of(Backend.builtinRef(), Backend.reference(NumericsProfile.TFLITE)), InputSets.random(model, 3, 0));
 * MatrixResult.Pair p = r.pair("builtin-ref", "reference:TFLITE").orElseThrow();
 * System.out.println(p.identical() ? "bit-exact" : p.differingTensors() + " tensors differ, first " + p.firstDivergence());
 * }</pre>
 *
 * @param model     how the caller names the model (its path)
 * @param operators the number of operators of the main subgraph
 * @param inputSets how many input sets were run
 * @param tensors   every tensor a backend traces (the inputs, then each operator's outputs), in
 *                  execution order: the rows of the report
 * @param backends  one entry per backend, in the order given
 * @param pairs     every pair {@code (backends[i], backends[j])} with {@code i < j}, in that order,
 *                  so the pairs with the first backend come first
 */
public record MatrixResult(String model, int operators, int inputSets, List<Row> tensors, List<BackendRun> backends,
                           List<Pair> pairs) {
    public MatrixResult {
        tensors = List.copyOf(tensors);
        backends = List.copyOf(backends);
        pairs = List.copyOf(pairs);
    }

    /**
     * A traced tensor of the model.
     *
     * @param opIndex the producing operator, {@code -1} for a model input
     * @param opName  the producing op ({@code CONV_2D}), {@code "input"} for a model input
     */
    public record Row(int tensorIndex, String name, int opIndex, String opName, DType dtype, int[] shape) {
        public Row {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Row r && r.tensorIndex == tensorIndex && r.name.equals(name) && r.opIndex == opIndex
                    && r.opName.equals(opName) && r.dtype == dtype && Arrays.equals(r.shape, shape);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tensorIndex, name, opIndex, opName, dtype, Arrays.hashCode(shape));
        }

        @Override
        public String toString() {
            return "tensor " + tensorIndex + " \"" + name + "\" " + dtype.displayName() + Arrays.toString(shape) + " from "
                    + (opIndex < 0 ? "input" : "op " + opIndex + " " + opName);
        }
    }

    /** An operator a backend cannot run (the oracle lacks the op, version or dtype path). */
    public record UnsupportedOp(int operatorIndex, String opName, int version, String reason) {
        @Override
        public String toString() {
            return "op " + operatorIndex + " " + opName + " v" + version + ": " + reason;
        }
    }

    /** Whether a backend ran the model on every input set. */
    public enum State {
        /** Ran every input set. */
        OK,
        /** The oracle has no kernel for an op (or dtype path) of the model. */
        UNSUPPORTED,
        /** The backend refused the model or failed while running it (TFLite's error, an op TFLite would refuse). */
        FAILED
    }

    /**
     * How one backend fared.
     *
     * @param error       why it did not run ({@code null} when {@link State#OK})
     * @param unsupported for {@link State#UNSUPPORTED}: every operator the backend lacks, in execution order
     * @param notes       what the backend's traces noted, e.g. XNNPACK outputs that differ between the
     *                    uninstrumented model and the all-outputs rewrite; prefixed with the input set
     *                    when there are several
     */
    public record BackendRun(String backend, State state, String error, List<UnsupportedOp> unsupported,
                             List<String> notes) {
        public BackendRun {
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(state, "state");
            unsupported = List.copyOf(unsupported);
            notes = List.copyOf(notes);
        }

        public boolean ok() {
            return state == State.OK;
        }
    }

    /**
     * The first divergent tensor of a pair over all input sets: the earliest in execution order
     * that differs on any set.
     *
     * @param tensor   its diff on {@code inputSet}, the first set where it differs
     * @param local    whether every non-constant input of its operator was identical there (the
     *                 operator itself computes differently) or not (it inherited a difference)
     * @param inputSet index of the input set
     */
    public record Divergence(TensorDiff tensor, boolean local, int inputSet) {
        @Override
        public String toString() {
            return tensor.summary() + (local ? " [local]" : " [inherited]");
        }
    }

    /**
     * Two backends compared on every input set.
     *
     * @param compared        whether both backends ran; when not, {@code unavailable} says why and the
     *                        other fields are empty
     * @param tensors         per tensor both traced, the diff summed over the input sets
     *                        ({@link TensorDiff#plus}), in execution order
     * @param missing         tensors one backend traced and the other did not
     */
    public record Pair(String a, String b, boolean compared, String unavailable, List<TensorDiff> tensors,
                       List<Integer> missing, Optional<Divergence> firstDivergence) {
        public Pair {
            tensors = List.copyOf(tensors);
            missing = List.copyOf(missing);
            Objects.requireNonNull(firstDivergence, "firstDivergence");
        }

        /** A pair that could not be compared. */
        static Pair unavailable(String a, String b, String reason) {
            return new Pair(a, b, false, reason, List.of(), List.of(), Optional.empty());
        }

        /** Compared, every tensor bit-identical on every input set, nothing missing. */
        public boolean identical() {
            return compared && firstDivergence.isEmpty() && missing.isEmpty()
                    && tensors.stream().allMatch(TensorDiff::identical);
        }

        public boolean involves(String backend) {
            return a.equals(backend) || b.equals(backend);
        }

        public long differingTensors() {
            return tensors.stream().filter(t -> !t.identical()).count();
        }

        public long differingElements() {
            return tensors.stream().mapToLong(TensorDiff::differing).sum();
        }

        /** The largest |difference| over integer tensors, in LSB of each tensor's own type. */
        public long maxLsb() {
            return tensors.stream().mapToLong(TensorDiff::maxLsb).max().orElse(0);
        }

        /** The largest distance over float32 tensors, in units in the last place. */
        public long maxUlp() {
            return tensors.stream().mapToLong(TensorDiff::maxUlp).max().orElse(0);
        }

        /** Signed differences ({@code b − a}) of every integer tensor's elements, zeros included. */
        public SortedMap<Long, Long> histogram() {
            TreeMap<Long, Long> h = new TreeMap<>();
            for (TensorDiff t : tensors) {
                t.histogram().forEach((k, v) -> h.merge(k, v, Long::sum));
            }
            return h;
        }

        public Optional<TensorDiff> tensor(int tensorIndex) {
            return tensors.stream().filter(t -> t.tensorIndex() == tensorIndex).findFirst();
        }

        /** {@code "a vs b"}. */
        public String label() {
            return a + " vs " + b;
        }
    }

    /** The backend run of that name. */
    public Optional<BackendRun> backend(String name) {
        return backends.stream().filter(b -> b.backend().equals(name)).findFirst();
    }

    /** The pair of these two backends, in either order (the result keeps the order it was run in). */
    public Optional<Pair> pair(String x, String y) {
        return pairs.stream().filter(p -> p.a().equals(x) && p.b().equals(y) || p.a().equals(y) && p.b().equals(x))
                .findFirst();
    }

    /** The pairs whose first backend is the first backend: the baseline view. */
    public List<Pair> baselinePairs() {
        List<Pair> out = new ArrayList<>();
        String baseline = backends.isEmpty() ? null : backends.get(0).backend();
        for (Pair p : pairs) {
            if (p.a().equals(baseline)) {
                out.add(p);
            }
        }
        return out;
    }
}
