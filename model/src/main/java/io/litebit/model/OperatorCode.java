package io.litebit.model;

/**
 * An entry of the model's operator-code table: which builtin (or custom) op and which version.
 *
 * <p>{@code code} is the resolved builtin code, as TFLite resolves it: the larger of {@code
 * builtin_code} and {@code deprecated_builtin_code} (files written before code 127 was exhausted
 * only fill the deprecated byte; newer ones put 127 there and the real code in the int field).
 *
 * @param code       resolved builtin operator code
 * @param op         the operator, or null when {@code code} is newer than {@link BuiltinOp}
 * @param customCode the custom op's name for {@code CUSTOM}, else null
 * @param version    the op version (1 when the file leaves it out)
 */
public record OperatorCode(int code, BuiltinOp op, String customCode, int version) {

    public static OperatorCode of(BuiltinOp op, int version) {
        return new OperatorCode(op.code(), op, null, version);
    }

    public static OperatorCode custom(String name, int version) {
        return new OperatorCode(BuiltinOp.CUSTOM.code(), BuiltinOp.CUSTOM, name, version);
    }

    public boolean isKnown() {
        return op != null;
    }

    public boolean isCustom() {
        return op == BuiltinOp.CUSTOM;
    }

    /** {@code CONV_2D}, {@code CUSTOM(name)} or {@code unknown (code N)}. */
    public String displayName() {
        if (op == null) {
            return "unknown (code " + code + ")";
        }
        return isCustom() ? "CUSTOM(" + customCode + ")" : op.name();
    }
}
