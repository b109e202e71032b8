package io.litebit.model.io;

import com.google.flatbuffers.FlatBufferBuilder;
import io.litebit.model.MetadataEntry;
import io.litebit.model.ModelFormatException;
import io.litebit.model.Operator;
import io.litebit.model.OperatorCode;
import io.litebit.model.Quantization;
import io.litebit.model.SignatureDef;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.Metadata;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.QuantizationParameters;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.TensorMap;

/**
 * Writes a {@link TfliteModel} as {@code .tflite} bytes (schema version 3, identifier TFL3).
 *
 * <p>Constant buffers are 16-byte aligned as TFLite's converter writes them, so kernels may read
 * them in place. Not written: sparse tensors and fields newer than the schema classes litebit
 * compiles against (e.g. {@code quantized_bias_type}); the writer refuses rather than drop data
 * it cannot carry.
 *
 * <pre>{@code
 * ByteBuffer bytes = ModelWriter.write(model);
 * Files.write(path, ModelWriter.toArray(bytes));
 * }</pre>
 */
public final class ModelWriter {
    private static final int BUFFER_ALIGNMENT = 16;

    private ModelWriter() {
    }

    /** The model as a read-only little-endian buffer of {@code .tflite} bytes. */
    public static ByteBuffer write(TfliteModel model) {
        FlatBufferBuilder b = new FlatBufferBuilder(1024 + estimateSize(model));

        int[] buffers = new int[model.buffers().size()];
        if (buffers.length == 0 || model.buffers().get(0) != null) {
            throw new ModelFormatException("buffer 0 must exist and be empty (TFLite's no-data sentinel)");
        }
        // Written last-to-first so that the big data vectors end up in file order.
        for (int i = buffers.length - 1; i >= 0; i--) {
            ByteBuffer data = model.buffers().get(i);
            int dataVec = 0;
            if (data != null && data.remaining() > 0) {
                ByteBuffer src = data.duplicate();
                ByteBuffer dst = b.createUnintializedVector(1, src.remaining(), BUFFER_ALIGNMENT);
                dst.put(src);
                dataVec = b.endVector();
            }
            Buffer.startBuffer(b);
            if (dataVec != 0) {
                Buffer.addData(b, dataVec);
            }
            buffers[i] = Buffer.endBuffer(b);
        }
        int buffersVec = Model.createBuffersVector(b, buffers);

        List<OperatorCode> codes = model.operatorCodes();
        int[] opcodes = new int[codes.size()];
        for (int i = 0; i < opcodes.length; i++) {
            OperatorCode c = codes.get(i);
            int custom = c.customCode() == null ? 0 : b.createString(c.customCode());
            org.tensorflow.lite.schema.OperatorCode.startOperatorCode(b);
            // Readers before TFLite 2.4 only know the byte; 127 tells newer ones to read the int.
            org.tensorflow.lite.schema.OperatorCode.addDeprecatedBuiltinCode(b, (byte) Math.min(c.code(), 127));
            if (custom != 0) {
                org.tensorflow.lite.schema.OperatorCode.addCustomCode(b, custom);
            }
            org.tensorflow.lite.schema.OperatorCode.addVersion(b, c.version());
            org.tensorflow.lite.schema.OperatorCode.addBuiltinCode(b, c.code());
            opcodes[i] = org.tensorflow.lite.schema.OperatorCode.endOperatorCode(b);
        }
        int opcodesVec = Model.createOperatorCodesVector(b, opcodes);

        int[] subgraphs = new int[model.subgraphs().size()];
        for (int i = 0; i < subgraphs.length; i++) {
            subgraphs[i] = writeSubgraph(b, model.subgraphs().get(i));
        }
        int subgraphsVec = Model.createSubgraphsVector(b, subgraphs);

        int[] metadata = new int[model.metadata().size()];
        for (int i = 0; i < metadata.length; i++) {
            MetadataEntry m = model.metadata().get(i);
            metadata[i] = Metadata.createMetadata(b, b.createString(m.name()), m.buffer());
        }
        int metadataVec = Model.createMetadataVector(b, metadata);

        int[] signatures = new int[model.signatures().size()];
        for (int i = 0; i < signatures.length; i++) {
            signatures[i] = writeSignature(b, model.signatures().get(i));
        }
        int signaturesVec = Model.createSignatureDefsVector(b, signatures);
        int description = b.createString(model.description());

        Model.startModel(b);
        Model.addVersion(b, model.version() == 0 ? 3 : model.version());
        Model.addOperatorCodes(b, opcodesVec);
        Model.addSubgraphs(b, subgraphsVec);
        Model.addDescription(b, description);
        Model.addBuffers(b, buffersVec);
        Model.addMetadata(b, metadataVec);
        Model.addSignatureDefs(b, signaturesVec);
        int root = Model.endModel(b);
        b.finish(root, ModelReader.FILE_IDENTIFIER);
        return ByteBuffer.wrap(b.sizedByteArray()).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer();
    }

