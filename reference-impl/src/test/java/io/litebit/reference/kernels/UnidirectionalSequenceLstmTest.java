package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.OperatorCode;
import io.litebit.model.Quantization;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.Execution;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import io.litebit.reference.UnsupportedOpException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-derived cases for the pieces of the int8 LSTM and a 1-unit LSTM worked through two steps.
 * The bit-exactness against TFLite itself is proven in the conformance module
 * (LstmConformanceTest, LstmVariantsTest).
 */
class UnidirectionalSequenceLstmTest {
    private static final float S7 = 1f / 128;
    private static final float S12 = 1f / 4096;

    @Test
    void inputZeroPointIsFoldedIntoTheBiasWithRowSums() {
        byte[] w = {1, 2, 3, -4};
        int[] folded = UnidirectionalSequenceLstm.zeroPointTimesWeightsPlusBias(128, w, new int[] {10, 20}, 2, 2);
        assertThat(folded).containsExactly(10 + 128 * 3, 20 + 128 * -1);
        assertThat(UnidirectionalSequenceLstm.zeroPointTimesWeightsPlusBias(0, w, new int[] {10, 20}, 2, 2))
                .containsExactly(10, 20);
    }

    @Test
    void eachProductIsRequantizedAndSaturatedOnItsOwn() {
        // 1 input, 1 unit: weights and activations at 2^-7, gates at 2^-12: effective scale 1/4.
        UnidirectionalSequenceLstm.Dims d = new UnidirectionalSequenceLstm.Dims(1, 1, 1, 1, 1, false, false);
        // acc 5 * 1/4 = 1.25: SaturatingRoundingDoublingHighMul gives 2.5 -> 3, RoundingDivideByPOT 1.5 -> 2.
        assertThat(pre(d, NumericsProfile.TFLITE, 0, 5, 1, 0, 0)).isEqualTo((short) 2);
        assertThat(pre(d, NumericsProfile.TFLITE_SINGLE_ROUNDING, 0, 5, 1, 0, 0)).isEqualTo((short) 1);
        assertThat(pre(d, NumericsProfile.NAIVE_FLOAT, 0, 5, 1, 0, 0)).isEqualTo((short) 1);
        // The input product saturates to 32767 before the recurrent product (-3840 / 4 = -960) is
        // added: 31807, where one sum saturated once would give 32767.
        assertThat(pre(d, NumericsProfile.TFLITE, 1 << 20, 5, 127, 30, -128)).isEqualTo((short) 31807);
        // And downwards: -32768 first, then +960.
        assertThat(pre(d, NumericsProfile.TFLITE, -(1 << 20), 5, 127, -30, -128)).isEqualTo((short) -31808);
    }

    private static short pre(UnidirectionalSequenceLstm.Dims d, NumericsProfile profile, int bias, int x, int w, int h,
                             int wRec) {
        UnidirectionalSequenceLstm.Requant quarter = UnidirectionalSequenceLstm.Requant.of(0.25f, profile);
        UnidirectionalSequenceLstm.Requant[] scales = {quarter, quarter, quarter, quarter};
        byte[][] wIn = {null, {(byte) w}, null, null};
        byte[][] wR = {null, {(byte) wRec}, null, null};
        int[][] bIn = {null, {bias}, null, null};
        int[][] bR = {null, {0}, null, null};
        UnidirectionalSequenceLstm.IntegerParams p = new UnidirectionalSequenceLstm.IntegerParams(d, wIn, wR, bIn, bR, scales,
                scales, quarter, 0, -12, (short) 0);
        return UnidirectionalSequenceLstm.preActivation(p, 1, 0, new byte[] {(byte) x}, 0, new byte[] {(byte) h});
    }

