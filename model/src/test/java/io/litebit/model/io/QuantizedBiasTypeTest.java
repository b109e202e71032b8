package io.litebit.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.DType;
import io.litebit.model.ModelFormatException;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.options.Padding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code quantized_bias_type} of Conv2DOptions (field 6), FullyConnectedOptions (field 4) and
 * TransposeConvOptions (field 4) in TFLite 2.19's schema.fbs: written where TFLite reads it, read
 * back, and absent when unset. The field ids here are typed in from schema.fbs, not taken from
 * the code under test.
 */
class QuantizedBiasTypeTest {

    private static final Quantization Q16 = Quantization.perTensor(0.001f, 0);

    /** A view of any table that exposes its position and vtable slots. */
    private static final class RawTable extends com.google.flatbuffers.Table {
        int position() {
            return bb_pos;
        }

        /** The field's byte offset inside the table, 0 when absent. */
        int fieldOffset(int fieldId) {
            return __offset(4 + 2 * fieldId);
        }
    }

    private static RawTable options(byte[] bytes) {
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        var op = org.tensorflow.lite.schema.Model.getRootAsModel(bb).subgraphs(0).operators(0);
        RawTable t = new RawTable();
        op.builtinOptions(t);
        return t;
    }

    private static byte[] model(Function<SubgraphBuilder, TensorRef> body) {
        ModelBuilder b = ModelBuilder.create();
        SubgraphBuilder g = b.main();
        g.output(body.apply(g));
        return b.build().toBytes();
    }

    private static TensorRef bias32(SubgraphBuilder g, TensorRef x, TensorRef w, int n) {
        return g.constant("b", new int[] {n}, new int[n], SubgraphBuilder.biasQuantization(x, w));
    }

    private static byte[] conv(BuiltinOptions.Conv2D o) {
        return model(g -> {
            TensorRef x = g.input("x", DType.INT16, new int[] {1, 3, 3, 2}, Q16);
            TensorRef w = g.constant("w", DType.INT8, new int[] {2, 1, 1, 2}, new byte[4], Quantization.perTensor(0.01f, 0));
            return g.conv2d(x, w, bias32(g, x, w, 2), o, Out.of(DType.INT16, Q16));
        });
    }

    private static byte[] fc(BuiltinOptions.FullyConnected o) {
        return model(g -> {
            TensorRef x = g.input("x", DType.INT16, new int[] {1, 4}, Q16);
            TensorRef w = g.constant("w", DType.INT8, new int[] {3, 4}, new byte[12], Quantization.perTensor(0.01f, 0));
            return g.fullyConnected(x, w, bias32(g, x, w, 3), o, Out.of(DType.INT16, Q16));
        });
    }

    private static byte[] transposeConv(BuiltinOptions.TransposeConv o) {
        return model(g -> {
            TensorRef x = g.input("x", DType.INT16, new int[] {1, 2, 2, 2}, Q16);
            TensorRef w = g.constant("w", DType.INT8, new int[] {3, 2, 2, 2}, new byte[24], Quantization.perTensor(0.01f, 0));
            return g.transposeConv(x, w, bias32(g, x, w, 3), o, Out.of(DType.INT16, Q16));
        });
    }

    private static void assertField(byte[] bytes, int fieldId, int expectedCode) {
        RawTable t = options(bytes);
        int offset = t.fieldOffset(fieldId);
        assertThat(offset).as("field " + fieldId + " present").isNotZero();
        // TensorType codes: INT32 = 2, INT64 = 4.
        assertThat(bytes[t.position() + offset]).isEqualTo((byte) expectedCode);
    }

    @Test
    void conv2dWritesField6AndReadsItBack() {
        BuiltinOptions.Conv2D o = new BuiltinOptions.Conv2D(Padding.SAME, 2, 1, Activation.RELU, 1, 2, DType.INT32);
        byte[] bytes = conv(o);
        assertField(bytes, 6, 2);
        BuiltinOptions read = TfliteModel.fromBytes(bytes).mainSubgraph().operators().get(0).options();
        assertThat(read).isEqualTo(o);
        assertThat(read.summary()).isEqualTo("SAME stride=1x2 dilation=2x1 RELU quantized_bias_type=INT32");
        // The writer reproduces the bytes it reads (the table is built field by field).
        assertThat(ModelWriter.toArray(TfliteModel.fromBytes(bytes).write())).isEqualTo(bytes);
    }

