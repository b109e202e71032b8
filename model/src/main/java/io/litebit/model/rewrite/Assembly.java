package io.litebit.model.rewrite;

import io.litebit.model.BuiltinOp;
import io.litebit.model.MetadataEntry;
import io.litebit.model.OperatorCode;
import io.litebit.model.TfliteModel;
import io.litebit.model.io.ModelReader;
import io.litebit.model.io.ModelWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Pieces every rewriter needs to turn edited parts back into a model that a reader accepts. */
final class Assembly {
    private Assembly() {
    }

    /**
     * Writes the assembled parts and reads them back, so that callers get exactly what any reader
     * of the file would see (and the reader's validation of it), not an in-memory assembly that
     * might never survive serialization.
     */
    static TfliteModel writeAndRead(TfliteModel assembled) {
        return ModelReader.read(ModelWriter.write(assembled));
    }

    /**
     * A new buffer list for a rewritten model. Buffer 0 stays TFLite's empty sentinel; other
     * buffers are added on demand and shared by key, so that tensors sharing a buffer in the input
     * still share one in the output, and buffers nobody uses any more simply never get added.
     */
    static final class Buffers {
        private final List<ByteBuffer> list = new ArrayList<>();
        private final Map<Object, Integer> byKey = new HashMap<>();

        Buffers() {
            list.add(null);
        }

        int add(Object key, Supplier<ByteBuffer> data) {
            Integer known = byKey.get(key);
            if (known != null) {
                return known;
            }
            int index = list.size();
            list.add(data.get());
            byKey.put(key, index);
            return index;
        }

        MetadataEntry metadata(MetadataEntry m, List<ByteBuffer> sourceBuffers) {
            ByteBuffer data = m.buffer() >= 0 && m.buffer() < sourceBuffers.size() ? sourceBuffers.get(m.buffer()) : null;
            int index = add(List.of("metadata", m.buffer()), () -> data);
            return new MetadataEntry(m.name(), index, m.data());
        }

        List<ByteBuffer> list() {
            return list;
        }
    }

    /**
     * A new operator-code table. Entries are created per (original entry, version) so that a table
     * that lists one entry per op (as some converters write) keeps that shape, and entries no
     * operator uses any more are dropped.
     */
    static final class OpCodes {
        private final List<OperatorCode> list = new ArrayList<>();
        private final Map<Object, Integer> byKey = new HashMap<>();

        int add(int originalIndex, OperatorCode code) {
            return byKey.computeIfAbsent(List.of(originalIndex, code.version()), k -> {
                list.add(code);
                return list.size() - 1;
            });
        }

        /** An op the rewriter introduces: reuses an existing entry of the same op and version. */
        int addNew(BuiltinOp op, int version) {
            for (int i = 0; i < list.size(); i++) {
                OperatorCode c = list.get(i);
                if (c.op() == op && c.version() == version && c.customCode() == null) {
                    return i;
                }
            }
            list.add(OperatorCode.of(op, version));
            return list.size() - 1;
        }

        List<OperatorCode> list() {
            return list;
        }
    }
}
