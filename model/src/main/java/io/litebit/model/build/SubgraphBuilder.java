package io.litebit.model.build;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.Tensor;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.versioning.OpVersions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds one subgraph: its tensors, its operators in execution order, and its inputs and
 * outputs. Made by {@link ModelBuilder#main()} or {@link ModelBuilder#addSubgraph(String)}.
 *
 * <p>Each operator method checks its inputs the way TFLite's kernel {@code Prepare} would
 * (element types, ranks, weight layouts and quantization), infers the output shape with
 * {@link ShapeInference}, creates the output tensor from the {@link Out} the caller gives, and
 * records the operator with the version TFLite's converter would write ({@link OpVersions}).
 * Constant operands that TFLite takes as tensors (axes, paddings, permutations, shapes, slice
 * indices) are created from the Java arrays given. Every problem is an {@link
 * IllegalArgumentException} naming the operator and saying what was expected and what was given.
 *
 * <pre>{@code
 * ModelBuilder mb = ModelBuilder.create();
 * SubgraphBuilder g = mb.main();
 * TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 8, 8, 3});
 * TensorRef w = g.constant("w", new int[] {4, 3, 3, 3}, new float[4 * 3 * 3 * 3]);
 * TensorRef b = g.constant("b", new int[] {4}, new float[4]);
 * TensorRef y = g.conv2d(x, w, b, new BuiltinOptions.Conv2D(Padding.SAME, 2, 2, Activation.RELU, 1, 1),
 *         Out.float32().named("y"));                          // inferred [1, 4, 4, 4]
 * g.output(g.softmax(g.reshape(y, new int[] {1, -1}), 1f, Out.float32()));
 * TfliteModel model = mb.build();
 * }</pre>
 */
public final class SubgraphBuilder {
    private final ModelBuilder model;
    private final int index;
    private final String name;
    private final List<TensorSpec> tensors = new ArrayList<>();
    private final Map<String, Integer> byName = new HashMap<>();
    private final List<OpSpec> ops = new ArrayList<>();
    private final List<Integer> inputs = new ArrayList<>();
    private final List<Integer> outputs = new ArrayList<>();
    /** Index of the op that writes each tensor, -1 when none. */
    private final List<Integer> producer = new ArrayList<>();

