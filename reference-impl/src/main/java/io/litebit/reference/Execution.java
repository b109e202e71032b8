package io.litebit.reference;

import io.litebit.model.Operator;
import io.litebit.model.Subgraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The result of one {@link ReferenceInterpreter#run}: the value of every tensor of the subgraph
 * — inputs, constants and every intermediate — and the operators in the order they ran.
 *
 * <pre>{@code
 * Execution run = interpreter.run(input);
 * TensorValue logits = run.output(0);
 * for (Execution.Step step : run.steps()) {
 *     for (int t : step.outputs()) {
 *         System.out.println(step.operator().opcode().displayName() + " -> " + run.tensor(t));
 *     }
 * }
 * }</pre>
 */
public final class Execution {
    /**
     * One operator run.
     *
     * @param operator the operator
     * @param outputs  the indices of the tensors it wrote
     */
    public record Step(Operator operator, List<Integer> outputs) {
        public Step {
            outputs = List.copyOf(outputs);
        }
    }

    private final Subgraph subgraph;
    private final TensorValue[] values;
    private final List<Step> steps;

    Execution(Subgraph subgraph, TensorValue[] values, List<Step> steps) {
        this.subgraph = subgraph;
        this.values = values;
        this.steps = Collections.unmodifiableList(new ArrayList<>(steps));
    }

    /** The subgraph that ran. */
    public Subgraph subgraph() {
        return subgraph;
    }

    /** The value of tensor {@code index}, if it has one (inputs, constants, anything an operator wrote). */
    public Optional<TensorValue> find(int index) {
        if (index < 0 || index >= values.length) {
            throw new IndexOutOfBoundsException("the subgraph has tensors 0.." + (values.length - 1) + ", asked for " + index);
        }
        return Optional.ofNullable(values[index]);
    }

    /**
     * The value of tensor {@code index}.
     *
     * @throws NoSuchElementException when no input, constant or operator gave it a value
     */
    public TensorValue tensor(int index) {
        return find(index).orElseThrow(() -> new NoSuchElementException("tensor " + index + " \""
                + subgraph.tensor(index).name() + "\" has no value: nothing wrote it"));
    }

    /** The value of the first tensor with this name. */
    public TensorValue tensor(String name) {
        return tensor(subgraph.tensor(name).orElseThrow(() -> new NoSuchElementException(
                "the subgraph has no tensor named \"" + name + "\"")).index());
    }

    /** Output {@code i} of the subgraph. */
    public TensorValue output(int i) {
        return tensor(subgraph.outputs()[i]);
    }

    /** All outputs of the subgraph, in order. */
    public List<TensorValue> outputs() {
        List<TensorValue> out = new ArrayList<>();
        for (int t : subgraph.outputs()) {
            out.add(tensor(t));
        }
        return out;
    }

    /** The operators in the order they ran, each with the tensors it wrote. */
    public List<Step> steps() {
        return steps;
    }
}
