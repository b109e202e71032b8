package io.litebit.api;

import io.litebit.model.DType;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Which Java array type carries which tensor element types, for checked copies in and out. */
enum ArrayKind {
    BYTE("byte[]", EnumSet.of(DType.INT8, DType.UINT8, DType.BOOL)),
    SHORT("short[]", EnumSet.of(DType.INT16, DType.UINT16, DType.FLOAT16)),
    INT("int[]", EnumSet.of(DType.INT32, DType.UINT32)),
    LONG("long[]", EnumSet.of(DType.INT64, DType.UINT64)),
    FLOAT("float[]", EnumSet.of(DType.FLOAT32));

    private final String javaName;
    private final Set<DType> dtypes;

    ArrayKind(String javaName, Set<DType> dtypes) {
        this.javaName = javaName;
        this.dtypes = dtypes;
    }

    String javaName() {
        return javaName;
    }

    boolean accepts(DType dtype) {
        return dtypes.contains(dtype);
    }

    String dtypeNames() {
        return dtypes.stream().map(DType::displayName).collect(Collectors.joining(", "));
    }

    /** The array type that carries {@code dtype}, or null if none does (string, int4, ...). */
    static ArrayKind of(DType dtype) {
        for (ArrayKind k : values()) {
            if (k.accepts(dtype)) {
                return k;
            }
        }
        return null;
    }

    /**
     * Throws if an array of this kind cannot carry {@code dtype}; {@code what} names the tensor.
     */
    void check(DType dtype, String what) {
        if (!accepts(dtype)) {
            ArrayKind right = dtype == null ? null : of(dtype);
            throw new IllegalArgumentException(what + " has dtype "
                    + (dtype == null ? "notype" : dtype.displayName()) + ", given " + javaName
                    + " (which carries " + dtypeNames() + ")"
                    + (right == null ? "; no Java array type carries this dtype"
                            : "; use " + right.javaName()));
        }
    }
}
