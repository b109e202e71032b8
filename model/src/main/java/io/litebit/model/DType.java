package io.litebit.model;

import java.util.Optional;

/**
 * A TFLite tensor element type, with its schema code and storage size.
 *
 * <p>Codes follow {@code TensorType} in TFLite's schema. Types newer than the schema classes we
 * compile against (for example {@code BFLOAT16}) are listed so that such models still load.
 *
 * <pre>{@code
 * DType t = DType.fromCode(9).orElseThrow();   // INT8
 * long bytes = t.storageBytes(1000);           // 1000
 * }</pre>
 */
public enum DType {
    FLOAT32(0, 32, true),
    FLOAT16(1, 16, true),
    INT32(2, 32, false),
    UINT8(3, 8, false),
    INT64(4, 64, false),
    /** Variable-length; the buffer holds TFLite's string layout, so no fixed size. */
    STRING(5, 0, false),
    BOOL(6, 8, false),
    INT16(7, 16, false),
    COMPLEX64(8, 64, true),
    INT8(9, 8, false),
    FLOAT64(10, 64, true),
    COMPLEX128(11, 128, true),
    UINT64(12, 64, false),
    RESOURCE(13, 0, false),
    VARIANT(14, 0, false),
    UINT32(15, 32, false),
    UINT16(16, 16, false),
    /** Packed two per byte in constant buffers. */
    INT4(17, 4, false),
    BFLOAT16(18, 16, true),
    INT2(19, 2, false),
    UINT4(20, 4, false),
    FLOAT8_E4M3FN(21, 8, true),
    FLOAT8_E5M2(22, 8, true);

    private final int code;
    private final int bits;
    private final boolean floating;

    DType(int code, int bits, boolean floating) {
        this.code = code;
        this.bits = bits;
        this.floating = floating;
    }

    /** The schema's {@code TensorType} value. */
    public int code() {
        return code;
    }

    /** Bits per element, or 0 when elements have no fixed size (STRING, RESOURCE, VARIANT). */
    public int bits() {
        return bits;
    }

    /** Bytes per element for byte-aligned types; 0 for sub-byte and variable-size types. */
    public int byteSize() {
        return bits % 8 == 0 ? bits / 8 : 0;
    }

    public boolean isFloatingPoint() {
        return floating;
    }

    public boolean hasFixedSize() {
        return bits > 0;
    }

    /** Integer types that quantized tensors use (int4 through int64, signed or not). */
    public boolean isInteger() {
        return !floating && bits > 0 && this != BOOL;
    }

    /** Smallest representable value of an integer type, as TFLite saturates to it. */
    public long minValue() {
        return switch (this) {
            case INT2 -> -2;
            case INT4 -> -8;
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            case UINT4, UINT8, UINT16, UINT32, UINT64, BOOL -> 0;
            default -> throw new UnsupportedOperationException(this + " is not an integer type");
        };
    }

    /** Largest representable value of an integer type (UINT64 reports Long.MAX_VALUE). */
    public long maxValue() {
        return switch (this) {
            case INT2 -> 1;
            case INT4 -> 7;
            case UINT4 -> 15;
            case INT8 -> Byte.MAX_VALUE;
            case UINT8 -> 255;
            case INT16 -> Short.MAX_VALUE;
            case UINT16 -> 65535;
            case INT32 -> Integer.MAX_VALUE;
            case UINT32 -> 0xFFFF_FFFFL;
            case INT64, UINT64 -> Long.MAX_VALUE;
            case BOOL -> 1;
            default -> throw new UnsupportedOperationException(this + " is not an integer type");
        };
    }

    /**
     * Bytes a dense buffer of {@code elements} elements occupies, rounding sub-byte types up to
     * whole bytes as TFLite packs them; -1 for types without a fixed size.
     */
    public long storageBytes(long elements) {
        if (bits == 0) {
            return -1;
        }
        return (elements * bits + 7) / 8;
    }

    public static Optional<DType> fromCode(int code) {
        for (DType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Lower-case name as numpy and TFLite's Python API print it, e.g. {@code int8}. */
    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
