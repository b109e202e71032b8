package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.InvalidOpException;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ADD on models built with the model builder, outputs derived by hand. */
class AddTest {

    private static int[] run(TfliteModel model, NumericsProfile profile, TensorValue a, TensorValue b) {
        return ReferenceInterpreter.create(model, profile).run(a, b).output(0).toIntArray();
    }

    @Test
    void int8WithBroadcastingAndTies() {
        // a: int8 [2, 2] scale 0.5; b: int8 [2] scale 0.25; output scale 1; all zero points 0.
        // Prepare: twice_max = 2 * 0.5 = 1; a's multiplier 0.5 -> (2^30, 0); b's 0.25 -> (2^30, -1);
        // output 1 / (2^20 * 1) = 2^-20 = 0.5 * 2^-19 -> (2^30, -19).
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef a = g.input("a", DType.INT8, new int[] {2, 2}, Quantization.perTensor(0.5f, 0));
        TensorRef b = g.input("b", DType.INT8, new int[] {2}, Quantization.perTensor(0.25f, 0));
        g.output(g.add(a, b, Out.int8(1f, 0).named("sum")));
        TfliteModel model = mb.build();
        TensorValue av = TensorValue.ofInt8(new int[] {2, 2}, (byte) 3, (byte) -3, (byte) 3, (byte) 1);
        TensorValue bv = TensorValue.ofInt8(new int[] {2}, (byte) 4, (byte) -4);
        // (3, 4): real 1.5 + 1.0 = 2.5.
        //   a: 3 << 20 = 3145728, SRDHM(., 2^30) = 1572864; b: 4 << 20 = 4194304, SRDHM -> 2097152,
        //   RDBP(., 1) = 1048576; sum 2621440; SRDHM(., 2^30) = 1310720; RDBP(., 19) = 2.5 -> 3.
        //   Single: the same scaled inputs; (2621440 * 2^30 + 2^49) >> 50 = 3. Naive: rint(2.5) = 2.
        // (-3, -4): -2.5. Double: ... RDBP(-1310720, 19) = -2.5 -> -3 (away). Single:
        //   (-2621440 * 2^30 + 2^49) >> 50 = floor(-2) = -2. Naive: rint(-2.5) = -2.
        // (3, 4) again (b broadcast along the first dimension).
        // (1, -4): 0.5 - 1.0 = -0.5. Double: a 2^20 -> 524288; b -> -1048576; sum -524288;
        //   SRDHM -> -262144; RDBP(., 19) = -0.5 -> -1. Single: (-2^49 + 2^49) >> 50 = 0. Naive: -0 -> 0.
        assertThat(run(model, NumericsProfile.TFLITE, av, bv)).containsExactly(3, -3, 3, -1);
        assertThat(run(model, NumericsProfile.TFLITE_SINGLE_ROUNDING, av, bv)).containsExactly(3, -2, 3, 0);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, av, bv)).containsExactly(2, -2, 2, 0);
    }

    @Test
    void uint8WithZeroPointsAndRelu() {
        // Both inputs uint8 scale 0.1 zero point 128; output scale 0.2 zero point 128, RELU.
        // twice_max = 0.2f; input multipliers 0.1f / 0.2f = 0.5 -> (2^30, 0);
        // output 0.2f / (2^20 * 0.2f) = 2^-20 -> (2^30, -19). RELU's floor: 128 + round(0) = 128.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization q = Quantization.perTensor(0.1f, 128);
        TensorRef a = g.input("a", DType.UINT8, new int[] {2}, q);
        TensorRef b = g.input("b", DType.UINT8, new int[] {2}, q);
        g.output(g.add(a, b, Activation.RELU, Out.uint8(0.2f, 128)));
        TfliteModel model = mb.build();
        // (138, 133): offsets give 10 and 5; 10 << 20 -> SRDHM(., 2^30) = 5242880; 5 << 20 -> 2621440;
        //   sum 7864320 -> SRDHM 3932160 -> RDBP(., 19) = 7.5 -> 8; + 128 = 136 (naive rint(7.5) = 8 too).
        // (118, 123): -10 and -5 -> -7.5 -> -8 + 128 = 120, below RELU's 128 -> 128.
        TensorValue av = TensorValue.ofUint8(new int[] {2}, 138, 118);
        TensorValue bv = TensorValue.ofUint8(new int[] {2}, 133, 123);
        assertThat(run(model, NumericsProfile.TFLITE, av, bv)).containsExactly(136, 128);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, av, bv)).containsExactly(136, 128);
    }

    @Test
    void floatBroadcastsBothWays() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef a = g.input("a", DType.FLOAT32, new int[] {2, 1});
        TensorRef b = g.input("b", DType.FLOAT32, new int[] {3});
        g.output(g.add(a, b, Out.float32()));
        TfliteModel model = mb.build();
        TensorValue out = ReferenceInterpreter.create(model)
                .run(TensorValue.ofFloat32(new int[] {2, 1}, 1f, 2f), TensorValue.ofFloat32(new int[] {3}, 10f, 20f, 30f))
                .output(0);
        assertThat(out.shape()).containsExactly(2, 3);
        assertThat(out.toFloatArray()).containsExactly(11f, 21f, 31f, 12f, 22f, 32f);
    }

    @Test
    void int32ClampsWithIntegerRelu6AndWraps() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef a = g.input("a", DType.INT32, new int[] {3});
        TensorRef b = g.input("b", DType.INT32, new int[] {3});
        g.output(g.add(a, b, Activation.RELU6, Out.of(DType.INT32)));
        TensorValue av = TensorValue.ofInt32(new int[] {3}, 5, -3, Integer.MAX_VALUE);
        TensorValue bv = TensorValue.ofInt32(new int[] {3}, 1, 1, 1);
        // 6 -> 6; -2 -> 0; MAX + 1 wraps to MIN -> 0.
        assertThat(run(mb.build(), NumericsProfile.TFLITE, av, bv)).containsExactly(6, 0, 0);
    }

    @Test
    void int16PowerOfTwoPathShiftsOneInputAndSaturates() {
        // pot_scale_int16 with scales 2^-12 (a), 2^-14 (b), 2^-12 (output): a needs no shift,
        // b is rounding-shifted right by 2 (log2 difference -14 - -12), and the sum saturates in int16.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef a = g.input("a", DType.INT16, new int[] {3}, Quantization.perTensor(0x1p-12f, 0));
        TensorRef b = g.input("b", DType.INT16, new int[] {3}, Quantization.perTensor(0x1p-14f, 0));
        TensorRef y = g.tensor("y", DType.INT16, new int[] {3}, Quantization.perTensor(0x1p-12f, 0));
        g.op(BuiltinOp.ADD, new BuiltinOptions.Add(Activation.NONE, true), List.of(a, b), List.of(y));
        g.output(y);
        TensorValue av = TensorValue.ofInt16(new int[] {3}, (short) 100, (short) 100, Short.MAX_VALUE);
        TensorValue bv = TensorValue.ofInt16(new int[] {3}, (short) 6, (short) -6, (short) 400);
        // 6 / 4 = 1.5 -> 2 (away): 102.  -6 / 4 = -1.5 -> -2: 98.  32767 + 100 saturates to 32767.
        assertThat(run(mb.build(), NumericsProfile.TFLITE, av, bv)).containsExactly(102, 98, 32767);
    }

    @Test
    void outputScaleTooSmallAbortsTfliteAndIsRefused() {
        // Input scales 1: the output multiplier 2 / (2^20 * 2^-21) = 4 is not below one, and
        // QuantizeMultiplierSmallerThanOneExp's TFLITE_CHECK_LT aborts TFLite.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef a = g.input("a", DType.INT8, new int[] {1}, Quantization.perTensor(1f, 0));
        TensorRef b = g.input("b", DType.INT8, new int[] {1}, Quantization.perTensor(1f, 0));
        g.output(g.add(a, b, Out.int8(0x1p-21f, 0)));
        TfliteModel model = mb.build();
        assertThatThrownBy(() -> ReferenceInterpreter.create(model))
                .isInstanceOf(InvalidOpException.class)
                .hasMessageContaining("operator 0 ADD v2 (inputs int8, int8 -> outputs int8)")
                .hasMessageContaining("TFLITE_CHECK_LT(double_multiplier, 1.)");
    }

    @Test
    void broadcastIndexMapping() {
        // [2, 1, 3] from [1, 3]: rows repeat.
        assertThat(Broadcast.sourceIndices(new int[] {1, 3}, new int[] {2, 1, 3})).containsExactly(0, 1, 2, 0, 1, 2);
        // [2, 3] from [2, 1]: each row reads its one element.
        assertThat(Broadcast.sourceIndices(new int[] {2, 1}, new int[] {2, 3})).containsExactly(0, 0, 0, 1, 1, 1);
        assertThat(Broadcast.sourceIndices(new int[] {}, new int[] {2})).containsExactly(0, 0);
        assertThat(Broadcast.shape(new int[] {4, 1}, new int[] {3})).containsExactly(4, 3);
        assertThatThrownBy(() -> Broadcast.shape(new int[] {2}, new int[] {3}))
                .hasMessageContaining("do not broadcast");
    }
}
