package io.litebit.nativelib;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.*;

/**
 * TFLite's C++ reference kernels exported by the preset's library, i.e. every
 * {@code TfLiteRegistration* tflite::ops::builtin::Register_*_REF()} (49 in TFLite 2.19) plus the
 * custom {@code tflite::ops::custom::Register_NUMERIC_VERIFY_REF()}.
 *
 * <p>The list was taken from {@code nm -D --defined-only libjnitensorflowlite.so | c++filt}
 * (preset 2.19.0-1.5.12, linux-x86_64; linux-arm64 exports the same) and is checked against the
 * loaded library by the tests. Each constant names the registration function, the TFLite
 * operator it implements (schema name) and its builtin code.
 */
public enum ReferenceKernel {
    ADD("Register_ADD_REF", "ADD", kTfLiteBuiltinAdd),
    AVERAGE_POOL_2D("Register_AVERAGE_POOL_REF", "AVERAGE_POOL_2D", kTfLiteBuiltinAveragePool2d),
    BATCH_MATMUL("Register_BATCH_MATMUL_REF", "BATCH_MATMUL", kTfLiteBuiltinBatchMatmul),
    BATCH_TO_SPACE_ND("Register_BATCH_TO_SPACE_ND_REF", "BATCH_TO_SPACE_ND", kTfLiteBuiltinBatchToSpaceNd),
    CONCATENATION("Register_CONCATENATION_REF", "CONCATENATION", kTfLiteBuiltinConcatenation),
    CONV_2D("Register_CONVOLUTION_REF", "CONV_2D", kTfLiteBuiltinConv2d),
    CONV_3D("Register_CONV_3D_REF", "CONV_3D", kTfLiteBuiltinConv3d),
    CONV_3D_TRANSPOSE("Register_CONV_3D_TRANSPOSE_REF", "CONV_3D_TRANSPOSE", kTfLiteBuiltinConv3dTranspose),
    DEPTHWISE_CONV_2D("Register_DEPTHWISE_CONVOLUTION_REF", "DEPTHWISE_CONV_2D", kTfLiteBuiltinDepthwiseConv2d),
    DEPTH_TO_SPACE("Register_DEPTH_TO_SPACE_REF", "DEPTH_TO_SPACE", kTfLiteBuiltinDepthToSpace),
    DEQUANTIZE("Register_DEQUANTIZE_REF", "DEQUANTIZE", kTfLiteBuiltinDequantize),
    DIV("Register_DIV_REF", "DIV", kTfLiteBuiltinDiv),
    EXP("Register_EXP_REF", "EXP", kTfLiteBuiltinExp),
    FAKE_QUANT("Register_FAKE_QUANT_REF", "FAKE_QUANT", kTfLiteBuiltinFakeQuant),
    FLOOR("Register_FLOOR_REF", "FLOOR", kTfLiteBuiltinFloor),
    FULLY_CONNECTED("Register_FULLY_CONNECTED_REF", "FULLY_CONNECTED", kTfLiteBuiltinFullyConnected),
    HARD_SWISH("Register_HARD_SWISH_REF", "HARD_SWISH", kTfLiteBuiltinHardSwish),
    L2_NORMALIZATION("Register_L2NORM_REF", "L2_NORMALIZATION", kTfLiteBuiltinL2Normalization),
    L2_POOL_2D("Register_L2_POOL_REF", "L2_POOL_2D", kTfLiteBuiltinL2Pool2d),
    LEAKY_RELU("Register_LEAKY_RELU_REF", "LEAKY_RELU", kTfLiteBuiltinLeakyRelu),
    LOCAL_RESPONSE_NORMALIZATION("Register_LOCAL_RESPONSE_NORM_REF", "LOCAL_RESPONSE_NORMALIZATION",
            kTfLiteBuiltinLocalResponseNormalization),
    LOGISTIC("Register_LOGISTIC_REF", "LOGISTIC", kTfLiteBuiltinLogistic),
    LOG_SOFTMAX("Register_LOG_SOFTMAX_REF", "LOG_SOFTMAX", kTfLiteBuiltinLogSoftmax),
    MAXIMUM("Register_MAXIMUM_REF", "MAXIMUM", kTfLiteBuiltinMaximum),
    MAX_POOL_2D("Register_MAX_POOL_REF", "MAX_POOL_2D", kTfLiteBuiltinMaxPool2d),
    MEAN("Register_MEAN_REF", "MEAN", kTfLiteBuiltinMean),
    MINIMUM("Register_MINIMUM_REF", "MINIMUM", kTfLiteBuiltinMinimum),
    MUL("Register_MUL_REF", "MUL", kTfLiteBuiltinMul),
    PAD("Register_PAD_REF", "PAD", kTfLiteBuiltinPad),
    PADV2("Register_PADV2_REF", "PADV2", kTfLiteBuiltinPadv2),
    PRELU("Register_PRELU_REF", "PRELU", kTfLiteBuiltinPrelu),
    QUANTIZE("Register_QUANTIZE_REF", "QUANTIZE", kTfLiteBuiltinQuantize),
    REDUCE_ALL("Register_REDUCE_ALL_REF", "REDUCE_ALL", kTfLiteBuiltinReduceAll),
    REDUCE_ANY("Register_REDUCE_ANY_REF", "REDUCE_ANY", kTfLiteBuiltinReduceAny),
    REDUCE_MAX("Register_REDUCE_MAX_REF", "REDUCE_MAX", kTfLiteBuiltinReduceMax),
    REDUCE_MIN("Register_REDUCE_MIN_REF", "REDUCE_MIN", kTfLiteBuiltinReduceMin),
    REDUCE_PROD("Register_REDUCE_PROD_REF", "REDUCE_PROD", kTfLiteBuiltinReduceProd),
    RESIZE_BILINEAR("Register_RESIZE_BILINEAR_REF", "RESIZE_BILINEAR", kTfLiteBuiltinResizeBilinear),
    RESIZE_NEAREST_NEIGHBOR("Register_RESIZE_NEAREST_NEIGHBOR_REF", "RESIZE_NEAREST_NEIGHBOR",
            kTfLiteBuiltinResizeNearestNeighbor),
    SLICE("Register_SLICE_REF", "SLICE", kTfLiteBuiltinSlice),
    SOFTMAX("Register_SOFTMAX_REF", "SOFTMAX", kTfLiteBuiltinSoftmax),
    SPACE_TO_BATCH_ND("Register_SPACE_TO_BATCH_ND_REF", "SPACE_TO_BATCH_ND", kTfLiteBuiltinSpaceToBatchNd),
    SPACE_TO_DEPTH("Register_SPACE_TO_DEPTH_REF", "SPACE_TO_DEPTH", kTfLiteBuiltinSpaceToDepth),
    STRIDED_SLICE("Register_STRIDED_SLICE_REF", "STRIDED_SLICE", kTfLiteBuiltinStridedSlice),
    SUB("Register_SUB_REF", "SUB", kTfLiteBuiltinSub),
    SUM("Register_SUM_REF", "SUM", kTfLiteBuiltinSum),
    TANH("Register_TANH_REF", "TANH", kTfLiteBuiltinTanh),
    TRANSPOSE("Register_TRANSPOSE_REF", "TRANSPOSE", kTfLiteBuiltinTranspose),
    TRANSPOSE_CONV("Register_TRANSPOSECONV_REF", "TRANSPOSE_CONV", kTfLiteBuiltinTransposeConv),
    /** The custom operator {@code NumericVerify} (TFLite's quantization debugging op). */
    NUMERIC_VERIFY("Register_NUMERIC_VERIFY_REF", "NumericVerify", kTfLiteBuiltinCustom);

