package io.litebit.model.io;

import io.litebit.model.ModelFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Bounds checks for the FlatBuffers wire format. FlatBuffers' Java runtime has no verifier, and
 * its generated accessors read wherever an offset points; so every table, vector and string the
 * reader touches goes through here first, and a bad offset becomes a {@link ModelFormatException}
 * naming the location instead of an IndexOutOfBoundsException from deep inside the runtime.
 */
final class FlatBufferChecker {
    private static final int MAX_DEPTH = 64;

    private final ByteBuffer bb;
    private final int limit;

    FlatBufferChecker(ByteBuffer bb) {
        this.bb = bb.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.limit = bb.limit();
    }

    private ModelFormatException fail(String where, String what) {
        return new ModelFormatException(where + ": " + what);
    }

    private void require(long pos, long len, String where, String what) {
        if (pos < 0 || len < 0 || pos + len > limit) {
            throw fail(where, what + " at byte " + pos + " (length " + len + ") lies outside the "
                    + limit + "-byte file (truncated or corrupt)");
        }
    }

    /** Position of the root table, checked. */
    int root(String where) {
        require(0, 8, where, "file header");
        long rootOffset = Integer.toUnsignedLong(bb.getInt(0));
        return table(rootOffset, where, 0);
    }

    /** Checks the table at {@code pos} and its vtable; returns pos. */
    int table(long pos, String where, int depth) {
        if (depth > MAX_DEPTH) {
            throw fail(where, "tables nested deeper than " + MAX_DEPTH);
        }
        require(pos, 4, where, "table");
        long vtable = pos - bb.getInt((int) pos);
        require(vtable, 4, where, "vtable");
        int vtSize = Short.toUnsignedInt(bb.getShort((int) vtable));
        int tableSize = Short.toUnsignedInt(bb.getShort((int) vtable + 2));
        if (vtSize < 4 || (vtSize & 1) != 0) {
            throw fail(where, "vtable size " + vtSize + " is not an even number >= 4");
        }
        require(vtable, vtSize, where, "vtable");
        if (tableSize < 4) {
            throw fail(where, "table size " + tableSize + " is smaller than its 4-byte header");
        }
        require(pos, tableSize, where, "table");
        for (int o = 4; o < vtSize; o += 2) {
            int fieldOffset = Short.toUnsignedInt(bb.getShort((int) vtable + o));
            if (fieldOffset != 0 && (fieldOffset < 4 || fieldOffset >= tableSize)) {
                throw fail(where, "field " + ((o - 4) / 2) + " at offset " + fieldOffset
                        + " lies outside its " + tableSize + "-byte table");
            }
        }
        return (int) pos;
    }

    /** Byte position of field {@code slot} in the table, or -1 when absent; the field fits {@code width} bytes. */
    int field(int table, int slot, int width, String where) {
        int vtable = table - bb.getInt(table);
        int vtSize = Short.toUnsignedInt(bb.getShort(vtable));
        int o = 4 + 2 * slot;
        if (o >= vtSize) {
            return -1;
        }
        int fieldOffset = Short.toUnsignedInt(bb.getShort(vtable + o));
        if (fieldOffset == 0) {
            return -1;
        }
        int tableSize = Short.toUnsignedInt(bb.getShort(vtable + 2));
        if (fieldOffset + width > tableSize) {
            throw fail(where, "field " + slot + " (" + width + " bytes at offset " + fieldOffset
                    + ") overruns its " + tableSize + "-byte table");
        }
        return table + fieldOffset;
    }

    /** Follows an offset field; returns the target position or -1 when the field is absent. */
    private long indirect(int table, int slot, String where) {
        int p = field(table, slot, 4, where);
        if (p < 0) {
            return -1;
        }
        return p + Integer.toUnsignedLong(bb.getInt(p));
    }

    /** Checks a vector field of fixed-size elements; returns its element count, or -1 when absent. */
    int vector(int table, int slot, int elementSize, String where) {
        long v = indirect(table, slot, where);
        if (v < 0) {
            return -1;
        }
        require(v, 4, where, "vector length");
        long n = Integer.toUnsignedLong(bb.getInt((int) v));
        require(v + 4, n * elementSize, where, "vector of " + n + " elements");
        return (int) n;
    }

    /** Checks a string field (and its NUL terminator); returns false when absent. */
    boolean string(int table, int slot, String where) {
        long v = indirect(table, slot, where);
        if (v < 0) {
            return false;
        }
        require(v, 4, where, "string length");
        long n = Integer.toUnsignedLong(bb.getInt((int) v));
        require(v + 4, n + 1, where, "string of " + n + " bytes");
        return true;
    }

    /**
     * Reads a string field, or null when absent. Invalid UTF-8 is replaced rather than rejected:
     * TFLite treats names as opaque bytes, so a garbled name does not make a model unusable.
     */
    String readString(int table, int slot, String where) {
        if (!string(table, slot, where)) {
            return null;
        }
        long v = indirect(table, slot, where);
        int n = bb.getInt((int) v);
        byte[] bytes = new byte[n];
        bb.get((int) v + 4, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Checks a sub-table field; returns its position or -1 when absent. */
    int subTable(int table, int slot, String where, int depth) {
        long t = indirect(table, slot, where);
        return t < 0 ? -1 : table(t, where, depth + 1);
    }

    /** Checks a vector of tables; returns the element table positions (empty when absent). */
    int[] tableVector(int table, int slot, String where, String elementName, int depth) {
        int n = vector(table, slot, 4, where);
        if (n <= 0) {
            return new int[0];
        }
        long v = indirect(table, slot, where);
        int[] result = new int[n];
        for (int i = 0; i < n; i++) {
            long elem = v + 4 + 4L * i;
            result[i] = table(elem + Integer.toUnsignedLong(bb.getInt((int) elem)),
                    where + ", " + elementName + " " + i, depth + 1);
        }
        return result;
    }
}
