package io.litebit.quantization.calibration;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.Subgraph;
import io.litebit.model.TfliteModel;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import io.litebit.reference.UnsupportedOpException;
import io.litebit.reference.kernels.LstmSteps;
import io.litebit.reference.kernels.OpContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The ranges inside a float {@code UNIDIRECTIONAL_SEQUENCE_LSTM} that no tensor of an invoke
 * shows: the cell and output state at <em>every</em> step (the state tensors only hold the last)
 * and the five intermediates TFLite's quantizer reads (gate pre-activations, the hidden value).
 * Each record's LSTM input, as the backend computed it, is replayed through the oracle's float
 * kernel ({@link LstmSteps}) from zero states, as every trace starts, and all steps of the record
 * go into each tensor's statistics at once.
 */
final class LstmRecorder {
    private static final int INPUT = 0;
    private static final int OUTPUT_STATE = 18;
    private static final int CELL_STATE = 19;

    private final Operator op;
    private final OpContext ctx;
    private final int inputTensor;
    private final int[] inputShape;
    private final int[] outputStateShape;
    private final int[] cellStateShape;
    private float[] input;
    private boolean seen;

    private LstmRecorder(Subgraph g, Operator op) {
        this.op = op;
        this.ctx = new OpContext(g, op, NumericsProfile.TFLITE);
        this.inputTensor = op.inputs()[INPUT];
        this.inputShape = g.tensor(inputTensor).shape();
        this.outputStateShape = g.tensor(op.inputs()[OUTPUT_STATE]).shape();
        this.cellStateShape = g.tensor(op.inputs()[CELL_STATE]).shape();
    }

    /** One per float LSTM of the main subgraph that the oracle can replay (no layer norm, peephole, projection). */
    static List<LstmRecorder> of(TfliteModel model) {
        Subgraph g = model.mainSubgraph();
        List<LstmRecorder> out = new ArrayList<>();
        for (int i : g.executionOrder()) {
            Operator op = g.operator(i);
            if (op.op() != BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM || op.inputs().length <= CELL_STATE
                    || op.inputs()[INPUT] < 0 || g.tensor(op.inputs()[INPUT]).dtype() != DType.FLOAT32) {
                continue;
            }
            try {
                LstmRecorder r = new LstmRecorder(g, op);
                // A dry run on zeros proves the oracle takes this LSTM before any record is read.
                r.replay(new float[(int) g.tensor(r.inputTensor).elementCount()], (b, t, gates, cell, hidden) -> {
                });
                out.add(r);
            } catch (UnsupportedOpException e) {
                // Layer norm, peephole or projection: the state ranges stay what the tensors show.
            }
        }
        return out;
    }

    int inputTensor() {
        return inputTensor;
    }

    /** Keeps this record's LSTM input (little-endian float32, as the visitor gives it). */
    void input(ByteBuffer littleEndian) {
        int n = littleEndian.remaining() / 4;
        if (input == null || input.length != n) {
            input = new float[n];
        }
        littleEndian.asFloatBuffer().get(input);
        seen = true;
    }

    /** Replays the kept input and hands every step's values to the recorders (by tensor index). */
    void record(int record, TensorRecorder[] recorders) {
        if (!seen) {
            return;
        }
        seen = false;
        int[] inter = op.intermediates();
        List<float[]> cells = new ArrayList<>();
        List<float[]> hiddens = new ArrayList<>();
        List<float[][]> gates = new ArrayList<>();
        replay(input, (b, t, g, cell, hidden) -> {
            cells.add(cell.clone());
            hiddens.add(hidden.clone());
            float[][] copy = new float[4][];
            for (int k = 0; k < 4; k++) {
                copy[k] = g[k] == null ? null : g[k].clone();
            }
            gates.add(copy);
        });
        add(recorders, op.inputs()[CELL_STATE], record, cells);
        add(recorders, op.inputs()[OUTPUT_STATE], record, hiddens);
        for (int k = 0; k < 4 && k < inter.length; k++) {
            int gate = k;
            List<float[]> values = new ArrayList<>();
            for (float[][] step : gates) {
                if (step[gate] != null) {
                    values.add(step[gate]);
                }
            }
            add(recorders, inter[k], record, values);
        }
        if (inter.length > 4) {
            add(recorders, inter[4], record, hiddens);
        }
    }

    private void replay(float[] x, LstmSteps.Observer observer) {
        LstmSteps.replay(ctx, TensorValue.ofFloat32(inputShape, x), TensorValue.zeros(DType.FLOAT32, outputStateShape),
                TensorValue.zeros(DType.FLOAT32, cellStateShape), observer);
    }

    private static void add(TensorRecorder[] recorders, int tensor, int record, List<float[]> steps) {
        if (tensor < 0 || tensor >= recorders.length || recorders[tensor] == null || steps.isEmpty()) {
            return;
        }
        int n = 0;
        for (float[] s : steps) {
            n += s.length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] s : steps) {
            System.arraycopy(s, 0, all, at, s.length);
            at += s.length;
        }
        recorders[tensor].add(record, all, n);
    }
}
