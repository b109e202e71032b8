package io.litebit.model.rewrite;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.OperatorCode;
import io.litebit.model.Quantization;
import io.litebit.model.SignatureDef;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.io.ModelReader;
import io.litebit.model.io.ModelWriter;
import io.litebit.model.options.BuiltinOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles small models straight from the view classes, so that rewriter tests do not depend on
 * the shared models or on the model builder; {@link #build} writes and reads them back so tests
 * start from what a reader sees.
 */
final class TinyModel {
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<ByteBuffer> buffers = new ArrayList<>();
    private final List<OperatorCode> codes = new ArrayList<>();
    private final List<Operator> operators = new ArrayList<>();
    private final List<Subgraph> extraSubgraphs = new ArrayList<>();

    TinyModel() {
        buffers.add(null);
    }

    int activation(String name, DType type, int[] shape, Quantization q) {
        return activation(name, type, shape, null, q, false);
    }

    int activation(String name, DType type, int[] shape, int[] signature, Quantization q, boolean variable) {
        int index = tensors.size();
        tensors.add(new Tensor(index, name, type, shape, signature, 0, null, q, variable, false));
        return index;
    }

    int constant(String name, DType type, int[] shape, Quantization q, ByteBuffer data) {
        int index = tensors.size();
        int buffer = buffers.size();
        buffers.add(data);
        tensors.add(new Tensor(index, name, type, shape, null, buffer, data, q, false, false));
        return index;
    }

    /** Another tensor over the same buffer as {@code other} (converters share identical constants). */
    int sharing(String name, int other, Quantization q) {
        Tensor o = tensors.get(other);
        int index = tensors.size();
        tensors.add(new Tensor(index, name, o.dtype(), o.shape(), null, o.buffer(), o.data().orElseThrow(), q, false, false));
        return index;
    }

    int int8(String name, int[] shape, Quantization q, int... values) {
        ByteBuffer b = le(values.length);
        for (int i = 0; i < values.length; i++) {
            b.put(i, (byte) values[i]);
        }
        return constant(name, DType.INT8, shape, q, b);
    }

    int int32(String name, int[] shape, Quantization q, int... values) {
        ByteBuffer b = le(4 * values.length);
        for (int i = 0; i < values.length; i++) {
            b.putInt(4 * i, values[i]);
        }
        return constant(name, DType.INT32, shape, q, b);
    }

    int op(BuiltinOp op, int version, BuiltinOptions options, int[] inputs, int... outputs) {
        int code = -1;
        for (int i = 0; i < codes.size(); i++) {
            if (codes.get(i).op() == op && codes.get(i).version() == version) {
                code = i;
            }
        }
        if (code < 0) {
            codes.add(OperatorCode.of(op, version));
            code = codes.size() - 1;
        }
        int index = operators.size();
        operators.add(new Operator(index, code, codes.get(code), inputs, outputs, new int[0], options, null));
        return index;
    }

    /** Adds a subgraph that no signature names (as a WHILE body would be). */
    void extraSubgraph(Subgraph g) {
        extraSubgraphs.add(g);
    }

    TfliteModel build(int[] inputs, int[] outputs, SignatureDef... signatures) {
        List<Subgraph> subgraphs = new ArrayList<>();
        subgraphs.add(new Subgraph(0, "main", tensors, inputs, outputs, operators));
        subgraphs.addAll(extraSubgraphs);
        TfliteModel m = new TfliteModel(3, "tiny", codes, subgraphs, buffers, List.of(), List.of(signatures), List.of(), null);
        return ModelReader.read(ModelWriter.write(m));
    }

    static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static int[] shape(int... dims) {
        return dims;
    }
}
