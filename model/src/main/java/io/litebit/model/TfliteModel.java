package io.litebit.model;

import io.litebit.model.io.ModelReader;
import io.litebit.model.io.ModelWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An immutable, validated view of a {@code .tflite} model.
 *
 * <p>Loading checks the whole FlatBuffer structure and the references inside it; any malformed
 * file becomes a {@link ModelFormatException} naming the problem and its location. Constant
 * tensor data is never copied: tensors expose read-only views of the loaded bytes (memory-mapped
 * when loaded from a path).
 *
 * <pre>{@code
 * TfliteModel model = TfliteModel.load(Path.of("mobilenet.tflite"));
 * Subgraph g = model.mainSubgraph();
 * System.out.println(g.operators().size() + " ops, input " + g.inputTensor(0));
 * model.warnings().forEach(System.out::println);
 * byte[] copy = model.toBytes();            // written back with litebit's writer
 * }</pre>
 */
public final class TfliteModel {
    private final long version;
    private final String description;
    private final List<OperatorCode> operatorCodes;
    private final List<Subgraph> subgraphs;
    private final List<ByteBuffer> buffers;
    private final List<MetadataEntry> metadata;
    private final List<SignatureDef> signatures;
    private final List<ModelWarning> warnings;
    private final ByteBuffer source;

    /**
     * Assembles a model from parts (the reader, the builder and rewriters use this). Buffers may
     * contain null for "no data"; buffer 0 must be TFLite's empty sentinel.
     */
    public TfliteModel(long version, String description, List<OperatorCode> operatorCodes, List<Subgraph> subgraphs,
                       List<ByteBuffer> buffers, List<MetadataEntry> metadata, List<SignatureDef> signatures,
                       List<ModelWarning> warnings, ByteBuffer source) {
        this.version = version;
        this.description = description == null ? "" : description;
        this.operatorCodes = List.copyOf(operatorCodes);
        this.subgraphs = List.copyOf(subgraphs);
        List<ByteBuffer> b = new ArrayList<>(buffers.size());
        for (ByteBuffer buf : buffers) {
            b.add(buf == null ? null : buf.asReadOnlyBuffer());
        }
        this.buffers = Collections.unmodifiableList(b);
        this.metadata = List.copyOf(metadata);
        this.signatures = List.copyOf(signatures);
        this.warnings = List.copyOf(warnings);
        this.source = source == null ? null : source.asReadOnlyBuffer();
    }

    /** Memory-maps and validates a model file. */
    public static TfliteModel load(Path path) throws IOException {
        return ModelReader.read(path);
    }

    /** Validates a model held in a byte array; the array is wrapped, not copied, so do not change it. */
    public static TfliteModel fromBytes(byte[] bytes) {
        return ModelReader.read(ByteBuffer.wrap(bytes));
    }

    /** Validates a model held in a buffer (heap, direct or mapped); its contents are not copied. */
    public static TfliteModel fromBuffer(ByteBuffer buffer) {
        return ModelReader.read(buffer);
    }

    /** The schema version (3 for every current file). */
    public long version() {
        return version;
    }

    public String description() {
        return description;
    }

    public List<OperatorCode> operatorCodes() {
        return operatorCodes;
    }

    public List<Subgraph> subgraphs() {
        return subgraphs;
    }

    /** Subgraph 0, the one TFLite runs by default. */
    public Subgraph mainSubgraph() {
        if (subgraphs.isEmpty()) {
            throw new IllegalStateException("the model has no subgraphs");
        }
        return subgraphs.get(0);
    }

    /** Raw buffers by index; an entry is null when the buffer holds no data. */
    public List<ByteBuffer> buffers() {
        return buffers;
    }

    public List<MetadataEntry> metadata() {
        return metadata;
    }

    public Optional<MetadataEntry> metadata(String name) {
        return metadata.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public List<SignatureDef> signatures() {
        return signatures;
    }

    /** Semantic findings of the load (empty for models built or rewritten by litebit, unless inherited). */
    public List<ModelWarning> warnings() {
        return warnings;
    }

    /** The bytes this model was loaded from, if it was loaded (read-only). */
    public Optional<ByteBuffer> source() {
        return source == null ? Optional.empty() : Optional.of(source.duplicate());
    }

    /**
     * The model as {@code .tflite} bytes: the loaded bytes when this model was loaded, otherwise
     * written by {@link ModelWriter}.
     */
    public byte[] toBytes() {
        ByteBuffer b = source != null ? source.duplicate() : ModelWriter.write(this);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Writes the model with litebit's writer, even when it was loaded from bytes. */
    public ByteBuffer write() {
        return ModelWriter.write(this);
    }

    /** Total bytes of constant tensor data per dtype, over all subgraphs (shared buffers counted once). */
    public java.util.Map<DType, Long> weightBytesByType() {
        java.util.Map<DType, Long> sizes = new java.util.EnumMap<>(DType.class);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (Subgraph g : subgraphs) {
            for (Tensor t : g.tensors()) {
                if (t.isConstant() && seen.add(t.buffer())) {
                    sizes.merge(t.dtype(), (long) t.data().orElseThrow().remaining(), Long::sum);
                }
            }
        }
        return sizes;
    }
}
