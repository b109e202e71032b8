package io.litebit.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A named metadata entry of the model (e.g. {@code min_runtime_version}, {@code TFLITE_METADATA}).
 *
 * @param name   entry name
 * @param buffer index of the buffer holding its bytes
 * @param data   read-only view of the bytes
 */
public record MetadataEntry(String name, int buffer, ByteBuffer data) {
    public MetadataEntry {
        data = data.asReadOnlyBuffer();
    }

    @Override
    public ByteBuffer data() {
        return data.duplicate();
    }

    /** The bytes as text up to the first NUL when they look like text (e.g. a runtime version), else null. */
    public String asText() {
        ByteBuffer b = data.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            if (bytes[end] < 0x20 || bytes[end] > 0x7e) {
                return null;
            }
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }
}
