package io.litebit.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * One node of an interpreter's primary subgraph, as Python's {@code _get_ops_details()} shows it,
 * plus where it runs.
 *
 * <p>The model's operators come first, at their model indices. When a delegate takes over a
 * partition, TFLite adds one <em>delegate kernel</em> node per partition after them (op name e.g.
 * {@code DELEGATE TfLiteXNNPackDelegate}, {@link #isDelegateKernel()}), and the operators of the
 * partition are not executed themselves: their {@link #delegatedTo()} is the delegate kernel's
 * index. So "does XNNPACK run this conv?" is {@code ops.get(i).isDelegated()}.
 *
 * <pre>{@code
 * for (OpDetails op : interpreter.opDetails()) {
 *     System.out.println(op);   // op 3 CONV_2D in=[2, 5, 6] out=[7] -> delegate node 84
 * }
 * }</pre>
 *
 * @see Interpreter#opDetails()
 */
public final class OpDetails {
    private final int index;
    private final String opName;
    private final int version;
    private final int[] inputs;
    private final int[] outputs;
    private final boolean delegateKernel;
    private final int delegatedTo;
    private final boolean executed;

    public OpDetails(int index, String opName, int version, int[] inputs, int[] outputs,
                     boolean delegateKernel, int delegatedTo, boolean executed) {
        this.index = index;
        this.opName = Objects.requireNonNull(opName, "opName");
        this.version = version;
        this.inputs = inputs.clone();
        this.outputs = outputs.clone();
        this.delegateKernel = delegateKernel;
        this.delegatedTo = delegatedTo;
        this.executed = executed;
    }

    /** The node index (model operators keep their index in the model file). */
    public int index() {
        return index;
    }

    /** TFLite's operator name, e.g. {@code CONV_2D}, or {@code DELEGATE TfLiteXNNPackDelegate}. */
    public String opName() {
        return opName;
    }

    /** The registration's operator version. */
    public int version() {
        return version;
    }

    /** Input tensor indices; {@code -1} marks an omitted optional input. */
    public int[] inputs() {
        return inputs.clone();
    }

    public int[] outputs() {
        return outputs.clone();
    }

    /** Whether this node is a delegate kernel, standing for a whole partition. */
    public boolean isDelegateKernel() {
        return delegateKernel;
    }

    /** Whether a delegate runs this operator (it is part of a delegated partition). */
    public boolean isDelegated() {
        return delegatedTo >= 0;
    }

    /** The index of the delegate kernel node that runs this operator, or -1. */
    public int delegatedTo() {
        return delegatedTo;
    }

    /**
     * Whether TFLite invokes this node itself: true for operators on TFLite's kernels and for
     * delegate kernels, false for delegated operators.
     */
    public boolean isExecuted() {
        return executed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpDetails d && index == d.index && version == d.version
                && delegateKernel == d.delegateKernel && delegatedTo == d.delegatedTo
                && executed == d.executed && opName.equals(d.opName)
                && Arrays.equals(inputs, d.inputs) && Arrays.equals(outputs, d.outputs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, opName, Arrays.hashCode(inputs), Arrays.hashCode(outputs), delegatedTo);
    }

    @Override
    public String toString() {
        return "op " + index + " " + opName + " in=" + Arrays.toString(inputs) + " out="
                + Arrays.toString(outputs) + (isDelegated() ? " -> delegate node " + delegatedTo : "")
                + (executed ? "" : " (not executed)");
    }
}
