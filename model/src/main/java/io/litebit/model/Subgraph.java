package io.litebit.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A subgraph: tensors, operators in execution order, and the tensors that are its inputs and
 * outputs.
 *
 * <pre>{@code
 * Subgraph g = model.mainSubgraph();
 * Tensor in = g.inputTensor(0);
 * Optional<Operator> producer = g.producerOf(g.outputs()[0]);
 * }</pre>
 */
public final class Subgraph {
    private final int index;
    private final String name;
    private final List<Tensor> tensors;
    private final int[] inputs;
    private final int[] outputs;
    private final List<Operator> operators;
    private final int[] producer;

    public Subgraph(int index, String name, List<Tensor> tensors, int[] inputs, int[] outputs, List<Operator> operators) {
        this.index = index;
        this.name = name == null ? "" : name;
        this.tensors = Collections.unmodifiableList(new ArrayList<>(tensors));
        this.inputs = inputs.clone();
        this.outputs = outputs.clone();
        this.operators = Collections.unmodifiableList(new ArrayList<>(operators));
        this.producer = new int[tensors.size()];
        Arrays.fill(producer, -1);
        for (Operator op : operators) {
            for (int t : op.outputs()) {
                if (t >= 0 && t < producer.length && producer[t] < 0) {
                    producer[t] = op.index();
                }
            }
        }
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public List<Tensor> tensors() {
        return tensors;
    }

    public Tensor tensor(int i) {
        if (i < 0 || i >= tensors.size()) {
            throw new IndexOutOfBoundsException("subgraph " + index + " has tensors 0.." + (tensors.size() - 1)
                    + ", asked for " + i);
        }
        return tensors.get(i);
    }

    /** The first tensor with this name. */
    public Optional<Tensor> tensor(String tensorName) {
        return tensors.stream().filter(t -> t.name().equals(tensorName)).findFirst();
    }

    public int[] inputs() {
        return inputs.clone();
    }

    public int[] outputs() {
        return outputs.clone();
    }

    public Tensor inputTensor(int i) {
        return tensor(inputs[i]);
    }

    public Tensor outputTensor(int i) {
        return tensor(outputs[i]);
    }

    /** Operators in the order TFLite executes them (the order stored in the file). */
    public List<Operator> operators() {
        return operators;
    }

    public Operator operator(int i) {
        return operators.get(i);
    }

    /**
     * Operator indices in execution order. TFLite runs nodes in stored order; a file whose order
     * is not topological gets a {@link ModelWarning} at load.
     */
    public int[] executionOrder() {
        int[] order = new int[operators.size()];
        Arrays.setAll(order, i -> i);
        return order;
    }

    /** The operator that writes this tensor, if any (none for inputs and constants). */
    public Optional<Operator> producerOf(int tensorIndex) {
        if (tensorIndex < 0 || tensorIndex >= producer.length || producer[tensorIndex] < 0) {
            return Optional.empty();
        }
        return Optional.of(operators.get(producer[tensorIndex]));
    }

    /** Operators that read this tensor, in execution order. */
    public List<Operator> consumersOf(int tensorIndex) {
        List<Operator> result = new ArrayList<>();
        for (Operator op : operators) {
            for (int t : op.inputs()) {
                if (t == tensorIndex) {
                    result.add(op);
                    break;
                }
            }
        }
        return result;
    }
}
