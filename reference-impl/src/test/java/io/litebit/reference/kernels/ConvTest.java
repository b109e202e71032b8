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
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.options.Padding;
import io.litebit.reference.InvalidOpException;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import io.litebit.reference.UnsupportedOpException;
import org.junit.jupiter.api.Test;

/** CONV_2D on models built with the model builder, outputs derived by hand. */
class ConvTest {

    private static TensorValue run(TfliteModel model, NumericsProfile profile, TensorValue input) {
        return ReferenceInterpreter.create(model, profile).run(input).output(0);
    }

    /**
     * int8: input [1, 2, 2, 1] scale 0.5 zero point 1; filter [1, 2, 2, 1] = [1, 2, 3, 4] scale
     * 0.25; bias 1 (scale 0.125); output scale 0.25 zero point -2. The multiplier is 0.5 * 0.25 /
     * 0.25 = 0.5 = (2^30, shift 0). SAME, stride 1: out 2x2, total padding (2 - 1) + 2 - 2 = 1,
     * so none before and one row/column after.
     */
    private static TfliteModel int8Model() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(0.5f, 1);
        Quantization wQ = Quantization.perTensor(0.25f, 0);
        TensorRef x = g.input("x", DType.INT8, new int[] {1, 2, 2, 1}, inQ);
        TensorRef w = g.constant("w", DType.INT8, new int[] {1, 2, 2, 1}, new byte[] {1, 2, 3, 4}, wQ);
        TensorRef b = g.constant("b", new int[] {1}, new int[] {1}, SubgraphBuilder.biasQuantization(inQ, wQ));
        g.output(g.conv2d(x, w, b, new BuiltinOptions.Conv2D(Padding.SAME, 1, 1, Activation.NONE, 1, 1),
                Out.int8(0.25f, -2).named("y")));
        return mb.build();
    }

    @Test
    void int8SamePaddingRoundsHalvesUpwardInTheHighMul() {
        // x = [3, 5, -1, 1] -> x - zp = [2, 4, -2, 0] (rows [2, 4], [-2, 0]).
        // (0,0): 1*2 + 2*4 + 3*(-2) + 4*0 = 4; (0,1): column 2 is padding: 1*4 + 3*0 = 4;
        // (1,0): row 2 is padding: 1*(-2) + 2*0 = -2; (1,1): 1*0 = 0. Plus bias 1: [5, 5, -1, 1].
        // SRDHM(a, 2^30) = (a * 2^30 + nudge) / 2^31 truncated, nudge 2^30 (a >= 0) or 1 - 2^30:
        // 5 -> 6 * 2^30 / 2^31 = 3; -1 -> (1 - 2^31) / 2^31 = 0; 1 -> 2^31 / 2^31 = 1.
        // Shift 0: no second rounding. Plus -2: [1, 1, -2, -1].
        // NAIVE: rint([2.5, 2.5, -0.5, 0.5]) = [2, 2, -0, 0]; plus -2: [0, 0, -2, -2].
        TensorValue x = TensorValue.ofInt8(new int[] {1, 2, 2, 1}, (byte) 3, (byte) 5, (byte) -1, (byte) 1);
        TfliteModel model = int8Model();
        assertThat(run(model, NumericsProfile.TFLITE, x).toIntArray()).containsExactly(1, 1, -2, -1);
        assertThat(run(model, NumericsProfile.TFLITE_SINGLE_ROUNDING, x).toIntArray()).containsExactly(1, 1, -2, -1);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, x).toIntArray()).containsExactly(0, 0, -2, -2);
        assertThat(run(model, NumericsProfile.TFLITE, x).shape()).containsExactly(1, 2, 2, 1);
    }

    @Test
    void floatValidDilatedWithRelu6() {
        // input 3x3 = 1..9, filter 2x2 of ones, dilation 2, VALID: out size (3 + 1 - 3) / 1 = 1;
        // the taps are (0,0), (0,2), (2,0), (2,2): 1 + 3 + 7 + 9 = 20, + bias 0.5 = 20.5.
        for (Activation a : new Activation[] {Activation.NONE, Activation.RELU6}) {
            ModelBuilder mb = ModelBuilder.create();
            SubgraphBuilder g = mb.main();
            TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 3, 3, 1});
            TensorRef w = g.constant("w", new int[] {1, 2, 2, 1}, new float[] {1, 1, 1, 1});
            TensorRef b = g.constant("b", new int[] {1}, new float[] {0.5f});
            g.output(g.conv2d(x, w, b, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, a, 2, 2), Out.float32()));
            TensorValue y = run(mb.build(), NumericsProfile.TFLITE,
                    TensorValue.ofFloat32(new int[] {1, 3, 3, 1}, 1, 2, 3, 4, 5, 6, 7, 8, 9));
            assertThat(y.shape()).containsExactly(1, 1, 1, 1);
            assertThat(y.getFloat(0)).isEqualTo(a == Activation.NONE ? 20.5f : 6f);
        }
    }

    @Test
    void groupedFloatConvolutionUsesEachGroupsChannels() {
        // input 1x1x1x4 = [1, 2, 3, 4]; filter [2 out, 1, 1, 2 in]: 2 groups of 2 channels.
        // out 0 (group 0) = 1*1 + 2*10 = 21; out 1 (group 1) = 3*100 + 4*1000 = 4300.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 1, 1, 4});
        TensorRef w = g.constant("w", new int[] {2, 1, 1, 2}, new float[] {1, 10, 100, 1000});
        TensorRef b = g.constant("b", new int[] {2}, new float[] {0, 0});
        g.output(g.conv2d(x, w, b, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1), Out.float32()));
        TensorValue y = run(mb.build(), NumericsProfile.TFLITE, TensorValue.ofFloat32(new int[] {1, 1, 1, 4}, 1, 2, 3, 4));
        assertThat(y.toFloatArray()).containsExactly(21f, 4300f);
    }

    @Test
    void int16WithInt64BiasUsesTheInt64Multiply() {
        // input scale 1, filter scale 0.5, output scale 1: multiplier 0.5 = (2^30, 0). x = [3],
        // w = [1], bias 2: acc = 5. int64 MultiplyByQuantizedMultiplier: reduced multiplier
        // (2^30 + 2^15) >> 16 = 16384; (5 * 16384 + 2^14) >> 15 = 98304 >> 15 = 3 (2.5 rounds up).
        // acc = -5: (-81920 + 16384) >> 15 = -65536 >> 15 = -2 (-2.5 rounds up too).
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(1f, 0);
        Quantization wQ = Quantization.perTensor(0.5f, 0);
        TensorRef x = g.input("x", DType.INT16, new int[] {1, 1, 2, 1}, inQ);
        TensorRef w = g.constant("w", DType.INT8, new int[] {1, 1, 1, 1}, new byte[] {1}, wQ);
        TensorRef b = g.constant("b", new int[] {1}, new long[] {2}, SubgraphBuilder.biasQuantization(inQ, wQ));
        g.output(g.conv2d(x, w, b, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1),
                Out.int16(1f, 0)));
        TensorValue y = run(mb.build(), NumericsProfile.TFLITE, TensorValue.ofInt16(new int[] {1, 1, 2, 1}, (short) 3, (short) -7));
        assertThat(y.toIntArray()).containsExactly(3, -2);
    }

    /**
     * 16x8: input scale 0.5, filter scale 0.25, output scale 1: multiplier 0.125 = (2^30, -2).
     * x = [5, -7], filter [2], bias 2 of {@code biasType}: acc = 12 and -12 (1.5 and -1.5).
     */
    private static TfliteModel int16Conv(DType biasType, long biasValue, DType quantizedBiasType) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(0.5f, 0);
        Quantization wQ = Quantization.perTensor(0.25f, 0);
        TensorRef x = g.input("x", DType.INT16, new int[] {1, 1, 2, 1}, inQ);
        TensorRef w = g.constant("w", DType.INT8, new int[] {1, 1, 1, 1}, new byte[] {2}, wQ);
        Quantization bq = SubgraphBuilder.biasQuantization(inQ, wQ);
        TensorRef b = biasType == DType.INT64 ? g.constant("b", new int[] {1}, new long[] {biasValue}, bq)
                : g.constant("b", new int[] {1}, new int[] {(int) biasValue}, bq);
        g.output(g.conv2d(x, w, b, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1, quantizedBiasType),
                Out.int16(1f, 0)));
        return mb.build();
    }

    private static final TensorValue INT16_X = TensorValue.ofInt16(new int[] {1, 1, 2, 1}, (short) 5, (short) -7);

    @Test
    void int16WithInt32BiasTypeUsesTheInt32Multiply() {
        // int32 MultiplyByQuantizedMultiplier, (2^30, -2): SRDHM(12, 2^30) = 6, SRDHM(-12, 2^30) = -6
        // (exact); RoundingDivideByPOT by 2: 6 -> 1 remainder 2 > 1: 2; -6 -> -2 remainder 2, not
        // above the negative threshold 2: -2 (ties away from zero).
        // Single rounding: floor((acc + 4) / 8): 2, -1. Naive: rint(1.5) = 2, rint(-1.5) = -2.
        // The int64 kernel: (acc * 2^14 + 2^16) >> 17 = floor((acc + 4) / 8): 2, -1.
        TfliteModel model = int16Conv(DType.INT32, 2, DType.INT32);
        assertThat(run(model, NumericsProfile.TFLITE, INT16_X).toIntArray()).containsExactly(2, -2);
        assertThat(run(model, NumericsProfile.TFLITE_SINGLE_ROUNDING, INT16_X).toIntArray()).containsExactly(2, -1);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, INT16_X).toIntArray()).containsExactly(2, -2);
        assertThat(run(int16Conv(DType.INT64, 2, null), NumericsProfile.TFLITE, INT16_X).toIntArray())
                .containsExactly(2, -1);
        assertThat(run(int16Conv(DType.INT64, 2, DType.INT64), NumericsProfile.TFLITE, INT16_X).toIntArray())
                .containsExactly(2, -1);
    }

    @Test
    void int16WithInt32BiasTypeWrapsTheAccumulator() {
        // bias 2^31 - 2: 10 + 2^31 - 2 wraps to -2147483640 (scaled about -2.7e8): -32768;
        // -14 + 2^31 - 2 = 2147483632 (about 2.7e8): 32767. The int64 kernel does not wrap.
        long bias = Integer.MAX_VALUE - 1L;
        assertThat(run(int16Conv(DType.INT32, bias, DType.INT32), NumericsProfile.TFLITE, INT16_X).toIntArray())
                .containsExactly(-32768, 32767);
        assertThat(run(int16Conv(DType.INT64, bias, null), NumericsProfile.TFLITE, INT16_X).toIntArray())
                .containsExactly(32767, 32767);
    }

    @Test
    void int16QuantizedBiasTypeMustMatchTheBias() {
        TfliteModel model = int16Conv(DType.INT64, 2, DType.INT32);
        assertThatThrownBy(() -> ReferenceInterpreter.create(model)).isInstanceOf(InvalidOpException.class)
                .hasMessageContaining("CONV_2D").hasMessageContaining("quantized_bias_type is INT32");
    }

    @Test
    void int16WithInt32BiasIsRefusedAsTfliteWouldReadItAsInt64() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(1f, 0);
        Quantization wQ = Quantization.perTensor(0.5f, 0);
        TensorRef x = g.input("x", DType.INT16, new int[] {1, 1, 1, 1}, inQ);
        TensorRef w = g.constant("w", DType.INT8, new int[] {1, 1, 1, 1}, new byte[] {1}, wQ);
        TensorRef b = g.constant("b", new int[] {1}, new int[] {2}, SubgraphBuilder.biasQuantization(inQ, wQ));
        g.output(g.conv2d(x, w, b, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1),
                Out.int16(1f, 0)));
        TfliteModel model = mb.build();
        assertThatThrownBy(() -> ReferenceInterpreter.create(model))
                .isInstanceOf(UnsupportedOpException.class)
                .hasMessageContaining("CONV_2D").hasMessageContaining("int16").hasMessageContaining("quantized_bias_type");
    }
    @Test
    void int8PerChannelMultipliersRoundTwice() {
        // input [1, 1, 1, 2] int8 scale 0.5 zero point 0 = [4, -2]; filter [2, 1, 1, 2] per channel,
        // scales [0.5, 0.25]: channel 0 = [1, 1], channel 1 = [2, -1]; zero bias; output scale 1.
        // Multipliers (double product): 0.25 = (2^30, -1) and 0.125 = (2^30, -2).
        // acc 0 = 4 - 2 = 2: SRDHM(2, 2^30) = 1, RoundingDivideByPOT(1, 1) = 1 (0.5 away from zero).
        // acc 1 = 8 + 2 = 10: SRDHM(10, 2^30) = 5, RoundingDivideByPOT(5, 2) = 1 (1.25).
        // NAIVE: rint(0.5) = 0, rint(1.25) = 1.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(0.5f, 0);
        Quantization wQ = Quantization.perChannel(new float[] {0.5f, 0.25f}, new long[2], 0);
        TensorRef x = g.input("x", DType.INT8, new int[] {1, 1, 1, 2}, inQ);
        TensorRef w = g.constant("w", DType.INT8, new int[] {2, 1, 1, 2}, new byte[] {1, 1, 2, -1}, wQ);
        TensorRef b = g.constant("b", new int[] {2}, new int[] {0, 0}, SubgraphBuilder.biasQuantization(inQ, wQ));
        g.output(g.conv2d(x, w, b, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1), Out.int8(1f, 0)));
        TfliteModel model = mb.build();
        TensorValue in = TensorValue.ofInt8(new int[] {1, 1, 1, 2}, (byte) 4, (byte) -2);
        assertThat(run(model, NumericsProfile.TFLITE, in).toIntArray()).containsExactly(1, 1);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, in).toIntArray()).containsExactly(0, 1);
    }
    @Test
    void hybridFloatInputWithInt8FilterIsUnsupportedAndSaysWhich() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 1, 1, 1});
        TensorRef w = g.constant("w", DType.INT8, new int[] {1, 1, 1, 1}, new byte[] {1}, Quantization.perTensor(0.5f, 0));
        TensorRef b = g.constant("b", new int[] {1}, new float[] {0f});
        g.output(g.conv2d(x, w, b, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1), Out.float32()));
        TfliteModel model = mb.build();
        assertThatThrownBy(() -> ReferenceInterpreter.create(model))
                .isInstanceOf(UnsupportedOpException.class)
                .hasMessageContaining("CONV_2D").hasMessageContaining("float32, int8, float32").hasMessageContaining("hybrid");
    }
}