    @Test
    void cellUpdateMultipliesWithRoundingShiftsAddsSaturatingAndClips() {
        // forget 0.5, cell 1.0 (Q3.12), input gate 32767/32768, cell gate 0.5:
        // 0.5 * 1.0 -> 2048; 0.99997 * 0.5 -> 536854528 / 2^18 = 2047.94 -> 2048.
        short[] c = {4096};
        UnidirectionalSequenceLstm.updateCell(c, new short[] {32767}, new short[] {16384}, new short[] {16384}, false, -12,
                (short) 0);
        assertThat(c).containsExactly((short) 4096);
        // CIFG: the input gate is 32767 - forget = 16383: 268419072 / 2^18 = 1023.94 -> 1024.
        c = new short[] {4096};
        UnidirectionalSequenceLstm.updateCell(c, null, new short[] {16384}, new short[] {16384}, true, -12, (short) 0);
        assertThat(c).containsExactly((short) 3072);
        // Clip to +-3000, and the sum saturates before it: 32767 * 32767 / 2^15 + 32767 * 32767 / 2^18.
        c = new short[] {32767, -4096};
        UnidirectionalSequenceLstm.updateCell(c, new short[] {32767, 32767}, new short[] {32767, 32767},
                new short[] {32767, -32768}, false, -12, (short) 3000);
        assertThat(c).containsExactly((short) 3000, (short) -3000);
        c = new short[] {32767};
        UnidirectionalSequenceLstm.updateCell(c, new short[] {32767}, new short[] {32767}, new short[] {32767}, false, -12,
                (short) 0);
        assertThat(c).containsExactly((short) 32767);
    }

    @Test
    void hiddenStateIsOutputGateTimesTanhRequantizedWithTheHiddenScale() {
        // Hidden scale 2^-7: effective 2^-30 / 2^-7 = 2^-23.
        UnidirectionalSequenceLstm.Requant hidden = UnidirectionalSequenceLstm.Requant.of((float) Math.scalb(1.0, -23),
                NumericsProfile.TFLITE);
        byte[] h = new byte[3];
        // tanh(0) = 0 -> the zero point; tanh(8) * 1 -> 128 saturates; 0.5 * tanh(0.5) / 2^-7 = 29.6 -> 30, plus zp 3.
        UnidirectionalSequenceLstm.hidden(new short[] {0, 32767, 2048}, new short[] {32767, 32767, 16384}, -12, hidden, 3, h);
        assertThat(h).containsExactly((byte) 3, (byte) 127, (byte) 33);
    }

    /**
     * A 1-input, 1-unit LSTM (all scales 2^-7, cell 2^-12) for two steps of x = 5: the input,
     * forget and output gates' pre-activations are 0 (bias -5, input weight 1, recurrent weight 0),
     * so each gate is exactly 0.5; the cell gate saturates (bias 2^20, weight 127; recurrent weight
     * -128 takes 960 off the second step, still tanh(7.77) = 32767/32768). Cell: 0.5 · 0.99997 =
     * 2048 (0.5), then 0.5 · 0.5 + 0.5 = 3072 (0.75). Hidden: 0.5 · tanh(0.5) / 2^-7 = 29.6 -> 30,
     * then 0.5 · tanh(0.75) / 2^-7 = 40.65 -> 41.
     */
    @Test
    void aOneUnitLstmWorkedByHand() {
        TfliteModel model = oneUnitLstm(new byte[] {1, 1, 127, 1}, new byte[] {0, 0, -128, 0}, new int[] {-5, -5, 1 << 20, -5});
        ReferenceInterpreter oracle = ReferenceInterpreter.create(model, NumericsProfile.TFLITE);
        Execution run = oracle.run(TensorValue.ofInt8(new int[] {1, 2, 1}, (byte) 5, (byte) 5));
        assertThat(run.output(0).toIntArray()).containsExactly(30, 41);
        // Every run starts from the zero state: running twice gives the same.
        assertThat(oracle.run(TensorValue.ofInt8(new int[] {1, 2, 1}, (byte) 5, (byte) 5)).output(0).toIntArray())
                .containsExactly(30, 41);
    }

    @Test
    void peepholeProjectionLayerNormAndHybridAreRefusedByName() {
        TfliteModel base = oneUnitLstm(new byte[] {1, 1, 1, 1}, new byte[] {0, 0, 0, 0}, new int[] {0, 0, 0, 0});
        assertThatThrownBy(() -> ReferenceInterpreter.create(withInput(base, 10, 1))).isInstanceOf(UnsupportedOpException.class)
                .hasMessageContaining("UNIDIRECTIONAL_SEQUENCE_LSTM").hasMessageContaining("v1").hasMessageContaining("peephole");
        assertThatThrownBy(() -> ReferenceInterpreter.create(withInput(base, 16, 5))).isInstanceOf(UnsupportedOpException.class)
                .hasMessageContaining("projection");
        assertThatThrownBy(() -> ReferenceInterpreter.create(withInput(base, 21, 9))).isInstanceOf(UnsupportedOpException.class)
                .hasMessageContaining("layer-norm");
    }

