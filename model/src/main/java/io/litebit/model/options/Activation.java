package io.litebit.model.options;

/** A fused activation function, as in TFLite's schema ({@code ActivationFunctionType}). */
public enum Activation {
    NONE,
    RELU,
    RELU_N1_TO_1,
    RELU6,
    TANH,
    SIGN_BIT;

    public static Activation fromCode(int code) {
        Activation[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("unknown fused activation code " + code + ", expected 0.." + (all.length - 1));
        }
        return all[code];
    }

    public byte code() {
        return (byte) ordinal();
    }
}
