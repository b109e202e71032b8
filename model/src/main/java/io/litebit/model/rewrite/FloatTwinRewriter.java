package io.litebit.model.rewrite;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.MetadataEntry;
import io.litebit.model.Operator;
import io.litebit.model.OperatorCode;
import io.litebit.model.Quantization;
import io.litebit.model.SignatureDef;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.versioning.OpVersions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Implementation of {@link Rewriters#floatTwin(TfliteModel)}. */
final class FloatTwinRewriter {
    private final TfliteModel model;
    private final Assembly.Buffers buffers = new Assembly.Buffers();
    private final Assembly.OpCodes codes = new Assembly.OpCodes();

    private FloatTwinRewriter(TfliteModel model) {
        this.model = model;
    }

    static FloatTwin rewrite(TfliteModel model) {
        return new FloatTwinRewriter(model).run();
    }

    private FloatTwin run() {
        List<Subgraph> subgraphs = new ArrayList<>();
        List<int[]> maps = new ArrayList<>();
        for (Subgraph g : model.subgraphs()) {
            SubgraphTwin twin = new SubgraphTwin(g);
            subgraphs.add(twin.build());
            maps.add(twin.map);
        }
        List<SignatureDef> signatures = new ArrayList<>();
        for (SignatureDef s : model.signatures()) {
            int[] map = maps.get(s.subgraphIndex());
            signatures.add(new SignatureDef(s.key(), s.subgraphIndex(), remap(s.inputs(), map, s), remap(s.outputs(), map, s)));
        }
        List<MetadataEntry> metadata = new ArrayList<>();
        for (MetadataEntry m : model.metadata()) {
            metadata.add(buffers.metadata(m, model.buffers()));
        }
        TfliteModel assembled = new TfliteModel(model.version(), model.description(), codes.list(), subgraphs,
                buffers.list(), metadata, signatures, List.of(), null);
        return new FloatTwin(Assembly.writeAndRead(assembled), maps);
    }

    private static Map<String, Integer> remap(Map<String, Integer> entries, int[] map, SignatureDef s) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : entries.entrySet()) {
            int t = map[e.getValue()];
            if (t < 0) {
                throw new IllegalStateException("signature \"" + s.key() + "\" names tensor " + e.getValue()
                        + " (\"" + e.getKey() + "\"), which the float twin dropped");
            }
            out.put(e.getKey(), t);
        }
        return out;
    }

    /** The rewrite of one subgraph; {@link #map} is filled by {@link #build()}. */
    private final class SubgraphTwin {
        private final Subgraph g;
        private final int n;
        private final DType[] type;
        private final Quantization[] quant;
        private final boolean[] changed;
        private final boolean[] isInput;
        private final boolean[] isOutput;
        /** Union-find parent: a tensor merged into another points at it. */
        private final int[] alias;
        /** Ops that disappear, and QUANTIZE/DEQUANTIZE ops that become a float RESHAPE instead. */
        private final boolean[] removedOp;
        private final Map<Integer, int[]> identityReshape = new HashMap<>();
        int[] map;

        SubgraphTwin(Subgraph g) {
            this.g = g;
            this.n = g.tensors().size();
            type = new DType[n];
            quant = new Quantization[n];
            changed = new boolean[n];
            isInput = new boolean[n];
            isOutput = new boolean[n];
            alias = new int[n];
            removedOp = new boolean[g.operators().size()];
            for (int i : g.inputs()) {
                isInput[i] = true;
            }
            for (int o : g.outputs()) {
                isOutput[o] = true;
            }
            for (Tensor t : g.tensors()) {
                int i = t.index();
                alias[i] = i;
                type[i] = t.dtype();
                quant[i] = t.quantization();
                if (t.isQuantized() && t.dtype().isInteger()) {
                    type[i] = DType.FLOAT32;
                    quant[i] = Quantization.NONE;
                } else if (t.dtype() == DType.FLOAT16) {
                    type[i] = DType.FLOAT32;
                }
                changed[i] = type[i] != t.dtype();
                if (changed[i] && t.isSparse()) {
                    throw new UnsupportedOperationException(where(t) + ": sparse constants cannot be dequantized"
                            + " (densify the model first)");
                }
            }
        }

        Subgraph build() {
            mergeIdentities();
            boolean[] keep = keptTensors();
            int[] newIndex = new int[n];
            List<Tensor> tensors = new ArrayList<>();
            for (Tensor t : g.tensors()) {
                if (keep[t.index()]) {
                    newIndex[t.index()] = tensors.size();
                    tensors.add(twinTensor(t, tensors.size()));
                } else {
                    newIndex[t.index()] = -1;
                }
            }
            map = new int[n];
            for (int i = 0; i < n; i++) {
                map[i] = newIndex[resolve(i)];
            }

            List<Operator> operators = new ArrayList<>();
            for (Operator op : g.operators()) {
                if (removedOp[op.index()]) {
                    continue;
                }
                int[] reshape = identityReshape.get(op.index());
                operators.add(reshape != null
                        ? identityReshape(op, reshape, tensors, operators.size())
                        : twinOperator(op, tensors, operators.size()));
            }
            return new Subgraph(g.index(), g.name(), tensors, remap(g.inputs()), remap(g.outputs()), operators);
        }

        /**
         * In float, QUANTIZE (float to int, and int to int requantization alike) and DEQUANTIZE are
         * identities: both ends hold the same real values. Each one is removed by merging its two
         * tensors into one. The survivor is the end the graph pins down (a subgraph input, output,
         * constant or variable) so that the model's interface keeps its tensors, names and
         * signature entries: an edge QUANTIZE keeps the float input, an edge DEQUANTIZE keeps the
         * float output and the producer of its int input writes that output directly. Only when
         * both ends are pinned (a model input or constant that is dequantized straight into a
         * model output) no merge is possible; the op then becomes a float RESHAPE to the same
         * shape, the cheapest identity every TFLite backend accepts.
         */
        private void mergeIdentities() {
            for (Operator op : g.operators()) {
                BuiltinOp b = op.op();
                if ((b != BuiltinOp.QUANTIZE && b != BuiltinOp.DEQUANTIZE) || op.inputCount() != 1
                        || op.outputCount() != 1 || op.input(0) < 0) {
                    continue;
                }
                int in = resolve(op.input(0));
                int out = resolve(op.output(0));
                if (type[in] != type[out] || in == out) {
                    // Not an identity in the twin (e.g. DEQUANTIZE of a tensor without quantization).
                    continue;
                }
                boolean pinnedIn = isInput[in] || isOutput[in] || g.tensor(in).isConstant() || g.tensor(in).isVariable();
                boolean pinnedOut = isOutput[out];
                if (pinnedIn && pinnedOut) {
                    identityReshape.put(op.index(), new int[] {in, out});
                } else if (pinnedOut) {
                    alias[in] = out;
                    removedOp[op.index()] = true;
                } else {
                    alias[out] = in;
                    removedOp[op.index()] = true;
                }
            }
        }

        /**
         * Tensors merged into another disappear, and so do tensors only listed as operator
         * intermediates: those carry the quantization of a quantized LSTM's internal steps, and
         * the float kernels take none (TFLite's float LSTMs have no intermediates).
         */
        private boolean[] keptTensors() {
            boolean[] keep = new boolean[n];
            boolean[] referenced = new boolean[n];
            boolean[] intermediate = new boolean[n];
            for (int i : g.inputs()) {
                referenced[i] = true;
            }
            for (int o : g.outputs()) {
                referenced[o] = true;
            }
            for (Operator op : g.operators()) {
                for (int t : op.inputs()) {
                    if (t >= 0) {
                        referenced[t] = true;
                    }
                }
                for (int t : op.outputs()) {
                    referenced[t] = true;
                }
                for (int t : op.intermediates()) {
                    if (dropsIntermediates(op)) {
                        intermediate[t] = true;
                    } else {
                        referenced[t] = true;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                keep[i] = alias[i] == i && !(intermediate[i] && !referenced[i]);
            }
            return keep;
        }

        /** Only ops whose tensors turn float lose their intermediates; a float op keeps what it had. */
        private boolean dropsIntermediates(Operator op) {
            return touchesChangedTensor(op);
        }

        private boolean touchesChangedTensor(Operator op) {
            for (int t : op.inputs()) {
                if (t >= 0 && changed[t]) {
                    return true;
                }
            }
            for (int t : op.outputs()) {
                if (changed[t]) {
                    return true;
                }
            }
            for (int t : op.intermediates()) {
                if (changed[t]) {
                    return true;
                }
            }
            return false;
        }

        private Tensor twinTensor(Tensor t, int index) {
            int i = t.index();
            int[] signature = t.hasShapeSignature() ? t.shapeSignature() : null;
            if (!t.isConstant()) {
                return new Tensor(index, t.name(), type[i], t.shape(), signature, 0, null, quant[i], t.isVariable(), false);
            }
            ByteBuffer data;
            int buffer;
            if (changed[i]) {
                String where = where(t);
                boolean half = t.dtype() == DType.FLOAT16;
                data = half ? Dequantizer.widenHalf(t) : Dequantizer.dequantize(t, where);
                buffer = buffers.add(List.of("float", t.buffer(), t.dtype(), t.quantization(), Arrays.toString(t.shape())),
                        () -> data);
            } else {
                data = t.data().orElseThrow();
                buffer = buffers.add(List.of("raw", t.buffer()), () -> model.buffers().get(t.buffer()));
            }
            return new Tensor(index, t.name(), type[i], t.shape(), signature, buffer, data, quant[i], t.isVariable(), false);
        }

        private Operator twinOperator(Operator op, List<Tensor> tensors, int index) {
            int[] inputs = remap(op.inputs());
            int[] outputs = remap(op.outputs());
            int[] intermediates = dropsIntermediates(op) ? new int[0] : remap(op.intermediates());
            OperatorCode code = op.opcode();
            if (touchesChangedTensor(op)) {
                // Read from the twin's tensors, the quantization facts are false; CUSTOM ops keep their version.
                int version = OpVersions.find(op.op(), op.options(), tensorsOf(inputs, tensors), tensorsOf(outputs, tensors))
                        .orElse(code.version());
                code = new OperatorCode(code.code(), code.op(), code.customCode(), version);
            }
            int codeIndex = codes.add(op.opcodeIndex(), code);
            return new Operator(index, codeIndex, code, inputs, outputs, intermediates, op.options(),
                    op.customOptions().orElse(null));
        }

        private Operator identityReshape(Operator op, int[] ends, List<Tensor> tensors, int index) {
            Tensor out = g.tensor(ends[1]);
            int[] shape = out.shape();
            int[] signature = out.shapeSignature();
            // A single unknown dimension can stay -1 so a resized input still flows through.
            int[] newShape = Arrays.stream(signature).filter(d -> d < 0).count() <= 1 ? signature : shape;
            int in = map[ends[0]];
            int[] inputs;
            if (newShape.length == 0) {
                // A rank-0 shape tensor would hold no bytes and so could not be a constant;
                // RESHAPE reads new_shape from its options when it has a single input.
                inputs = new int[] {in};
            } else {
                ByteBuffer shapeData = ByteBuffer.allocate(4 * newShape.length).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < newShape.length; k++) {
                    shapeData.putInt(4 * k, newShape[k]);
                }
                int buffer = buffers.add(List.of("identity-shape", g.index(), op.index()), () -> shapeData);
                int shapeTensor = tensors.size();
                tensors.add(new Tensor(shapeTensor, out.name() + "/litebit_identity_shape", DType.INT32,
                        new int[] {newShape.length}, null, buffer, shapeData, Quantization.NONE, false, false));
                inputs = new int[] {in, shapeTensor};
            }
            int codeIndex = codes.addNew(BuiltinOp.RESHAPE, 1);
            return new Operator(index, codeIndex, OperatorCode.of(BuiltinOp.RESHAPE, 1), inputs,
                    new int[] {map[ends[1]]}, new int[0], new BuiltinOptions.Reshape(newShape), null);
        }

        /** The tensors at these indices, null for an omitted input (-1). */
        private List<Tensor> tensorsOf(int[] indices, List<Tensor> tensors) {
            List<Tensor> result = new ArrayList<>(indices.length);
            for (int index : indices) {
                result.add(index < 0 ? null : tensors.get(index));
            }
            return result;
        }

        private int[] remap(int[] indices) {
            int[] result = new int[indices.length];
            for (int k = 0; k < indices.length; k++) {
                result[k] = indices[k] < 0 ? -1 : map[indices[k]];
            }
            return result;
        }

        private int resolve(int t) {
            while (alias[t] != t) {
                t = alias[t];
            }
            return t;
        }

        private String where(Tensor t) {
            return "subgraph " + g.index() + ", tensor " + t.index() + " \"" + t.name() + "\"";
        }
    }
}
