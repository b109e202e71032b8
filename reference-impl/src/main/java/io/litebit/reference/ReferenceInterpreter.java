package io.litebit.reference;

import io.litebit.model.Operator;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.reference.kernels.Kernels;
import io.litebit.reference.kernels.OpContext;
import io.litebit.reference.kernels.PreparedOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The oracle's graph executor: runs the main subgraph of a model in execution order with pure
 * Java kernels that reproduce TFLite's reference kernels bit for bit (under {@link
 * NumericsProfile#TFLITE}), and keeps every tensor.
 *
 * <p>Creating an interpreter prepares every operator, as TFLite's {@code AllocateTensors} does:
 * an op, version or dtype path the reference does not implement fails here with an {@link
 * UnsupportedOpException} naming it, and an operator TFLite would refuse with an {@link
 * InvalidOpException}. Inputs are always raw tensor values: quantizing a float input is the
 * caller's explicit choice (use the input tensor's own scale and zero point). Shapes are the
 * model's; inputs must match them. An interpreter holds no mutable state and may run from
 * several threads. Variable tensors (the state of stateful ops such as
 * UNIDIRECTIONAL_SEQUENCE_LSTM) start every run from zeros, as in a freshly allocated native
 * interpreter; a native interpreter instead keeps them from one invoke to the next.
 *
 * <pre>{@code
 * TfliteModel model = TfliteModel.load(Path.of("mlp.tflite"));
 * ReferenceInterpreter oracle = ReferenceInterpreter.create(model);      // NumericsProfile.TFLITE
 * Execution run = oracle.run(TensorValue.ofInt8(new int[] {1, 4}, (byte) 3, (byte) -7, (byte) 0, (byte) 127));
 * TensorValue out = run.output(0);
 * TensorValue hidden = run.tensor("hidden");                            // every intermediate is kept
 * }</pre>
 */
public final class ReferenceInterpreter {
    private final TfliteModel model;
    private final Subgraph subgraph;
    private final NumericsProfile profile;
    private final TensorValue[] initial;
    private final List<Operator> operators;
    private final List<PreparedOp> prepared;

    private ReferenceInterpreter(TfliteModel model, NumericsProfile profile) {
        this.model = model;
        this.subgraph = model.mainSubgraph();
        this.profile = profile;
        List<Tensor> tensors = subgraph.tensors();
        this.initial = new TensorValue[tensors.size()];
        for (Tensor t : tensors) {
            if (t.isConstant()) {
                initial[t.index()] = TensorValue.of(t);
            } else if (t.isVariable()) {
                // TFLite zero-fills variable tensors (state of stateful ops) at allocation.
                initial[t.index()] = TensorValue.zeros(t.dtype(), t.shape());
            }
        }
        this.operators = new ArrayList<>();
        this.prepared = new ArrayList<>();
        for (int i : subgraph.executionOrder()) {
            Operator op = subgraph.operator(i);
            operators.add(op);
            prepared.add(Kernels.prepare(new OpContext(subgraph, op, profile)));
        }
    }

    /** An interpreter with TFLite's default numerics ({@link NumericsProfile#TFLITE}). */
    public static ReferenceInterpreter create(TfliteModel model) {
        return create(model, NumericsProfile.TFLITE);
    }

    /**
     * An interpreter for the model's main subgraph.
     *
     * @throws UnsupportedOpException when an operator's op, version or dtype path is not implemented
     * @throws InvalidOpException     when TFLite would refuse an operator
     */
    public static ReferenceInterpreter create(TfliteModel model, NumericsProfile profile) {
        return new ReferenceInterpreter(Objects.requireNonNull(model, "model"), Objects.requireNonNull(profile, "profile"));
    }

    public TfliteModel model() {
        return model;
    }

    public Subgraph subgraph() {
        return subgraph;
    }

    public NumericsProfile profile() {
        return profile;
    }

    /**
     * Runs the subgraph.
     *
     * @param inputs one value per subgraph input, in the subgraph's input order, each with the
     *               input tensor's type and shape
     * @throws IllegalArgumentException when the count, a type or a shape does not match, saying
     *                                  what was expected and what was given
     */
    public Execution run(TensorValue... inputs) {
        int[] inputIndices = subgraph.inputs();
        if (inputs.length != inputIndices.length) {
            throw new IllegalArgumentException("the model has " + inputIndices.length + " inputs, given " + inputs.length);
        }
        TensorValue[] values = initial.clone();
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = subgraph.tensor(inputIndices[i]);
            TensorValue v = Objects.requireNonNull(inputs[i], "input " + i);
            if (v.dtype() != t.dtype() || !Arrays.equals(v.shape(), t.shape())) {
                throw new IllegalArgumentException("input " + i + " \"" + t.name() + "\" is " + t.dtype().displayName()
                        + Arrays.toString(t.shape()) + ", given " + v.dtype().displayName() + Arrays.toString(v.shape()));
            }
            values[t.index()] = v;
        }
        List<Execution.Step> steps = new ArrayList<>();
        for (int k = 0; k < operators.size(); k++) {
            Operator op = operators.get(k);
            int[] in = op.inputs();
            TensorValue[] args = new TensorValue[in.length];
            for (int j = 0; j < in.length; j++) {
                if (in[j] < 0) {
                    continue;
                }
                args[j] = values[in[j]];
                if (args[j] == null) {
                    throw new IllegalStateException("operator " + op.index() + " " + op.opcode().displayName() + " reads tensor "
                            + in[j] + " \"" + subgraph.tensor(in[j]).name() + "\" before anything writes it");
                }
            }
            TensorValue[] results = prepared.get(k).eval(args);
            int[] out = op.outputs();
            List<Integer> written = new ArrayList<>();
            for (int j = 0; j < out.length && j < results.length; j++) {
                values[out[j]] = results[j];
                written.add(out[j]);
            }
            steps.add(new Execution.Step(op, written));
        }
        return new Execution(subgraph, values, steps);
    }

    /**
     * Runs the subgraph with inputs given by tensor name.
     *
     * @throws IllegalArgumentException for a missing or unknown name, or a type or shape mismatch
     */
    public Execution run(Map<String, TensorValue> inputsByName) {
        Map<String, TensorValue> remaining = new LinkedHashMap<>(inputsByName);
        int[] inputIndices = subgraph.inputs();
        TensorValue[] ordered = new TensorValue[inputIndices.length];
        for (int i = 0; i < inputIndices.length; i++) {
            String name = subgraph.tensor(inputIndices[i]).name();
            ordered[i] = remaining.remove(name);
            if (ordered[i] == null) {
                throw new IllegalArgumentException("no value for input " + i + " \"" + name + "\"");
            }
        }
        if (!remaining.isEmpty()) {
            throw new IllegalArgumentException("the model has no inputs named " + remaining.keySet());
        }
        return run(ordered);
    }
}