    @Test
    void fullyConnectedWritesField4AndReadsItBack() {
        BuiltinOptions.FullyConnected o = new BuiltinOptions.FullyConnected(Activation.RELU6, true, false, 0, DType.INT64);
        byte[] bytes = fc(o);
        assertField(bytes, 4, 4);
        BuiltinOptions read = TfliteModel.fromBytes(bytes).mainSubgraph().operators().get(0).options();
        assertThat(read).isEqualTo(o);
        assertThat(read.summary()).isEqualTo("keep_num_dims RELU6 quantized_bias_type=INT64");
        // The fields before it still sit where the 0.4.4 schema classes read them.
        var schema = new org.tensorflow.lite.schema.FullyConnectedOptions();
        var op = org.tensorflow.lite.schema.Model.getRootAsModel(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN))
                .subgraphs(0).operators(0);
        op.builtinOptions(schema);
        assertThat(schema.keepNumDims()).isTrue();
        assertThat(schema.fusedActivationFunction()).isEqualTo((byte) 3);
        assertThat(ModelWriter.toArray(TfliteModel.fromBytes(bytes).write())).isEqualTo(bytes);
    }

    @Test
    void transposeConvWritesField4AndReadsItBack() {
        BuiltinOptions.TransposeConv o = new BuiltinOptions.TransposeConv(Padding.VALID, 2, 2, Activation.NONE, DType.INT32);
        byte[] bytes = transposeConv(o);
        assertField(bytes, 4, 2);
        BuiltinOptions read = TfliteModel.fromBytes(bytes).mainSubgraph().operators().get(0).options();
        assertThat(read).isEqualTo(o);
        assertThat(read.summary()).isEqualTo("VALID stride=2x2 quantized_bias_type=INT32");
        assertThat(ModelWriter.toArray(TfliteModel.fromBytes(bytes).write())).isEqualTo(bytes);
    }

    @Test
    void unsetIsAbsentFromTheFileAndNullWhenRead() {
        byte[] c = conv(new BuiltinOptions.Conv2D(Padding.SAME, 1, 1, Activation.NONE, 1, 1));
        byte[] f = fc(new BuiltinOptions.FullyConnected(Activation.NONE, false));
        byte[] t = transposeConv(new BuiltinOptions.TransposeConv(Padding.SAME, 1, 1, Activation.NONE));
        assertThat(options(c).fieldOffset(6)).isZero();
        assertThat(options(f).fieldOffset(4)).isZero();
        assertThat(options(t).fieldOffset(4)).isZero();
        assertThat(((BuiltinOptions.Conv2D) TfliteModel.fromBytes(c).mainSubgraph().operators().get(0).options())
                .quantizedBiasType()).isNull();
        assertThat(((BuiltinOptions.FullyConnected) TfliteModel.fromBytes(f).mainSubgraph().operators().get(0).options())
                .quantizedBiasType()).isNull();
        assertThat(((BuiltinOptions.TransposeConv) TfliteModel.fromBytes(t).mainSubgraph().operators().get(0).options())
                .quantizedBiasType()).isNull();
    }

    @Test
    void float32IsTheSchemaDefaultAndMeansUnset() {
        BuiltinOptions.FullyConnected o = new BuiltinOptions.FullyConnected(Activation.NONE, false).withQuantizedBiasType(DType.FLOAT32);
        assertThat(o.quantizedBiasType()).isNull();
        assertThat(o).isEqualTo(new BuiltinOptions.FullyConnected(Activation.NONE, false));
        assertThat(options(fc(o)).fieldOffset(4)).isZero();
    }

    @Test
    void anUnknownTensorTypeCodeIsAFormatError() {
        byte[] bytes = conv(new BuiltinOptions.Conv2D(Padding.SAME, 1, 1, Activation.NONE, 1, 1, DType.INT32));
        RawTable t = options(bytes);
        bytes[t.position() + t.fieldOffset(6)] = 99;
        assertThatThrownBy(() -> TfliteModel.fromBytes(bytes)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("quantized_bias_type").hasMessageContaining("99");
    }
}
