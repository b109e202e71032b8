package io.litebit.reference.kernels;

import io.litebit.model.Operator;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.InvalidOpException;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import io.litebit.reference.UnsupportedOpException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a kernel's {@code prepare} sees of its operator: the operator, the model's tensors around
 * it (types, shapes, quantization, constant data) and the numerics profile; and the two ways to
 * refuse it.
 *
 * <pre>{@code
 * Tensor input = ctx.input(0);
 * if (input.dtype() == DType.INT4) {
 *     throw ctx.unsupported("int4 inputs");
 * }
 * }</pre>
 */
public final class OpContext {
    private final Subgraph subgraph;
    private final Operator op;
    private final NumericsProfile profile;

    /**
     * @param profile the interpreter's profile; under {@link NumericsProfile#XNNPACK} an operator
     *                the delegate would leave to TFLite ({@link XnnpackDelegation}) sees {@link
     *                NumericsProfile#builtinKernels()}, the optimized builtin kernels the native
     *                backend runs it on
     */
    public OpContext(Subgraph subgraph, Operator op, NumericsProfile profile) {
        this.subgraph = subgraph;
        this.op = op;
        this.profile = profile.isXnnpack() && XnnpackDelegation.refuses(subgraph, op)
                ? profile.builtinKernels() : profile;
    }

    public Operator operator() {
        return op;
    }

    public NumericsProfile profile() {
        return profile;
    }

    public int inputCount() {
        return op.inputCount();
    }

    /** Whether input {@code i} exists and is not the omitted-optional marker -1. */
    public boolean hasInput(int i) {
        return i < op.inputCount() && op.input(i) >= 0;
    }

    /** Input {@code i}'s tensor, or null when it is omitted. */
    public Tensor input(int i) {
        return hasInput(i) ? subgraph.tensor(op.input(i)) : null;
    }

    /** Input {@code i}'s tensor, or an {@link InvalidOpException} when it is missing. */
    public Tensor requireInput(int i, String what) {
        if (!hasInput(i)) {
            throw invalid("input " + i + " (" + what + ") is missing");
        }
        return input(i);
    }

    public int outputCount() {
        return op.outputCount();
    }

    public Tensor output(int i) {
        if (i >= op.outputCount()) {
            throw invalid("output " + i + " is missing; the operator has " + op.outputCount());
        }
        return subgraph.tensor(op.output(i));
    }

    /** How many intermediate tensors the operator lists (TFLite's {@code node->intermediates}). */
    public int intermediateCount() {
        return op.intermediates().length;
    }

    /** Intermediate {@code i}'s tensor: stateful ops such as the integer LSTMs read scales from them. */
    public Tensor intermediate(int i) {
        int[] intermediates = op.intermediates();
        if (i >= intermediates.length || intermediates[i] < 0) {
            throw invalid("intermediate " + i + " is missing; the operator has " + intermediates.length);
        }
        return subgraph.tensor(intermediates[i]);
    }

    /** The constant value of input {@code i}, when the model stores one. */
    public Optional<TensorValue> constantInput(int i) {
        Tensor t = input(i);
        return t != null && t.isConstant() ? Optional.of(TensorValue.of(t)) : Optional.empty();
    }

    /** The operator's options as the expected record type. */
    public <T extends BuiltinOptions> T options(Class<T> type) {
        try {
            return op.options(type);
        } catch (IllegalStateException e) {
            throw invalid(e.getMessage());
        }
    }

    /** The operator as messages name it: {@code operator 3 ADD v2 (inputs int8, int8 -> outputs int8)}. */
    public String describe() {
        return "operator " + op.index() + " " + op.opcode().displayName() + " v" + op.opcode().version() + " (inputs "
                + String.join(", ", inputTypes()) + " -> outputs " + String.join(", ", outputTypes()) + ")";
    }

    /** An exception saying the reference does not implement this path. */
    public UnsupportedOpException unsupported(String reason) {
        return new UnsupportedOpException(op.index(), op.opcode().displayName(), op.opcode().version(), inputTypes(),
                outputTypes(), reason);
    }

    /** An exception saying TFLite's Prepare (or one of its checks) refuses this operator. */
    public InvalidOpException invalid(String reason) {
        return invalid(reason, null);
    }

    public InvalidOpException invalid(String reason, Throwable cause) {
        return new InvalidOpException(op.index(), describe() + ": TFLite's Prepare fails: " + reason, cause);
    }

    List<String> inputTypes() {
        List<String> types = new ArrayList<>();
        for (int t : op.inputs()) {
            types.add(t < 0 ? "-" : typeName(t));
        }
        return types;
    }

    List<String> outputTypes() {
        List<String> types = new ArrayList<>();
        for (int t : op.outputs()) {
            types.add(typeName(t));
        }
        return types;
    }

    private String typeName(int tensorIndex) {
        return tensorIndex < subgraph.tensors().size() ? subgraph.tensor(tensorIndex).dtype().displayName() : "?";
    }
}