    private final String function;
    private final String opName;
    private final int builtinCode;

    ReferenceKernel(String function, String opName, int builtinCode) {
        this.function = function;
        this.opName = opName;
        this.builtinCode = builtinCode;
    }

    /** The C++ registration function, e.g. {@code Register_CONVOLUTION_REF}. */
    public String function() {
        return function;
    }

    /** {@code builtin} or {@code custom}: the namespace under {@code tflite::ops}. */
    public String namespace() {
        return isCustom() ? "custom" : "builtin";
    }

    /** The fully qualified C++ function, e.g. {@code tflite::ops::builtin::Register_ADD_REF()}. */
    public String qualifiedFunction() {
        return "tflite::ops::" + namespace() + "::" + function + "()";
    }

    /** The Itanium-mangled symbol of {@link #qualifiedFunction()}. */
    public String mangledSymbol() {
        String ns = namespace();
        return "_ZN6tflite3ops" + ns.length() + ns + function.length() + function + "Ev";
    }

    /**
     * The operator's name as TFLite prints it ({@code EnumNameBuiltinOperator}), or the custom
     * operator's name for {@link #NUMERIC_VERIFY}.
     */
    public String opName() {
        return opName;
    }

    /** The {@code BuiltinOperator} code ({@code kTfLiteBuiltinCustom} = 32 for custom ops). */
    public int builtinCode() {
        return builtinCode;
    }

    /** Whether this kernel implements a custom operator. */
    public boolean isCustom() {
        return builtinCode == kTfLiteBuiltinCustom;
    }
}