    /** Copies a written buffer into an array (e.g. for {@code Files.write}). */
    public static byte[] toArray(ByteBuffer written) {
        ByteBuffer d = written.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private static int estimateSize(TfliteModel model) {
        long total = 0;
        for (ByteBuffer d : model.buffers()) {
            total += d == null ? 0 : d.remaining() + BUFFER_ALIGNMENT;
        }
        return (int) Math.min(total, Integer.MAX_VALUE - 4096);
    }

    private static int writeSubgraph(FlatBufferBuilder b, Subgraph g) {
        String where = "subgraph " + g.index();
        int[] tensors = new int[g.tensors().size()];
        for (int i = 0; i < tensors.length; i++) {
            tensors[i] = writeTensor(b, g.tensors().get(i), where);
        }
        int tensorsVec = SubGraph.createTensorsVector(b, tensors);
        int[] ops = new int[g.operators().size()];
        for (int i = 0; i < ops.length; i++) {
            ops[i] = writeOperator(b, g.operators().get(i), where);
        }
        int opsVec = SubGraph.createOperatorsVector(b, ops);
        int inputs = SubGraph.createInputsVector(b, g.inputs());
        int outputs = SubGraph.createOutputsVector(b, g.outputs());
        int name = b.createString(g.name());
        return SubGraph.createSubGraph(b, tensorsVec, inputs, outputs, opsVec, name);
    }

    private static int writeTensor(FlatBufferBuilder b, Tensor t, String where) {
        if (t.isSparse()) {
            throw new UnsupportedOperationException(where + ", " + t
                    + ": sparse tensors are read but not written by litebit's writer");
        }
        int shape = org.tensorflow.lite.schema.Tensor.createShapeVector(b, t.shape());
        int signature = t.hasShapeSignature()
                ? org.tensorflow.lite.schema.Tensor.createShapeSignatureVector(b, t.shapeSignature()) : 0;
        int name = b.createString(t.name());
        int quant = writeQuantization(b, t.quantization());
        org.tensorflow.lite.schema.Tensor.startTensor(b);
        org.tensorflow.lite.schema.Tensor.addShape(b, shape);
        org.tensorflow.lite.schema.Tensor.addType(b, (byte) t.dtype().code());
        org.tensorflow.lite.schema.Tensor.addBuffer(b, t.buffer());
        org.tensorflow.lite.schema.Tensor.addName(b, name);
        if (quant != 0) {
            org.tensorflow.lite.schema.Tensor.addQuantization(b, quant);
        }
        org.tensorflow.lite.schema.Tensor.addIsVariable(b, t.isVariable());
        if (signature != 0) {
            org.tensorflow.lite.schema.Tensor.addShapeSignature(b, signature);
        }
        return org.tensorflow.lite.schema.Tensor.endTensor(b);
    }

    private static int writeQuantization(FlatBufferBuilder b, Quantization q) {
        if (q.isNone() && q.min().length == 0) {
            return 0;
        }
        int min = q.min().length == 0 ? 0 : QuantizationParameters.createMinVector(b, q.min());
        int max = q.max().length == 0 ? 0 : QuantizationParameters.createMaxVector(b, q.max());
        int scale = q.scales().length == 0 ? 0 : QuantizationParameters.createScaleVector(b, q.scales());
        int zero = q.zeroPoints().length == 0 ? 0 : QuantizationParameters.createZeroPointVector(b, q.zeroPoints());
        QuantizationParameters.startQuantizationParameters(b);
        if (min != 0) {
            QuantizationParameters.addMin(b, min);
            QuantizationParameters.addMax(b, max);
        }
        if (scale != 0) {
            QuantizationParameters.addScale(b, scale);
        }
        if (zero != 0) {
            QuantizationParameters.addZeroPoint(b, zero);
        }
        QuantizationParameters.addQuantizedDimension(b, q.quantizedDimension());
        return QuantizationParameters.endQuantizationParameters(b);
    }

    private static int writeOperator(FlatBufferBuilder b, Operator op, String where) {
        String at = where + ", operator " + op.index() + " (" + op.opcode().displayName() + ")";
        int optionsOffset = OptionsCodec.pack(b, op.options(), at);
        int inputs = org.tensorflow.lite.schema.Operator.createInputsVector(b, op.inputs());
        int outputs = org.tensorflow.lite.schema.Operator.createOutputsVector(b, op.outputs());
        int intermediates = op.intermediates().length == 0 ? 0
                : org.tensorflow.lite.schema.Operator.createIntermediatesVector(b, op.intermediates());
        int custom = op.customOptions().map(b::createByteVector).orElse(0);
        org.tensorflow.lite.schema.Operator.startOperator(b);
        org.tensorflow.lite.schema.Operator.addOpcodeIndex(b, op.opcodeIndex());
        org.tensorflow.lite.schema.Operator.addInputs(b, inputs);
        org.tensorflow.lite.schema.Operator.addOutputs(b, outputs);
        if (optionsOffset != 0) {
            org.tensorflow.lite.schema.Operator.addBuiltinOptionsType(b, (byte) op.options().unionType());
            org.tensorflow.lite.schema.Operator.addBuiltinOptions(b, optionsOffset);
        }
        if (custom != 0) {
            org.tensorflow.lite.schema.Operator.addCustomOptions(b, custom);
        }
        if (intermediates != 0) {
            org.tensorflow.lite.schema.Operator.addIntermediates(b, intermediates);
        }
        return org.tensorflow.lite.schema.Operator.endOperator(b);
    }

    private static int writeSignature(FlatBufferBuilder b, SignatureDef s) {
        int inputs = org.tensorflow.lite.schema.SignatureDef.createInputsVector(b, tensorMaps(b, s.inputs()));
        int outputs = org.tensorflow.lite.schema.SignatureDef.createOutputsVector(b, tensorMaps(b, s.outputs()));
        int key = b.createString(s.key());
        org.tensorflow.lite.schema.SignatureDef.startSignatureDef(b);
        org.tensorflow.lite.schema.SignatureDef.addInputs(b, inputs);
        org.tensorflow.lite.schema.SignatureDef.addOutputs(b, outputs);
        org.tensorflow.lite.schema.SignatureDef.addSignatureKey(b, key);
        org.tensorflow.lite.schema.SignatureDef.addSubgraphIndex(b, s.subgraphIndex());
        return org.tensorflow.lite.schema.SignatureDef.endSignatureDef(b);
    }

    private static int[] tensorMaps(FlatBufferBuilder b, Map<String, Integer> map) {
        int[] out = new int[map.size()];
        int i = 0;
        for (Map.Entry<String, Integer> e : map.entrySet()) {
            out[i++] = TensorMap.createTensorMap(b, b.createString(e.getKey()), e.getValue());
        }
        return out;
    }
}
