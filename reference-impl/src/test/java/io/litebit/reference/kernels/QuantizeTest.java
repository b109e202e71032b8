package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.reference.InvalidOpException;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import org.junit.jupiter.api.Test;

/** QUANTIZE (float to integer, requantize) and DEQUANTIZE, outputs derived by hand. */
class QuantizeTest {

    static TfliteModel quantizeModel(DType inType, int[] shape, Quantization inQ, Out out) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", inType, shape, inQ);
        g.output(g.quantize(x, out.named("q")));
        return mb.build();
    }

    private static int[] run(TfliteModel model, NumericsProfile profile, TensorValue x) {
        return ReferenceInterpreter.create(model, profile).run(x).output(0).toIntArray();
    }

    @Test
    void floatToInt8RoundsHalfAwayAndReproducesX86Conversions() {
        TfliteModel model = quantizeModel(DType.FLOAT32, new int[] {7}, Quantization.NONE, Out.int8(0.5f, -1));
        TensorValue x = TensorValue.ofFloat32(new int[] {7}, 1.25f, -1.25f, 0.75f, 100f, -100f, Float.NaN, -1e10f);
        // 1.25 / 0.5 = 2.5 -> roundf 3, - 1 = 2.   -2.5 -> -3, - 1 = -4.   1.5 -> 2, - 1 = 1.
        // 200 -> 199 -> 127.   -200 -> -201 -> -128.
        // NaN and -2e10: (int32) of them is INT32_MIN on x86-64 (cvttss2si); INT32_MIN + (-1)
        // wraps to INT32_MAX, which clamps to 127. (ARM64 would give 0 - 1 = -1 and -128.)
        assertThat(run(model, NumericsProfile.TFLITE, x)).containsExactly(2, -4, 1, 127, -128, 127, 127);
        assertThat(run(model, NumericsProfile.TFLITE_SINGLE_ROUNDING, x)).containsExactly(2, -4, 1, 127, -128, 127, 127);
        // Naive: rint ties to even: 2.5 -> 2, -2.5 -> -2, 1.5 -> 2; NaN counts as 0.
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, x)).containsExactly(1, -3, 1, 127, -128, -1, -128);
    }

    @Test
    void floatToUint8AndInt16() {
        TfliteModel u8 = quantizeModel(DType.FLOAT32, new int[] {3}, Quantization.NONE, Out.uint8(0.5f, 128));
        // -0.25 / 0.5 = -0.5 -> -1 + 128 = 127; 0.5 -> 1 -> 129; 600 + 128 -> 255.
        assertThat(run(u8, NumericsProfile.TFLITE, TensorValue.ofFloat32(new int[] {3}, -0.25f, 0.25f, 300f)))
                .containsExactly(127, 129, 255);
        TfliteModel i16 = quantizeModel(DType.FLOAT32, new int[] {3}, Quantization.NONE, Out.int16(1f / 4096, 0));
        // 0.5 * 4096 = 2048; -8 * 4096 = -32768; 9 * 4096 = 36864 -> 32767.
        assertThat(run(i16, NumericsProfile.TFLITE, TensorValue.ofFloat32(new int[] {3}, 0.5f, -8f, 9f)))
                .containsExactly(2048, -32768, 32767);
    }

    @Test
    void floatToInt8PerChannel() {
        Quantization perChannel = Quantization.perChannel(new float[] {0.5f, 0.25f}, new long[] {0, 10}, 0);
        TfliteModel model = quantizeModel(DType.FLOAT32, new int[] {2, 2}, Quantization.NONE, Out.of(DType.INT8, perChannel));
        // Row 0 (scale 0.5, zp 0): 1 -> 2, -1 -> -2. Row 1 (0.25, 10): 1 -> 4 + 10 = 14, -1 -> 6.
        assertThat(run(model, NumericsProfile.TFLITE, TensorValue.ofFloat32(new int[] {2, 2}, 1f, -1f, 1f, -1f)))
                .containsExactly(2, -2, 14, 6);
    }

    @Test
    void requantizeInt8() {
        // 0.75 -> 1.0: effective scale 0.75 -> (1610612736, 0), a single SRDHM.
        TfliteModel model = quantizeModel(DType.INT8, new int[] {4}, Quantization.perTensor(0.75f, 0), Out.int8(1f, 0));
        TensorValue x = TensorValue.ofInt8(new int[] {4}, (byte) 1, (byte) 2, (byte) -2, (byte) -1);
        // 1 -> 0.75 -> 1; 2 -> 1.5 -> 2 (tie up); -2 -> -1.5 -> -1 (tie up); -1 -> -0.75 -> -1.
        assertThat(run(model, NumericsProfile.TFLITE, x)).containsExactly(1, 2, -1, -1);
        // Single: (-2 * 1610612736 + 2^30) >> 31 = -2147483648 >> 31 = -1, same ties.
        assertThat(run(model, NumericsProfile.TFLITE_SINGLE_ROUNDING, x)).containsExactly(1, 2, -1, -1);
        // Naive: rint(1.5) = 2, rint(-1.5) = -2.
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, x)).containsExactly(1, 2, -2, -1);
    }

    @Test
    void requantizeInt16ToInt8ShowsTheRightShiftTie() {
        // int16 scale 1/4096 -> int8 scale 1/32: effective 1/128 = 0.5 * 2^-6 -> (2^30, -6).
        TfliteModel model = quantizeModel(DType.INT16, new int[] {2}, Quantization.perTensor(1f / 4096, 0), Out.int8(1f / 32, 0));
        TensorValue x = TensorValue.ofInt16(new int[] {2}, (short) 64, (short) -64);
        // 64: SRDHM(64, 2^30) = 32; RDBP(32, 6) = 0.5 -> 1.  -64: -32 -> -0.5 -> -1 (away).
        assertThat(run(model, NumericsProfile.TFLITE, x)).containsExactly(1, -1);
        // Single: (64 * 2^30 + 2^36) >> 37 = 1; (-64 * 2^30 + 2^36) >> 37 = 0 (ties up).
        assertThat(run(model, NumericsProfile.TFLITE_SINGLE_ROUNDING, x)).containsExactly(1, 0);
        // Naive: rint(0.5) = 0, rint(-0.5) = -0.
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, x)).containsExactly(0, 0);
    }

    @Test
    void int8ToUint8AtTheSameScaleFlipsTheTopBit() {
        TfliteModel model = quantizeModel(DType.INT8, new int[] {3}, Quantization.perTensor(0.5f, 0), Out.uint8(0.5f, 128));
        assertThat(run(model, NumericsProfile.TFLITE, TensorValue.ofInt8(new int[] {3}, (byte) -128, (byte) 0, (byte) 127)))
                .containsExactly(0, 128, 255);
        TfliteModel back = quantizeModel(DType.UINT8, new int[] {2}, Quantization.perTensor(0.5f, 128), Out.int8(0.5f, 0));
        assertThat(run(back, NumericsProfile.TFLITE, TensorValue.ofUint8(new int[] {2}, 0, 255))).containsExactly(-128, 127);
    }

    @Test
    void int8ToInt16IsRefusedAsTfliteRefusesIt() {
        TfliteModel model = quantizeModel(DType.INT8, new int[] {1}, Quantization.perTensor(0.5f, 0), Out.int16(0.5f, 0));
        assertThatThrownBy(() -> ReferenceInterpreter.create(model))
                .isInstanceOf(InvalidOpException.class)
                .hasMessageContaining("operator 0 QUANTIZE")
                .hasMessageContaining("requantizing int8 to int16 is not supported");
    }

    @Test
    void dequantizePerTensorAndPerChannel() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.INT8, new int[] {3}, Quantization.perTensor(0.1f, 3));
        g.output(g.dequantize(x));
        TensorValue out = ReferenceInterpreter.create(mb.build())
                .run(TensorValue.ofInt8(new int[] {3}, (byte) 13, (byte) 3, (byte) -128)).output(0);
        // (float) (0.10000000149011612 * 10) = 1.0f; 0 -> 0; (float) (0.10000000149011612 * -131)
        // = (float) -13.100000195205212 = -13.100000381469727f.
        assertThat(out.toFloatArray()).containsExactly(1.0f, 0f, -13.100000381469727f);

        ModelBuilder mb2 = ModelBuilder.create();
        SubgraphBuilder g2 = mb2.main();
        Quantization perChannel = Quantization.perChannel(new float[] {0.1f, 0.3f}, new long[] {0, -2}, 1);
        TensorRef w = g2.input("w", DType.INT8, new int[] {1, 2}, perChannel);
        g2.output(g2.dequantize(w));
        TensorValue out2 = ReferenceInterpreter.create(mb2.build()).run(TensorValue.ofInt8(new int[] {1, 2}, (byte) 10, (byte) 5))
                .output(0);
        // channel 0: 0.1f * 10f = 1.0f (float product 1.0000000149 rounds to 1.0f);
        // channel 1: 0.3f * 7f = 2.1000001f.
        assertThat(out2.toFloatArray()).containsExactly(1.0f, 2.1000001f);
    }
}
