package io.litebit.model;

import io.litebit.model.options.BuiltinOptions;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * One node of a subgraph. Inputs use -1 for an omitted optional input, as TFLite does.
 *
 * <pre>{@code
 * for (Operator op : subgraph.operators()) {
 *     System.out.println(op.index() + " " + op.opcode().displayName() + " v" + op.opcode().version());
 * }
 * }</pre>
 */
public final class Operator {
    private final int index;
    private final int opcodeIndex;
    private final OperatorCode opcode;
    private final int[] inputs;
    private final int[] outputs;
    private final int[] intermediates;
    private final BuiltinOptions options;
    private final ByteBuffer customOptions;

    public Operator(int index, int opcodeIndex, OperatorCode opcode, int[] inputs, int[] outputs,
                    int[] intermediates, BuiltinOptions options, ByteBuffer customOptions) {
        this.index = index;
        this.opcodeIndex = opcodeIndex;
        this.opcode = opcode;
        this.inputs = inputs.clone();
        this.outputs = outputs.clone();
        this.intermediates = intermediates == null ? new int[0] : intermediates.clone();
        this.options = options == null ? BuiltinOptions.None.INSTANCE : options;
        this.customOptions = customOptions == null ? null : customOptions.asReadOnlyBuffer();
    }

    public int index() {
        return index;
    }

    /** Index into the model's operator-code table. */
    public int opcodeIndex() {
        return opcodeIndex;
    }

    public OperatorCode opcode() {
        return opcode;
    }

    /** The builtin op, or null for a code newer than {@link BuiltinOp}. */
    public BuiltinOp op() {
        return opcode.op();
    }

    public int[] inputs() {
        return inputs.clone();
    }

    public int input(int i) {
        return inputs[i];
    }

    public int inputCount() {
        return inputs.length;
    }

    public int[] outputs() {
        return outputs.clone();
    }

    public int output(int i) {
        return outputs[i];
    }

    public int outputCount() {
        return outputs.length;
    }

    public int[] intermediates() {
        return intermediates.clone();
    }

    public BuiltinOptions options() {
        return options;
    }

    /** The options cast to the expected record type, with a clear error when they are something else. */
    public <T extends BuiltinOptions> T options(Class<T> type) {
        if (!type.isInstance(options)) {
            throw new IllegalStateException("operator " + index + " (" + opcode.displayName() + ") has options "
                    + options.getClass().getSimpleName() + ", expected " + type.getSimpleName());
        }
        return type.cast(options);
    }

    /** The custom op's flexbuffer options, for {@code CUSTOM} ops. */
    public Optional<ByteBuffer> customOptions() {
        return customOptions == null ? Optional.empty() : Optional.of(customOptions.duplicate());
    }

    public Operator withIndex(int newIndex) {
        return new Operator(newIndex, opcodeIndex, opcode, inputs, outputs, intermediates, options, customOptions);
    }

    public Operator withOpcodeIndex(int newOpcodeIndex) {
        return new Operator(index, newOpcodeIndex, opcode, inputs, outputs, intermediates, options, customOptions);
    }

    public Operator withIntermediates(int[] newIntermediates) {
        return new Operator(index, opcodeIndex, opcode, inputs, outputs, newIntermediates, options, customOptions);
    }

    public Operator withTensors(int[] newInputs, int[] newOutputs) {
        return new Operator(index, opcodeIndex, opcode, newInputs, newOutputs, intermediates, options, customOptions);
    }

    @Override
    public String toString() {
        return "op " + index + " " + opcode.displayName() + " in=" + Arrays.toString(inputs) + " out="
                + Arrays.toString(outputs);
    }
}
