package io.litebit.model.options;

/**
 * Typed builtin options of an operator. The ops that litebit builds, executes or rewrites have a
 * record each; any other op's options are kept as {@link Opaque} so that a model can be read and
 * written back unchanged.
 *
 * <pre>{@code
 * if (op.options() instanceof BuiltinOptions.Conv2D c) {
 *     System.out.println(c.strideH() + "x" + c.strideW() + " " + c.padding());
 * }
 * }</pre>
 */
public sealed interface BuiltinOptions {

    /** The schema's {@code BuiltinOptions} union type code (0 = none). */
    int unionType();

    /** A one-line summary of the options for tables. */
    String summary();

    /** An operator without builtin options. */
    record None() implements BuiltinOptions {
        public static final None INSTANCE = new None();

        @Override
        public int unionType() {
            return 0;
        }

        @Override
        public String summary() {
            return "";
        }
    }

    /**
     * Options tables that carry no field litebit uses (PadOptions, TransposeOptions, ...); only
     * the union type is kept, since TFLite requires the table to be present for some ops. The
     * constants are the tables litebit reads this way, named after their op.
     *
     * <pre>{@code
     * g.op(BuiltinOp.PAD, BuiltinOptions.Empty.PAD, List.of(x, paddings), List.of(y));
     * }</pre>
     */
    record Empty(int unionType, String typeName) implements BuiltinOptions {
        /** PadOptions, union type 22. */
        public static final Empty PAD = new Empty(22, "PadOptions");
        /** TransposeOptions, union type 26. */
        public static final Empty TRANSPOSE = new Empty(26, "TransposeOptions");
        /** DequantizeOptions, union type 38. */
        public static final Empty DEQUANTIZE = new Empty(38, "DequantizeOptions");
        /** PadV2Options, union type 43. */
        public static final Empty PADV2 = new Empty(43, "PadV2Options");
        /** QuantizeOptions, union type 89. */
        public static final Empty QUANTIZE = new Empty(89, "QuantizeOptions");
        /** HardSwishOptions, union type 91. */
        public static final Empty HARD_SWISH = new Empty(91, "HardSwishOptions");

        /** Every constant above, by union type. */
        public static final java.util.List<Empty> ALL = java.util.List.of(PAD, TRANSPOSE, DEQUANTIZE, PADV2, QUANTIZE,
                HARD_SWISH);

        /** The constant for a union type, or empty when litebit does not read that table as {@code Empty}. */
        public static java.util.Optional<Empty> forUnionType(int unionType) {
            return ALL.stream().filter(e -> e.unionType == unionType).findFirst();
        }

        @Override
        public String summary() {
            return "";
        }
    }

    /**
     * Conv2DOptions. {@code quantizedBiasType} is the schema's {@code quantized_bias_type} (field 6,
     * TFLite 2.14+): null when unset.
     */
    record Conv2D(Padding padding, int strideW, int strideH, Activation activation,
                  int dilationW, int dilationH, io.litebit.model.DType quantizedBiasType) implements BuiltinOptions {

        public Conv2D {
            quantizedBiasType = biasType(quantizedBiasType);
        }

        /** Without {@code quantized_bias_type}. */
        public Conv2D(Padding padding, int strideW, int strideH, Activation activation, int dilationW, int dilationH) {
            this(padding, strideW, strideH, activation, dilationW, dilationH, null);
        }

        /** These options with {@code quantized_bias_type} set to {@code type} (null to unset it). */
        public Conv2D withQuantizedBiasType(io.litebit.model.DType type) {
            return new Conv2D(padding, strideW, strideH, activation, dilationW, dilationH, type);
        }

        @Override
        public int unionType() {
            return 1;
        }

        @Override
        public String summary() {
            return padding + " stride=" + strideH + "x" + strideW + dilation(dilationH, dilationW) + act(activation)
                    + biasTypeSummary(quantizedBiasType);
        }
    }

    record DepthwiseConv2D(Padding padding, int strideW, int strideH, int depthMultiplier, Activation activation,
                           int dilationW, int dilationH) implements BuiltinOptions {

        @Override
        public int unionType() {
            return 2;
        }

        @Override
        public String summary() {
            return padding + " stride=" + strideH + "x" + strideW + " depth_multiplier=" + depthMultiplier
                    + dilation(dilationH, dilationW) + act(activation);
        }
    }

