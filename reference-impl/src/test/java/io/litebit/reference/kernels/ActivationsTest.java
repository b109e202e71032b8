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
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.InvalidOpException;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SOFTMAX, LOGISTIC, TANH, RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU and HARD_SWISH, outputs derived by hand. */
class ActivationsTest {

    /** A one-operator model: input x of {@code type}/{@code shape}/{@code qi}, output of {@code qo}. */
    private static TfliteModel unary(BuiltinOp op, BuiltinOptions options, DType type, DType outType, int[] shape,
                                     Quantization qi, Quantization qo) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", type, shape, qi);
        TensorRef y = g.tensor("y", outType, shape, qo);
        g.op(op, options, List.of(x), List.of(y));
        g.output(y);
        return mb.build();
    }

    private static int[] run(TfliteModel model, NumericsProfile profile, TensorValue x) {
        return ReferenceInterpreter.create(model, profile).run(x).output(0).toIntArray();
    }

    private static TensorValue int8(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return TensorValue.ofInt8(new int[] {v.length}, b);
    }

    @Test
    void reluRequantizesThenClamps() {
        // int8, input scale 0.5, output scale 0.25 zero point -10: ReluPrepare's multiplier 0.5 / 0.25 = 2
        // -> (2^30, 2), exact. RELU's floor: -10 + roundf(0 / 0.25) = -10; its ceiling is int8's 127.
        // 3 -> -10 + 6 = -4; -3 -> -16 -> -10; 100 -> 190 -> 127; 10 -> 10.
        TfliteModel relu = unary(BuiltinOp.RELU, BuiltinOptions.None.INSTANCE, DType.INT8, DType.INT8, new int[] {4},
                Quantization.perTensor(0.5f, 0), Quantization.perTensor(0.25f, -10));
        assertThat(run(relu, NumericsProfile.TFLITE, int8(3, -3, 100, 10))).containsExactly(-4, -10, 127, 10);
        // RELU6's ceiling: -10 + roundf(6 / 0.25) = 14, so 10 -> 10 stays and 20 -> 30 -> 14.
        TfliteModel relu6 = unary(BuiltinOp.RELU6, BuiltinOptions.None.INSTANCE, DType.INT8, DType.INT8, new int[] {4},
                Quantization.perTensor(0.5f, 0), Quantization.perTensor(0.25f, -10));
        assertThat(run(relu6, NumericsProfile.TFLITE, int8(3, -3, 20, 10))).containsExactly(-4, -10, 14, 10);
        // RELU_N1_TO_1 on uint8, input scale 0.5 zero point 128, output scale 0.5 zero point 128 (multiplier 1):
        // bounds 128 + roundf(-1 / 0.5) = 126 and 128 + 2 = 130. 120 -> 126, 129 -> 129, 200 -> 130.
        TfliteModel relu1 = unary(BuiltinOp.RELU_N1_TO_1, BuiltinOptions.None.INSTANCE, DType.UINT8, DType.UINT8, new int[] {3},
                Quantization.perTensor(0.5f, 128), Quantization.perTensor(0.5f, 128));
        assertThat(run(relu1, NumericsProfile.TFLITE, TensorValue.ofUint8(new int[] {3}, 120, 129, 200)))
                .containsExactly(126, 129, 130);
    }

    @Test
    void reluFloatAndInt16ZeroPointCheck() {
        TfliteModel relu6 = unary(BuiltinOp.RELU6, BuiltinOptions.None.INSTANCE, DType.FLOAT32, DType.FLOAT32, new int[] {4},
                Quantization.NONE, Quantization.NONE);
        TensorValue y = ReferenceInterpreter.create(relu6).run(TensorValue.ofFloat32(new int[] {4}, -1f, 0.5f, 6.5f, Float.NaN))
                .output(0);
        // std::max(0.f, NaN) is 0.
        assertThat(y.toFloatArray()).containsExactly(0f, 0.5f, 6f, 0f);
        TfliteModel int16 = unary(BuiltinOp.RELU, BuiltinOptions.None.INSTANCE, DType.INT16, DType.INT16, new int[] {1},
                Quantization.perTensor(0.5f, 1), Quantization.perTensor(0.5f, 0));
        assertThatThrownBy(() -> ReferenceInterpreter.create(int16)).isInstanceOf(InvalidOpException.class)
                .hasMessageContaining("zero points 0");
    }

    @Test
    void leakyReluRoundsTiesUpwardsLikeSrdhm() {
        // int8, scales 1, zero points 0, alpha 0.5: alpha multiplier 0.5 -> (2^30, 0); identity 1 -> (2^30, 1).
        // -3 * 0.5 = -1.5: SRDHM(-3, 2^30) = (-3 * 2^30 + 1 - 2^30) / 2^31 truncated = -1 (TFLite);
        //   single rounding (-3 * 2^30 + 2^30) >> 31 = -1; rint(-1.5) = -2 (naive).
        // -1 * 0.5 = -0.5: (-2^31 + 1) / 2^31 -> 0; single (-2^30 + 2^30) >> 31 = 0; rint -> -0 = 0.
        // 4 -> 4 exactly; 127 -> 127; -128 -> -64 exactly.
        TfliteModel model = unary(BuiltinOp.LEAKY_RELU, new BuiltinOptions.LeakyRelu(0.5f), DType.INT8, DType.INT8, new int[] {5},
                Quantization.perTensor(1f, 0), Quantization.perTensor(1f, 0));
        TensorValue x = int8(-3, -1, 4, 127, -128);
        assertThat(run(model, NumericsProfile.TFLITE, x)).containsExactly(-1, 0, 4, 127, -64);
        assertThat(run(model, NumericsProfile.TFLITE_SINGLE_ROUNDING, x)).containsExactly(-1, 0, 4, 127, -64);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, x)).containsExactly(-2, 0, 4, 127, -64);
    }

    @Test
    void logisticInt8LooksUpItsTable() {
        // input scale 0.1 zero point 0; output 1/256 zero point -128 (SigmoidPrepare insists on 1/256).
        // 20 -> sigmoid(2.0) = 0.880797 * 256 = 225.48 -> 225 - 128 = 97; 0 -> 128 - 128 = 0;
        // -128 -> sigmoid(-12.8) * 256 = 0.0007 -> 0 - 128 = -128; 127 -> sigmoid(12.7) * 256 = 255.9992 -> 256 - 128 -> 127.
        TfliteModel model = unary(BuiltinOp.LOGISTIC, BuiltinOptions.None.INSTANCE, DType.INT8, DType.INT8, new int[] {4},
                Quantization.perTensor(0.1f, 0), Quantization.perTensor(1f / 256, -128));
        assertThat(run(model, NumericsProfile.TFLITE, int8(20, 0, -128, 127))).containsExactly(97, 0, -128, 127);
        TfliteModel badScale = unary(BuiltinOp.LOGISTIC, BuiltinOptions.None.INSTANCE, DType.INT8, DType.INT8, new int[] {1},
                Quantization.perTensor(0.1f, 0), Quantization.perTensor(1f / 128, -128));
        assertThatThrownBy(() -> ReferenceInterpreter.create(badScale)).isInstanceOf(InvalidOpException.class)
                .hasMessageContaining("1/256");
    }

    @Test
    void tanhInt8AndInt16() {
        // int8: input scale 0.05, output 1/128, zero points 0. 10 -> tanh(0.5) = 0.462117 * 128 = 59.15 -> 59;
        // -10 -> -59; 127 -> tanh(6.35) * 128 = 127.9992 -> 128 -> 127; 0 -> 0.
        TfliteModel model = unary(BuiltinOp.TANH, BuiltinOptions.None.INSTANCE, DType.INT8, DType.INT8, new int[] {4},
                Quantization.perTensor(0.05f, 0), Quantization.perTensor(1f / 128, 0));
        assertThat(run(model, NumericsProfile.TFLITE, int8(10, -10, 127, 0))).containsExactly(59, -59, 127, 0);
        // int16 LOGISTIC, input scale 2^-12 (the power-of-two path: multiplier 3, no shift), output 2^-15:
        // 0 -> table[0] = 32768 in Q0.16, (32768 << 9 + 2^9) >> 10 = 16384 (0.5).
        TfliteModel logistic16 = unary(BuiltinOp.LOGISTIC, BuiltinOptions.None.INSTANCE, DType.INT16, DType.INT16, new int[] {1},
                Quantization.perTensor(0x1p-12f, 0), Quantization.perTensor(0x1p-15f, 0));
        assertThat(run(logistic16, NumericsProfile.TFLITE, TensorValue.ofInt16(new int[] {1}, (short) 0))).containsExactly(16384);
    }

    @Test
    void softmaxInt8FixedPointExp() {
        // Input scale 1, beta 1: PreprocessSoftmaxScaling gives min(1 * 1 * 2^26, 2^31 - 1) = 2^26 -> (2^30, 27);
        // diff_min = -floor((2^5 - 1) * 2^26 / 2^27) = -floor(15.5) = -15.
        // Row [5, 5]: both exps are exp(0) = 1 (Q0.31 2^31 - 1), rescaled to Q12.19: 2^19 each, sum 2^20 (2.0);
        //   GetReciprocal: 1 bit over unit, 1 / 2 -> about 2^31 in Q0.31 times 2^-1; exponent 1 + 31 - 8 = 24;
        //   SRDHM(~2^31, ~2^31) / 2^24 = 128 -> 128 - 128 = 0 (0.5 at scale 1/256, zero point -128).
        // Row [0, -16]: -16 < diff_min, so that element is -128 and is left out of the sum; the sum is 2^19 (1.0),
        //   exponent 23, 2^31 / 2^23 = 256 -> 128 -> saturates to 127.
        TfliteModel model = unary(BuiltinOp.SOFTMAX, new BuiltinOptions.Softmax(1f), DType.INT8, DType.INT8, new int[] {2, 2},
                Quantization.perTensor(1f, 0), Quantization.perTensor(1f / 256, -128));
        TensorValue x = TensorValue.ofInt8(new int[] {2, 2}, (byte) 5, (byte) 5, (byte) 0, (byte) -16);
        assertThat(run(model, NumericsProfile.TFLITE, x)).containsExactly(0, 0, 127, -128);
        // Naive: 0.5 * 256 = 128 - 128 = 0; exp(-16) / (1 + exp(-16)) * 256 = 2.9e-5 -> 0 - 128; 1 - 1.1e-7 -> 256 -> 127.
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, x)).containsExactly(0, 0, 127, -128);
    }

    @Test
    void softmaxFloatAndOutputChecks() {
        TfliteModel model = unary(BuiltinOp.SOFTMAX, new BuiltinOptions.Softmax(1f), DType.FLOAT32, DType.FLOAT32, new int[] {1, 4},
                Quantization.NONE, Quantization.NONE);
        TensorValue y = ReferenceInterpreter.create(model).run(TensorValue.ofFloat32(new int[] {1, 4}, 2f, 2f, 2f, 2f)).output(0);
        assertThat(y.toFloatArray()).containsExactly(0.25f, 0.25f, 0.25f, 0.25f);
        TfliteModel badZeroPoint = unary(BuiltinOp.SOFTMAX, new BuiltinOptions.Softmax(1f), DType.INT8, DType.INT8, new int[] {2},
                Quantization.perTensor(1f, 0), Quantization.perTensor(1f / 256, -127));
        assertThatThrownBy(() -> ReferenceInterpreter.create(badZeroPoint)).isInstanceOf(InvalidOpException.class)
                .hasMessageContaining("zero point must be -128");
    }

    @Test
    void hardSwishInt8() {
        // Input and output scale 1/8, zero points 0. hires scale 2^-10; output multiplier 2^-7 -> (2^30, -6) -> Q15 16384;
        // reluish multiplier 2^-10 / (3 / 32768) = 32/3 -> exponent 4, Q15 21845 or 21846 (both give the results below).
        // 24 (3.0): hires 3072; preshift SRDHM16(3072, 16384) = 1536; reluish 3072 << 3 = 24576, SRDHM16 -> ~16384,
        //   << 1 saturates to 32767; (32767 + 32768) >> 1 = 32767; 32767 * 1536 / 32768 truncated = 1535; RDBP(1535, 6) = 24.
        // 8 (1.0): hires 1024; preshift 512; reluish 8192 -> SRDHM16 5461 (5462) -> << 1 = 10922 (10924);
        //   (10922 + 32768) >> 1 = 21845; 21845 * 512 / 32768 = 341; RDBP(341, 6) = 5.33 -> 5 (hardswish(1) = 2/3 = 5.33 / 8).
        // -24 (-3.0): reluish saturates to -32768, (-32768 + 32768) >> 1 = 0, so 0. 0 -> 0.
        TfliteModel model = unary(BuiltinOp.HARD_SWISH, BuiltinOptions.Empty.HARD_SWISH, DType.INT8, DType.INT8, new int[] {4},
                Quantization.perTensor(0.125f, 0), Quantization.perTensor(0.125f, 0));
        assertThat(run(model, NumericsProfile.TFLITE, int8(24, 8, -24, 0))).containsExactly(24, 5, 0, 0);
        assertThat(HardSwish.downScaleInt32ToInt16Multiplier(1 << 30)).isEqualTo((short) 16384);
        assertThat(HardSwish.downScaleInt32ToInt16Multiplier(Integer.MAX_VALUE)).isEqualTo(Short.MAX_VALUE);
        // SaturatingDoublingHighMul truncates towards zero: -3 * 16384 * 2 / 65536 = -1.5 -> -1.
        assertThat(HardSwish.saturatingDoublingHighMul((short) -3, (short) 16384)).isEqualTo((short) -1);
    }
}
