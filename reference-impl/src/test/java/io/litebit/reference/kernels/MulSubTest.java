package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
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

/** MUL and SUB on models built with the model builder, outputs derived by hand. */
class MulSubTest {

    private static TfliteModel binary(BuiltinOp op, BuiltinOptions options, DType type, int[] s1, Quantization q1, int[] s2,
                                      Quantization q2, DType outType, int[] so, Quantization qo) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef a = g.input("a", type, s1, q1);
        TensorRef b = g.input("b", type, s2, q2);
        TensorRef y = g.tensor("y", outType, so, qo);
        g.op(op, options, List.of(a, b), List.of(y));
        g.output(y);
        return mb.build();
    }

    private static int[] run(TfliteModel model, NumericsProfile profile, TensorValue a, TensorValue b) {
        return ReferenceInterpreter.create(model, profile).run(a, b).output(0).toIntArray();
    }

    @Test
    void mulInt8BroadcastsAndRoundsLikeSrdhm() {
        // Scales 0.5, 0.5 -> 0.5, zero points 0: M = 0.25 / 0.5 = 0.5 -> (2^30, 0).
        // 3 * 3 = 9 -> 4.5: SRDHM(9, 2^30) = (9 * 2^30 + 2^30) >> 31 = 5; single (9 * 2^30 + 2^30) >> 31 = 5; rint(4.5) = 4.
        // -3 * 3 = -9 -> -4.5: (-9 * 2^30 + 1 - 2^30) / 2^31 truncated = -4; single -8 * 2^30 >> 31 = -4; rint -4.
        // 100 * 3 = 300 -> 150 -> 127. 1 * 3 = 3 -> 1.5 -> 2 in all three.
        TfliteModel model = binary(BuiltinOp.MUL, new BuiltinOptions.Mul(Activation.NONE), DType.INT8, new int[] {2, 2},
                Quantization.perTensor(0.5f, 0), new int[] {2}, Quantization.perTensor(0.5f, 0), DType.INT8, new int[] {2, 2},
                Quantization.perTensor(0.5f, 0));
        TensorValue a = TensorValue.ofInt8(new int[] {2, 2}, (byte) 3, (byte) -3, (byte) 100, (byte) 1);
        TensorValue b = TensorValue.ofInt8(new int[] {2}, (byte) 3, (byte) 3);
        assertThat(run(model, NumericsProfile.TFLITE, a, b)).containsExactly(5, -4, 127, 2);
        assertThat(run(model, NumericsProfile.TFLITE_SINGLE_ROUNDING, a, b)).containsExactly(5, -4, 127, 2);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, a, b)).containsExactly(4, -4, 127, 2);
    }

    @Test
    void mulInt16ToInt8IgnoresScales() {
        // Q0.15 products: 16384 * 16384 -> SRDHM16 8192, / 2^8 = 32; -16384 * 16384 -> -32;
        // 32767 * 32767 -> (1073676289 + 2^14) >> 15 = 32766, / 2^8 = 127.99 -> 128 -> clamped to 127.
        TfliteModel model = binary(BuiltinOp.MUL, new BuiltinOptions.Mul(Activation.NONE), DType.INT16, new int[] {3},
                Quantization.perTensor(0.001f, 0), new int[] {3}, Quantization.perTensor(0.001f, 0), DType.INT8, new int[] {3},
                Quantization.perTensor(0.3f, 0));
        TensorValue a = TensorValue.ofInt16(new int[] {3}, (short) 16384, (short) -16384, (short) 32767);
        TensorValue b = TensorValue.ofInt16(new int[] {3}, (short) 16384, (short) 16384, (short) 32767);
        assertThat(run(model, NumericsProfile.TFLITE, a, b)).containsExactly(32, -32, 127);
    }

    @Test
    void mulInt16NeedsZeroPointsZero() {
        TfliteModel model = binary(BuiltinOp.MUL, new BuiltinOptions.Mul(Activation.NONE), DType.INT16, new int[] {1},
                Quantization.perTensor(0.001f, 1), new int[] {1}, Quantization.perTensor(0.001f, 0), DType.INT16, new int[] {1},
                Quantization.perTensor(0.001f, 0));
        assertThatThrownBy(() -> ReferenceInterpreter.create(model)).isInstanceOf(InvalidOpException.class)
                .hasMessageContaining("zero points 0");
    }

    @Test
    void subUint8GeneralPath() {
        // Inputs scale 0.5 zero point 128, output scale 1 zero point 128. twice_max = 1: input multipliers
        // 0.5 -> (2^30, 0); output 1 / (2^20 * 1) = 2^-20 -> (2^30, -19).
        // (131, 128): 3 << 20 -> SRDHM(., 2^30) = 1572864; minus 0; SRDHM -> 786432; RDBP(., 19) = 1.5 -> 2: 130.
        //   Single: (1572864 * 2^30 + 2^49) >> 50 = 2: 130.
        // (125, 128): -1.5 -> -2 (away): 126. Single: (-1.5 * 2^50 + 2^49) >> 50 = -1: 127. Naive rint(-1.5) = -2: 126.
        TfliteModel model = binary(BuiltinOp.SUB, new BuiltinOptions.Sub(Activation.NONE, false), DType.UINT8, new int[] {2},
                Quantization.perTensor(0.5f, 128), new int[] {2}, Quantization.perTensor(0.5f, 128), DType.UINT8, new int[] {2},
                Quantization.perTensor(1f, 128));
        TensorValue a = TensorValue.ofUint8(new int[] {2}, 131, 125);
        TensorValue b = TensorValue.ofUint8(new int[] {2}, 128, 128);
        assertThat(run(model, NumericsProfile.TFLITE, a, b)).containsExactly(130, 126);
        assertThat(run(model, NumericsProfile.TFLITE_SINGLE_ROUNDING, a, b)).containsExactly(130, 127);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, a, b)).containsExactly(130, 126);
    }

    @Test
    void subInt16PowerOfTwoPath() {
        // pot_scale_int16, scales 2^-12 (a), 2^-14 (b), 2^-12 (output): b is rounding-shifted right by 2.
        // 100 - RDBP(6, 2) = 100 - 2 = 98; 100 - RDBP(-6, 2) = 100 + 2 = 102; -32768 - 100 saturates to -32768.
        TfliteModel model = binary(BuiltinOp.SUB, new BuiltinOptions.Sub(Activation.NONE, true), DType.INT16, new int[] {3},
                Quantization.perTensor(0x1p-12f, 0), new int[] {3}, Quantization.perTensor(0x1p-14f, 0), DType.INT16, new int[] {3},
                Quantization.perTensor(0x1p-12f, 0));
        TensorValue a = TensorValue.ofInt16(new int[] {3}, (short) 100, (short) 100, Short.MIN_VALUE);
        TensorValue b = TensorValue.ofInt16(new int[] {3}, (short) 6, (short) -6, (short) 400);
        assertThat(run(model, NumericsProfile.TFLITE, a, b)).containsExactly(98, 102, -32768);
        // Input 1 with a larger scale than the output would need a left shift: PrepareInt16SubOpPOT refuses it.
        TfliteModel bad = binary(BuiltinOp.SUB, new BuiltinOptions.Sub(Activation.NONE, true), DType.INT16, new int[] {1},
                Quantization.perTensor(0x1p-11f, 0), new int[] {1}, Quantization.perTensor(0x1p-12f, 0), DType.INT16, new int[] {1},
                Quantization.perTensor(0x1p-12f, 0));
        assertThatThrownBy(() -> ReferenceInterpreter.create(bad)).isInstanceOf(InvalidOpException.class)
                .hasMessageContaining("right only");
    }

    @Test
    void subInt16NeedsZeroPointsZeroOnTheGeneralPathToo() {
        // TFLite 2.19's Prepare checks int16 zero points before choosing a path.
        TfliteModel model = binary(BuiltinOp.SUB, new BuiltinOptions.Sub(Activation.NONE, false), DType.INT16, new int[] {1},
                Quantization.perTensor(0.001f, 0), new int[] {1}, Quantization.perTensor(0.001f, 0), DType.INT16, new int[] {1},
                Quantization.perTensor(0.003f, 5));
        assertThatThrownBy(() -> ReferenceInterpreter.create(model)).isInstanceOf(InvalidOpException.class)
                .hasMessageContaining("zero points 0");
    }

    @Test
    void subFloatWithReluBroadcasts() {
        TfliteModel model = binary(BuiltinOp.SUB, new BuiltinOptions.Sub(Activation.RELU, false), DType.FLOAT32, new int[] {2, 1},
                Quantization.NONE, new int[] {2}, Quantization.NONE, DType.FLOAT32, new int[] {2, 2}, Quantization.NONE);
        TensorValue y = ReferenceInterpreter.create(model)
                .run(TensorValue.ofFloat32(new int[] {2, 1}, 1f, 5f), TensorValue.ofFloat32(new int[] {2}, 2f, 0.5f)).output(0);
        // [1 - 2, 1 - 0.5, 5 - 2, 5 - 0.5] = [-1 -> 0, 0.5, 3, 4.5]
        assertThat(y.toFloatArray()).containsExactly(0f, 0.5f, 3f, 4.5f);
    }
}