    /** Pool2DOptions, shared by AVERAGE_POOL_2D, MAX_POOL_2D and L2_POOL_2D. */
    record Pool2D(Padding padding, int strideW, int strideH, int filterWidth, int filterHeight,
                  Activation activation) implements BuiltinOptions {

        @Override
        public int unionType() {
            return 5;
        }

        @Override
        public String summary() {
            return padding + " filter=" + filterHeight + "x" + filterWidth + " stride=" + strideH + "x" + strideW
                    + act(activation);
        }
    }

    /**
     * FullyConnectedOptions. {@code quantizedBiasType} is the schema's {@code quantized_bias_type}
     * (field 4, TFLite 2.14+): null when unset.
     */
    record FullyConnected(Activation activation, boolean keepNumDims, boolean asymmetricQuantizeInputs,
                          int weightsFormat, io.litebit.model.DType quantizedBiasType) implements BuiltinOptions {

        public FullyConnected {
            quantizedBiasType = biasType(quantizedBiasType);
        }

        /** Without {@code quantized_bias_type}. */
        public FullyConnected(Activation activation, boolean keepNumDims, boolean asymmetricQuantizeInputs,
                              int weightsFormat) {
            this(activation, keepNumDims, asymmetricQuantizeInputs, weightsFormat, null);
        }

        public FullyConnected(Activation activation, boolean keepNumDims) {
            this(activation, keepNumDims, false, 0, null);
        }

        /** These options with {@code quantized_bias_type} set to {@code type} (null to unset it). */
        public FullyConnected withQuantizedBiasType(io.litebit.model.DType type) {
            return new FullyConnected(activation, keepNumDims, asymmetricQuantizeInputs, weightsFormat, type);
        }

        @Override
        public int unionType() {
            return 8;
        }

        @Override
        public String summary() {
            return (keepNumDims ? "keep_num_dims" : "") + act(activation) + biasTypeSummary(quantizedBiasType);
        }
    }

    record Softmax(float beta) implements BuiltinOptions {
        @Override
        public int unionType() {
            return 9;
        }

        @Override
        public String summary() {
            return "beta=" + beta;
        }
    }

    record Concatenation(int axis, Activation activation) implements BuiltinOptions {
        @Override
        public int unionType() {
            return 10;
        }

        @Override
        public String summary() {
            return "axis=" + axis + act(activation);
        }
    }

    record Add(Activation activation, boolean potScaleInt16) implements BuiltinOptions {
        @Override
        public int unionType() {
            return 11;
        }

        @Override
        public String summary() {
            return act(activation).strip();
        }
    }

    record Reshape(int[] newShape) implements BuiltinOptions {
        public Reshape {
            newShape = newShape == null ? null : newShape.clone();
        }

        /** The new_shape attribute, or null when the file leaves it out (shape comes from input 1). */
        @Override
        public int[] newShape() {
            return newShape == null ? null : newShape.clone();
        }

        @Override
        public int unionType() {
            return 17;
        }

        @Override
        public String summary() {
            return newShape == null ? "" : "new_shape=" + java.util.Arrays.toString(newShape);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Reshape r && java.util.Arrays.equals(newShape, r.newShape);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(newShape);
        }
    }

    record Mul(Activation activation) implements BuiltinOptions {
        @Override
        public int unionType() {
            return 21;
        }

        @Override
        public String summary() {
            return act(activation).strip();
        }
    }

    /** ReducerOptions: MEAN, SUM, REDUCE_MAX, ... */
    record Reducer(boolean keepDims) implements BuiltinOptions {
        @Override
        public int unionType() {
            return 27;
        }

        @Override
        public String summary() {
            return keepDims ? "keep_dims" : "";
        }
    }

    record Sub(Activation activation, boolean potScaleInt16) implements BuiltinOptions {
        @Override
        public int unionType() {
            return 28;
        }

        @Override
        public String summary() {
            return act(activation).strip();
        }
    }

    record Squeeze(int[] squeezeDims) implements BuiltinOptions {
        public Squeeze {
            squeezeDims = squeezeDims.clone();
        }

        @Override
        public int[] squeezeDims() {
            return squeezeDims.clone();
        }

