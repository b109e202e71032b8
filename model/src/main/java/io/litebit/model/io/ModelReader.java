package io.litebit.model.io;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.MetadataEntry;
import io.litebit.model.ModelFormatException;
import io.litebit.model.ModelWarning;
import io.litebit.model.Operator;
import io.litebit.model.OperatorCode;
import io.litebit.model.Quantization;
import io.litebit.model.Shapes;
import io.litebit.model.SignatureDef;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.options.BuiltinOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates {@code .tflite} bytes into a {@link TfliteModel}.
 *
 * <p>Two kinds of problems are told apart. Structural ones (bytes that are not a TFLite
 * FlatBuffer, out-of-range offsets or indices, constant data of the wrong size, inconsistent
 * quantization arrays) make the model unusable and raise {@link ModelFormatException}. Semantic
 * ones that a sound file can have and that full TFLite rejects at interpreter build time (for
 * example a {@code quantized_dimension} outside the tensor's rank, which TFLite Micro tolerates)
 * become {@link ModelWarning}s, worded like TFLite's own messages.
 */
public final class ModelReader {
    static final String FILE_IDENTIFIER = "TFL3";

    private final ByteBuffer bb;
    private final FlatBufferChecker check;
    private final List<ModelWarning> warnings = new ArrayList<>();

    private ModelReader(ByteBuffer bytes) {
        this.bb = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.check = new FlatBufferChecker(bb);
    }

    /** Memory-maps the file (read-only) and reads it. */
    public static TfliteModel read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new ModelFormatException(path + ": " + size + " bytes is larger than the 2 GiB a FlatBuffer can address");
            }
            ByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            try {
                return read(mapped);
            } catch (ModelFormatException e) {
                throw new ModelFormatException(path + ": " + e.getMessage(), e);
            }
        }
    }

    public static TfliteModel read(ByteBuffer bytes) {
        ModelReader reader = new ModelReader(bytes);
        try {
            return reader.readModel();
        } catch (ModelFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            // Every access is checked first; this is the last line of defence so that no bad file
            // can ever surface as an IndexOutOfBounds or NullPointerException.
            throw new ModelFormatException("malformed FlatBuffer: " + e, e);
        }
    }

    private TfliteModel readModel() {
        if (bb.limit() < 8) {
            throw new ModelFormatException("not a TFLite model: " + bb.limit() + " bytes is shorter than a FlatBuffer header");
        }
        byte[] ident = new byte[4];
        bb.get(4, ident);
        String id = new String(ident, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!FILE_IDENTIFIER.equals(id)) {
            throw new ModelFormatException("not a TFLite model: file identifier is \"" + printable(id)
                    + "\", expected \"" + FILE_IDENTIFIER + "\"");
        }
        int root = check.root("model");
        var m = new org.tensorflow.lite.schema.Model().__assign(root, bb);

        long version = check.field(root, 0, 4, "model version") < 0 ? 0 : m.version();
        if (version != 3) {
            warnings.add(new ModelWarning("model", "Model provided is schema version " + version
                    + " not equal to supported version 3."));
        }
        String description = orEmpty(check.readString(root, 3, "model description"));

        List<ByteBuffer> buffers = readBuffers(root);
        List<OperatorCode> opcodes = readOperatorCodes(root);

        int[] subgraphPos = check.tableVector(root, 2, "model", "subgraph", 0);
        if (subgraphPos.length == 0) {
            throw new ModelFormatException("model: no subgraph in the model");
        }
        List<Subgraph> subgraphs = new ArrayList<>();
        for (int i = 0; i < subgraphPos.length; i++) {
            subgraphs.add(readSubgraph(i, subgraphPos[i], buffers, opcodes));
        }
        List<MetadataEntry> metadata = readMetadata(root, buffers);
        List<SignatureDef> signatures = readSignatures(root, subgraphs);
        int metadataBuffers = check.vector(root, 5, 4, "model metadata_buffer");
        for (int i = 0; i < metadataBuffers; i++) {
            int b = m.metadataBuffer(i);
            if (b < 0 || b >= buffers.size()) {
                throw new ModelFormatException("model metadata_buffer[" + i + "]: buffer index " + b
                        + " out of range, the model has " + buffers.size() + " buffers");
            }
        }
        return new TfliteModel(version, description, opcodes, subgraphs, buffers, metadata, signatures, warnings, bb);
    }

    private List<ByteBuffer> readBuffers(int root) {
        int[] pos = check.tableVector(root, 4, "model", "buffer", 0);
        List<ByteBuffer> buffers = new ArrayList<>(pos.length);
        for (int i = 0; i < pos.length; i++) {
            String where = "buffer " + i;
            int n = check.vector(pos[i], 0, 1, where);
            ByteBuffer data = null;
            if (n > 0) {
                var b = new org.tensorflow.lite.schema.Buffer().__assign(pos[i], bb);
                ByteBuffer view = b.dataAsByteBuffer();
                data = bb.slice(view.position(), n).order(ByteOrder.LITTLE_ENDIAN);
            } else {
                // Since schema 3c, large constants live after the FlatBuffer; offset/size locate them.
                int offPos = check.field(pos[i], 1, 8, where);
                int sizePos = check.field(pos[i], 2, 8, where);
                long offset = offPos < 0 ? 0 : bb.getLong(offPos);
                long size = sizePos < 0 ? 0 : bb.getLong(sizePos);
                if (offset > 1) {
                    if (size < 0 || offset + size > bb.limit() || offset + size < 0) {
                        throw new ModelFormatException(where + ": external data at offset " + offset + " with size "
                                + size + " lies outside the " + bb.limit() + "-byte file");
                    }
                    if (size > 0) {
                        data = bb.slice((int) offset, (int) size).order(ByteOrder.LITTLE_ENDIAN);
                    }
                }
            }
            buffers.add(data);
        }
        return buffers;
    }

    private List<OperatorCode> readOperatorCodes(int root) {
        int[] pos = check.tableVector(root, 1, "model", "operator code", 0);
        List<OperatorCode> codes = new ArrayList<>(pos.length);
        for (int i = 0; i < pos.length; i++) {
            String where = "operator code " + i;
            var oc = new org.tensorflow.lite.schema.OperatorCode().__assign(pos[i], bb);
            int deprecated = check.field(pos[i], 0, 1, where) < 0 ? 0 : oc.deprecatedBuiltinCode();
            String custom = check.readString(pos[i], 1, where);
            int version = check.field(pos[i], 2, 4, where) < 0 ? 1 : oc.version();
            int builtin = check.field(pos[i], 3, 4, where) < 0 ? 0 : oc.builtinCode();
            if (deprecated < 0 || builtin < 0) {
                throw new ModelFormatException(where + ": invalid builtin operator code (builtin_code " + builtin
                        + ", deprecated_builtin_code " + deprecated + "), expected non-negative codes");
            }
            // TFLite's GetBuiltinCode: the larger of the two fields is the real code.
            int code = Math.max(builtin, deprecated);
            BuiltinOp op = BuiltinOp.fromCode(code);
            if (op == BuiltinOp.CUSTOM && custom == null) {
                throw new ModelFormatException(where + ": CUSTOM operator without a custom_code name");
            }
            if (op == null) {
                warnings.add(new ModelWarning(where, "operator code " + code
                        + " is newer than the schema litebit knows; shown as unknown (code " + code + ")"));
            }
            codes.add(new OperatorCode(code, op, custom, version));
        }
        return codes;
    }

    private Subgraph readSubgraph(int index, int pos, List<ByteBuffer> buffers, List<OperatorCode> opcodes) {
        String where = "subgraph " + index;
        var sg = new org.tensorflow.lite.schema.SubGraph().__assign(pos, bb);
        String name = orEmpty(check.readString(pos, 4, where));

        int[] tensorPos = check.tableVector(pos, 0, where, "tensor", 1);
        List<Tensor> tensors = new ArrayList<>(tensorPos.length);
        for (int t = 0; t < tensorPos.length; t++) {
            tensors.add(readTensor(where + ", tensor " + t, t, tensorPos[t], buffers));
        }
        int n = tensors.size();
        int[] inputs = intVector(pos, 1, where + " inputs");
        int[] outputs = intVector(pos, 2, where + " outputs");
        checkTensorIndices(inputs, n, where + " inputs", false);
        checkTensorIndices(outputs, n, where + " outputs", false);

        int[] opPos = check.tableVector(pos, 3, where, "operator", 1);
        List<Operator> operators = new ArrayList<>(opPos.length);
        for (int o = 0; o < opPos.length; o++) {
            operators.add(readOperator(where + ", operator " + o, o, opPos[o], opcodes, n));
        }
        checkOrder(where, tensors, inputs, operators);
        return new Subgraph(index, name, tensors, inputs, outputs, operators);
    }

    private Tensor readTensor(String where, int index, int pos, List<ByteBuffer> buffers) {
        var t = new org.tensorflow.lite.schema.Tensor().__assign(pos, bb);
        String name = orEmpty(check.readString(pos, 3, where));
        String at = where + " \"" + name + "\"";
        int typeCode = check.field(pos, 1, 1, at) < 0 ? 0 : t.type();
        DType dtype = DType.fromCode(typeCode).orElseThrow(() ->
                new ModelFormatException(at + ": unknown tensor type code " + typeCode + ", expected 0..22"));
        int[] shape = intVector(pos, 0, at + " shape");
        int[] signature = check.vector(pos, 7, 4, at + " shape_signature") < 0 ? null : intVector(pos, 7, at);
        long buffer = check.field(pos, 2, 4, at) < 0 ? 0 : t.buffer();
        if (buffer >= buffers.size()) {
            throw new ModelFormatException(at + ": buffer index " + buffer + " out of range, the model has "
                    + buffers.size() + " buffers");
        }
        boolean variable = check.field(pos, 5, 1, at) >= 0 && t.isVariable();
        boolean sparse = check.subTable(pos, 6, at + " sparsity", 2) >= 0;
        int quantPos = check.subTable(pos, 4, at + " quantization", 2);
        Quantization q = quantPos < 0 ? Quantization.NONE : readQuantization(at, quantPos, shape);

        ByteBuffer data = buffers.get((int) buffer);
        if (data != null && !sparse && dtype.hasFixedSize()) {
            long elements = Shapes.elementCount(shape);
            long expected = dtype.storageBytes(elements);
            if (elements < 0 || expected != data.remaining()) {
                throw new ModelFormatException(at + ": constant buffer " + buffer + " holds " + data.remaining()
                        + " bytes, expected " + expected + " for shape " + Arrays.toString(shape) + " of "
                        + dtype.displayName());
            }
        }
        if (data == null) {
            for (int d : shape) {
                if (d < 0) {
                    warnings.add(new ModelWarning(at, "shape " + Arrays.toString(shape)
                            + " has a negative dimension; dynamic dimensions belong in shape_signature"));
                    break;
                }
            }
        }
        return new Tensor(index, name, dtype, shape, signature, (int) buffer, data, q, variable, sparse);
    }

    private Quantization readQuantization(String where, int pos, int[] shape) {
        String at = where + " quantization";
        var q = new org.tensorflow.lite.schema.QuantizationParameters().__assign(pos, bb);
        int nMin = check.vector(pos, 0, 4, at + " min");
        int nMax = check.vector(pos, 1, 4, at + " max");
        int nScale = check.vector(pos, 2, 4, at + " scale");
        int nZero = check.vector(pos, 3, 8, at + " zero_point");
        int qdim = check.field(pos, 6, 4, at) < 0 ? 0 : q.quantizedDimension();
        if (check.field(pos, 4, 1, at) >= 0 && q.detailsType() != 0) {
            check.subTable(pos, 5, at + " details", 3);
        }
        if (Math.max(nMin, 0) != Math.max(nMax, 0)) {
            throw new ModelFormatException(at + ": " + Math.max(nMin, 0) + " min values but " + Math.max(nMax, 0)
                    + " max values, expected the same number");
        }
        if (nScale > 0 && nZero > 0 && nScale != nZero) {
            throw new ModelFormatException(at + ": QuantizationParam has " + nZero + " zero_point values and "
                    + nScale + " scale values. Must have same number.");
        }
        float[] min = new float[Math.max(nMin, 0)];
        float[] max = new float[Math.max(nMax, 0)];
        float[] scale = new float[Math.max(nScale, 0)];
        long[] zero = new long[Math.max(nZero, 0)];
        for (int i = 0; i < min.length; i++) {
            min[i] = q.min(i);
            max[i] = q.max(i);
        }
        for (int i = 0; i < scale.length; i++) {
            scale[i] = q.scale(i);
        }
        for (int i = 0; i < zero.length; i++) {
            zero[i] = q.zeroPoint(i);
        }
        if (scale.length > 0) {
            // The checks of TFLite's InterpreterBuilder::ParseQuantization, with its wording.
            if (zero.length == 0) {
                warnings.add(new ModelWarning(where, "Quantization parameters has non-null scale but null zero_point."));
            }
            if (qdim < 0 || (shape.length > 0 && qdim >= shape.length)) {
                warnings.add(new ModelWarning(where, "quantized_dimension must be in range [0, " + shape.length
                        + "). Was " + qdim + "."));
            } else if (scale.length != 1 && shape.length > 0 && scale.length != shape[qdim]) {
                warnings.add(new ModelWarning(where, "num_scales must be 1 for per-layer quantization, or "
                        + shape[qdim] + " for per-axis quantization, but got " + scale.length + "."));
            }
            for (int i = 0; i < scale.length; i++) {
                if (!(scale[i] > 0) || Float.isInfinite(scale[i])) {
                    warnings.add(new ModelWarning(where, "scale[" + i + "] is " + scale[i]
                            + ", expected a finite positive number"));
                    break;
                }
            }
        }
        return new Quantization(scale, zero, qdim, min, max);
    }

    private Operator readOperator(String where, int index, int pos, List<OperatorCode> opcodes, int tensorCount) {
        var op = new org.tensorflow.lite.schema.Operator().__assign(pos, bb);
        long opcodeIndex = check.field(pos, 0, 4, where) < 0 ? 0 : op.opcodeIndex();
        if (opcodeIndex >= opcodes.size()) {
            throw new ModelFormatException(where + ": opcode index " + opcodeIndex + " out of range, the model has "
                    + opcodes.size() + " operator codes");
        }
        OperatorCode opcode = opcodes.get((int) opcodeIndex);
        String at = where + " (" + opcode.displayName() + ")";
        int[] inputs = intVector(pos, 1, at + " inputs");
        int[] outputs = intVector(pos, 2, at + " outputs");
        int[] intermediates = intVector(pos, 8, at + " intermediates");
        checkTensorIndices(inputs, tensorCount, at + " inputs", true);
        checkTensorIndices(outputs, tensorCount, at + " outputs", false);
        checkTensorIndices(intermediates, tensorCount, at + " intermediates", false);
        int optionsType = check.field(pos, 3, 1, at) < 0 ? 0 : Byte.toUnsignedInt(op.builtinOptionsType());
        BuiltinOptions options = BuiltinOptions.None.INSTANCE;
        if (optionsType != 0) {
            int optPos = check.subTable(pos, 4, at + " builtin_options", 2);
            if (optPos >= 0) {
                options = OptionsCodec.read(optionsType, optPos, bb, check, at + " builtin_options",
                        () -> op.unpack().getBuiltinOptions().getValue());
            }
        }
        ByteBuffer custom = null;
        int nCustom = check.vector(pos, 5, 1, at + " custom_options");
        if (nCustom > 0) {
            custom = bb.slice(op.customOptionsAsByteBuffer().position(), nCustom);
        }
        return new Operator(index, (int) opcodeIndex, opcode, inputs, outputs, intermediates, options, custom);
    }

    private List<MetadataEntry> readMetadata(int root, List<ByteBuffer> buffers) {
        int[] pos = check.tableVector(root, 6, "model", "metadata", 0);
        List<MetadataEntry> result = new ArrayList<>();
        for (int i = 0; i < pos.length; i++) {
            String where = "metadata " + i;
            var md = new org.tensorflow.lite.schema.Metadata().__assign(pos[i], bb);
            String name = orEmpty(check.readString(pos[i], 0, where));
            long b = check.field(pos[i], 1, 4, where) < 0 ? 0 : md.buffer();
            if (b >= buffers.size()) {
                throw new ModelFormatException(where + " \"" + name + "\": buffer index " + b
                        + " out of range, the model has " + buffers.size() + " buffers");
            }
            ByteBuffer data = buffers.get((int) b);
            result.add(new MetadataEntry(name, (int) b, data == null ? ByteBuffer.allocate(0) : data));
        }
        return result;
    }

    private List<SignatureDef> readSignatures(int root, List<Subgraph> subgraphs) {
        int[] pos = check.tableVector(root, 7, "model", "signature", 0);
        List<SignatureDef> result = new ArrayList<>();
        for (int i = 0; i < pos.length; i++) {
            String where = "signature " + i;
            var sd = new org.tensorflow.lite.schema.SignatureDef().__assign(pos[i], bb);
            String key = orEmpty(check.readString(pos[i], 2, where));
            long sub = check.field(pos[i], 4, 4, where) < 0 ? 0 : sd.subgraphIndex();
            if (sub >= subgraphs.size()) {
                throw new ModelFormatException(where + " \"" + key + "\": subgraph index " + sub
                        + " out of range, the model has " + subgraphs.size() + " subgraphs");
            }
            int tensorCount = subgraphs.get((int) sub).tensors().size();
            Map<String, Integer> inputs = tensorMaps(pos[i], 0, where + " \"" + key + "\" inputs", tensorCount);
            Map<String, Integer> outputs = tensorMaps(pos[i], 1, where + " \"" + key + "\" outputs", tensorCount);
            result.add(new SignatureDef(key, (int) sub, inputs, outputs));
        }
        return result;
    }

    private Map<String, Integer> tensorMaps(int table, int slot, String where, int tensorCount) {
        int[] pos = check.tableVector(table, slot, where, "entry", 2);
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < pos.length; i++) {
            var tm = new org.tensorflow.lite.schema.TensorMap().__assign(pos[i], bb);
            String name = orEmpty(check.readString(pos[i], 0, where));
            long t = check.field(pos[i], 1, 4, where) < 0 ? 0 : tm.tensorIndex();
            if (t >= tensorCount) {
                throw new ModelFormatException(where + " \"" + name + "\": tensor index " + t
                        + " out of range, the subgraph has " + tensorCount + " tensors");
            }
            map.put(name, (int) t);
        }
        return map;
    }

    private int[] intVector(int table, int slot, String where) {
        int n = check.vector(table, slot, 4, where);
        if (n <= 0) {
            return new int[0];
        }
        int vtable = table - bb.getInt(table);
        int fieldPos = table + Short.toUnsignedInt(bb.getShort(vtable + 4 + 2 * slot));
        int start = fieldPos + bb.getInt(fieldPos) + 4;
        int[] result = new int[n];
        for (int i = 0; i < n; i++) {
            result[i] = bb.getInt(start + 4 * i);
        }
        return result;
    }

    private static void checkTensorIndices(int[] indices, int tensorCount, String where, boolean optionalAllowed) {
        for (int i = 0; i < indices.length; i++) {
            int t = indices[i];
            if (t == -1 && optionalAllowed) {
                continue;
            }
            if (t < 0 || t >= tensorCount) {
                throw new ModelFormatException(where + "[" + i + "]: tensor index " + t + " out of range, the subgraph has "
                        + tensorCount + " tensors" + (optionalAllowed ? " (-1 marks an omitted optional input)" : ""));
            }
        }
    }

    /** TFLite runs nodes in stored order, so a node reading a tensor that a later node writes reads garbage. */
    private void checkOrder(String where, List<Tensor> tensors, int[] inputs, List<Operator> operators) {
        boolean[] ready = new boolean[tensors.size()];
        for (Tensor t : tensors) {
            ready[t.index()] = t.isConstant() || t.isVariable();
        }
        for (int i : inputs) {
            ready[i] = true;
        }
        boolean[] producedLater = new boolean[tensors.size()];
        for (Operator op : operators) {
            for (int o : op.outputs()) {
                producedLater[o] = true;
            }
        }
        for (Operator op : operators) {
            for (int in : op.inputs()) {
                if (in >= 0 && !ready[in] && producedLater[in]) {
                    warnings.add(new ModelWarning(where + ", operator " + op.index(), "reads tensor " + in
                            + " before the operator that writes it has run (operators are not in execution order)"));
                    ready[in] = true;
                }
            }
            for (int o : op.outputs()) {
                ready[o] = true;
            }
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.toString();
    }
}
