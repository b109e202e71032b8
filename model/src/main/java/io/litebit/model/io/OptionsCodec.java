package io.litebit.model.io;

import com.google.flatbuffers.FlatBufferBuilder;
import io.litebit.model.DType;
import io.litebit.model.ModelFormatException;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.options.Padding;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;

/**
 * Converts between the schema's builtin-options tables and litebit's {@link BuiltinOptions}
 * records. Union types litebit does not model travel as {@link BuiltinOptions.Opaque}, carrying
 * the schema's object-API value so the writer can copy them unchanged.
 */
final class OptionsCodec {
    /*
     * Field ids of quantized_bias_type (a TensorType, one byte) in TFLite 2.19's schema.fbs. The
     * 0.4.4 schema classes predate the field, so it is read from the vtable and written with the
     * builder directly.
     */
    static final int CONV_2D_BIAS_TYPE_FIELD = 6;
    static final int FULLY_CONNECTED_BIAS_TYPE_FIELD = 4;
    static final int TRANSPOSE_CONV_BIAS_TYPE_FIELD = 4;

    private OptionsCodec() {
    }

    /** {@code quantized_bias_type} of an options table: null when absent or the default FLOAT32. */
    private static DType quantizedBiasType(int table, int field, ByteBuffer bb, FlatBufferChecker check, String where) {
        int at = check.field(table, field, 1, where + " quantized_bias_type");
        if (at < 0) {
            return null;
        }
        int code = bb.get(at);
        // TFLite's ConvertTensorType rejects a code it does not know, so the model would not load there.
        DType type = DType.fromCode(code).orElseThrow(() -> new ModelFormatException(where
                + ": unknown quantized_bias_type code " + code));
        return type == DType.FLOAT32 ? null : type;
    }

    /**
     * Writes the options table and returns its offset (0 for none). Options carrying {@code
     * quantized_bias_type} are built field by field, since the schema's object API cannot hold it.
     */
    static int pack(FlatBufferBuilder b, BuiltinOptions options, String where) {
        if (options instanceof BuiltinOptions.Conv2D c && c.quantizedBiasType() != null) {
            b.startTable(CONV_2D_BIAS_TYPE_FIELD + 1);
            b.addInt(5, c.dilationH(), 1);
            b.addInt(4, c.dilationW(), 1);
            b.addInt(2, c.strideH(), 0);
            b.addInt(1, c.strideW(), 0);
            b.addByte(CONV_2D_BIAS_TYPE_FIELD, (byte) c.quantizedBiasType().code(), 0);
            b.addByte(3, c.activation().code(), 0);
            b.addByte(0, c.padding().code(), 0);
            return b.endTable();
        }
        if (options instanceof BuiltinOptions.FullyConnected f && f.quantizedBiasType() != null) {
            b.startTable(FULLY_CONNECTED_BIAS_TYPE_FIELD + 1);
            b.addByte(0, f.activation().code(), 0);
            b.addByte(1, (byte) f.weightsFormat(), 0);
            b.addBoolean(2, f.keepNumDims(), false);
            b.addBoolean(3, f.asymmetricQuantizeInputs(), false);
            b.addByte(FULLY_CONNECTED_BIAS_TYPE_FIELD, (byte) f.quantizedBiasType().code(), 0);
            return b.endTable();
        }
        if (options instanceof BuiltinOptions.TransposeConv t && t.quantizedBiasType() != null) {
            b.startTable(TRANSPOSE_CONV_BIAS_TYPE_FIELD + 1);
            b.addInt(2, t.strideH(), 0);
            b.addInt(1, t.strideW(), 0);
            b.addByte(0, t.padding().code(), 0);
            b.addByte(3, t.activation().code(), 0);
            b.addByte(TRANSPOSE_CONV_BIAS_TYPE_FIELD, (byte) t.quantizedBiasType().code(), 0);
            return b.endTable();
        }
        BuiltinOptionsUnion u = toUnion(options, where);
        return u.getType() == 0 ? 0 : BuiltinOptionsUnion.pack(b, u);
    }

