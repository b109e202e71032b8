package io.litebit.quantization.quantizer;

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
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mutable copy of a model for the quantizer's passes, the way TFLite's quantizer edits its
 * {@code ModelT}: tensors change type, data and quantization in place, operators are inserted.
 * {@link #toModel()} turns it back into an immutable, validated {@link TfliteModel}.
 */
final class Work {
    /** A tensor's quantization as TFLite's {@code QuantizationParametersT}; null fields never. */
    static final class Q {
        float[] scale = new float[0];
        long[] zp = new long[0];
        int dim;
        float[] min = new float[0];
        float[] max = new float[0];

        boolean hasMinMax() {
            return min.length > 0 && max.length > 0;
        }

        boolean hasParams() {
            return scale.length > 0 && zp.length > 0;
        }

        static Q of(float scale, long zp) {
            Q q = new Q();
            q.scale = new float[] {scale};
            q.zp = new long[] {zp};
            return q;
        }
    }

    static final class T {
        String name;
        DType dtype;
        int[] shape;
        int[] signature;
        /** Constant bytes (little-endian), or null. */
        ByteBuffer data;
        /** The original data, so that unchanged constants sharing a buffer keep sharing one. */
        Object dataKey;
        /** Null: no quantization table at all (TFLite's nullptr). */
        Q q;
        boolean variable;

        boolean isConstant() {
            return data != null && data.remaining() > 0;
        }

        long elements() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        float[] floats() {
            ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            float[] f = new float[b.remaining() / 4];
            b.asFloatBuffer().get(f);
            return f;
        }

        void setData(ByteBuffer bytes) {
            data = bytes;
            dataKey = bytes;
        }
    }

    static final class Op {
        BuiltinOp op;
        OperatorCode code;
        int[] inputs;
        int[] outputs;
        int[] intermediates;
        BuiltinOptions options;
        ByteBuffer custom;
        /** Index in the calibrated model, -1 for ops the quantizer added. */
        int original = -1;
        /** The version TFLite's quantizer writes at least (0: no rule). */
        int minVersion;
        boolean quantized;
    }

    final TfliteModel source;
    final List<T> tensors = new ArrayList<>();
    final List<Op> ops = new ArrayList<>();
    int[] inputs;
    int[] outputs;
    final List<SignatureDef> signatures = new ArrayList<>();

    Work(TfliteModel model) {
        if (model.subgraphs().size() != 1) {
            throw new QuantizationException("only single-subgraph models are quantized; this one has "
                    + model.subgraphs().size() + " subgraphs (control flow)");
        }
        this.source = model;
        Subgraph g = model.mainSubgraph();
        for (Tensor t : g.tensors()) {
            T w = new T();
            w.name = t.name();
            w.dtype = t.dtype();
            w.shape = t.shape();
            w.signature = t.hasShapeSignature() ? t.shapeSignature() : null;
            w.data = t.data().orElse(null);
            w.dataKey = t.isConstant() ? Integer.valueOf(t.buffer()) : null;
            w.variable = t.isVariable();
            Quantization q = t.quantization();
            if (!q.isNone() || q.min().length > 0) {
                Q wq = new Q();
                wq.scale = q.scales();
                wq.zp = q.zeroPoints();
                wq.dim = q.quantizedDimension();
                wq.min = q.min();
                wq.max = q.max();
                w.q = wq;
            }
            tensors.add(w);
        }
        for (Operator o : g.operators()) {
            Op w = new Op();
            w.op = o.op();
            w.code = o.opcode();
            w.inputs = o.inputs();
            w.outputs = o.outputs();
            w.intermediates = o.intermediates();
            w.options = o.options();
            w.custom = o.customOptions().orElse(null);
            w.original = o.index();
            ops.add(w);
        }
        inputs = g.inputs();
        outputs = g.outputs();
        signatures.addAll(model.signatures());
    }

    T t(int i) {
        return tensors.get(i);
    }

    int add(T t) {
        tensors.add(t);
        return tensors.size() - 1;
    }

    static T newTensor(String name, T like, DType type) {
        T t = new T();
        t.name = name;
        t.dtype = type;
        t.shape = like.shape.clone();
        t.signature = like.signature == null ? null : like.signature.clone();
        return t;
    }

    static Op convert(BuiltinOp op, int in, int out) {
        Op o = new Op();
        o.op = op;
        o.code = OperatorCode.of(op, 1);
        o.inputs = new int[] {in};
        o.outputs = new int[] {out};
        o.intermediates = new int[0];
        o.options = BuiltinOptions.None.INSTANCE;
        // TFLite's MakeQuantizeOperator/MakeDequantizeOperator: QUANTIZE 1, DEQUANTIZE 2.
        o.minVersion = op == BuiltinOp.DEQUANTIZE ? 2 : 1;
        return o;
    }

    boolean isInput(int t) {
        for (int i : inputs) {
            if (i == t) {
                return true;
            }
        }
        return false;
    }

    int uses(int tensor) {
        int n = 0;
        for (Op o : ops) {
            for (int i : o.inputs) {
                if (i == tensor) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /** Assembles, writes and reads back the model, so the result is what any reader of the file sees. */
    TfliteModel toModel() {
        List<ByteBuffer> buffers = new ArrayList<>();
        buffers.add(null);
        Map<Object, Integer> shared = new HashMap<>();
        IdentityHashMap<Object, Integer> sharedNew = new IdentityHashMap<>();
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            T w = tensors.get(i);
            int buffer = 0;
            ByteBuffer data = null;
            if (w.data != null && w.data.remaining() > 0) {
                data = w.data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                Object key = w.dataKey;
                Map<Object, Integer> map = key instanceof Integer ? shared : null;
                Integer known = map != null ? map.get(key) : sharedNew.get(key);
                if (known == null) {
                    buffers.add(data);
                    known = buffers.size() - 1;
                    if (map != null) {
                        map.put(key, known);
                    } else {
                        sharedNew.put(key, known);
                    }
                }
                buffer = known;
            }
            Quantization q = Quantization.NONE;
            if (w.q != null) {
                q = new Quantization(w.q.scale, w.q.zp, w.q.dim, w.q.min, w.q.max);
            }
            out.add(new Tensor(i, w.name, w.dtype, w.shape, w.signature, buffer, data, q, w.variable, false));
        }
        List<OperatorCode> codes = new ArrayList<>();
        Map<List<Object>, Integer> codeIndex = new LinkedHashMap<>();
        List<Operator> operators = new ArrayList<>();
        for (int k = 0; k < ops.size(); k++) {
            Op o = ops.get(k);
            OperatorCode code = o.code;
            if (o.op != null && o.op != BuiltinOp.CUSTOM) {
                List<Tensor> ins = new ArrayList<>();
                for (int i : o.inputs) {
                    ins.add(i < 0 ? null : out.get(i));
                }
                List<Tensor> outs = new ArrayList<>();
                for (int i : o.outputs) {
                    outs.add(out.get(i));
                }
                // What op_version.cc asks for the final tensors, and never below what TFLite's
                // quantizer writes (operator_property.cc's version) for the ops it quantized.
                int v = OpVersions.of(o.op, o.options, ins, outs);
                if (o.quantized || o.original < 0) {
                    v = Math.max(v, o.minVersion);
                }
                code = new OperatorCode(code.code(), code.op(), code.customCode(), v);
            }
            OperatorCode c = code;
            int idx = codeIndex.computeIfAbsent(List.of(c.code(), String.valueOf(c.customCode()), c.version()), key -> {
                codes.add(c);
                return codes.size() - 1;
            });
            operators.add(new Operator(k, idx, c, o.inputs, o.outputs, o.intermediates, o.options, o.custom));
        }
        Subgraph g = new Subgraph(0, source.mainSubgraph().name(), out, inputs, outputs, operators);
        List<MetadataEntry> metadata = new ArrayList<>();
        for (MetadataEntry m : source.metadata()) {
            ByteBuffer b = m.buffer() >= 0 && m.buffer() < source.buffers().size() ? source.buffers().get(m.buffer()) : null;
            buffers.add(b);
            metadata.add(new MetadataEntry(m.name(), buffers.size() - 1, m.data()));
        }
        // Written with schema 3 structures whatever the source's version said (TFLite warns on others).
        TfliteModel assembled = new TfliteModel(3, source.description(), codes, List.of(g), buffers,
                metadata, signatures, List.of(), null);
        return TfliteModel.fromBuffer(assembled.write());
    }
}