        @Override
        public int unionType() {
            return 30;
        }

        @Override
        public String summary() {
            return "squeeze_dims=" + java.util.Arrays.toString(squeezeDims);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Squeeze s && java.util.Arrays.equals(squeezeDims, s.squeezeDims);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(squeezeDims);
        }
    }

    record StridedSlice(int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask,
                        boolean offset) implements BuiltinOptions {
        @Override
        public int unionType() {
            return 32;
        }

        @Override
        public String summary() {
            return "begin_mask=" + beginMask + " end_mask=" + endMask + " ellipsis_mask=" + ellipsisMask
                    + " new_axis_mask=" + newAxisMask + " shrink_axis_mask=" + shrinkAxisMask + (offset ? " offset" : "");
        }
    }

    /**
     * TransposeConvOptions. {@code quantizedBiasType} is the schema's {@code quantized_bias_type}
     * (field 4, TFLite 2.14+): null when unset.
     */
    record TransposeConv(Padding padding, int strideW, int strideH, Activation activation,
                         io.litebit.model.DType quantizedBiasType) implements BuiltinOptions {

        public TransposeConv {
            quantizedBiasType = biasType(quantizedBiasType);
        }

        /** Without {@code quantized_bias_type}. */
        public TransposeConv(Padding padding, int strideW, int strideH, Activation activation) {
            this(padding, strideW, strideH, activation, null);
        }

        /** These options with {@code quantized_bias_type} set to {@code type} (null to unset it). */
        public TransposeConv withQuantizedBiasType(io.litebit.model.DType type) {
            return new TransposeConv(padding, strideW, strideH, activation, type);
        }

        @Override
        public int unionType() {
            return 49;
        }

        @Override
        public String summary() {
            return padding + " stride=" + strideH + "x" + strideW + act(activation) + biasTypeSummary(quantizedBiasType);
        }
    }

    record LeakyRelu(float alpha) implements BuiltinOptions {
        @Override
        public int unionType() {
            return 75;
        }

        @Override
        public String summary() {
            return "alpha=" + alpha;
        }
    }

    record UnidirectionalSequenceLstm(Activation activation, float cellClip, float projClip, boolean timeMajor,
                                      boolean asymmetricQuantizeInputs, boolean diagonalRecurrentTensors) implements BuiltinOptions {
        @Override
        public int unionType() {
            return 71;
        }

        @Override
        public String summary() {
            return (timeMajor ? "time_major" : "batch_major") + " cell_clip=" + cellClip + " proj_clip=" + projClip
                    + act(activation);
        }
    }

    record BatchMatMul(boolean adjX, boolean adjY, boolean asymmetricQuantizeInputs) implements BuiltinOptions {
        @Override
        public int unionType() {
            return 101;
        }

        @Override
        public String summary() {
            return (adjX ? "adj_x " : "") + (adjY ? "adj_y" : "");
        }
    }


    /**
     * Options of an op litebit does not model. {@code schemaObject} supplies the schema
     * object-API value ({@code org.tensorflow.lite.schema.*OptionsT}) so that the writer can copy
     * it unchanged; it is read lazily, and null when the union type is newer than the schema.
     */
    record Opaque(int unionType, String typeName, java.util.function.Supplier<Object> schemaObject)
            implements BuiltinOptions {
        @Override
        public String summary() {
            return "(" + typeName + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Opaque p && p.unionType == unionType;
        }

        @Override
        public int hashCode() {
            return unionType;
        }
    }

    private static String act(Activation a) {
        return a == Activation.NONE ? "" : " " + a;
    }

    private static String dilation(int h, int w) {
        return h == 1 && w == 1 ? "" : " dilation=" + h + "x" + w;
    }

    /**
     * The schema's default for {@code quantized_bias_type} is FLOAT32 (code 0), which a FlatBuffer
     * cannot tell apart from an absent field; both mean "unset" and are kept as null.
     */
    private static io.litebit.model.DType biasType(io.litebit.model.DType t) {
        return t == io.litebit.model.DType.FLOAT32 ? null : t;
    }

    private static String biasTypeSummary(io.litebit.model.DType t) {
        return t == null ? "" : " quantized_bias_type=" + t;
    }

}