    static BuiltinOptions read(int type, int pos, ByteBuffer bb, FlatBufferChecker check, String where,
                               Supplier<Object> schemaObject) {
        switch (type) {
            case 1: {
                var o = new org.tensorflow.lite.schema.Conv2DOptions().__assign(pos, bb);
                return new BuiltinOptions.Conv2D(Padding.fromCode(o.padding()), o.strideW(), o.strideH(),
                        act(o.fusedActivationFunction(), where), o.dilationWFactor(), o.dilationHFactor(),
                        quantizedBiasType(pos, CONV_2D_BIAS_TYPE_FIELD, bb, check, where));
            }
            case 2: {
                var o = new org.tensorflow.lite.schema.DepthwiseConv2DOptions().__assign(pos, bb);
                return new BuiltinOptions.DepthwiseConv2D(Padding.fromCode(o.padding()), o.strideW(), o.strideH(),
                        o.depthMultiplier(), act(o.fusedActivationFunction(), where), o.dilationWFactor(),
                        o.dilationHFactor());
            }
            case 5: {
                var o = new org.tensorflow.lite.schema.Pool2DOptions().__assign(pos, bb);
                return new BuiltinOptions.Pool2D(Padding.fromCode(o.padding()), o.strideW(), o.strideH(),
                        o.filterWidth(), o.filterHeight(), act(o.fusedActivationFunction(), where));
            }
            case 8: {
                var o = new org.tensorflow.lite.schema.FullyConnectedOptions().__assign(pos, bb);
                return new BuiltinOptions.FullyConnected(act(o.fusedActivationFunction(), where), o.keepNumDims(),
                        o.asymmetricQuantizeInputs(), o.weightsFormat(),
                        quantizedBiasType(pos, FULLY_CONNECTED_BIAS_TYPE_FIELD, bb, check, where));
            }
            case 9:
                return new BuiltinOptions.Softmax(new org.tensorflow.lite.schema.SoftmaxOptions().__assign(pos, bb).beta());
            case 10: {
                var o = new org.tensorflow.lite.schema.ConcatenationOptions().__assign(pos, bb);
                return new BuiltinOptions.Concatenation(o.axis(), act(o.fusedActivationFunction(), where));
            }
            case 11: {
                var o = new org.tensorflow.lite.schema.AddOptions().__assign(pos, bb);
                return new BuiltinOptions.Add(act(o.fusedActivationFunction(), where), o.potScaleInt16());
            }
            case 17: {
                int n = check.vector(pos, 0, 4, where + " new_shape");
                if (n < 0) {
                    return new BuiltinOptions.Reshape(null);
                }
                var o = new org.tensorflow.lite.schema.ReshapeOptions().__assign(pos, bb);
                int[] shape = new int[n];
                for (int i = 0; i < n; i++) {
                    shape[i] = o.newShape(i);
                }
                return new BuiltinOptions.Reshape(shape);
            }
            case 21:
                return new BuiltinOptions.Mul(act(new org.tensorflow.lite.schema.MulOptions().__assign(pos, bb)
                        .fusedActivationFunction(), where));
            case 27:
                return new BuiltinOptions.Reducer(new org.tensorflow.lite.schema.ReducerOptions().__assign(pos, bb).keepDims());
            case 28: {
                var o = new org.tensorflow.lite.schema.SubOptions().__assign(pos, bb);
                return new BuiltinOptions.Sub(act(o.fusedActivationFunction(), where), o.potScaleInt16());
            }
            case 30: {
                int n = Math.max(0, check.vector(pos, 0, 4, where + " squeeze_dims"));
                var o = new org.tensorflow.lite.schema.SqueezeOptions().__assign(pos, bb);
                int[] dims = new int[n];
                for (int i = 0; i < n; i++) {
                    dims[i] = o.squeezeDims(i);
                }
                return new BuiltinOptions.Squeeze(dims);
            }
            case 32: {
                var o = new org.tensorflow.lite.schema.StridedSliceOptions().__assign(pos, bb);
                return new BuiltinOptions.StridedSlice(o.beginMask(), o.endMask(), o.ellipsisMask(), o.newAxisMask(),
                        o.shrinkAxisMask(), o.offset());
            }
            case 49: {
                var o = new org.tensorflow.lite.schema.TransposeConvOptions().__assign(pos, bb);
                return new BuiltinOptions.TransposeConv(Padding.fromCode(o.padding()), o.strideW(), o.strideH(),
                        act(o.fusedActivationFunction(), where),
                        quantizedBiasType(pos, TRANSPOSE_CONV_BIAS_TYPE_FIELD, bb, check, where));
            }
            case 71: {
                var o = new org.tensorflow.lite.schema.UnidirectionalSequenceLSTMOptions().__assign(pos, bb);
                return new BuiltinOptions.UnidirectionalSequenceLstm(act(o.fusedActivationFunction(), where),
                        o.cellClip(), o.projClip(), o.timeMajor(), o.asymmetricQuantizeInputs(),
                        o.diagonalRecurrentTensors());
            }
            case 75:
                return new BuiltinOptions.LeakyRelu(new org.tensorflow.lite.schema.LeakyReluOptions().__assign(pos, bb).alpha());
            case 101: {
                var o = new org.tensorflow.lite.schema.BatchMatMulOptions().__assign(pos, bb);
                return new BuiltinOptions.BatchMatMul(o.adjX(), o.adjY(), o.asymmetricQuantizeInputs());
            }
            default: {
                // Option tables without a field litebit needs; only their presence matters to TFLite.
                var empty = BuiltinOptions.Empty.forUnionType(type);
                if (empty.isPresent()) {
                    return empty.get();
                }
                return new BuiltinOptions.Opaque(type, typeName(type), schemaObject);
            }
        }
    }

