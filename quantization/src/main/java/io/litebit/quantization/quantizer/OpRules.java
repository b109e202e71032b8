package io.litebit.quantization.quantizer;

import io.litebit.model.BuiltinOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-op quantization table: every fact the quantizer knows about an operator, in one place,
 * as TFLite keeps them in {@code operator_property.cc} (google-ai-edge/LiteRT,
 * {@code tflite/converter/tools/optimize/operator_property.cc}). The passes in
 * {@link FullIntegerQuantizer} read only this table; no op-specific rule lives in them.
 *
 * <p>Per op: which inputs are activations, weights (and their per-channel axis) or biases, which
 * outputs get a fixed range (SOFTMAX and LOGISTIC 1/256 with zero point -128, TANH 1/128 with 0,
 * 1/32768 with 0 for their int16 forms), whether the output keeps the input's scale
 * ({@link OpRule#sameScale}), whether all inputs are requantized to the output's scale
 * ({@link OpRule#arbitraryInputs} with {@code sameScale}: CONCATENATION, PACK, MAXIMUM,
 * MINIMUM), whether 16x8 is supported, the LSTM's and SVDF's internal tensors, and the op
 * version TFLite's quantizer writes. An op missing from the table has no quantized kernel and
 * stays float.
 *
 * <pre>{@code
 * OpRule conv = OpRules.of(BuiltinOp.CONV_2D, null);
 * conv.inputs().get(1).perAxis();   // true, axis 0
 * conv.biases();                    // [2]
 * OpRules.of(BuiltinOp.SOFTMAX, null).outputs().get(0).fixedInt8();  // 1/256, -128
 * }</pre>
 */
public final class OpRules {
    private OpRules() {
    }

    /** A fixed (scale, zero point) pair. */
    public record Fixed(float scale, int zeroPoint) {
    }

    /**
     * A derived scale: the product of the scales of some inputs, some intermediates and constant
     * factors (TFLite's {@code DerivedScale}; e.g. an LSTM gate bias is layer-norm weight × 2^-10).
     */
    public record Derived(int[] inputs, int[] intermediates, float[] factors) {
        public Derived {
            inputs = inputs.clone();
            intermediates = intermediates.clone();
            factors = factors.clone();
        }
    }

    /**
     * How one input, output or intermediate is quantized (TFLite's {@code TensorProperty}).
     *
     * @param index          the position among the op's inputs/outputs/intermediates
     * @param bits           8 (or the activation width), 10 (SVDF time weights: range/512 in int16),
     *                       16 (int16 symmetric), 32 (int32 with a derived scale)
     * @param perAxis        weights quantized per channel along {@code axis}
     * @param symmetric      zero point 0
     * @param fixedInt8      a fixed output quantization for int8 activations, or null
     * @param fixedInt16     the same for int16 activations, or null
     * @param derived        the derived scale of a 32-bit tensor, or null
     * @param powerOfTwo     range widened to a power of two (LSTM cell state)
     * @param state          a state tensor quantized in place
     */
    public record TensorRule(int index, int bits, boolean perAxis, int axis, boolean symmetric, Fixed fixedInt8,
                             Fixed fixedInt16, Derived derived, boolean powerOfTwo, boolean state) {
        /** The default for activations: the scheme's width, symmetric unless 8 bits. */
        static TensorRule activation(int index, int bits) {
            return new TensorRule(index, bits, false, 0, bits != 8, null, null, null, false, false);
        }

        /** An 8-bit weight (quantized symmetrically whatever {@code symmetric} says). */
        static TensorRule weight(int index) {
            return new TensorRule(index, 8, false, 0, false, null, null, null, false, false);
        }

        static TensorRule perChannel(int index, int axis) {
            return new TensorRule(index, 8, true, axis, true, null, null, null, false, false);
        }

        static TensorRule fixed(int index, Fixed int8, Fixed int16) {
            return new TensorRule(index, 8, false, 0, false, int8, int16, null, false, false);
        }

        static TensorRule int16(int index) {
            return new TensorRule(index, 16, false, 0, true, null, null, null, false, false);
        }

        static TensorRule bits(int index, int bits, boolean state) {
            return new TensorRule(index, bits, false, 0, false, null, null, null, false, state);
        }

        static TensorRule derived(int index, int[] inputs, int[] intermediates, float... factors) {
            return new TensorRule(index, 32, false, 0, false, null, null, new Derived(inputs, intermediates, factors),
                    false, false);
        }

        static TensorRule cellState(int index) {
            return new TensorRule(index, 16, false, 0, true, null, null, null, true, true);
        }
    }

    /** When an op's output must keep its input's (scale, zero point). */
    public enum SameScale {
        NEVER,
        ALWAYS,
        /** SUM: int8 has its own kernel requantizing, int16 does not. */
        EXCEPT_INT8
    }

    /**
     * Everything about one op (TFLite's {@code OperatorProperty}).
     *
     * @param quantizable             TFLite has a quantized kernel
     * @param quantizableInt16        ... and a 16x8 one
     * @param arbitraryInputs         every input is an activation (CONCATENATION, PACK, ...)
     * @param arbitraryOutputs        every output is an activation (SPLIT, UNPACK)
     * @param inputs                  the inputs to quantize, in the order the passes visit them
     * @param outputs                 the outputs to quantize
     * @param biases                  input positions of biases (scale input × weight)
     * @param intermediates           LSTM intermediates
     * @param sameScale               the output keeps the input's scale (or, with arbitrary
     *                                inputs, every input is requantized to the output's)
     * @param sharedRange             pairs {input, output} quantized with one range (LSTM
     *                                activation state and output)
     * @param version                 the version TFLite's quantizer writes at least
     * @param constantsAsActivations  in 16x8, constant inputs are quantized as int16 activations
     * @param source                  where TFLite states the rule
     */
    public record OpRule(BuiltinOp op, boolean quantizable, boolean quantizableInt16, boolean arbitraryInputs,
                         boolean arbitraryOutputs, List<TensorRule> inputs, List<TensorRule> outputs, int[] biases,
                         List<TensorRule> intermediates, SameScale sameScale, List<int[]> sharedRange, int version,
                         boolean constantsAsActivations, String source) {
        public OpRule {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            biases = biases.clone();
            intermediates = List.copyOf(intermediates);
            sharedRange = List.copyOf(sharedRange);
        }

        @Override
        public int[] biases() {
            return biases.clone();
        }

        /**
         * Whether the output keeps the input's scale, asked (as TFLite asks) with the tensor's
         * current type: for SUM that is still float32 when outputs are quantized, so there it holds.
         */
        public boolean restrictsSameScale(io.litebit.model.DType type) {
            return switch (sameScale) {
                case NEVER -> false;
                case ALWAYS -> true;
                case EXCEPT_INT8 -> type != io.litebit.model.DType.INT8 && type != io.litebit.model.DType.UINT8;
            };
        }

        OpRule notQuantizable() {
            return new OpRule(op, false, false, arbitraryInputs, arbitraryOutputs, inputs, outputs, biases,
                    intermediates, sameScale, sharedRange, version, constantsAsActivations, source);
        }

        OpRule withoutPerAxis() {
            List<TensorRule> in = new ArrayList<>();
            for (TensorRule t : inputs) {
                in.add(t.perAxis() ? new TensorRule(t.index(), t.bits(), false, t.axis(), t.symmetric(), t.fixedInt8(),
                        t.fixedInt16(), t.derived(), t.powerOfTwo(), t.state()) : t);
            }
            return new OpRule(op, quantizable, quantizableInt16, arbitraryInputs, arbitraryOutputs, in, outputs,
                    biases, intermediates, sameScale, sharedRange, version, constantsAsActivations, source);
        }
    }

    /** What an LSTM variant uses; TFLite picks its rule by these (GetOperatorVariant). */
    public record LstmVariant(boolean layerNorm, boolean projection, boolean peephole) {
    }

    private static final String SRC = "operator_property.cc";
    private static final Fixed SIXTEEN = new Fixed(1 / 32768.0f, 0);

    /** A small builder so that the table below reads like TFLite's. */
    private static final class B {
        final BuiltinOp op;
        final int bits;
        boolean quantizable = true;
        boolean int16 = true;
        boolean arbIn;
        boolean arbOut;
        final List<TensorRule> in = new ArrayList<>();
        final List<TensorRule> out = new ArrayList<>();
        int[] biases = new int[0];
        final List<TensorRule> inter = new ArrayList<>();
        SameScale same = SameScale.NEVER;
        final List<int[]> shared = new ArrayList<>();
        int version = 1;
        boolean asAct;

        B(BuiltinOp op, int bits) {
            this.op = op;
            this.bits = bits;
        }

        B in(int... idx) {
            for (int i : idx) {
                in.add(TensorRule.activation(i, bits));
            }
            return this;
        }

        B out(int... idx) {
            for (int i : idx) {
                out.add(TensorRule.activation(i, bits));
            }
            return this;
        }

        B v(int version) {
            this.version = version;
            return this;
        }

        B same() {
            same = SameScale.ALWAYS;
            return this;
        }

        B no16() {
            int16 = false;
            return this;
        }

        B asAct() {
            asAct = true;
            return this;
        }

        OpRule build() {
            return new OpRule(op, quantizable, quantizable && int16, arbIn, arbOut, in, out, biases, inter, same,
                    shared, version, asAct, SRC);
        }
    }

    /**
     * The rule for an op when activations have {@code activationBits} bits (8 or 16); {@code lstm}
     * describes an LSTM's variant (ignored for other ops, null for a 5-input LSTM, which TFLite
     * cannot quantize).
     */
    public static OpRule of(BuiltinOp op, LstmVariant lstm, int activationBits) {
        B b = new B(op, activationBits);
        if (op == null) {
            b.quantizable = false;
            return b.build();
        }
        switch (op) {
            case ABS, RSQRT, SQRT, LEAKY_RELU, RELU, RELU6, MEAN, REDUCE_PROD, GELU, LOG -> b.in(0).out(0).v(2);
            case QUANTIZE -> b.in(0).out(0).v(2);
            case EXP -> {
                b.in.add(TensorRule.weight(0));
                b.out.add(TensorRule.weight(0));
                b.v(2);
            }
            case ADD, SUB, SQUARED_DIFFERENCE, MUL, BATCH_MATMUL -> b.in(0, 1).out(0).v(2).asAct();
            case ARG_MAX -> b.in(0).v(2).no16();
            case AVERAGE_POOL_2D, MAX_POOL_2D, RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR, SLICE, STRIDED_SLICE,
                    TRANSPOSE, PAD, PADV2, MIRROR_PAD, REDUCE_MAX, REDUCE_MIN -> b.in(0).out(0).same().v(2);
            case RESHAPE, SQUEEZE, EXPAND_DIMS -> b.in(0).out(0).same().v(1);
            case BATCH_TO_SPACE_ND, SPACE_TO_BATCH_ND -> {
                // TFLite gives these the 8-bit default tensor property ({}), whatever the scheme.
                b.in.add(TensorRule.weight(0));
                b.out.add(TensorRule.weight(0));
                b.same().v(2);
            }
            case SPACE_TO_DEPTH, DEPTH_TO_SPACE -> b.in(0).out(0).same().v(2).no16();
            case BROADCAST_TO, TILE, REVERSE_V2, GATHER_ND -> b.in(0).out(0).same().v(3);
            case GATHER -> b.in(0).out(0).same().asAct().v(2);
            case FILL -> b.in(1).out(0).same().v(3);
            case SCATTER_ND -> b.in(1).out(0).same().v(1);
            case SELECT -> b.in(1, 2).out(0).same().v(1);
            case SPLIT -> {
                b.in(1).same().v(2);
                b.arbOut = true;
            }
            case SPLIT_V -> {
                b.in(0).same().v(2);
                b.arbOut = true;
            }
            case UNPACK -> {
                b.in(0).same().v(1);
                b.arbOut = true;
            }
            case CONCATENATION, PACK -> {
                b.arbIn = true;
                b.out(0).same().v(2);
            }
            case MAXIMUM, MINIMUM -> {
                b.arbIn = true;
                b.out(0).same().asAct().v(2);
            }
            case CONV_2D, FULLY_CONNECTED -> {
                b.in(0);
                b.in.add(TensorRule.perChannel(1, 0));
                b.out(0);
                b.biases = new int[] {2};
                b.v(op == BuiltinOp.CONV_2D ? 3 : 4);
            }
            case DEPTHWISE_CONV_2D -> {
                b.in(0);
                b.in.add(TensorRule.perChannel(1, 3));
                b.out(0);
                b.biases = new int[] {2};
                b.v(3);
            }
            case TRANSPOSE_CONV -> {
                b.in(2);
                b.in.add(TensorRule.perChannel(1, 0));
                b.out(0);
                b.biases = new int[] {3};
                b.v(3);
            }
            case EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS, LESS_EQUAL -> b.in(0, 1).v(2).no16();
            case HARD_SWISH -> b.in(0).out(0).v(1).no16();
            case PRELU -> b.in(0, 1).out(0).v(1).no16();
            case RELU_N1_TO_1 -> b.in(0).out(0).v(1).no16();
            case SHAPE -> b.in(0).v(1);
            case WHERE -> b.in(0).out(0).v(1);
            case SUM -> {
                b.in(0).out(0).v(2);
                b.same = SameScale.EXCEPT_INT8;
            }
            case LOG_SOFTMAX -> {
                b.in(0).v(2).no16();
                b.out.add(TensorRule.fixed(0, new Fixed(16.0f / 256.0f, 127), null));
            }
            case LOGISTIC, SOFTMAX -> {
                b.in(0).v(2);
                b.out.add(TensorRule.fixed(0, new Fixed(1 / 256.0f, -128), SIXTEEN));
            }
            case TANH -> {
                b.in(0).v(2);
                b.out.add(TensorRule.fixed(0, new Fixed(1 / 128.0f, 0), SIXTEEN));
            }
            case L2_NORMALIZATION -> {
                b.in(0).v(2).no16();
                b.out.add(TensorRule.fixed(0, new Fixed(1 / 128.0f, 0), null));
            }
            case SVDF -> {
                // inputs: 0 activation, 1 feature weights (8 bit), 2 time weights (int16 with
                // range/512, "10 bits"), 4 the int16 state, 3 the bias with scale s2 * s4.
                b.in.add(TensorRule.activation(0, 8));
                b.in.add(TensorRule.activation(1, 8));
                b.in.add(TensorRule.bits(2, 10, false));
                b.in.add(TensorRule.bits(4, 16, true));
                b.in.add(TensorRule.derived(3, new int[] {2, 4}, new int[0]));
                b.out(0).v(3).no16();
            }
            case LSTM, UNIDIRECTIONAL_SEQUENCE_LSTM -> lstm(b, lstm);
            default -> b.quantizable = false;
        }
        return b.build();
    }

    /** The eight LSTM variants of operator_property.cc, composed from their three switches. */
    private static void lstm(B b, LstmVariant v) {
        b.int16 = false;
        if (v == null) {
            b.quantizable = false;
            return;
        }
        final float alpha = (float) Math.pow(2, -10);
        b.in.add(TensorRule.activation(0, 8));
        for (int i = 1; i <= 8; i++) {
            b.in.add(TensorRule.weight(i));
        }
        if (v.peephole()) {
            for (int i = 9; i <= 11; i++) {
                b.in.add(TensorRule.int16(i));
            }
        }
        if (v.projection()) {
            b.in.add(TensorRule.weight(16));
        }
        b.in.add(TensorRule.cellState(19));
        if (v.layerNorm()) {
            for (int i = 20; i <= 23; i++) {
                b.in.add(TensorRule.int16(i));
            }
            for (int g = 0; g < 4; g++) {
                b.in.add(TensorRule.derived(12 + g, new int[] {20 + g}, new int[0], alpha));
            }
        } else {
            // Without layer norm the gate bias takes input scale × its input weight's scale.
            for (int g = 0; g < 4; g++) {
                b.in.add(TensorRule.derived(12 + g, new int[] {0, 1 + g}, new int[0]));
            }
        }
        if (v.projection()) {
            b.in.add(TensorRule.derived(17, new int[] {16}, new int[] {4}));
        }
        // TFLite's layer-norm variant without projection or peephole gives its output the plain
        // 8-bit property; with an 8-bit scheme that is the same rule.
        b.out.add(TensorRule.activation(0, 8));
        for (int i = 0; i < 4; i++) {
            b.inter.add(v.layerNorm() ? TensorRule.int16(i) : TensorRule.activation(i, 8));
        }
        b.inter.add(TensorRule.activation(4, 8));
        b.shared.add(new int[] {18, 0});
        b.v(2);
    }
}
