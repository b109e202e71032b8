package io.litebit.model.options;

/** Padding scheme of convolutions and pools, as in TFLite's schema (SAME = 0, VALID = 1). */
public enum Padding {
    SAME,
    VALID;

    public static Padding fromCode(int code) {
        return code == 1 ? VALID : SAME;
    }

    public byte code() {
        return (byte) ordinal();
    }
}
