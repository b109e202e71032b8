package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.CppMath;
import io.litebit.reference.fixedpoint.FixedPoint;
import io.litebit.reference.fixedpoint.LookupTables;
import io.litebit.reference.fixedpoint.QuantizationUtil;
import io.litebit.reference.fixedpoint.QuantizedMultiplier;
import io.litebit.reference.fixedpoint.Rounding;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM as TFLite 2.19's builtin kernel computes it ({@code
 * kernels/unidirectional_sequence_lstm.cc} with {@code kernels/lstm_eval.cc}). TFLite has no
 * reference variant of this op: its {@code BUILTIN_REF} resolver registers the builtin kernel, so
 * this reproduces that kernel, whose integer helpers on x86 are the portable {@code tensor_utils}
 * (the SSE build forwards every int16-gate helper to them).
 *
 * <p>Paths:
 * <ul>
 *   <li>int8 ("integer 8x8_16", {@code EvalInteger8x8_16}): int8 input, weights and output
 *       state, int32 biases, int16 cell state with a power-of-two scale, five intermediates of
 *       which the fifth carries the hidden scale and zero point. Each gate is two int8 matrix
 *       products, each requantized on its own to Q3.12 with an effective scale (input zero point
 *       folded into the bias) and added with int16 saturation, then gemmlowp's int16 sigmoid, or
 *       tanh for the cell gate; the cell update multiplies with rounding shifts (15, and 30 +
 *       log2(cell scale)), adds with saturation and clips to {@code cell_clip / cell_scale}; the
 *       hidden state is {@code output_gate * tanh(cell)} requantized to int8 with {@code 2^-30 /
 *       hidden_scale}. Bit-exact under {@link NumericsProfile#TFLITE} and {@link
 *       NumericsProfile#TFLITE_SINGLE_ROUNDING} (and {@link NumericsProfile#XNNPACK}, which never
 *       takes the op); {@link NumericsProfile#NAIVE_FLOAT} replaces the two requantizations by
 *       {@code rint(acc * real_scale)}. CIFG (no input gate) is implemented.</li>
 *   <li>float32 ({@code EvalFloat}): the same gate structure in float with the fused activation
 *       for the cell gate and the output. TFLite runs the products through its optimized GEMM and
 *       Eigen's vectorized sigmoid/tanh even under {@code BUILTIN_REF}, so this path is a
 *       tolerance oracle (sequential float dot products, {@code expf}/{@code tanh}), never claimed
 *       bit-exact.</li>
 * </ul>
 * Peephole, projection and layer-norm LSTMs, diagonal recurrent weights (v4), the hybrid path
 * (float input, int8 weights), int16 activations (v5) and per-channel weights raise {@link
 * io.litebit.reference.UnsupportedOpException}; batch-major and time-major layouts and any batch
 * size are implemented.
 *
 * <p>State: the output-state and cell-state inputs are variable tensors. The reference reads them
 * like any input, and {@link io.litebit.reference.ReferenceInterpreter} gives them TFLite's
 * allocation-time zeros at the start of every run; the final state is not carried to the next
 * run. A native interpreter instead keeps the state across {@code Invoke} calls, so only its
 * first invoke (or one after resetting the variable tensors to zero) matches the reference.
 *
 * <pre>{@code
 * ReferenceInterpreter oracle = ReferenceInterpreter.create(TfliteModel.load(Path.of("trained_lstm_int8.tflite")));
 * TensorValue hidden = oracle.run(TensorValue.ofInt8(new int[] {1, 28, 28}, pixels)).tensor(23);  // [1, 28, 20]
 * }</pre>
 */
final class UnidirectionalSequenceLstm implements Kernel {
    // lstm::full tensor indices (kernels/lstm_shared.h).
    static final int INPUT = 0;
    static final int INPUT_TO_INPUT = 1;
    static final int INPUT_TO_FORGET = 2;
    static final int INPUT_TO_CELL = 3;
    static final int INPUT_TO_OUTPUT = 4;
    static final int RECURRENT_TO_INPUT = 5;
    static final int RECURRENT_TO_FORGET = 6;
    static final int RECURRENT_TO_CELL = 7;
    static final int RECURRENT_TO_OUTPUT = 8;
    static final int CELL_TO_INPUT = 9;
    static final int CELL_TO_FORGET = 10;
    static final int CELL_TO_OUTPUT = 11;
    static final int INPUT_GATE_BIAS = 12;
    static final int FORGET_GATE_BIAS = 13;
    static final int CELL_GATE_BIAS = 14;
    static final int OUTPUT_GATE_BIAS = 15;
    static final int PROJECTION_WEIGHTS = 16;
    static final int PROJECTION_BIAS = 17;
    static final int OUTPUT_STATE = 18;
    static final int CELL_STATE = 19;
    static final int FORGET_LAYER_NORM = 21;

    /** Gate order in the arrays below: input, forget, cell, output. */
    private static final int[] INPUT_WEIGHTS = {INPUT_TO_INPUT, INPUT_TO_FORGET, INPUT_TO_CELL, INPUT_TO_OUTPUT};
    private static final int[] RECURRENT_WEIGHTS = {RECURRENT_TO_INPUT, RECURRENT_TO_FORGET, RECURRENT_TO_CELL, RECURRENT_TO_OUTPUT};
    private static final int[] BIASES = {INPUT_GATE_BIAS, FORGET_GATE_BIAS, CELL_GATE_BIAS, OUTPUT_GATE_BIAS};
    private static final String[] GATES = {"input", "forget", "cell", "output"};

    /** Sizes and layout shared by both paths. */
    record Dims(int batch, int time, int input, int cell, int output, boolean timeMajor, boolean cifg) {
        /** Offset of step {@code t} of batch row {@code b} in a [.., .., width] sequence tensor. */
        int row(int b, int t) {
            return timeMajor ? t * batch + b : b * time + t;
        }
    }

    @Override
    public PreparedOp prepare(OpContext ctx) {
        return prepare(ctx, null);
    }

    /** {@link #prepare(OpContext)}, telling {@code observer} every step of the float path (see {@link LstmSteps}). */
    PreparedOp prepare(OpContext ctx, LstmSteps.Observer observer) {
        if (ctx.inputCount() != 20 && ctx.inputCount() != 24) {
            throw ctx.invalid("The LSTM Full kernel expects 20 or 24 inputs. Got " + ctx.inputCount() + " inputs");
        }
        if (ctx.outputCount() != 1) {
            throw ctx.invalid("UNIDIRECTIONAL_SEQUENCE_LSTM has 1 output, given " + ctx.outputCount());
        }
        BuiltinOptions.UnidirectionalSequenceLstm options = ctx.options(BuiltinOptions.UnidirectionalSequenceLstm.class);
        if (ctx.inputCount() == 24 && ctx.hasInput(FORGET_LAYER_NORM)) {
            throw ctx.unsupported("layer-norm LSTM (layer normalization coefficients given)");
        }
        if (ctx.hasInput(CELL_TO_INPUT) || ctx.hasInput(CELL_TO_FORGET) || ctx.hasInput(CELL_TO_OUTPUT)) {
            throw ctx.unsupported("peephole LSTM (cell-to-gate weights given)");
        }
        if (ctx.hasInput(PROJECTION_WEIGHTS) || ctx.hasInput(PROJECTION_BIAS)) {
            throw ctx.unsupported("LSTM with projection");
        }
        if (options.cellClip() < 0 || options.projClip() < 0) {
            throw ctx.invalid("cell_clip and proj_clip must be >= 0, given " + options.cellClip() + " and " + options.projClip());
        }
        Tensor input = ctx.requireInput(INPUT, "input");
        if (input.rank() != 3) {
            // Prepare reads dims[2] for any rank above 1; only rank 3 is well defined.
            throw ctx.unsupported("input of rank " + input.rank() + " (only [batch, time, input] or [time, batch, input])");
        }
        Tensor wInOut = ctx.requireInput(INPUT_TO_OUTPUT, "input_to_output_weights");
        Tensor wRecOut = ctx.requireInput(RECURRENT_TO_OUTPUT, "recurrent_to_output_weights");
        boolean timeMajor = options.timeMajor();
        int nBatch = timeMajor ? input.dim(1) : input.dim(0);
        int maxTime = timeMajor ? input.dim(0) : input.dim(1);
        int nInput = input.dim(2);
        if (wInOut.rank() != 2 || wInOut.dim(1) != nInput) {
            throw ctx.invalid("input_to_output_weights must be [n_cell, " + nInput + "], given " + Tensor.formatShape(wInOut.shape()));
        }
        int nCell = wInOut.dim(0);
        for (int i = RECURRENT_TO_INPUT; i <= RECURRENT_TO_OUTPUT; i++) {
            if (ctx.hasInput(i) && ctx.input(i).rank() == 1) {
                throw ctx.unsupported("diagonal recurrent weights (rank-1 recurrent_to_gate tensors, op version 4)");
            }
        }
        if (wRecOut.rank() != 2 || wRecOut.dim(0) != nCell) {
            throw ctx.invalid("recurrent_to_output_weights must be [" + nCell + ", n_output], given " + Tensor.formatShape(wRecOut.shape()));
        }
        int nOutput = wRecOut.dim(1);
        boolean cifg = !ctx.hasInput(INPUT_TO_INPUT);
        if (cifg != !ctx.hasInput(RECURRENT_TO_INPUT)) {
            throw ctx.invalid("input_to_input and recurrent_to_input weights must be both given or both omitted");
        }
        for (int g = cifg ? 1 : 0; g < 4; g++) {
            checkShape(ctx, INPUT_WEIGHTS[g], GATES[g], nCell, nInput);
            checkShape(ctx, RECURRENT_WEIGHTS[g], GATES[g], nCell, nOutput);
            if (ctx.hasInput(BIASES[g]) && (ctx.input(BIASES[g]).rank() != 1 || ctx.input(BIASES[g]).dim(0) != nCell)) {
                throw ctx.invalid(GATES[g] + " gate bias must be [" + nCell + "], given " + Tensor.formatShape(ctx.input(BIASES[g]).shape()));
            }
        }
        Tensor outputState = ctx.requireInput(OUTPUT_STATE, "output_state");
        Tensor cellState = ctx.requireInput(CELL_STATE, "cell_state");
        if (!outputState.isVariable() || !cellState.isVariable()) {
            throw ctx.invalid("output_state and cell_state must be variable tensors");
        }
        if (outputState.elementCount() != (long) nBatch * nOutput || cellState.elementCount() != (long) nBatch * nCell) {
            throw ctx.invalid("state sizes: output_state needs " + (long) nBatch * nOutput + " elements, cell_state "
                    + (long) nBatch * nCell + "; given " + outputState.elementCount() + " and " + cellState.elementCount());
        }
        Dims dims = new Dims(nBatch, maxTime, nInput, nCell, nOutput, timeMajor, cifg);
        Tensor output = ctx.output(0);
        int[] outShape = input.shape().clone();
        outShape[2] = nOutput;

        DType in = input.dtype();
        DType weights = wInOut.dtype();
        if (in == DType.FLOAT32 && weights == DType.FLOAT32) {
            return prepareFloat(ctx, options, dims, outShape, observer);
        }
        if (observer != null) {
            throw ctx.unsupported("observing the steps of a " + in.displayName() + " LSTM (only the float path is observed)");
        }
        if (in == DType.INT8 && weights == DType.INT8) {
            return prepareInteger(ctx, options, dims, output, outShape);
        }
        if (in == DType.FLOAT32 && (weights == DType.INT8 || weights == DType.UINT8)) {
            throw ctx.unsupported("the hybrid path (float input, " + weights.displayName() + " weights)");
        }
        throw ctx.unsupported("input " + in.displayName() + " with " + weights.displayName()
                + " weights (implemented: float32, and int8 8x8_16)");
    }

    private static void checkShape(OpContext ctx, int index, String gate, int rows, int cols) {
        Tensor t = ctx.requireInput(index, gate + " gate weights");
        if (t.rank() != 2 || t.dim(0) != rows || t.dim(1) != cols) {
            throw ctx.invalid(gate + " gate weights (input " + index + ") must be [" + rows + ", " + cols + "], given "
                    + Tensor.formatShape(t.shape()));
        }
    }

    // ------------------------------------------------------------------ int8 (8x8_16)

    /** What {@code PopulateQuantizedLstmParams8x8_16} and the precomputed biases fix per operator. */
    record IntegerParams(Dims dims, byte[][] inputWeights, byte[][] recurrentWeights, int[][] inputBias,
                         int[][] recurrentBias, Requant[] inputScale, Requant[] recurrentScale, Requant hiddenScale,
                         int hiddenZp, int cellScaleLog2, short cellClip) {
    }

    /** {@code MultiplyByQuantizedMultiplier} (or the naive formula) of an int32 accumulator, unsaturated. */
    @FunctionalInterface
    interface Requant {
        int apply(int acc);

        static Requant of(float realScale, NumericsProfile profile) {
            if (!profile.isFixedPoint()) {
                double real = realScale;
                return acc -> {
                    double v = Math.rint(acc * real);
                    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
                };
            }
            Rounding rounding = profile.rounding();
            QuantizedMultiplier m = QuantizationUtil.quantizeMultiplier(realScale, rounding);
            return acc -> m.apply(acc, rounding);
        }
    }

    private PreparedOp prepareInteger(OpContext ctx, BuiltinOptions.UnidirectionalSequenceLstm options, Dims dims,
                                      Tensor output, int[] outShape) {
        Tensor input = ctx.input(INPUT);
        Tensor outputState = ctx.input(OUTPUT_STATE);
        Tensor cellState = ctx.input(CELL_STATE);
        if (output.dtype() != DType.INT8 || outputState.dtype() != DType.INT8 || cellState.dtype() != DType.INT16) {
            throw ctx.unsupported("integer LSTM with output " + output.dtype().displayName() + ", output_state "
                    + outputState.dtype().displayName() + ", cell_state " + cellState.dtype().displayName()
                    + " (implemented: int8, int8, int16)");
        }
        if (ctx.intermediateCount() != 5) {
            throw ctx.invalid("the integer LSTM needs 5 intermediate tensors, given " + ctx.intermediateCount());
        }
        Tensor hidden = ctx.intermediate(4);
        if (hidden.quantization().isNone()) {
            throw ctx.invalid("intermediate 4 (the hidden state) has no quantization");
        }
        if (cellState.quantization().isNone() || output.quantization().isNone()) {
            throw ctx.invalid("cell_state and output need quantization parameters");
        }
        for (int g = dims.cifg() ? 1 : 0; g < 4; g++) {
            for (int idx : new int[] {INPUT_WEIGHTS[g], RECURRENT_WEIGHTS[g]}) {
                Tensor w = ctx.input(idx);
                if (w.dtype() != DType.INT8) {
                    throw ctx.unsupported(GATES[g] + " gate weights of type " + w.dtype().displayName() + " (int8 expected)");
                }
                if (w.quantization().channelCount() > 1) {
                    throw ctx.unsupported("per-channel LSTM weights (input " + idx + " has "
                            + w.quantization().channelCount() + " scales; TFLite reads only the first)");
                }
                if (!w.isConstant()) {
                    throw ctx.unsupported("non-constant LSTM weights (input " + idx + ")");
                }
            }
            if (ctx.hasInput(BIASES[g])) {
                Tensor b = ctx.input(BIASES[g]);
                if (b.dtype() != DType.INT32 || !b.isConstant()) {
                    throw ctx.unsupported(GATES[g] + " gate bias of type " + b.dtype().displayName()
                            + (b.isConstant() ? "" : " (non-constant)") + " (constant int32 expected)");
                }
            }
        }
        CppMath.Log2 cellLog2 = CppMath.checkedLog2(QuantParams.scale(cellState));
        if (!cellLog2.exact()) {
            throw ctx.invalid("the cell state scale must be a power of two, given " + QuantParams.scale(cellState));
        }
        int cellScale = cellLog2.log2();
        // ApplyTanh(15 + cell_scale) dispatches integer bits 0..6 and silently does nothing otherwise;
        // CwiseMul's shift 30 + cell_scale must be a valid rounding shift.
        if (cellScale < -15 || cellScale > -9) {
            throw ctx.unsupported("a cell state scale of 2^" + cellScale + " (TFLite's tanh covers 2^-15..2^-9)");
        }
        NumericsProfile profile = ctx.profile().isXnnpack() ? NumericsProfile.TFLITE : ctx.profile();

        float cellClipF = options.cellClip();
        short cellClip = 0;
        if (cellClipF > 0.0) {
            float q = Math.min(Math.max(cellClipF / QuantParams.scale(cellState), -32768.0f), 32767.0f);
            cellClip = (short) (int) q;
        }
        float inputScale = QuantParams.scale(input);
        float outputStateScale = QuantParams.scale(outputState);
        // Without layer norm the four gate intermediates are Q3.12 whatever the model says.
        float gateScale = (float) Math.pow(2, -12);
        float hiddenScale = hidden.quantization().scale(0);
        int hiddenZp = (int) hidden.quantization().zeroPoint(0);
        float effectiveHidden = (float) (Math.pow(2, -15) / hiddenScale * Math.pow(2, -15));

        int inputZp = -QuantParams.zeroPoint(input);
        int outputStateZp = -QuantParams.zeroPoint(outputState);
        byte[][] wIn = new byte[4][];
        byte[][] wRec = new byte[4][];
        int[][] bIn = new int[4][];
        int[][] bRec = new int[4][];
        Requant[] sIn = new Requant[4];
        Requant[] sRec = new Requant[4];
        for (int g = dims.cifg() ? 1 : 0; g < 4; g++) {
            Tensor wi = ctx.input(INPUT_WEIGHTS[g]);
            Tensor wr = ctx.input(RECURRENT_WEIGHTS[g]);
            wIn[g] = int8s(TensorValue.of(wi));
            wRec[g] = int8s(TensorValue.of(wr));
            int[] bias = ctx.hasInput(BIASES[g]) ? TensorValue.of(ctx.input(BIASES[g])).toIntArray() : new int[dims.cell()];
            bIn[g] = zeroPointTimesWeightsPlusBias(inputZp, wIn[g], bias, dims.cell(), dims.input());
            bRec[g] = zeroPointTimesWeightsPlusBias(outputStateZp, wRec[g], new int[dims.cell()], dims.cell(), dims.output());
            float wiScale = QuantParams.scale(wi);
            float wrScale = QuantParams.scale(wr);
            sIn[g] = Requant.of(wiScale * inputScale / gateScale, profile);
            sRec[g] = Requant.of(wrScale * outputStateScale / gateScale, profile);
        }
        IntegerParams p = new IntegerParams(dims, wIn, wRec, bIn, bRec, sIn, sRec, Requant.of(effectiveHidden, profile),
                hiddenZp, cellScale, cellClip);
        return inputs -> new TensorValue[] {evalInteger(p, inputs[INPUT], inputs[OUTPUT_STATE], inputs[CELL_STATE], outShape)};
    }

    private static byte[] int8s(TensorValue v) {
        byte[] b = new byte[v.elementCount()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) v.getInt(i);
        }
        return b;
    }

    /**
     * {@code PrecomputeZeroPointTimesWeightWithBias}: {@code bias[r] + zp * sum(weights[r])}, in
     * wrapping int32 as {@code MatrixScalarMultiplyAccumulate} computes it.
     */
    static int[] zeroPointTimesWeightsPlusBias(int zeroPoint, byte[] weights, int[] bias, int rows, int cols) {
        int[] out = bias.clone();
        if (zeroPoint != 0) {
            for (int r = 0; r < rows; r++) {
                int rowSum = 0;
                for (int c = 0; c < cols; c++) {
                    rowSum += weights[r * cols + c];
                }
                out[r] += rowSum * zeroPoint;
            }
        }
        return out;
    }

    static TensorValue evalInteger(IntegerParams p, TensorValue input, TensorValue outputState0, TensorValue cellState0,
                                   int[] outShape) {
        Dims d = p.dims();
        byte[] x = new byte[input.elementCount()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (byte) input.getInt(i);
        }
        byte[] out = new byte[d.batch() * d.time() * d.output()];
        byte[] h = new byte[d.output()];
        short[] c = new short[d.cell()];
        short[][] gates = new short[4][d.cell()];
        for (int b = 0; b < d.batch(); b++) {
            for (int i = 0; i < d.output(); i++) {
                h[i] = (byte) outputState0.getInt(b * d.output() + i);
            }
            for (int i = 0; i < d.cell(); i++) {
                c[i] = (short) cellState0.getInt(b * d.cell() + i);
            }
            for (int t = 0; t < d.time(); t++) {
                int xOff = d.row(b, t) * d.input();
                for (int g = d.cifg() ? 1 : 0; g < 4; g++) {
                    gate(p, g, x, xOff, h, gates[g]);
                }
                updateCell(c, gates[0], gates[1], gates[2], d.cifg(), p.cellScaleLog2(), p.cellClip());
                hidden(c, gates[3], p.cellScaleLog2(), p.hiddenScale(), p.hiddenZp(), h);
                System.arraycopy(h, 0, out, d.row(b, t) * d.output(), d.output());
            }
        }
        int[] values = new int[out.length];
        for (int i = 0; i < out.length; i++) {
            values[i] = out[i];
        }
        return TensorValue.fromInts(DType.INT8, outShape, values);
    }

    /**
     * {@code CalculateLstmGateInteger8x8_16} without peephole or layer norm: the input product and
     * the recurrent product, each requantized and accumulated into the int16 gate with
     * saturation, then sigmoid (tanh for the cell gate) from Q3.12 to Q0.15.
     */
    static void gate(IntegerParams p, int g, byte[] x, int xOff, byte[] h, short[] out) {
        for (int r = 0; r < p.dims().cell(); r++) {
            short v = preActivation(p, g, r, x, xOff, h);
            out[r] = g == 2 ? FixedPoint.tanh(v, 3) : FixedPoint.logistic(v, 3);
        }
    }

    /** Row {@code r} of gate {@code g} before its activation, in Q3.12. */
    static short preActivation(IntegerParams p, int g, int r, byte[] x, int xOff, byte[] h) {
        Dims d = p.dims();
        int v = accumulate(p.inputBias()[g][r], p.inputWeights()[g], r, d.input(), x, xOff, p.inputScale()[g], 0);
        return (short) accumulate(p.recurrentBias()[g][r], p.recurrentWeights()[g], r, d.output(), h, 0,
                p.recurrentScale()[g], v);
    }

    /** One row of the portable int8 x int8 -> int16 {@code MatrixBatchVectorMultiplyAccumulate}. */
    private static int accumulate(int bias, byte[] w, int row, int cols, byte[] v, int vOff, Requant scale, int prior) {
        int acc = bias;
        int base = row * cols;
        for (int c = 0; c < cols; c++) {
            acc += v[vOff + c] * w[base + c];
        }
        // acc + output_zp (0) + the gate so far, in int32, then clamped to int16.
        int sum = scale.apply(acc) + prior;
        return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sum));
    }

    /** {@code UpdateLstmCellInteger}. */
    static void updateCell(short[] c, short[] inputGate, short[] forgetGate, short[] cellGate, boolean cifg,
                           int cellScaleLog2, short clip) {
        for (int i = 0; i < c.length; i++) {
            short kept = (short) FixedPoint.roundingDivideByPot(forgetGate[i] * c[i], 15);
            short in = cifg ? (short) (32767 - forgetGate[i]) : inputGate[i];
            short added = (short) FixedPoint.roundingDivideByPot(in * cellGate[i], 30 + cellScaleLog2);
            int sum = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, kept + added));
            if (clip > 0) {
                sum = Math.max(Math.min(clip, sum), -clip);
            }
            c[i] = (short) sum;
        }
    }

    /**
     * {@code CalculateLstmOutputInteger8x8_16} without projection: {@code tanh(cell)} with {@code
     * 15 + log2(cell_scale)} integer bits, times the output gate, requantized, plus the hidden
     * zero point, saturated to int8, written to the output state.
     */
    static void hidden(short[] c, short[] outputGate, int cellScaleLog2, Requant hiddenScale, int hiddenZp, byte[] h) {
        for (int i = 0; i < c.length; i++) {
            short t = FixedPoint.tanh(c[i], 15 + cellScaleLog2);
            int v = hiddenScale.apply(outputGate[i] * t) + hiddenZp;
            h[i] = (byte) Math.max(-128, Math.min(127, v));
        }
    }

    // ------------------------------------------------------------------ float32

    private PreparedOp prepareFloat(OpContext ctx, BuiltinOptions.UnidirectionalSequenceLstm options, Dims dims,
                                    int[] outShape, LstmSteps.Observer observer) {
        Activation act = options.activation();
        if (act == Activation.SIGN_BIT) {
            throw ctx.unsupported("the SIGN_BIT activation");
        }
        if (ctx.output(0).dtype() != DType.FLOAT32 || ctx.input(OUTPUT_STATE).dtype() != DType.FLOAT32
                || ctx.input(CELL_STATE).dtype() != DType.FLOAT32) {
            throw ctx.unsupported("float LSTM with non-float output or state");
        }
        float[][] wIn = new float[4][];
        float[][] wRec = new float[4][];
        float[][] bias = new float[4][];
        for (int g = dims.cifg() ? 1 : 0; g < 4; g++) {
            if (!ctx.hasInput(BIASES[g])) {
                throw ctx.invalid(GATES[g] + " gate bias is missing");
            }
            for (int idx : new int[] {INPUT_WEIGHTS[g], RECURRENT_WEIGHTS[g], BIASES[g]}) {
                Tensor t = ctx.input(idx);
                if (t.dtype() != DType.FLOAT32 || !t.isConstant()) {
                    throw ctx.unsupported("float LSTM input " + idx + " of type " + t.dtype().displayName()
                            + (t.isConstant() ? "" : " (non-constant)") + " (constant float32 expected)");
                }
            }
            wIn[g] = TensorValue.of(ctx.input(INPUT_WEIGHTS[g])).toFloatArray();
            wRec[g] = TensorValue.of(ctx.input(RECURRENT_WEIGHTS[g])).toFloatArray();
            bias[g] = TensorValue.of(ctx.input(BIASES[g])).toFloatArray();
        }
        float clip = options.cellClip();
        return inputs -> new TensorValue[] {evalFloat(dims, wIn, wRec, bias, act, clip, inputs[INPUT],
                inputs[OUTPUT_STATE], inputs[CELL_STATE], outShape, observer)};
    }

    static TensorValue evalFloat(Dims d, float[][] wIn, float[][] wRec, float[][] bias, Activation act, float clip,
                                 TensorValue input, TensorValue outputState0, TensorValue cellState0, int[] outShape,
                                 LstmSteps.Observer observer) {
        float[] x = input.toFloatArray();
        float[] out = new float[d.batch() * d.time() * d.output()];
        float[] h = new float[d.output()];
        float[] c = new float[d.cell()];
        float[][] gates = new float[4][d.cell()];
        float[][] pre = observer == null ? null : new float[4][];
        if (pre != null) {
            for (int g = d.cifg() ? 1 : 0; g < 4; g++) {
                pre[g] = new float[d.cell()];
            }
        }
        for (int b = 0; b < d.batch(); b++) {
            for (int i = 0; i < d.output(); i++) {
                h[i] = outputState0.getFloat(b * d.output() + i);
            }
            for (int i = 0; i < d.cell(); i++) {
                c[i] = cellState0.getFloat(b * d.cell() + i);
            }
            for (int t = 0; t < d.time(); t++) {
                int xOff = d.row(b, t) * d.input();
                boolean inputAllZeros = true;
                for (int i = 0; i < d.input(); i++) {
                    inputAllZeros &= x[xOff + i] == 0f;
                }
                for (int g = d.cifg() ? 1 : 0; g < 4; g++) {
                    for (int r = 0; r < d.cell(); r++) {
                        float acc = bias[g][r];
                        if (!inputAllZeros) {
                            acc = dot(wIn[g], r, d.input(), x, xOff) + acc;
                        }
                        acc = dot(wRec[g], r, d.output(), h, 0) + acc;
                        if (pre != null) {
                            pre[g][r] = acc;
                        }
                        gates[g][r] = g == 2 ? activation(act, acc) : LookupTables.SIGMOID.apply(acc);
                    }
                }
                for (int i = 0; i < d.cell(); i++) {
                    float in = d.cifg() ? 1.0f - gates[1][i] : gates[0][i];
                    float v = gates[1][i] * c[i];
                    v += gates[2][i] * in;
                    if (clip > 0.0f) {
                        v = Math.max(Math.min(clip, v), -clip);
                    }
                    c[i] = v;
                }
                for (int i = 0; i < d.cell(); i++) {
                    h[i] = gates[3][i] * activation(act, c[i]);
                }
                System.arraycopy(h, 0, out, d.row(b, t) * d.output(), d.output());
                if (observer != null) {
                    observer.step(b, t, pre, c, h);
                }
            }
        }
        return TensorValue.ofFloat32(outShape, out);
    }

    private static float dot(float[] w, int row, int cols, float[] v, int vOff) {
        float s = 0f;
        int base = row * cols;
        for (int c = 0; c < cols; c++) {
            s += w[base + c] * v[vOff + c];
        }
        return s;
    }

    /** {@code ApplyActivationToVector} for one element. */
    static float activation(Activation act, float v) {
        return switch (act) {
            case NONE -> v;
            case RELU -> Math.max(0f, v);
            case RELU_N1_TO_1 -> Math.max(-1f, Math.min(1f, v));
            case RELU6 -> Math.max(0f, Math.min(6f, v));
            case TANH -> LookupTables.TANH.apply(v);
            case SIGN_BIT -> throw new IllegalStateException("SIGN_BIT is refused at prepare");
        };
    }
}