    static String typeName(int type) {
        String[] names = org.tensorflow.lite.schema.BuiltinOptions.names;
        return type >= 0 && type < names.length ? names[type] : "unknown options (type " + type + ")";
    }

    private static Activation act(byte code, String where) {
        if (code < 0 || code >= Activation.values().length) {
            throw new ModelFormatException(where + ": unknown fused activation code " + code + ", expected 0.."
                    + (Activation.values().length - 1));
        }
        return Activation.fromCode(code);
    }

    /** The schema object-API union for writing. */
    static BuiltinOptionsUnion toUnion(BuiltinOptions options, String where) {
        BuiltinOptionsUnion u = new BuiltinOptionsUnion();
        u.setType((byte) options.unionType());
        u.setValue(toValue(options, where));
        return u;
    }

    private static Object toValue(BuiltinOptions options, String where) {
        if (options instanceof BuiltinOptions.None) {
            return null;
        }
        if (options instanceof BuiltinOptions.Empty e) {
            return emptyTable(e.unionType(), where);
        }

            if (options instanceof BuiltinOptions.Conv2D c) {
                var t = new org.tensorflow.lite.schema.Conv2DOptionsT();
                t.setPadding(c.padding().code());
                t.setStrideW(c.strideW());
                t.setStrideH(c.strideH());
                t.setFusedActivationFunction(c.activation().code());
                t.setDilationWFactor(c.dilationW());
                t.setDilationHFactor(c.dilationH());
                return t;
            }
            if (options instanceof BuiltinOptions.DepthwiseConv2D c) {
                var t = new org.tensorflow.lite.schema.DepthwiseConv2DOptionsT();
                t.setPadding(c.padding().code());
                t.setStrideW(c.strideW());
                t.setStrideH(c.strideH());
                t.setDepthMultiplier(c.depthMultiplier());
                t.setFusedActivationFunction(c.activation().code());
                t.setDilationWFactor(c.dilationW());
                t.setDilationHFactor(c.dilationH());
                return t;
            }
            if (options instanceof BuiltinOptions.Pool2D p) {
                var t = new org.tensorflow.lite.schema.Pool2DOptionsT();
                t.setPadding(p.padding().code());
                t.setStrideW(p.strideW());
                t.setStrideH(p.strideH());
                t.setFilterWidth(p.filterWidth());
                t.setFilterHeight(p.filterHeight());
                t.setFusedActivationFunction(p.activation().code());
                return t;
            }
            if (options instanceof BuiltinOptions.FullyConnected f) {
                var t = new org.tensorflow.lite.schema.FullyConnectedOptionsT();
                t.setFusedActivationFunction(f.activation().code());
                t.setKeepNumDims(f.keepNumDims());
                t.setAsymmetricQuantizeInputs(f.asymmetricQuantizeInputs());
                t.setWeightsFormat((byte) f.weightsFormat());
                return t;
            }
            if (options instanceof BuiltinOptions.Softmax s) {
                var t = new org.tensorflow.lite.schema.SoftmaxOptionsT();
                t.setBeta(s.beta());
                return t;
            }
            if (options instanceof BuiltinOptions.Concatenation c) {
                var t = new org.tensorflow.lite.schema.ConcatenationOptionsT();
                t.setAxis(c.axis());
                t.setFusedActivationFunction(c.activation().code());
                return t;
            }
            if (options instanceof BuiltinOptions.Add a) {
                var t = new org.tensorflow.lite.schema.AddOptionsT();
                t.setFusedActivationFunction(a.activation().code());
                t.setPotScaleInt16(a.potScaleInt16());
                return t;
            }
            if (options instanceof BuiltinOptions.Reshape r) {
                var t = new org.tensorflow.lite.schema.ReshapeOptionsT();
                t.setNewShape(r.newShape());
                return t;
            }
            if (options instanceof BuiltinOptions.Mul m) {
                var t = new org.tensorflow.lite.schema.MulOptionsT();
                t.setFusedActivationFunction(m.activation().code());
                return t;
            }
            if (options instanceof BuiltinOptions.Reducer r) {
                var t = new org.tensorflow.lite.schema.ReducerOptionsT();
                t.setKeepDims(r.keepDims());
                return t;
            }
            if (options instanceof BuiltinOptions.Sub s) {
                var t = new org.tensorflow.lite.schema.SubOptionsT();
                t.setFusedActivationFunction(s.activation().code());
                t.setPotScaleInt16(s.potScaleInt16());
                return t;
            }
            if (options instanceof BuiltinOptions.Squeeze s) {
                var t = new org.tensorflow.lite.schema.SqueezeOptionsT();
                t.setSqueezeDims(s.squeezeDims());
                return t;
            }
            if (options instanceof BuiltinOptions.StridedSlice s) {
                var t = new org.tensorflow.lite.schema.StridedSliceOptionsT();
                t.setBeginMask(s.beginMask());
                t.setEndMask(s.endMask());
                t.setEllipsisMask(s.ellipsisMask());
                t.setNewAxisMask(s.newAxisMask());
                t.setShrinkAxisMask(s.shrinkAxisMask());
                t.setOffset(s.offset());
                return t;
            }
            if (options instanceof BuiltinOptions.TransposeConv c) {
                var t = new org.tensorflow.lite.schema.TransposeConvOptionsT();
                t.setPadding(c.padding().code());
                t.setStrideW(c.strideW());
                t.setStrideH(c.strideH());
                t.setFusedActivationFunction(c.activation().code());
                return t;
            }
            if (options instanceof BuiltinOptions.UnidirectionalSequenceLstm l) {
                var t = new org.tensorflow.lite.schema.UnidirectionalSequenceLSTMOptionsT();
                t.setFusedActivationFunction(l.activation().code());
                t.setCellClip(l.cellClip());
                t.setProjClip(l.projClip());
                t.setTimeMajor(l.timeMajor());
                t.setAsymmetricQuantizeInputs(l.asymmetricQuantizeInputs());
                t.setDiagonalRecurrentTensors(l.diagonalRecurrentTensors());
                return t;
            }
            if (options instanceof BuiltinOptions.LeakyRelu r) {
                var t = new org.tensorflow.lite.schema.LeakyReluOptionsT();
                t.setAlpha(r.alpha());
                return t;
            }
            if (options instanceof BuiltinOptions.BatchMatMul b) {
                var t = new org.tensorflow.lite.schema.BatchMatMulOptionsT();
                t.setAdjX(b.adjX());
                t.setAdjY(b.adjY());
                t.setAsymmetricQuantizeInputs(b.asymmetricQuantizeInputs());
                return t;
            }
            if (options instanceof BuiltinOptions.Opaque o) {
                Object value;
                try {
                    value = o.schemaObject() == null ? null : o.schemaObject().get();
                } catch (RuntimeException e) {
                    throw new ModelFormatException(where + ": cannot read " + o.typeName() + ": " + e, e);
                }
                if (value == null) {
                    throw new ModelFormatException(where + ": cannot write " + o.typeName()
                            + ", the options table is newer than the schema litebit writes with");
                }
                return value;
            }
        throw new IllegalStateException("unhandled options type " + options.getClass());
    }

    /** A default-valued options object of the given union type, found by the schema's naming. */
    private static Object emptyTable(int type, String where) {
        String name = typeName(type);
        try {
            return Class.forName("org.tensorflow.lite.schema." + name + "T").getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ModelFormatException(where + ": no schema class for options type " + name, e);
        }
    }
}