    SubgraphBuilder(ModelBuilder model, int index, String name) {
        this.model = model;
        this.index = index;
        this.name = name == null ? "" : name;
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    // ------------------------------------------------------------------ tensors

    /** A float (or otherwise unquantized) subgraph input. */
    public TensorRef input(String tensorName, DType dtype, int[] shape) {
        return input(tensorName, dtype, shape, Quantization.NONE);
    }

    /** A subgraph input; inputs are ordered as created. */
    public TensorRef input(String tensorName, DType dtype, int[] shape, Quantization quantization) {
        TensorRef t = addTensor(tensorName, dtype, shape, quantization, null, "input");
        inputs.add(t.index());
        return t;
    }

    /**
     * A tensor without data that is neither an input nor created by an operator method: the
     * output of an operator added with {@link #op(BuiltinOp, BuiltinOptions, List, List)}.
     */
    public TensorRef tensor(String tensorName, DType dtype, int[] shape, Quantization quantization) {
        return addTensor(tensorName, dtype, shape, quantization, null, "tensor");
    }

    /**
     * A variable tensor (TFLite's {@code is_variable}): state that operators such as SVDF and
     * UNIDIRECTIONAL_SEQUENCE_LSTM read and write in place across invokes; TFLite zeroes it when
     * the interpreter allocates. It counts as ready for any operator that reads it.
     *
     * <pre>{@code
     * TensorRef state = g.variable("state", DType.INT16, new int[] {1, 40}, Quantization.perTensor(0.01f, 0));
     * }</pre>
     */
    public TensorRef variable(String tensorName, DType dtype, int[] shape, Quantization quantization) {
        TensorRef t = addTensor(tensorName, dtype, shape, quantization, null, "variable");
        tensors.get(t.index()).variable = true;
        return t;
    }

    /** The tensor with this name. */
    public TensorRef tensor(String tensorName) {
        Integer i = byName.get(tensorName);
        if (i == null) {
            throw new IllegalArgumentException("subgraph " + index + " has no tensor named \"" + tensorName + "\"");
        }
        return tensors.get(i).ref;
    }

    /** A float32 constant. */
    public TensorRef constant(String tensorName, int[] shape, float[] values) {
        checkCount(tensorName, DType.FLOAT32, shape, values.length);
        ByteBuffer b = le(values.length * 4);
        for (float v : values) {
            b.putFloat(v);
        }
        return addConstant(tensorName, DType.FLOAT32, shape, Quantization.NONE, b);
    }

    /** An int16 constant. */
    public TensorRef constant(String tensorName, int[] shape, short[] values, Quantization quantization) {
        checkCount(tensorName, DType.INT16, shape, values.length);
        ByteBuffer b = le(values.length * 2);
        for (short v : values) {
            b.putShort(v);
        }
        return addConstant(tensorName, DType.INT16, shape, quantization, b);
    }

    /** An unquantized int32 constant (shapes, axes, indices). */
    public TensorRef constant(String tensorName, int[] shape, int[] values) {
        return constant(tensorName, shape, values, Quantization.NONE);
    }

    /** An int32 constant, e.g. a quantized bias. */
    public TensorRef constant(String tensorName, int[] shape, int[] values, Quantization quantization) {
        checkCount(tensorName, DType.INT32, shape, values.length);
        ByteBuffer b = le(values.length * 4);
        for (int v : values) {
            b.putInt(v);
        }
        return addConstant(tensorName, DType.INT32, shape, quantization, b);
    }

    public TensorRef constant(String tensorName, int[] shape, long[] values) {
        return constant(tensorName, shape, values, Quantization.NONE);
    }

    /** An int64 constant, e.g. an int16x8 layer's bias. */
    public TensorRef constant(String tensorName, int[] shape, long[] values, Quantization quantization) {
        checkCount(tensorName, DType.INT64, shape, values.length);
        ByteBuffer b = le(values.length * 8);
        for (long v : values) {
            b.putLong(v);
        }
        return addConstant(tensorName, DType.INT64, shape, quantization, b);
    }

    /** A bool constant, one byte per element as TFLite stores it. */
    public TensorRef constant(String tensorName, int[] shape, boolean[] values) {
        checkCount(tensorName, DType.BOOL, shape, values.length);
        ByteBuffer b = le(values.length);
        for (boolean v : values) {
            b.put((byte) (v ? 1 : 0));
        }
        return addConstant(tensorName, DType.BOOL, shape, Quantization.NONE, b);
    }

    /**
     * A constant from bytes: for INT8, UINT8 and BOOL the values themselves (uint8 values above
     * 127 as negative bytes), for any other fixed-size type the raw little-endian encoding.
     */
    public TensorRef constant(String tensorName, DType dtype, int[] shape, byte[] data, Quantization quantization) {
        if (!dtype.hasFixedSize()) {
            throw new IllegalArgumentException("constant \"" + tensorName + "\": " + dtype.displayName()
                    + " has no fixed element size; the builder writes fixed-size types only");
        }
        long expected = dtype.storageBytes(ShapeInference.elements(checkShape(tensorName, shape)));
        if (data.length != expected) {
            String unit = dtype.byteSize() == 1 ? " " + dtype.displayName() + " values" : " bytes (" + dtype.displayName() + ")";
            throw new IllegalArgumentException("constant \"" + tensorName + "\": shape " + Arrays.toString(shape) + " needs "
                    + expected + unit + ", given " + data.length);
        }
        ByteBuffer b = le(data.length);
        b.put(data);
        return addConstant(tensorName, dtype, shape, quantization, b);
    }

    /** Marks tensors as subgraph outputs, in order. */
    public SubgraphBuilder output(TensorRef... ts) {
        for (TensorRef t : ts) {
            own(t, "output");
            outputs.add(t.index());
        }
        return this;
    }

    public List<TensorRef> inputs() {
        return inputs.stream().map(i -> tensors.get(i).ref).toList();
    }

    public List<TensorRef> outputs() {
        return outputs.stream().map(i -> tensors.get(i).ref).toList();
    }

    // ------------------------------------------------------------------ convolutions and matmuls

    /**
     * CONV_2D. Filter {@code [out_channels, h, w, in_channels]}; the bias (one per output
     * channel) is required, as TFLite's conv kernel requires it. For quantized inputs the filter
     * is int8 with zero points 0, per tensor or per channel along dimension 0, and the int32 (for
     * int16 inputs, int32 or int64) bias has scale {@code input_scale * filter_scale[c]} and zero
     * point 0 — see {@link #biasQuantization(TensorRef, TensorRef)}.
     */
    public TensorRef conv2d(TensorRef input, TensorRef filter, TensorRef bias, BuiltinOptions.Conv2D options, Out out) {
        String where = "CONV_2D";
        own(input, where);
        own(filter, where);
        requireRank(where, "input", input, 4, "[batch, height, width, channels]");
        requireRank(where, "filter (weights)", filter, 4, "[out_channels, height, width, in_channels]");
        if (bias == null) {
            throw new IllegalArgumentException(where + ": a bias is required (TFLite's conv Prepare rejects a CONV_2D without one); "
                    + "give a zero bias of " + filter.dim(0) + " elements");
        }
        own(bias, where);
        int[] shape = infer(where, () -> ShapeInference.conv2d(input.shape(), filter.shape(), options));
        checkWeightedOp(where, input, filter, bias, out, 0, filter.dim(0));
        return addOp(BuiltinOp.CONV_2D, options, ins(input, filter, bias), out, shape, where);
    }

    /**
     * DEPTHWISE_CONV_2D. Filter {@code [1, h, w, in_channels * multiplier]}, per-channel
     * quantization along dimension 3; bias optional. A depth multiplier of 0 in the options is
     * replaced by the one the filter implies, as the converter writes it.
     *
     * <p>A two-input (bias-less) DEPTHWISE_CONV_2D passes TFLite 2.19's Prepare but its optimized
     * float and int8 kernels then read the bias through a null pointer; litebit's interpreter
     * refuses such a model on BUILTIN and XNNPACK (BUILTIN_REF runs it). The builder still writes
     * it, because reproducing exactly such cases is what the conformance tools are for.
     */
    public TensorRef depthwiseConv2d(TensorRef input, TensorRef filter, TensorRef bias,
                                     BuiltinOptions.DepthwiseConv2D options, Out out) {
        String where = "DEPTHWISE_CONV_2D";
        own(input, where);
        own(filter, where);
        requireRank(where, "input", input, 4, "[batch, height, width, channels]");
        requireRank(where, "filter (weights)", filter, 4, "[1, height, width, channels * multiplier]");
        int[] shape = infer(where, () -> ShapeInference.depthwiseConv2d(input.shape(), filter.shape(), options));
        if (bias != null) {
            own(bias, where);
        }
        checkWeightedOp(where, input, filter, bias, out, 3, filter.dim(3));
        BuiltinOptions.DepthwiseConv2D opts = options.depthMultiplier() != 0 ? options
                : new BuiltinOptions.DepthwiseConv2D(options.padding(), options.strideW(), options.strideH(),
                filter.dim(3) / input.dim(3), options.activation(), options.dilationW(), options.dilationH());
        return addOp(BuiltinOp.DEPTHWISE_CONV_2D, opts, ins(input, filter, bias), out, shape, where);
    }

    /**
     * TRANSPOSE_CONV. Filter {@code [out_channels, h, w, in_channels]}, bias optional. TFLite
     * reads the output shape from a constant {@code output_shape} input, which the builder
     * creates: from {@code out}'s explicit shape when given (checked to invert to the input), else
     * TensorFlow's {@code conv2d_transpose} size (SAME {@code in * stride}, VALID {@code (in - 1)
     * * stride + filter}). Inputs are written in TFLite's order (output_shape, weights, input,
     * bias).
     */
    public TensorRef transposeConv(TensorRef input, TensorRef filter, TensorRef bias, BuiltinOptions.TransposeConv options,
                                   Out out) {
        String where = "TRANSPOSE_CONV";
        own(input, where);
        own(filter, where);
        requireRank(where, "input", input, 4, "[batch, height, width, channels]");
        requireRank(where, "filter (weights)", filter, 4, "[out_channels, height, width, in_channels]");
        int[] shape = infer(where, () -> ShapeInference.transposeConv(input.shape(), filter.shape(), options));
        if (out.shape() != null) {
            int[] explicit = out.shape();
            infer(where, () -> {
                ShapeInference.checkTransposeConvOutput(input.shape(), filter.shape(), explicit, options);
                return explicit;
            });
            shape = explicit;
            out = Out.of(out.dtype(), out.quantization()).named(out.name());
        }
        if (bias != null) {
            own(bias, where);
        }
        checkWeightedOp(where, input, filter, bias, out, 0, filter.dim(0));
        String outName = outputName(out, BuiltinOp.TRANSPOSE_CONV);
        TensorRef outputShape = constant(uniqueName(outName + "/output_shape"), new int[] {4}, shape);
        return addOp(BuiltinOp.TRANSPOSE_CONV, options, ins(outputShape, filter, input, bias), out.named(outName), shape, where);
    }

    /**
     * FULLY_CONNECTED. Weights {@code [units, input_size]}; a null bias is written as the omitted
     * optional input -1. Output {@code [elements / input_size, units]}, or with keep_num_dims the
     * input's shape with the last dimension replaced.
     */
    public TensorRef fullyConnected(TensorRef input, TensorRef weights, TensorRef bias,
                                    BuiltinOptions.FullyConnected options, Out out) {
        String where = "FULLY_CONNECTED";
        own(input, where);
        own(weights, where);
        requireRank(where, "weights", weights, 2, "[units, input_size]");
        int[] shape = infer(where, () -> ShapeInference.fullyConnected(input.shape(), weights.shape(), options.keepNumDims()));
        if (bias != null) {
            own(bias, where);
        }
        checkWeightedOp(where, input, weights, bias, out, 0, weights.dim(0));
        List<TensorRef> in = new ArrayList<>(Arrays.asList(input, weights, bias));
        return addOp(BuiltinOp.FULLY_CONNECTED, options, in, out, shape, where);
    }

    /** BATCH_MATMUL: {@code x @ y} over broadcast batch dimensions. */
    public TensorRef batchMatMul(TensorRef x, TensorRef y, BuiltinOptions.BatchMatMul options, Out out) {
        String where = "BATCH_MATMUL";
        own(x, where);
        own(y, where);
        int[] shape = infer(where, () -> ShapeInference.batchMatMul(x.shape(), y.shape(), options.adjX(), options.adjY()));
        boolean hybrid = x.dtype() == DType.FLOAT32 && y.dtype() == DType.INT8;
        if (!hybrid) {
            sameType(where, "y", y, "x", x);
        }
        requireOneOf(where, "x", x, DType.FLOAT32, DType.INT8, DType.INT16);
        outType(where, out, x.dtype());
        requireQuantizedIfInteger(where, "x", x);
        requireQuantizedIfInteger(where, "y", y);
        requireQuantizedOut(where, out);
        return addOp(BuiltinOp.BATCH_MATMUL, options, ins(x, y), out, shape, where);
    }

    // ------------------------------------------------------------------ elementwise binary

    public TensorRef add(TensorRef a, TensorRef b, Out out) {
        return add(a, b, Activation.NONE, out);
    }

    /**
     * ADD with numpy-style broadcasting. Written with {@code pot_scale_int16 = false}: int16
     * inputs use TFLite's general rescaling path, as the converter's 16x8 mode writes it.
     */
    public TensorRef add(TensorRef a, TensorRef b, Activation activation, Out out) {
        return binary(BuiltinOp.ADD, new BuiltinOptions.Add(activation, false), a, b, out);
    }

    public TensorRef sub(TensorRef a, TensorRef b, Out out) {
        return sub(a, b, Activation.NONE, out);
    }

    /** SUB with broadcasting; {@code pot_scale_int16 = false} as for {@link #add}. */
    public TensorRef sub(TensorRef a, TensorRef b, Activation activation, Out out) {
        return binary(BuiltinOp.SUB, new BuiltinOptions.Sub(activation, false), a, b, out);
    }

    public TensorRef mul(TensorRef a, TensorRef b, Out out) {
        return mul(a, b, Activation.NONE, out);
    }

    /** MUL with broadcasting. */
    public TensorRef mul(TensorRef a, TensorRef b, Activation activation, Out out) {
        return binary(BuiltinOp.MUL, new BuiltinOptions.Mul(activation), a, b, out);
    }

    private TensorRef binary(BuiltinOp op, BuiltinOptions options, TensorRef a, TensorRef b, Out out) {
        String where = op.name();
        own(a, where);
        own(b, where);
        sameType(where, "input 2", b, "input 1", a);
        outType(where, out, a.dtype());
        requireQuantizedIfInteger(where, "input 1", a);
        requireQuantizedIfInteger(where, "input 2", b);
        requireQuantizedOut(where, out);
        int[] shape = infer(where, () -> ShapeInference.broadcast(a.shape(), b.shape()));
        return addOp(op, options, ins(a, b), out, shape, where);
    }

    // ------------------------------------------------------------------ pooling and reductions

    public TensorRef averagePool2d(TensorRef input, BuiltinOptions.Pool2D options, Out out) {
        return pool(BuiltinOp.AVERAGE_POOL_2D, input, options, out);
    }

    /** MAX_POOL_2D with the input's type and quantization, which max pooling preserves. */
    public TensorRef maxPool2d(TensorRef input, BuiltinOptions.Pool2D options) {
        return pool(BuiltinOp.MAX_POOL_2D, input, options, like(input, "MAX_POOL_2D"));
    }

    public TensorRef maxPool2d(TensorRef input, BuiltinOptions.Pool2D options, Out out) {
        return pool(BuiltinOp.MAX_POOL_2D, input, options, out);
    }

    private TensorRef pool(BuiltinOp op, TensorRef input, BuiltinOptions.Pool2D options, Out out) {
        String where = op.name();
        own(input, where);
        requireRank(where, "input", input, 4, "[batch, height, width, channels]");
        requireOneOf(where, "input", input, DType.FLOAT32, DType.INT8, DType.UINT8, DType.INT16);
        outType(where, out, input.dtype());
        requireQuantizedIfInteger(where, "input", input);
        requireQuantizedOut(where, out);
        int[] shape = infer(where, () -> ShapeInference.pool2d(input.shape(), options));
        return addOp(op, options, ins(input), out, shape, where);
    }

    /** MEAN over {@code axes} (negative from the end); the axes become a constant int32 input. */
    public TensorRef mean(TensorRef input, int[] axes, boolean keepDims, Out out) {
        String where = "MEAN";
        own(input, where);
        outType(where, out, input.dtype());
        requireQuantizedIfInteger(where, "input", input);
        requireQuantizedOut(where, out);
        int[] shape = infer(where, () -> ShapeInference.reduce(input.shape(), axes, keepDims));
        String outName = outputName(out, BuiltinOp.MEAN);
        TensorRef axesT = constant(uniqueName(outName + "/axes"), new int[] {axes.length}, axes.clone());
        return addOp(BuiltinOp.MEAN, new BuiltinOptions.Reducer(keepDims), ins(input, axesT), out.named(outName), shape, where);
    }

    // ------------------------------------------------------------------ activations

    /**
     * SOFTMAX. Quantized outputs must have TFLite's fixed parameters (int8: scale 1/256, zero
     * point -128; uint8: 1/256, 0; int16: 1/32768, 0); an {@code Out.of(DType.INT8)} without
     * quantization gets exactly those. An int8 input may produce an int16 output.
     */
    public TensorRef softmax(TensorRef input, float beta, Out out) {
        String where = "SOFTMAX";
        own(input, where);
        requireOneOf(where, "input", input, DType.FLOAT32, DType.INT8, DType.UINT8, DType.INT16);
        if (!(input.dtype() == DType.INT8 && out.dtype() == DType.INT16)) {
            outType(where, out, input.dtype());
        }
        requireQuantizedIfInteger(where, "input", input);
        out = fixedOutputQuantization(where, out, 1f / 256, -128, 1f / 256, 0, 1e-3);
        return addOp(BuiltinOp.SOFTMAX, new BuiltinOptions.Softmax(beta), ins(input), out, input.shape(), where);
    }

    /** LOGISTIC; quantized outputs as for {@link #softmax} (int8 1/256, -128; uint8 1/256, 0; int16 1/32768, 0). */
    public TensorRef logistic(TensorRef input, Out out) {
        String where = "LOGISTIC";
        own(input, where);
        requireOneOf(where, "input", input, DType.FLOAT32, DType.INT8, DType.UINT8, DType.INT16);
        outType(where, out, input.dtype());
        requireQuantizedIfInteger(where, "input", input);
        out = fixedOutputQuantization(where, out, 1f / 256, -128, 1f / 256, 0, 0);
        return addOp(BuiltinOp.LOGISTIC, BuiltinOptions.None.INSTANCE, ins(input), out, input.shape(), where);
    }

    /** TANH; quantized outputs fixed by TFLite (int8 1/128, 0; uint8 1/128, 128; int16 1/32768, 0). */
    public TensorRef tanh(TensorRef input, Out out) {
        String where = "TANH";
        own(input, where);
        requireOneOf(where, "input", input, DType.FLOAT32, DType.INT8, DType.UINT8, DType.INT16);
        outType(where, out, input.dtype());
        requireQuantizedIfInteger(where, "input", input);
        out = fixedOutputQuantization(where, out, 1f / 128, 0, 1f / 128, 128, 0);
        return addOp(BuiltinOp.TANH, BuiltinOptions.None.INSTANCE, ins(input), out, input.shape(), where);
    }

    /** RELU keeping the input's type and quantization. */
    public TensorRef relu(TensorRef input) {
        return relu(input, like(input, "RELU"));
    }

    public TensorRef relu(TensorRef input, Out out) {
        return unary(BuiltinOp.RELU, BuiltinOptions.None.INSTANCE, input, out);
    }

    /** RELU6 keeping the input's type and quantization. */
    public TensorRef relu6(TensorRef input) {
        return relu6(input, like(input, "RELU6"));
    }

    public TensorRef relu6(TensorRef input, Out out) {
        return unary(BuiltinOp.RELU6, BuiltinOptions.None.INSTANCE, input, out);
    }

    public TensorRef leakyRelu(TensorRef input, float alpha, Out out) {
        return unary(BuiltinOp.LEAKY_RELU, new BuiltinOptions.LeakyRelu(alpha), input, out);
    }

    public TensorRef hardSwish(TensorRef input, Out out) {
        return unary(BuiltinOp.HARD_SWISH, BuiltinOptions.Empty.HARD_SWISH, input, out);
    }

    private TensorRef unary(BuiltinOp op, BuiltinOptions options, TensorRef input, Out out) {
        String where = op.name();
        own(input, where);
        requireOneOf(where, "input", input, DType.FLOAT32, DType.INT8, DType.UINT8, DType.INT16);
        outType(where, out, input.dtype());
        requireQuantizedIfInteger(where, "input", input);
        requireQuantizedOut(where, out);
        return addOp(op, options, ins(input), out, input.shape(), where);
    }

    // ------------------------------------------------------------------ shape ops

    /** PAD keeping the input's type and quantization (quantized padding is the zero point). */
    public TensorRef pad(TensorRef input, int[][] paddings) {
        return pad(input, paddings, like(input, "PAD"));
    }

    /** PAD; {@code paddings} is {@code [rank][2]} (before, after), written as a constant int32 input. */
    public TensorRef pad(TensorRef input, int[][] paddings, Out out) {
        String where = "PAD";
        own(input, where);
        outType(where, out, input.dtype());
        int[] shape = infer(where, () -> ShapeInference.pad(input.shape(), paddings));
        String outName = outputName(out, BuiltinOp.PAD);
        TensorRef p = paddingsConstant(outName, paddings);
        return addOp(BuiltinOp.PAD, BuiltinOptions.Empty.PAD, ins(input, p), out.named(outName), shape, where);
    }

    public TensorRef padV2(TensorRef input, int[][] paddings, TensorRef constantValue) {
        return padV2(input, paddings, constantValue, like(input, "PADV2"));
    }

    /** PADV2: PAD with an explicit pad value, a one-element tensor of the input's type. */
    public TensorRef padV2(TensorRef input, int[][] paddings, TensorRef constantValue, Out out) {
        String where = "PADV2";
        own(input, where);
        own(constantValue, where);
        sameType(where, "constant_values", constantValue, "input", input);
        if (constantValue.elementCount() != 1) {
            throw new IllegalArgumentException(where + ": constant_values must hold one element, given "
                    + Arrays.toString(constantValue.shape()));
        }
        outType(where, out, input.dtype());
        int[] shape = infer(where, () -> ShapeInference.pad(input.shape(), paddings));
        String outName = outputName(out, BuiltinOp.PADV2);
        TensorRef p = paddingsConstant(outName, paddings);
        return addOp(BuiltinOp.PADV2, BuiltinOptions.Empty.PADV2, ins(input, p, constantValue),
                out.named(outName), shape, where);
    }

    /** CONCATENATION with the first input's type and quantization. */
    public TensorRef concatenation(List<TensorRef> values, int axis) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("CONCATENATION needs at least one input");
        }
        return concatenation(values, axis, Activation.NONE, like(values.get(0), "CONCATENATION"));
    }

    /**
     * CONCATENATION along {@code axis} (negative from the end). TFLite's int8 and int16 kernels do
     * not rescale, so for those every input must have the output's scale and zero point.
     */
    public TensorRef concatenation(List<TensorRef> values, int axis, Activation activation, Out out) {
        String where = "CONCATENATION";
        if (values.isEmpty()) {
            throw new IllegalArgumentException(where + " needs at least one input");
        }
        List<int[]> shapes = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            TensorRef v = values.get(i);
            own(v, where);
            sameType(where, "input " + i, v, "input 0", values.get(0));
            shapes.add(v.shape());
        }
        outType(where, out, values.get(0).dtype());
        requireQuantizedOut(where, out);
        if (out.dtype() == DType.INT8 || out.dtype() == DType.INT16) {
            for (int i = 0; i < values.size(); i++) {
                Quantization q = values.get(i).quantization();
                if (!q.isPerTensor() || q.scale(0) != out.quantization().scale(0)
                        || q.zeroPoint(0) != out.quantization().zeroPoint(0)) {
                    throw new IllegalArgumentException(where + ": " + out.dtype().displayName() + " input " + i + " has " + q
                            + " but the output has " + out.quantization()
                            + "; TFLite's " + out.dtype().displayName() + " concatenation needs equal scale and zero point");
                }
            }
        }
        int[] shape = infer(where, () -> ShapeInference.concatenation(shapes, axis));
        return addOp(BuiltinOp.CONCATENATION, new BuiltinOptions.Concatenation(axis, activation), values, out, shape, where);
    }

    public TensorRef reshape(TensorRef input, int[] newShape) {
        return reshape(input, newShape, like(input, "RESHAPE"));
    }

    /**
     * RESHAPE; one dimension may be -1. Written as the converter does: a constant int32 shape
     * input and the same values in the options' {@code new_shape}.
     */
    public TensorRef reshape(TensorRef input, int[] newShape, Out out) {
        String where = "RESHAPE";
        own(input, where);
        outType(where, out, input.dtype());
        int[] shape = infer(where, () -> ShapeInference.reshape(input.shape(), newShape));
        String outName = outputName(out, BuiltinOp.RESHAPE);
        TensorRef s = constant(uniqueName(outName + "/shape"), new int[] {newShape.length}, newShape.clone());
        return addOp(BuiltinOp.RESHAPE, new BuiltinOptions.Reshape(newShape), ins(input, s), out.named(outName), shape, where);
    }

    public TensorRef squeeze(TensorRef input, int[] dims) {
        return squeeze(input, dims, like(input, "SQUEEZE"));
    }

    /** SQUEEZE: the listed size-1 dimensions, or all of them when {@code dims} is empty. */
    public TensorRef squeeze(TensorRef input, int[] dims, Out out) {
        String where = "SQUEEZE";
        own(input, where);
        outType(where, out, input.dtype());
        int[] shape = infer(where, () -> ShapeInference.squeeze(input.shape(), dims));
        return addOp(BuiltinOp.SQUEEZE, new BuiltinOptions.Squeeze(dims), ins(input), out, shape, where);
    }

    public TensorRef transpose(TensorRef input, int[] perm) {
        return transpose(input, perm, like(input, "TRANSPOSE"));
    }

    /** TRANSPOSE; {@code perm} becomes a constant int32 input. */
    public TensorRef transpose(TensorRef input, int[] perm, Out out) {
        String where = "TRANSPOSE";
        own(input, where);
        outType(where, out, input.dtype());
        int[] shape = infer(where, () -> ShapeInference.transpose(input.shape(), perm));
        String outName = outputName(out, BuiltinOp.TRANSPOSE);
        TensorRef p = constant(uniqueName(outName + "/perm"), new int[] {perm.length}, perm.clone());
        return addOp(BuiltinOp.TRANSPOSE, BuiltinOptions.Empty.TRANSPOSE, ins(input, p),
                out.named(outName), shape, where);
    }

    public TensorRef stridedSlice(TensorRef input, int[] begin, int[] end, int[] strides,
                                  BuiltinOptions.StridedSlice options) {
        return stridedSlice(input, begin, end, strides, options, like(input, "STRIDED_SLICE"));
    }

    /** STRIDED_SLICE; begin, end and strides become constant int32 inputs. */
    public TensorRef stridedSlice(TensorRef input, int[] begin, int[] end, int[] strides,
                                  BuiltinOptions.StridedSlice options, Out out) {
        String where = "STRIDED_SLICE";
        own(input, where);
        outType(where, out, input.dtype());
        int[] shape = infer(where, () -> ShapeInference.stridedSlice(input.shape(), begin, end, strides, options));
        String outName = outputName(out, BuiltinOp.STRIDED_SLICE);
        TensorRef b = constant(uniqueName(outName + "/begin"), new int[] {begin.length}, begin.clone());
        TensorRef e = constant(uniqueName(outName + "/end"), new int[] {end.length}, end.clone());
        TensorRef s = constant(uniqueName(outName + "/strides"), new int[] {strides.length}, strides.clone());
        return addOp(BuiltinOp.STRIDED_SLICE, options, ins(input, b, e, s), out.named(outName), shape, where);
    }

    // ------------------------------------------------------------------ (de)quantization

    /**
     * QUANTIZE: float32 to int8/uint8/int16, or a requantization between integer types. The
     * output must carry its quantization (per tensor, or per channel).
     */
    public TensorRef quantize(TensorRef input, Out out) {
        String where = "QUANTIZE";
        own(input, where);
        requireOneOf(where, "input", input, DType.FLOAT32, DType.INT8, DType.UINT8, DType.INT16, DType.INT32);
        if (out.dtype() != DType.INT8 && out.dtype() != DType.UINT8 && out.dtype() != DType.INT16
                && out.dtype() != DType.INT32) {
            throw new IllegalArgumentException(where + ": output type must be int8, uint8, int16 or int32, given "
                    + out.dtype().displayName());
        }
        requireQuantizedIfInteger(where, "input", input);
        if (out.quantization().isNone()) {
            throw new IllegalArgumentException(where + ": the output needs quantization parameters (scale, zero point)");
        }
        return addOp(BuiltinOp.QUANTIZE, BuiltinOptions.Empty.QUANTIZE, ins(input), out, input.shape(), where);
    }

    /** DEQUANTIZE to float32. */
    public TensorRef dequantize(TensorRef input) {
        return dequantize(input, Out.float32());
    }

    /** DEQUANTIZE: a quantized int8/uint8/int16 (or a float16) tensor to float32. */
    public TensorRef dequantize(TensorRef input, Out out) {
        String where = "DEQUANTIZE";
        own(input, where);
        requireOneOf(where, "input", input, DType.INT8, DType.UINT8, DType.INT16, DType.FLOAT16);
        if (input.dtype() != DType.FLOAT16 && input.quantization().isNone()) {
            throw new IllegalArgumentException(where + ": input " + describe(input) + " has no quantization parameters");
        }
        outType(where, out, DType.FLOAT32);
        return addOp(BuiltinOp.DEQUANTIZE, BuiltinOptions.Empty.DEQUANTIZE, ins(input), out, input.shape(), where);
    }

    // ------------------------------------------------------------------ escape hatches

    /**
     * Any builtin operator, with outputs made beforehand by {@link #tensor(String, DType, int[],
     * Quantization)} and the version from {@link OpVersions}. Nothing is inferred or checked
     * beyond tensor ownership. Null inputs are omitted optional inputs (-1).
     */
    public SubgraphBuilder op(BuiltinOp op, BuiltinOptions options, List<TensorRef> opInputs, List<TensorRef> opOutputs) {
        return op(op, -1, options, opInputs, opOutputs);
    }

    /** As {@link #op(BuiltinOp, BuiltinOptions, List, List)} with an explicit version ({@code -1}: computed). */
    public SubgraphBuilder op(BuiltinOp op, int version, BuiltinOptions options, List<TensorRef> opInputs,
                              List<TensorRef> opOutputs) {
        Objects.requireNonNull(op, "op");
        if (op == BuiltinOp.CUSTOM) {
            throw new IllegalArgumentException("use custom(...) for CUSTOM operators");
        }
        addRawOp(op, null, version, options == null ? BuiltinOptions.None.INSTANCE : options, null, opInputs, opOutputs);
        return this;
    }

    /** A CUSTOM operator with its name and flexbuffer options (may be null). */
    public SubgraphBuilder custom(String customCode, int version, byte[] customOptions, List<TensorRef> opInputs,
                                  List<TensorRef> opOutputs) {
        if (customCode == null || customCode.isEmpty()) {
            throw new IllegalArgumentException("a custom operator needs a name");
        }
        addRawOp(BuiltinOp.CUSTOM, customCode, Math.max(1, version), BuiltinOptions.None.INSTANCE,
                customOptions == null ? null : customOptions.clone(), opInputs, opOutputs);
        return this;
    }

    // ------------------------------------------------------------------ quantization helpers

    /**
     * The quantization a bias needs for TFLite's integer conv/FC kernels: per filter channel,
     * {@code scale = input_scale * filter_scale[c]}, zero point 0, along dimension 0.
     */
    public static Quantization biasQuantization(TensorRef input, TensorRef filter) {
        return biasQuantization(input.quantization(), filter.quantization());
    }

    /** As {@link #biasQuantization(TensorRef, TensorRef)} from the two quantizations. */
    public static Quantization biasQuantization(Quantization input, Quantization filter) {
        if (!input.isPerTensor() || filter.isNone()) {
            throw new IllegalArgumentException("bias quantization needs a per-tensor input quantization and a quantized filter, given "
                    + input + " and " + filter);
        }
        float[] scales = new float[filter.channelCount()];
        for (int c = 0; c < scales.length; c++) {
            scales[c] = input.scale(0) * filter.scale(c);
        }
        return scales.length == 1 ? Quantization.perTensor(scales[0], 0)
                : Quantization.perChannel(scales, new long[scales.length], 0);
    }

    // ------------------------------------------------------------------ internals

    /** Build-time view: tensors as the model's {@link Tensor}s, with constants' data. */
    List<Tensor> modelTensors(int[] bufferOf) {
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec s = tensors.get(i);
            out.add(new Tensor(i, s.name, s.dtype, s.shape, null, bufferOf[i], s.data, s.quantization, s.variable, false));
        }
        return out;
    }

    List<TensorSpec> tensorSpecs() {
        return Collections.unmodifiableList(tensors);
    }

    List<OpSpec> opSpecs() {
        return Collections.unmodifiableList(ops);
    }

    int[] inputIndices() {
        return inputs.stream().mapToInt(Integer::intValue).toArray();
    }

    int[] outputIndices() {
        return outputs.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Checks that every operator reads only tensors that exist when it runs. */
    void checkComplete() {
        String at = "subgraph " + index + (name.isEmpty() ? "" : " \"" + name + "\"");
        if (outputs.isEmpty()) {
            throw new IllegalStateException(at + " has no outputs: mark them with output(...)");
        }
        boolean[] ready = new boolean[tensors.size()];
        for (int i : inputs) {
            ready[i] = true;
        }
        for (int i = 0; i < tensors.size(); i++) {
            ready[i] |= tensors.get(i).data != null || tensors.get(i).variable;
        }
        for (int o = 0; o < ops.size(); o++) {
            OpSpec op = ops.get(o);
            for (int t : op.inputs) {
                if (t >= 0 && !ready[t]) {
                    throw new IllegalStateException(at + ", operator " + o + " (" + op.displayName() + ") reads "
                            + describe(tensors.get(t).ref) + ", which is not an input, a constant or written by an earlier operator");
                }
            }
            for (int t : op.outputs) {
                ready[t] = true;
            }
        }
        for (int t : outputs) {
            if (!ready[t]) {
                throw new IllegalStateException(at + ": output " + describe(tensors.get(t).ref) + " is never written");
            }
        }
    }

    private void addRawOp(BuiltinOp op, String customCode, int version, BuiltinOptions options, byte[] customOptions,
                          List<TensorRef> opInputs, List<TensorRef> opOutputs) {
        String where = op == BuiltinOp.CUSTOM ? "CUSTOM(" + customCode + ")" : op.name();
        int[] in = new int[opInputs.size()];
        for (int i = 0; i < in.length; i++) {
            TensorRef t = opInputs.get(i);
            if (t != null) {
                own(t, where);
            }
            in[i] = t == null ? -1 : t.index();
        }
        int[] out = new int[opOutputs.size()];
        for (int i = 0; i < out.length; i++) {
            TensorRef t = opOutputs.get(i);
            if (t == null) {
                throw new IllegalArgumentException(where + ": output " + i + " is null; outputs cannot be omitted");
            }
            own(t, where);
            checkWritable(where, t);
            out[i] = t.index();
        }
        int v = version > 0 ? version : OpVersions.of(op, options, specTensors(in), specTensors(out));
        for (int t : out) {
            producer.set(t, ops.size());
        }
        ops.add(new OpSpec(op, customCode, v, options, in, out, customOptions));
    }

    private TensorRef addOp(BuiltinOp op, BuiltinOptions options, List<TensorRef> opInputs, Out out, int[] inferred,
                            String where) {
        int[] shape = inferred;
        if (out.shape() != null && !Arrays.equals(out.shape(), inferred)) {
            throw new IllegalArgumentException(where + ": explicit output shape " + Arrays.toString(out.shape())
                    + " differs from the shape TFLite computes, " + Arrays.toString(inferred));
        }
        String outName = outputName(out, op);
        TensorRef result = addTensor(outName, out.dtype(), shape, out.quantization(), null, where + " output");
        addRawOp(op, null, -1, options, null, opInputs, List.of(result));
        return result;
    }

    private List<Tensor> specTensors(int[] indices) {
        List<Tensor> list = new ArrayList<>(indices.length);
        for (int i : indices) {
            if (i < 0) {
                list.add(null);
            } else {
                TensorSpec s = tensors.get(i);
                list.add(new Tensor(i, s.name, s.dtype, s.shape, null, 0, s.data, s.quantization, false, false));
            }
        }
        return list;
    }

    private TensorRef addConstant(String tensorName, DType dtype, int[] shape, Quantization quantization, ByteBuffer data) {
        data.flip();
        return addTensor(tensorName, dtype, shape, quantization, data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN),
                "constant");
    }

    private TensorRef addTensor(String tensorName, DType dtype, int[] shape, Quantization quantization, ByteBuffer data,
                                String kind) {
        Objects.requireNonNull(dtype, "dtype");
        Quantization q = quantization == null ? Quantization.NONE : quantization;
        String n = tensorName == null || tensorName.isEmpty() ? uniqueName(kind.split(" ")[0].toLowerCase(Locale.ROOT)) : tensorName;
        if (byName.containsKey(n)) {
            throw new IllegalArgumentException(kind + " \"" + n + "\": subgraph " + index + " already has a tensor named \"" + n
                    + "\" (tensor " + byName.get(n) + "); tensor names must be unique");
        }
        int[] s = checkShape(n, shape);
        checkQuantization(kind + " \"" + n + "\"", dtype, s, q);
        int i = tensors.size();
        TensorRef ref = new TensorRef(this, i, n, dtype, s, q, data != null);
        tensors.add(new TensorSpec(n, dtype, s, q, data, ref));
        byName.put(n, i);
        producer.add(-1);
        return ref;
    }

    private static int[] checkShape(String tensorName, int[] shape) {
        if (shape == null) {
            throw new IllegalArgumentException("tensor \"" + tensorName + "\": shape must not be null (use new int[0] for a scalar)");
        }
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor \"" + tensorName + "\": dimensions must be >= 0, given "
                        + Arrays.toString(shape));
            }
        }
        return shape.clone();
    }

    private static void checkCount(String tensorName, DType dtype, int[] shape, int given) {
        long expected = ShapeInference.elements(checkShape(tensorName, shape));
        if (expected != given) {
            throw new IllegalArgumentException("constant \"" + tensorName + "\": shape " + Arrays.toString(shape) + " needs "
                    + expected + " " + dtype.displayName() + " values, given " + given);
        }
    }

    private static void checkQuantization(String what, DType dtype, int[] shape, Quantization q) {
        if (q.isNone()) {
            return;
        }
        for (float s : q.scales()) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException(what + ": scales must be positive and finite, given " + Arrays.toString(q.scales()));
            }
        }
        if (q.zeroPoints().length != 0 && q.zeroPoints().length != q.channelCount()) {
            throw new IllegalArgumentException(what + ": " + q.channelCount() + " scales but " + q.zeroPoints().length
                    + " zero points");
        }
        if (q.isPerChannel()) {
            int axis = q.quantizedDimension();
            if (axis < 0 || axis >= shape.length) {
                throw new IllegalArgumentException(what + ": quantized_dimension " + axis + " is outside the shape "
                        + Arrays.toString(shape));
            }
            if (shape[axis] != q.channelCount()) {
                throw new IllegalArgumentException(what + ": per-channel quantization along dimension " + axis + " needs "
                        + shape[axis] + " scales (shape " + Arrays.toString(shape) + "), given " + q.channelCount());
            }
        }
        if (dtype.isInteger() && dtype.bits() <= 32) {
            for (long zp : q.zeroPoints()) {
                if (zp < dtype.minValue() || zp > dtype.maxValue()) {
                    throw new IllegalArgumentException(what + ": zero point " + zp + " is outside the " + dtype.displayName()
                            + " range " + dtype.minValue() + ".." + dtype.maxValue());
                }
            }
        }
    }

    /** Unknown-tensor check: the handle must come from this subgraph builder. */
    private void own(TensorRef t, String where) {
        if (t == null) {
            throw new IllegalArgumentException(where + ": a required tensor is null");
        }
        if (t.owner() != this) {
            throw new IllegalArgumentException(where + ": unknown tensor " + t + ": it belongs to "
                    + (t.owner().model() == model ? "subgraph " + t.owner().index() : "another ModelBuilder")
                    + ", not to subgraph " + index);
        }
    }

    /** {@link Out#like} of an input, after the ownership check so a bad handle gets the usual message. */
    private Out like(TensorRef input, String where) {
        own(input, where);
        return Out.like(input);
    }

    ModelBuilder model() {
        return model;
    }

    private void checkWritable(String where, TensorRef t) {
        if (t.isConstant()) {
            throw new IllegalArgumentException(where + ": cannot write constant " + describe(t));
        }
        if (inputs.contains(t.index())) {
            throw new IllegalArgumentException(where + ": cannot write subgraph input " + describe(t));
        }
        int p = producer.get(t.index());
        if (p >= 0) {
            throw new IllegalArgumentException(where + ": " + describe(t) + " is already written by operator " + p + " ("
                    + ops.get(p).displayName() + "); each tensor has one producer");
        }
    }

    /**
     * Shared checks of CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and FULLY_CONNECTED: the type
     * combinations TFLite's kernels accept, weight quantization along {@code channelAxis}, and
     * the bias's type, size and scale.
     */
    private void checkWeightedOp(String where, TensorRef input, TensorRef weights, TensorRef bias, Out out,
                                 int channelAxis, int channels) {
        DType in = input.dtype();
        DType w = weights.dtype();
        Set<DType> allowedWeights = switch (in) {
            case FLOAT32 -> Set.of(DType.FLOAT32, DType.INT8);
            case INT8 -> Set.of(DType.INT8, DType.INT4);
            case UINT8 -> Set.of(DType.UINT8);
            case INT16 -> Set.of(DType.INT8, DType.INT16, DType.INT4);
            default -> throw new IllegalArgumentException(where + ": input type must be float32, int8, uint8 or int16, given "
                    + describe(input));
        };
        if (!allowedWeights.contains(w)) {
            throw new IllegalArgumentException(where + ": " + in.displayName() + " input needs weights of type "
                    + names(allowedWeights) + ", given " + describe(weights));
        }
        outType(where, out, in);
        boolean quantized = in != DType.FLOAT32;
        boolean hybrid = in == DType.FLOAT32 && w != DType.FLOAT32;
        if (quantized) {
            requireQuantizedIfInteger(where, "input", input);
            requireQuantizedOut(where, out);
        }
        if (quantized || hybrid) {
            Quantization wq = weights.quantization();
            if (wq.isNone()) {
                throw new IllegalArgumentException(where + ": weights " + describe(weights) + " have no quantization parameters");
            }
            if (wq.isPerChannel() && (wq.quantizedDimension() != channelAxis || wq.channelCount() != channels)) {
                throw new IllegalArgumentException(where + ": per-channel weights must be quantized along dimension " + channelAxis
                        + " with " + channels + " scales, given " + wq.channelCount() + " scales along dimension "
                        + wq.quantizedDimension());
            }
            if (w == DType.INT8 || w == DType.INT4 || w == DType.INT16) {
                for (long zp : wq.zeroPoints()) {
                    if (zp != 0) {
                        throw new IllegalArgumentException(where + ": " + w.displayName() + " weights must be symmetric (zero point 0), "
                                + describe(weights) + " has zero point " + zp);
                    }
                }
            }
        }
        if (bias == null) {
            return;
        }
        if (bias.elementCount() != channels) {
            throw new IllegalArgumentException(where + ": bias must have " + channels + " elements (one per output channel), given "
                    + describe(bias));
        }
        Set<DType> allowedBias = switch (in) {
            case FLOAT32 -> Set.of(DType.FLOAT32);
            case INT8, UINT8 -> Set.of(DType.INT32);
            default -> Set.of(DType.INT32, DType.INT64);
        };
        if (!allowedBias.contains(bias.dtype())) {
            throw new IllegalArgumentException(where + ": " + in.displayName() + " input needs a bias of type " + names(allowedBias)
                    + ", given " + describe(bias));
        }
        if (quantized) {
            Quantization bq = bias.quantization();
            if (bq.isNone()) {
                throw new IllegalArgumentException(where + ": bias " + describe(bias) + " has no quantization; it needs scale "
                        + "input_scale * weight_scale and zero point 0 (SubgraphBuilder.biasQuantization)");
            }
            Quantization wq = weights.quantization();
            float inScale = input.quantization().scale(0);
            for (int c = 0; c < bq.channelCount(); c++) {
                if (bq.zeroPoint(c) != 0) {
                    throw new IllegalArgumentException(where + ": bias zero point must be 0, channel " + c + " has " + bq.zeroPoint(c));
                }
                // TFLite's GetQuantizedConvolutionMultipler tolerance.
                double expected = (double) inScale * wq.scale(wq.isPerTensor() ? 0 : c);
                double given = bq.scale(c);
                if (Math.abs(expected - given) > 1e-6 * Math.min(expected, given)) {
                    throw new IllegalArgumentException(where + ": bias scale " + given + " (channel " + c + ") must equal input_scale * "
                            + "weight_scale = " + inScale + " * " + wq.scale(wq.isPerTensor() ? 0 : c) + " = " + expected);
                }
            }
            if (bq.channelCount() != 1 && bq.channelCount() != wq.channelCount()) {
                throw new IllegalArgumentException(where + ": bias has " + bq.channelCount() + " scales, the weights "
                        + wq.channelCount());
            }
        }
    }

    /**
     * Fills or checks the output quantization TFLite fixes for SOFTMAX, LOGISTIC and TANH: the
     * int8 and uint8 parameters given, and 1/32768 with zero point 0 for int16.
     */
    private Out fixedOutputQuantization(String where, Out out, float int8Scale, long int8Zp, float uint8Scale,
                                        long uint8Zp, double relTolerance) {
        float scale;
        long zp;
        switch (out.dtype()) {
            case INT8 -> {
                scale = int8Scale;
                zp = int8Zp;
            }
            case UINT8 -> {
                scale = uint8Scale;
                zp = uint8Zp;
            }
            case INT16 -> {
                scale = 1f / 32768;
                zp = 0;
            }
            default -> {
                return out;
            }
        }
        Quantization q = out.quantization();
        if (q.isNone()) {
            Out filled = Out.of(out.dtype(), Quantization.perTensor(scale, zp)).named(out.name());
            return out.shape() == null ? filled : filled.withShape(out.shape());
        }
        if (!q.isPerTensor() || q.zeroPoint(0) != zp || Math.abs(q.scale(0) - scale) > relTolerance * scale) {
            throw new IllegalArgumentException(where + ": TFLite requires a " + out.dtype().displayName() + " output with scale "
                    + scale + " and zero point " + zp + ", given " + q + " (leave the quantization out to get it)");
        }
        return out;
    }

    private static void requireRank(String where, String what, TensorRef t, int rank, String layout) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(where + ": " + what + " must have rank " + rank + " " + layout + ", given "
                    + describe(t));
        }
    }

    private static void requireOneOf(String where, String what, TensorRef t, DType... types) {
        for (DType d : types) {
            if (t.dtype() == d) {
                return;
            }
        }
        throw new IllegalArgumentException(where + ": " + what + " type must be one of " + names(Set.of(types)) + ", given "
                + describe(t));
    }

    private static void sameType(String where, String what, TensorRef t, String otherWhat, TensorRef other) {
        if (t.dtype() != other.dtype()) {
            throw new IllegalArgumentException(where + ": " + what + " must have the type of " + otherWhat + " ("
                    + other.dtype().displayName() + "), given " + describe(t));
        }
    }

    private static void outType(String where, Out out, DType expected) {
        if (out.dtype() != expected) {
            throw new IllegalArgumentException(where + ": output type must be " + expected.displayName() + ", given "
                    + out.dtype().displayName());
        }
    }

    private static void requireQuantizedIfInteger(String where, String what, TensorRef t) {
        if (isQuantizedType(t.dtype()) && t.quantization().isNone()) {
            throw new IllegalArgumentException(where + ": " + what + " " + describe(t)
                    + " has no quantization parameters; TFLite's integer kernels need scale and zero point");
        }
    }

    private static void requireQuantizedOut(String where, Out out) {
        if (isQuantizedType(out.dtype()) && out.quantization().isNone()) {
            throw new IllegalArgumentException(where + ": the " + out.dtype().displayName()
                    + " output needs quantization parameters (scale, zero point)");
        }
    }

    private static boolean isQuantizedType(DType d) {
        return d == DType.INT8 || d == DType.UINT8 || d == DType.INT16;
    }

    private int[] infer(String where, Supplier<int[]> inference) {
        try {
            return inference.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private String outputName(Out out, BuiltinOp op) {
        return out.name() != null ? out.name() : uniqueName(op.name().toLowerCase(Locale.ROOT));
    }

    private String uniqueName(String base) {
        if (!byName.containsKey(base)) {
            return base;
        }
        for (int i = 1; ; i++) {
            String candidate = base + "_" + i;
            if (!byName.containsKey(candidate)) {
                return candidate;
            }
        }
    }

    private TensorRef paddingsConstant(String outName, int[][] paddings) {
        int[] flat = new int[paddings.length * 2];
        for (int i = 0; i < paddings.length; i++) {
            flat[2 * i] = paddings[i][0];
            flat[2 * i + 1] = paddings[i][1];
        }
        return constant(uniqueName(outName + "/paddings"), new int[] {paddings.length, 2}, flat);
    }

    private static List<TensorRef> ins(TensorRef... ts) {
        List<TensorRef> list = new ArrayList<>(ts.length);
        for (TensorRef t : ts) {
            list.add(t);
        }
        // Optional trailing inputs that are absent are left out rather than written as -1.
        while (!list.isEmpty() && list.get(list.size() - 1) == null) {
            list.remove(list.size() - 1);
        }
        return list;
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String describe(TensorRef t) {
        return t.toString();
    }

    private static String names(Set<DType> types) {
        return types.stream().map(DType::displayName).sorted().toList().toString();
    }

    /** A tensor as recorded. */
    static final class TensorSpec {
        final String name;
        final DType dtype;
        final int[] shape;
        final Quantization quantization;
        final ByteBuffer data;
        final TensorRef ref;
        /** TFLite's is_variable; set by {@link SubgraphBuilder#variable}. */
        boolean variable;

        TensorSpec(String name, DType dtype, int[] shape, Quantization quantization, ByteBuffer data, TensorRef ref) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.quantization = quantization;
            this.data = data;
            this.ref = ref;
        }
    }

    /** An operator as recorded. */
    static final class OpSpec {
        final BuiltinOp op;
        final String customCode;
        final int version;
        final BuiltinOptions options;
        final int[] inputs;
        final int[] outputs;
        final byte[] customOptions;

        OpSpec(BuiltinOp op, String customCode, int version, BuiltinOptions options, int[] inputs, int[] outputs,
               byte[] customOptions) {
            this.op = op;
            this.customCode = customCode;
            this.version = version;
            this.options = options;
            this.inputs = inputs;
            this.outputs = outputs;
            this.customOptions = customOptions;
        }

        String displayName() {
            return op == BuiltinOp.CUSTOM ? "CUSTOM(" + customCode + ")" : op.name();
        }
    }
}