    // ------------------------------------------------------------------ a hand-made model

    private static TfliteModel oneUnitLstm(byte[] inputWeights, byte[] recurrentWeights, int[] biases) {
        List<Tensor> t = new ArrayList<>();
        List<ByteBuffer> buffers = new ArrayList<>();
        buffers.add(null);
        Quantization q7 = Quantization.perTensor(S7, 0);
        t.add(tensor(t, "x", DType.INT8, new int[] {1, 2, 1}, null, buffers, q7, false));
        for (int g = 0; g < 4; g++) {
            t.add(tensor(t, "w_in" + g, DType.INT8, new int[] {1, 1}, new byte[] {inputWeights[g]}, buffers, q7, false));
        }
        for (int g = 0; g < 4; g++) {
            t.add(tensor(t, "w_rec" + g, DType.INT8, new int[] {1, 1}, new byte[] {recurrentWeights[g]}, buffers, q7, false));
        }
        for (int g = 0; g < 4; g++) {
            byte[] b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(biases[g]).array();
            t.add(tensor(t, "bias" + g, DType.INT32, new int[] {1}, b, buffers, Quantization.perTensor(S7 * S7, 0), false));
        }
        int outputState = t.size();
        t.add(tensor(t, "output_state", DType.INT8, new int[] {1, 1}, null, buffers, q7, true));
        int cellState = t.size();
        t.add(tensor(t, "cell_state", DType.INT16, new int[] {1, 1}, null, buffers, Quantization.perTensor(S12, 0), true));
        int out = t.size();
        t.add(tensor(t, "y", DType.INT8, new int[] {1, 2, 1}, null, buffers, q7, false));
        int[] intermediates = new int[5];
        for (int i = 0; i < 4; i++) {
            intermediates[i] = t.size();
            t.add(tensor(t, "gate" + i, DType.FLOAT32, new int[0], null, buffers, Quantization.NONE, false));
        }
        intermediates[4] = t.size();
        t.add(tensor(t, "hidden", DType.INT8, new int[0], null, buffers, q7, false));
        int[] inputs = new int[24];
        Arrays.fill(inputs, -1);
        inputs[0] = 0;
        for (int g = 0; g < 4; g++) {
            inputs[1 + g] = 1 + g;
            inputs[5 + g] = 5 + g;
            inputs[12 + g] = 9 + g;
        }
        inputs[18] = outputState;
        inputs[19] = cellState;
        BuiltinOptions.UnidirectionalSequenceLstm options = new BuiltinOptions.UnidirectionalSequenceLstm(Activation.TANH, 10f,
                0f, false, false, false);
        Operator op = new Operator(0, 0, OperatorCode.of(BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM, 1), inputs, new int[] {out},
                intermediates, options, null);
        Subgraph g = new Subgraph(0, "main", t, new int[] {0}, new int[] {out}, List.of(op));
        return new TfliteModel(3, "", List.of(op.opcode()), List.of(g), buffers, List.of(), List.of(), List.of(), null);
    }

    private static Tensor tensor(List<Tensor> t, String name, DType dtype, int[] shape, byte[] data, List<ByteBuffer> buffers,
                                 Quantization q, boolean variable) {
        int buffer = 0;
        ByteBuffer bytes = null;
        if (data != null) {
            bytes = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            buffer = buffers.size();
            buffers.add(bytes);
        }
        return new Tensor(t.size(), name, dtype, shape, null, buffer, bytes, q, variable, false);
    }

    /** The model with operator input {@code slot} pointing at tensor {@code tensor}. */
    private static TfliteModel withInput(TfliteModel m, int slot, int tensor) {
        Subgraph g = m.mainSubgraph();
        Operator op = g.operator(0);
        int[] inputs = op.inputs();
        inputs[slot] = tensor;
        Operator changed = new Operator(0, 0, op.opcode(), inputs, op.outputs(), op.intermediates(), op.options(), null);
        Subgraph sub = new Subgraph(0, g.name(), g.tensors(), g.inputs(), g.outputs(), List.of(changed));
        return new TfliteModel(m.version(), "", m.operatorCodes(), List.of(sub), m.buffers(), List.of(), List.of(), List.of(),
                null);
    }
}
