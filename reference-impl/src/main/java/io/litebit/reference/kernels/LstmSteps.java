package io.litebit.reference.kernels;

import io.litebit.model.BuiltinOp;
import io.litebit.reference.TensorValue;

/**
 * What a float {@code UNIDIRECTIONAL_SEQUENCE_LSTM} computes inside one invoke, step by step:
 * the state the op's tensors only show at the end (the cell state) and the gate values no tensor
 * holds. Calibration needs them: TFLite's quantizer gives the int16 cell state a power-of-two
 * range and the op's five intermediates their own ranges, and TFLite's calibrator records them
 * with a logging copy of the LSTM kernel ({@code tools/optimize/calibration/builtin_logging_ops/
 * lstm.cc}); this replays the oracle's float kernel (the same arithmetic as {@link #prepare} runs
 * in {@code ReferenceInterpreter}) with an observer instead.
 *
 * <pre>{@code
 * OpContext ctx = new OpContext(model.mainSubgraph(), lstmOp, NumericsProfile.TFLITE);
 * LstmSteps.replay(ctx, input, zeros(outputState), zeros(cellState),
 *         (batch, t, gates, cell, hidden) -> record(cell));
 * }</pre>
 */
public final class LstmSteps {
    /** Told every step of every batch row, in order; the arrays are reused: copy what you keep. */
    @FunctionalInterface
    public interface Observer {
        /**
         * @param gates  the pre-activation of the input, forget, cell and output gates (matmuls plus
         *               bias, what TFLite's logging kernel records before layer norm) by gate then
         *               cell; {@code gates[0]} is null for a CIFG LSTM
         * @param cell   the cell state after this step (clipped)
         * @param hidden the output state after this step ({@code output_gate · act(cell)})
         */
        void step(int batch, int time, float[][] gates, float[] cell, float[] hidden);
    }

    private LstmSteps() {
    }

    /**
     * Runs the LSTM of {@code ctx}'s operator over {@code input} from the given initial states,
     * telling {@code observer} each step, and returns the op's output (identical to the oracle's).
     *
     * @throws io.litebit.reference.UnsupportedOpException for an LSTM the float oracle lacks (layer
     *     norm, peephole, projection) or one that is not float
     * @throws IllegalArgumentException if the operator is not an {@code UNIDIRECTIONAL_SEQUENCE_LSTM}
     */
    public static TensorValue replay(OpContext ctx, TensorValue input, TensorValue outputState0, TensorValue cellState0,
            Observer observer) {
        if (ctx.operator().op() != BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM) {
            throw new IllegalArgumentException("LstmSteps replays UNIDIRECTIONAL_SEQUENCE_LSTM, given "
                    + ctx.operator().opcode().displayName());
        }
        PreparedOp op = new UnidirectionalSequenceLstm().prepare(ctx, java.util.Objects.requireNonNull(observer, "observer"));
        TensorValue[] in = new TensorValue[ctx.inputCount()];
        in[UnidirectionalSequenceLstm.INPUT] = input;
        in[UnidirectionalSequenceLstm.OUTPUT_STATE] = outputState0;
        in[UnidirectionalSequenceLstm.CELL_STATE] = cellState0;
        return op.eval(in)[0];
    }
}
