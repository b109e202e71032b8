package io.litebit.model.build;

import io.litebit.model.MetadataEntry;
import io.litebit.model.Operator;
import io.litebit.model.OperatorCode;
import io.litebit.model.SignatureDef;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.io.ModelReader;
import io.litebit.model.io.ModelWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds {@code .tflite} models in Java.
 *
 * <p>A model has one or more subgraphs ({@link #main()} is subgraph 0, the one TFLite runs by
 * default), optional signatures, a description and metadata entries. Operators are added to a
 * {@link SubgraphBuilder}, which infers output shapes and op versions the way TFLite does. {@link
 * #build()} assembles the model, writes it with {@link ModelWriter} and reads the bytes back with
 * {@link ModelReader}, so the returned model is exactly what any reader of the file sees
 * ({@link TfliteModel#toBytes()} gives those bytes).
 *
 * <p>Layout choices, as TFLite's converter makes them: buffer 0 is the empty sentinel and every
 * constant has its own buffer; tensors without data refer to buffer 0; operator codes are shared
 * by all operators with the same (op, version, custom code), in order of first use.
 *
 * <pre>{@code
 * ModelBuilder mb = ModelBuilder.create().description("tiny int8 classifier");
 * SubgraphBuilder g = mb.main();
 * Quantization inQ = Quantization.perTensor(0.5f, -128);
 * TensorRef x = g.input("x", DType.INT8, new int[] {1, 4}, inQ);
 * Quantization wQ = Quantization.perTensor(0.01f, 0);
 * TensorRef w = g.constant("w", DType.INT8, new int[] {3, 4}, new byte[12], wQ);
 * TensorRef b = g.constant("b", new int[] {3}, new int[3], SubgraphBuilder.biasQuantization(inQ, wQ));
 * TensorRef logits = g.fullyConnected(x, w, b, new BuiltinOptions.FullyConnected(Activation.NONE, false),
 *         Out.int8(0.1f, 0).named("logits"));                       // [1, 3], FULLY_CONNECTED v4
 * g.output(g.softmax(logits, 1f, Out.of(DType.INT8).named("probs")));  // scale 1/256, zero point -128
 * mb.signature("serving_default", g);
 * TfliteModel model = mb.build();
 * Files.write(Path.of("tiny.tflite"), model.toBytes());
 * }</pre>
 */
public final class ModelBuilder {
    private String description = "";
    private final List<SubgraphBuilder> subgraphs = new ArrayList<>();
    private final List<Map.Entry<String, byte[]>> metadata = new ArrayList<>();
    private final List<SignatureSpec> signatures = new ArrayList<>();

    private ModelBuilder() {
    }

    public static ModelBuilder create() {
        return new ModelBuilder();
    }

    public ModelBuilder description(String text) {
        this.description = text == null ? "" : text;
        return this;
    }

    /** Subgraph 0, named "main" as the converter names it; created on first use. */
    public SubgraphBuilder main() {
        if (subgraphs.isEmpty()) {
            subgraphs.add(new SubgraphBuilder(this, 0, "main"));
        }
        return subgraphs.get(0);
    }

    /** A further subgraph (e.g. the body of a WHILE); the first one added becomes subgraph 0 if main() was not called. */
    public SubgraphBuilder addSubgraph(String name) {
        SubgraphBuilder g = new SubgraphBuilder(this, subgraphs.size(), name);
        subgraphs.add(g);
        return g;
    }

    public List<SubgraphBuilder> subgraphs() {
        return List.copyOf(subgraphs);
    }

    /** A metadata entry (its bytes go into a buffer of their own). */
    public ModelBuilder metadata(String name, byte[] data) {
        Objects.requireNonNull(name, "metadata name");
        for (Map.Entry<String, byte[]> e : metadata) {
            if (e.getKey().equals(name)) {
                throw new IllegalArgumentException("metadata \"" + name + "\" is already set");
            }
        }
        metadata.add(Map.entry(name, data.clone()));
        return this;
    }

    /** A text metadata entry, NUL-terminated as TFLite writes {@code min_runtime_version}. */
    public ModelBuilder metadata(String name, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        byte[] withNul = new byte[t.length + 1];
        System.arraycopy(t, 0, withNul, 0, t.length);
        return metadata(name, withNul);
    }

    /** A signature over all of the subgraph's inputs and outputs, named after their tensors. */
    public ModelBuilder signature(String key, SubgraphBuilder g) {
        return signatureOf(key, g, null, null);
    }

    /** A signature with its own input and output names (name to tensor, in the order given). */
    public ModelBuilder signature(String key, SubgraphBuilder g, Map<String, TensorRef> inputs, Map<String, TensorRef> outputs) {
        return signatureOf(key, g, Objects.requireNonNull(inputs, "inputs"), Objects.requireNonNull(outputs, "outputs"));
    }

    private ModelBuilder signatureOf(String key, SubgraphBuilder g, Map<String, TensorRef> inputs,
                                     Map<String, TensorRef> outputs) {
        Objects.requireNonNull(key, "signature key");
        if (g.model() != this) {
            throw new IllegalArgumentException("signature \"" + key + "\": the subgraph belongs to another ModelBuilder");
        }
        for (SignatureSpec s : signatures) {
            if (s.key.equals(key)) {
                throw new IllegalArgumentException("signature \"" + key + "\" is already defined");
            }
        }
        if (inputs != null) {
            checkSignatureTensors(key, g, inputs);
            checkSignatureTensors(key, g, outputs);
        }
        signatures.add(new SignatureSpec(key, g, inputs == null ? null : new LinkedHashMap<>(inputs),
                outputs == null ? null : new LinkedHashMap<>(outputs)));
        return this;
    }

    private static void checkSignatureTensors(String key, SubgraphBuilder g, Map<String, TensorRef> map) {
        for (Map.Entry<String, TensorRef> e : map.entrySet()) {
            if (e.getValue() == null || e.getValue().owner() != g) {
                throw new IllegalArgumentException("signature \"" + key + "\": \"" + e.getKey() + "\" is an unknown tensor "
                        + e.getValue() + " for subgraph " + g.index());
            }
        }
    }

    /**
     * Assembles, writes and re-reads the model.
     *
     * @throws IllegalStateException when the model is incomplete: no subgraph, a subgraph without
     *                               outputs, or an operator reading a tensor nothing has written
     */
    public TfliteModel build() {
        if (subgraphs.isEmpty()) {
            throw new IllegalStateException("the model has no subgraph: call main() and add operators");
        }
        List<ByteBuffer> buffers = new ArrayList<>();
        buffers.add(null);
        List<OperatorCode> codes = new ArrayList<>();
        Map<OperatorCode, Integer> codeIndex = new HashMap<>();
        List<Subgraph> built = new ArrayList<>();
        for (SubgraphBuilder g : subgraphs) {
            g.checkComplete();
            List<SubgraphBuilder.TensorSpec> specs = g.tensorSpecs();
            int[] bufferOf = new int[specs.size()];
            for (int i = 0; i < specs.size(); i++) {
                if (specs.get(i).data != null) {
                    bufferOf[i] = buffers.size();
                    buffers.add(specs.get(i).data);
                }
            }
            List<Tensor> tensors = g.modelTensors(bufferOf);
            List<Operator> ops = new ArrayList<>();
            for (SubgraphBuilder.OpSpec op : g.opSpecs()) {
                OperatorCode code = new OperatorCode(op.op.code(), op.op, op.customCode, op.version);
                Integer ci = codeIndex.get(code);
                if (ci == null) {
                    ci = codes.size();
                    codes.add(code);
                    codeIndex.put(code, ci);
                }
                ops.add(new Operator(ops.size(), ci, code, op.inputs, op.outputs, null, op.options,
                        op.customOptions == null ? null : ByteBuffer.wrap(op.customOptions)));
            }
            built.add(new Subgraph(g.index(), g.name(), tensors, g.inputIndices(), g.outputIndices(), ops));
        }
        List<MetadataEntry> meta = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : metadata) {
            meta.add(new MetadataEntry(e.getKey(), buffers.size(), ByteBuffer.wrap(e.getValue())));
            buffers.add(ByteBuffer.wrap(e.getValue()));
        }
        List<SignatureDef> sigs = new ArrayList<>();
        for (SignatureSpec s : signatures) {
            sigs.add(s.toSignatureDef());
        }
        TfliteModel assembled = new TfliteModel(3, description, codes, built, buffers, meta, sigs, List.of(), null);
        return ModelReader.read(ModelWriter.write(assembled));
    }

    private static final class SignatureSpec {
        final String key;
        final SubgraphBuilder g;
        final Map<String, TensorRef> inputs;
        final Map<String, TensorRef> outputs;

        SignatureSpec(String key, SubgraphBuilder g, Map<String, TensorRef> inputs, Map<String, TensorRef> outputs) {
            this.key = key;
            this.g = g;
            this.inputs = inputs;
            this.outputs = outputs;
        }

        SignatureDef toSignatureDef() {
            // Resolved at build time so a signature over "all inputs" sees inputs added after it.
            return new SignatureDef(key, g.index(), names(inputs, g.inputs()), names(outputs, g.outputs()));
        }

        private static Map<String, Integer> names(Map<String, TensorRef> given, List<TensorRef> all) {
            Map<String, Integer> m = new LinkedHashMap<>();
            if (given != null) {
                given.forEach((k, v) -> m.put(k, v.index()));
            } else {
                for (TensorRef t : all) {
                    m.put(t.name(), t.index());
                }
            }
            return m;
        }
    }
}
