package io.litebit.reference;

import java.util.List;

/**
 * An operator, version or dtype path the reference does not implement. The message names the
 * operator, its index and version, and the element types of its inputs and outputs, e.g.
 * {@code operator 2 FULLY_CONNECTED v7 (inputs int16, int8, int64 -> outputs int16): int16
 * activations are not implemented yet}.
 *
 * <pre>{@code
 * try {
 *     ReferenceInterpreter.create(model);
 * } catch (UnsupportedOpException e) {
 *     System.out.println(e.opName() + " v" + e.version() + " " + e.inputTypes());
 * }
 * }</pre>
 */
public final class UnsupportedOpException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    private final int operatorIndex;
    private final String opName;
    private final int version;
    private final List<String> inputTypes;
    private final List<String> outputTypes;

    /**
     * @param inputTypes  display names of the input types, {@code "-"} for an omitted optional input
     * @param reason      what is missing
     */
    public UnsupportedOpException(int operatorIndex, String opName, int version, List<String> inputTypes,
                                  List<String> outputTypes, String reason) {
        super(describe(operatorIndex, opName, version, inputTypes, outputTypes) + ": " + reason);
        this.operatorIndex = operatorIndex;
        this.opName = opName;
        this.version = version;
        this.inputTypes = List.copyOf(inputTypes);
        this.outputTypes = List.copyOf(outputTypes);
    }

    static String describe(int operatorIndex, String opName, int version, List<String> inputTypes, List<String> outputTypes) {
        return "operator " + operatorIndex + " " + opName + " v" + version + " (inputs " + String.join(", ", inputTypes)
                + " -> outputs " + String.join(", ", outputTypes) + ")";
    }

    public int operatorIndex() {
        return operatorIndex;
    }

    /** The op's name as the model layer shows it ({@code CONV_2D}, {@code CUSTOM(name)}, {@code unknown (code N)}). */
    public String opName() {
        return opName;
    }

    public int version() {
        return version;
    }

    public List<String> inputTypes() {
        return inputTypes;
    }

    public List<String> outputTypes() {
        return outputTypes;
    }
}
