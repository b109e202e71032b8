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
import io.litebit.reference.UnsupportedOpException;
import io.litebit.reference.fixedpoint.QuantizationUtil;
import io.litebit.reference.fixedpoint.QuantizedMultiplier;
import io.litebit.reference.fixedpoint.Rounding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FULLY_CONNECTED on models built with the model builder, outputs derived by hand. */
class FullyConnectedTest {

    private static int[] run(TfliteModel model, NumericsProfile profile, TensorValue input) {
        return ReferenceInterpreter.create(model, profile).run(input).output(0).toIntArray();
    }

    /**
     * int8, per tensor: input scale 0.75 zero point -1, weights scale 0.25, bias scale 0.1875,
     * output scale 1 zero point 3. The multiplier is float(0.75 * 0.25) / 1 = 0.1875 = 0.75 * 2^-2:
     * (0.75 * 2^31 = 1610612736, shift -2).
     */
    private static TfliteModel int8PerTensor(Activation activation) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(0.75f, -1);
        Quantization wQ = Quantization.perTensor(0.25f, 0);
        TensorRef x = g.input("x", DType.INT8, new int[] {1, 2}, inQ);
        TensorRef w = g.constant("w", DType.INT8, new int[] {2, 2}, new byte[] {1, 1, 2, 1}, wQ);
        TensorRef b = g.constant("b", new int[] {2}, new int[] {1, 3}, SubgraphBuilder.biasQuantization(inQ, wQ));
        g.output(g.fullyConnected(x, w, b, new BuiltinOptions.FullyConnected(activation, false), Out.int8(1f, 3).named("y")));
        return mb.build();
    }

    @Test
    void int8PerTensorDoubleRoundingDiffersFromSingleAndNaive() {
        TfliteModel model = int8PerTensor(Activation.NONE);
        // x = [5, -3] -> x - zp = [6, -2].
        // unit 0: 1*6 + 1*(-2) = 4, + bias 1 = 5 (real 0.9375).
        //   TFLITE: SRDHM(5, 1610612736) = 3.75 -> 4; RDBP(4, 2) = 1; + 3 = 4. Single and naive: 1 + 3 = 4.
        // unit 1: 2*6 + 1*(-2) = 10, + bias 3 = 13 (real 13 * 0.1875 = 2.4375).
        //   TFLITE: SRDHM(13, 1610612736) = 9.75 -> 10; RDBP(10, 2) = 2.5 -> 3 (away); + 3 = 6.
        //   SINGLE: (13 * 1610612736 + 2^32) >> 33 = 25232932864 >> 33 = 2; + 3 = 5.
        //   NAIVE: rint(2.4375) = 2; + 3 = 5. Rounding twice costs TFLite one unit here.
        TensorValue x = TensorValue.ofInt8(new int[] {1, 2}, (byte) 5, (byte) -3);
        assertThat(run(model, NumericsProfile.TFLITE, x)).containsExactly(4, 6);
        assertThat(run(model, NumericsProfile.TFLITE_SINGLE_ROUNDING, x)).containsExactly(4, 5);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, x)).containsExactly(4, 5);
    }

    @Test
    void int8FusedReluClampsAtTheQuantizedZero() {
        TfliteModel model = int8PerTensor(Activation.RELU);
        // x = [-20, 30] -> [-19, 31]. unit 0: -19 + 31 + 1 = 13 -> 6 as above (2.4375 -> 3, + 3).
        // unit 1: -38 + 31 + 3 = -4: SRDHM(-4, 1610612736) = -3 exactly; RDBP(-3, 2) = -0.75 -> -1;
        // + 3 = 2. RELU's lower bound is the quantized 0: 3 + round(0 / 1) = 3 -> 3.
        TensorValue x = TensorValue.ofInt8(new int[] {1, 2}, (byte) -20, (byte) 30);
        assertThat(run(model, NumericsProfile.TFLITE, x)).containsExactly(6, 3);
        assertThat(run(int8PerTensor(Activation.NONE), NumericsProfile.TFLITE, x)).containsExactly(6, 2);
    }

    @Test
    void int8PerChannel() {
        // Input scale 0.5 zero point 0; weights per channel [0.5, 0.25]; output scale 0.25.
        // Multipliers (double products): 0.5 * 0.5 / 0.25 = 1 -> (2^30, 1); 0.5 * 0.25 / 0.25 = 0.5 -> (2^30, 0).
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(0.5f, 0);
        Quantization wQ = Quantization.perChannel(new float[] {0.5f, 0.25f}, new long[] {0, 0}, 0);
        TensorRef x = g.input("x", DType.INT8, new int[] {2, 2}, inQ);
        TensorRef w = g.constant("w", DType.INT8, new int[] {2, 2}, new byte[] {1, 2, 3, -4}, wQ);
        TensorRef b = g.constant("b", new int[] {2}, new int[] {0, 0}, SubgraphBuilder.biasQuantization(inQ, wQ));
        g.output(g.fullyConnected(x, w, b, new BuiltinOptions.FullyConnected(Activation.NONE, false), Out.int8(0.25f, 0)));
        TfliteModel model = mb.build();
        // batch 0, x = [3, -1]: unit 0: 3 - 2 = 1 -> MBQM(1, 2^30, 1) = SRDHM(2, 2^30) = 1.
        //   unit 1: 9 + 4 = 13 -> SRDHM(13, 2^30) = 6.5 -> 7 (tie up); naive rint(6.5) = 6 (even).
        // batch 1, x = [-3, 1]: unit 0: -3 + 2 = -1 -> SRDHM(-2, 2^30) = -1.
        //   unit 1: -9 - 4 = -13 -> -6.5 -> -6 (tie up); single (-12 * 2^30) >> 31 = -6; naive -6 (even).
        TensorValue in = TensorValue.ofInt8(new int[] {2, 2}, (byte) 3, (byte) -1, (byte) -3, (byte) 1);
        assertThat(run(model, NumericsProfile.TFLITE, in)).containsExactly(1, 7, -1, -6);
        assertThat(run(model, NumericsProfile.TFLITE_SINGLE_ROUNDING, in)).containsExactly(1, 7, -1, -6);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, in)).containsExactly(1, 6, -1, -6);
    }

    @Test
    void perTensorMultiplierMultipliesTheScalesInFloatPerChannelInDouble() {
        // 0.1f * 0.3f in float is 0.030000001192092896; in double 0.03000000163912775.
        double perTensor = FullyConnected.perTensorRealMultiplier(0.1f, 0.3f, 1f);
        double perChannel = FullyConnected.perChannelRealMultiplier(0.1f, 0.3f, 1f);
        assertThat(perTensor).isEqualTo(0.030000001192092896);
        assertThat(perChannel).isEqualTo(0.03000000163912775);
        // 0.0300000011920929 = 0.96000003814697 * 2^-5 -> significand 2061584384.0 exactly;
        // 0.0300000016391277 = 0.96000005245209 * 2^-5 -> 2061584414.72 -> 2061584415.
        assertThat(QuantizationUtil.quantizeMultiplier(perTensor, Rounding.DOUBLE)).isEqualTo(new QuantizedMultiplier(2061584384, -5));
        assertThat(QuantizationUtil.quantizeMultiplier(perChannel, Rounding.DOUBLE)).isEqualTo(new QuantizedMultiplier(2061584415, -5));
    }

    /** uint8 with zero points and RELU6, keep_num_dims on a rank-3 input. */
    @Test
    void uint8KeepNumDimsRelu6() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(0.5f, 128);
        Quantization wQ = Quantization.perTensor(0.5f, 130);
        TensorRef x = g.input("x", DType.UINT8, new int[] {1, 3, 2}, inQ);
        TensorRef w = g.constant("w", DType.UINT8, new int[] {1, 2}, new byte[] {(byte) 132, (byte) 128}, wQ);
        g.output(g.fullyConnected(x, w, null, new BuiltinOptions.FullyConnected(Activation.RELU6, true),
                Out.uint8(0.1f, 10).named("y")));
        TfliteModel model = mb.build();
        // Multiplier: float(0.5 * 0.5) / 0.1f = 0.25 / 0.10000000149011612 = 2.4999999627
        //   = 0.62499999068677 * 2^2 -> (1342177260, 2).
        // RELU6 range: 10 + round(0 / 0.1f) = 10 .. 10 + round(6f / 0.1f = 60.0) = 70.
        // w - 130 = [2, -2].
        // row 0, x = [130, 126] -> [2, -2]: 4 + 4 = 8; 8 << 2 = 32; SRDHM(32, 1342177260) = 19.9999998 -> 20; + 10 = 30.
        // row 1, x = [200, 60] -> [72, -68]: 144 + 136 = 280 -> 1120 -> SRDHM = 700; + 10 = 710 -> 70.
        // row 2, x = [100, 140] -> [-28, 12]: -56 - 24 = -80 -> -200; + 10 = -190 -> 10.
        TensorValue in = TensorValue.ofUint8(new int[] {1, 3, 2}, 130, 126, 200, 60, 100, 140);
        TensorValue out = ReferenceInterpreter.create(model).run(in).output(0);
        assertThat(out.shape()).containsExactly(1, 3, 1);
        assertThat(out.dtype()).isEqualTo(DType.UINT8);
        assertThat(out.toIntArray()).containsExactly(30, 70, 10);
    }

    @Test
    void uint8InputToInt16Output() {
        // TFLite's uint8 -> int16 kernel (built with the raw op API: the builder's FC keeps the
        // input type). Input scale 1/16, zero point 128; weights 1/16, zero point 128; bias
        // scale 1/256; output scale 1/256, zero point 0: multiplier float(1/256) / (1/256) = 1
        // -> (2^30, 1).
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.UINT8, new int[] {1, 2}, Quantization.perTensor(1f / 16, 128));
        TensorRef w = g.constant("w", DType.UINT8, new int[] {1, 2}, new byte[] {(byte) 129, (byte) 127},
                Quantization.perTensor(1f / 16, 128));
        TensorRef b = g.constant("b", new int[] {1}, new int[] {-5}, Quantization.perTensor(1f / 256, 0));
        TensorRef y = g.tensor("y", DType.INT16, new int[] {1, 1}, Quantization.perTensor(1f / 256, 0));
        g.op(BuiltinOp.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(Activation.NONE, false), List.of(x, w, b), List.of(y));
        g.output(y);
        TfliteModel model = mb.build();
        // x = [255, 0] -> [127, -128]; w -> [1, -1]: acc = -5 + 127 + 128 = 250; MBQM(250, 2^30, 1) = 250.
        TensorValue out = ReferenceInterpreter.create(model).run(TensorValue.ofUint8(new int[] {1, 2}, 255, 0)).output(0);
        assertThat(out.dtype()).isEqualTo(DType.INT16);
        assertThat(out.toIntArray()).containsExactly(250);
    }

    @Test
    void float32WithBiasAndRelu() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 2});
        TensorRef w = g.constant("w", new int[] {2, 2}, new float[] {2f, 1f, -1f, 0.5f});
        TensorRef b = g.constant("b", new int[] {2}, new float[] {0.25f, 1f});
        g.output(g.fullyConnected(x, w, b, new BuiltinOptions.FullyConnected(Activation.RELU, false), Out.float32()));
        TfliteModel model = mb.build();
        // unit 0: 1.5*2 + (-2)*1 = 1, + 0.25 = 1.25. unit 1: -1.5 - 1 = -2.5, + 1 = -1.5 -> RELU 0.
        TensorValue out = ReferenceInterpreter.create(model).run(TensorValue.ofFloat32(new int[] {1, 2}, 1.5f, -2f)).output(0);
        assertThat(out.toFloatArray()).containsExactly(1.25f, 0f);
    }

    @Test
    void floatClampKeepsNegativeZeroAndNaNAsStdMinMaxDo() {
        // std::max(-0.0f, 0.0f) returns its first argument (-0.0 < 0.0 is false); NaN passes.
        assertThat(Float.floatToRawIntBits(ActivationRange.clamp(-0.0f, 0f, Float.MAX_VALUE)))
                .isEqualTo(Float.floatToRawIntBits(-0.0f));
        assertThat(ActivationRange.clamp(Float.NaN, 0f, 6f)).isNaN();
        assertThat(ActivationRange.clamp(7f, 0f, 6f)).isEqualTo(6f);
    }

    @Test
    void biasScaleFarFromInputTimesWeightScaleIsRefusedLikeTflite() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.INT8, new int[] {1, 2}, Quantization.perTensor(0.5f, 0));
        TensorRef w = g.constant("w", DType.INT8, new int[] {1, 2}, new byte[] {1, 1}, Quantization.perTensor(0.5f, 0));
        // bias scale 0.5 instead of 0.25: |0.25 - 0.5| / output scale 1 = 0.25 > 0.02.
        TensorRef b = g.constant("b", new int[] {1}, new int[] {0}, Quantization.perTensor(0.5f, 0));
        TensorRef y = g.tensor("y", DType.INT8, new int[] {1, 1}, Quantization.perTensor(1f, 0));
        g.op(BuiltinOp.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(Activation.NONE, false), List.of(x, w, b), List.of(y));
        g.output(y);
        TfliteModel model = mb.build();
        assertThatThrownBy(() -> ReferenceInterpreter.create(model))
                .isInstanceOf(InvalidOpException.class)
                .hasMessageContaining("operator 0 FULLY_CONNECTED v")
                .hasMessageContaining("more than 2% of the output scale");
    }

    /**
     * 16x8: input scale 0.5, weights scale 0.25 (zero point {@code wZp}), output scale 1, all
     * int16 zero points 0. Multiplier float(0.5 * 0.25) / 1 = 0.125 = 0.5 * 2^-2: (2^30, shift
     * -2). The int64 MultiplyByQuantizedMultiplier reduces it to (2^30 + 2^15) >> 16 = 2^14 and
     * computes (acc * 2^14 + 2^16) >> 17 = floor((acc + 4) / 8): acc / 8, halves towards +inf.
     */
    private static TfliteModel int16Model(int units, byte[] weights, long wZp, long[] bias, DType biasType) {
        return int16Model(units, weights, wZp, bias, biasType, null);
    }

    private static TfliteModel int16Model(int units, byte[] weights, long wZp, long[] bias, DType biasType,
                                          DType quantizedBiasType) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(0.5f, 0);
        Quantization wQ = Quantization.perTensor(0.25f, wZp);
        TensorRef x = g.input("x", DType.INT16, new int[] {1, 3}, inQ);
        TensorRef w = g.constant("w", DType.INT8, new int[] {units, 3}, weights, wQ);
        TensorRef b = null;
        if (bias != null && biasType == DType.INT64) {
            b = g.constant("b", new int[] {units}, bias, SubgraphBuilder.biasQuantization(inQ, wQ));
        } else if (bias != null) {
            int[] b32 = new int[bias.length];
            for (int i = 0; i < b32.length; i++) {
                b32[i] = (int) bias[i];
            }
            b = g.constant("b", new int[] {units}, b32, SubgraphBuilder.biasQuantization(inQ, wQ));
        }
        g.output(g.fullyConnected(x, w, b, new BuiltinOptions.FullyConnected(Activation.NONE, false)
                .withQuantizedBiasType(quantizedBiasType), Out.int16(1f, 0)));
        return mb.build();
    }

    private static final TensorValue INT16_X = TensorValue.ofInt16(new int[] {1, 3}, (short) 1000, (short) -200, (short) 30);

    @Test
    void int16WithInt64BiasAccumulatesIn64BitsAndRoundsHalvesUp() {
        // x = [1000, -200, 30]; weights (zero point 0) [1, 2, -1], [-3, 0, 4], [0, 0, 0];
        // int64 bias [5, -12, 2^33].
        // unit 0: 1000 - 400 - 30 = 570, + 5 = 575: (575 + 4) >> 3 = 72 (71.875). Naive: rint(71.875) = 72.
        // unit 1: -3000 + 0 + 120 = -2880, - 12 = -2892 (-361.5): floor(-2888 / 8) = -361; naive
        //   rint(-361.5) = -362 (to even).
        // unit 2: 0 + 2^33 (only representable as int64): (2^33 * 2^14 + 2^16) >> 17 = 2^30, clamped to 32767.
        TfliteModel model = int16Model(3, new byte[] {1, 2, -1, -3, 0, 4, 0, 0, 0}, 0, new long[] {5, -12, 1L << 33},
                DType.INT64);
        TensorValue y = ReferenceInterpreter.create(model).run(INT16_X).output(0);
        assertThat(y.dtype()).isEqualTo(DType.INT16);
        assertThat(y.toIntArray()).containsExactly(72, -361, 32767);
        assertThat(run(model, NumericsProfile.TFLITE_SINGLE_ROUNDING, INT16_X)).containsExactly(72, -361, 32767);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, INT16_X)).containsExactly(72, -362, 32767);
    }

    @Test
    void int16WithoutBias() {
        // weights [1, 2, -1], no bias: 1000 - 400 - 30 = 570 (71.25): (570 + 4) >> 3 = 71.
        TfliteModel model = int16Model(1, new byte[] {1, 2, -1}, 0, null, null);
        assertThat(run(model, NumericsProfile.TFLITE, INT16_X)).containsExactly(71);
    }

    @Test
    void int16PerChannelUsesOneMultiplierPerUnit() {
        // Input scale 0.5, weights per channel [0.25, 0.5], output scale 1, int64 bias.
        // Multipliers in double: 0.125 = 0.5 * 2^-2
        // -> (2^30, -2): floor((acc + 4) / 8); 0.25 -> (2^30, -1): floor((acc + 2) / 4).
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(0.5f, 0);
        Quantization wQ = Quantization.perChannel(new float[] {0.25f, 0.5f}, new long[] {0, 0}, 0);
        TensorRef x = g.input("x", DType.INT16, new int[] {1, 3}, inQ);
        TensorRef w = g.constant("w", DType.INT8, new int[] {2, 3}, new byte[] {1, 2, -1, -3, 0, 4}, wQ);
        TensorRef b = g.constant("b", new int[] {2}, new long[] {5, -6}, SubgraphBuilder.biasQuantization(inQ, wQ));
        g.output(g.fullyConnected(x, w, b, new BuiltinOptions.FullyConnected(Activation.NONE, false), Out.int16(1f, 0)));
        TfliteModel model = mb.build();
        // x = [1000, -200, 30]. unit 0: 1000 - 400 - 30 + 5 = 575 (71.875): (575 + 4) >> 3 = 72.
        // unit 1: -3000 + 120 - 6 = -2886 (-721.5): (-2886 + 2) >> 2 = -721 (halves up); naive
        //   rint(-721.5) = -722 (to even).
        assertThat(run(model, NumericsProfile.TFLITE, INT16_X)).containsExactly(72, -721);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, INT16_X)).containsExactly(72, -722);
    }

    @Test
    void int16WithInt32BiasIsRefusedBecauseTfliteReadsItAsInt64() {
        TfliteModel model = int16Model(1, new byte[] {1, 1, 1}, 0, new long[] {0}, DType.INT32);
        assertThatThrownBy(() -> ReferenceInterpreter.create(model))
                .isInstanceOf(UnsupportedOpException.class)
                .hasMessageContaining("FULLY_CONNECTED v")
                .hasMessageContaining("inputs int16, int8, int32 -> outputs int16")
                .hasMessageContaining("reads it as int64")
                .hasMessageContaining("quantized_bias_type");
    }

    @Test
    void int16WithInt32BiasTypeUsesTheInt32Multiply() {
        // As int16WithInt64Bias..., with quantized_bias_type INT32 and int32 bias [5, -12]: acc
        // 575 and -2892 in int32. The int32 MultiplyByQuantizedMultiplier with (2^30, -2):
        // unit 0: SRDHM(575, 2^30) = (575 * 2^30 + 2^30) / 2^31 = 288; 288 / 4 = 72.
        // unit 1: SRDHM(-2892, 2^30) = -1446 (exact); RoundingDivideByPOT(-1446, 2): -1446 >> 2 =
        //   -362, remainder 2 not above the negative threshold 2: -362 (the tie -361.5 away from
        //   zero; the int64 multiply gives -361).
        // Single rounding: (acc * 2^30 + 2^32) >> 33 = floor((acc + 4) / 8): 72, -361.
        // Naive: rint(71.875) = 72, rint(-361.5) = -362.
        TfliteModel model = int16Model(2, new byte[] {1, 2, -1, -3, 0, 4}, 0, new long[] {5, -12}, DType.INT32,
                DType.INT32);
        TensorValue y = ReferenceInterpreter.create(model).run(INT16_X).output(0);
        assertThat(y.dtype()).isEqualTo(DType.INT16);
        assertThat(y.toIntArray()).containsExactly(72, -362);
        assertThat(run(model, NumericsProfile.TFLITE_SINGLE_ROUNDING, INT16_X)).containsExactly(72, -361);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, INT16_X)).containsExactly(72, -362);
        TfliteModel int64 = int16Model(2, new byte[] {1, 2, -1, -3, 0, 4}, 0, new long[] {5, -12}, DType.INT64);
        assertThat(run(int64, NumericsProfile.TFLITE, INT16_X)).containsExactly(72, -361);
    }

    @Test
    void int16WithInt32BiasTypeWrapsTheAccumulator() {
        // weights [1, 2, -1] (sum 570 for INT16_X), int32 bias 2^31 - 1: the int32 accumulator
        // wraps to 570 + 2^31 - 1 - 2^32 = -2147483079, which scales to about -2.7e8: -32768.
        // NAIVE_FLOAT scales the exact sum 2147484217 / 8: 32767.
        TfliteModel model = int16Model(1, new byte[] {1, 2, -1}, 0, new long[] {Integer.MAX_VALUE}, DType.INT32,
                DType.INT32);
        assertThat(run(model, NumericsProfile.TFLITE, INT16_X)).containsExactly(-32768);
        assertThat(run(model, NumericsProfile.TFLITE_SINGLE_ROUNDING, INT16_X)).containsExactly(-32768);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, INT16_X)).containsExactly(32767);
    }

    @Test
    void int16PerChannelWithInt32BiasType() {
        // Input scale 0.5, weights per channel [0.25, 0.5], output scale 1, int32 bias [5, -6].
        // Multipliers 0.125 = (2^30, -2) and 0.25 = (2^30, -1).
        // unit 0: 575 -> SRDHM 288, / 4 = 72.
        // unit 1: -3000 + 120 - 6 = -2886 (-721.5): SRDHM(-2886, 2^30) = -1443 (exact);
        //   RoundingDivideByPOT(-1443, 1): -1443 >> 1 = -722, remainder 1 not above 1: -722
        //   (the int64 multiply gives -721).
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(0.5f, 0);
        Quantization wQ = Quantization.perChannel(new float[] {0.25f, 0.5f}, new long[] {0, 0}, 0);
        TensorRef x = g.input("x", DType.INT16, new int[] {1, 3}, inQ);
        TensorRef w = g.constant("w", DType.INT8, new int[] {2, 3}, new byte[] {1, 2, -1, -3, 0, 4}, wQ);
        TensorRef b = g.constant("b", new int[] {2}, new int[] {5, -6}, SubgraphBuilder.biasQuantization(inQ, wQ));
        g.output(g.fullyConnected(x, w, b, new BuiltinOptions.FullyConnected(Activation.NONE, false)
                .withQuantizedBiasType(DType.INT32), Out.int16(1f, 0)));
        assertThat(run(mb.build(), NumericsProfile.TFLITE, INT16_X)).containsExactly(72, -722);
    }

    @Test
    void int16WithInt32BiasTypeAndNoBias() {
        // weights [1, 2, -1]: 570 (71.25): SRDHM 285, RoundingDivideByPOT(285, 2) = 71.
        TfliteModel model = int16Model(1, new byte[] {1, 2, -1}, 0, null, null, DType.INT32);
        assertThat(run(model, NumericsProfile.TFLITE, INT16_X)).containsExactly(71);
    }

    @Test
    void quantizedBiasTypeMustMatchTheBiasAndBeInt32OrInt64() {
        // PrepareImpl: TF_LITE_ENSURE(bias->type == quantized_bias_type), and only INT32/INT64.
        TfliteModel mismatch = int16Model(1, new byte[] {1, 1, 1}, 0, new long[] {0}, DType.INT64, DType.INT32);
        assertThatThrownBy(() -> ReferenceInterpreter.create(mismatch)).isInstanceOf(InvalidOpException.class)
                .hasMessageContaining("FULLY_CONNECTED").hasMessageContaining("quantized_bias_type is INT32");
        TfliteModel int8Type = int16Model(1, new byte[] {1, 1, 1}, 0, new long[] {0}, DType.INT32, DType.INT8);
        assertThatThrownBy(() -> ReferenceInterpreter.create(int8Type)).isInstanceOf(InvalidOpException.class)
                .hasMessageContaining("INT32 or INT64");
    }
}
