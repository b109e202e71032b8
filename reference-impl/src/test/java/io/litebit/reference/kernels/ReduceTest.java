package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.QuantizedMultiplier;
import org.junit.jupiter.api.Test;

/** MEAN on models built with the model builder, outputs derived by hand. */
class ReduceTest {

    @Test
    void int8MeanDividesTheMultiplierAndRoundsHalvesUp() {
        // input [2, 2] int8 scale 0.5 zero point 1, output scale 0.5 zero point 0, axis 1.
        // Prepare: QuantizeMultiplier(0.5 / 0.5 = 1) = (2^30, shift 1). n = 2: s = min(floor(log2 2),
        // 32, 31 + 1) = 1, m' = (2^30 << 1) / 2 = 2^30, shift' = 1 - 1 = 0.
        // Row 0: [3, 4]: 7 - 1 * 2 = 5; SRDHM(5, 2^30) = (5 * 2^30 + 2^30) / 2^31 = 3 (2.5 up).
        // Row 1: [0, -1]: -1 - 2 = -3; SRDHM(-3, 2^30) = (-3 * 2^30 + 1 - 2^30) / 2^31 truncated = -1
        // (-1.5 up). NAIVE: rint(2.5) = 2, rint(-1.5) = -2.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.INT8, new int[] {2, 2}, Quantization.perTensor(0.5f, 1));
        g.output(g.mean(x, new int[] {1}, false, Out.int8(0.5f, 0)));
        TfliteModel model = mb.build();
        TensorValue in = TensorValue.ofInt8(new int[] {2, 2}, (byte) 3, (byte) 4, (byte) 0, (byte) -1);
        TensorValue y = ReferenceInterpreter.create(model).run(in).output(0);
        assertThat(y.shape()).containsExactly(2);
        assertThat(y.toIntArray()).containsExactly(3, -1);
        assertThat(ReferenceInterpreter.create(model, NumericsProfile.NAIVE_FLOAT).run(in).output(0).toIntArray())
                .containsExactly(2, -2);
    }

    @Test
    void floatMeanWithKeepDimsAndANegativeAxis() {
        // [[1, 2], [3, 5]] over axis -2 (= 0): [(1 + 3) / 2, (2 + 5) / 2] = [2, 3.5], shape [1, 2].
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {2, 2});
        g.output(g.mean(x, new int[] {-2}, true, Out.float32()));
        TensorValue y = ReferenceInterpreter.create(mb.build()).run(TensorValue.ofFloat32(new int[] {2, 2}, 1, 2, 3, 5)).output(0);
        assertThat(y.shape()).containsExactly(1, 2);
        assertThat(y.toFloatArray()).containsExactly(2f, 3.5f);
    }

    @Test
    void uint8MeanOverHeightAndWidthTakesTheGeneralPath() {
        // [1, 2, 2, 1] uint8 scale 1 zero point 10 -> out scale 1 zero point 10, axes {1, 2}, keep_dims.
        // QuantizeMultiplier(1) = (2^30, 1); n = 4: s = min(2, 32, 32) = 2, m' = (2^30 << 2) / 4 =
        // 2^30, shift' = -1. x = [10, 11, 12, 12]: 45 - 40 = 5; SRDHM(5, 2^30) = 3 (2.5 up), then
        // RoundingDivideByPOT(3, 1) = 2 (1.5 away from zero); + 10 = 12. (The exact mean 1.25 gives 11;
        // the two roundings give 12.)
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.UINT8, new int[] {1, 2, 2, 1}, Quantization.perTensor(1f, 10));
        g.output(g.mean(x, new int[] {1, 2}, true, Out.uint8(1f, 10)));
        TensorValue y = ReferenceInterpreter.create(mb.build()).run(TensorValue.ofUint8(new int[] {1, 2, 2, 1}, 10, 11, 12, 12))
                .output(0);
        assertThat(y.shape()).containsExactly(1, 1, 1, 1);
        assertThat(y.toIntArray()).containsExactly(12);
    }
    @Test
    void int32MeanTruncatesTheInt64Sum() {
        // [[-7, 2], [5, 5]] over axis 1: sums -5 and 10 in int64, divided by 2 with C++'s
        // truncation: -2 (not -3) and 5.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.INT32, new int[] {2, 2});
        g.output(g.mean(x, new int[] {1}, false, Out.of(DType.INT32)));
        TensorValue y = ReferenceInterpreter.create(mb.build()).run(TensorValue.ofInt32(new int[] {2, 2}, -7, 2, 5, 5)).output(0);
        assertThat(y.toIntArray()).containsExactly(-2, 5);
    }

    // ---------------------------------------------------------- the optimized 4-D spatial mean

    private static TfliteModel spatialMean(DType t, int[] shape, int[] axes, boolean keepDims, Quantization in, Out out) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", t, shape, in);
        g.output(g.mean(x, axes, keepDims, out));
        return mb.build();
    }

    private static int[] run(TfliteModel model, NumericsProfile profile, TensorValue in) {
        return ReferenceInterpreter.create(model, profile).run(in).output(0).toIntArray();
    }

    @Test
    void xnnpackMeanOnArm64FusesTheConvert() {
        // int8 [1, 10, 1, 1] -> [1, 1, 1, 1], scales 0.5 -> 0.5, zero points 74 -> 16, sum 475.
        // inv = 1 * float(1/10) = 0.100000001490116.
        // x86: zp' = 16 - float(740 * inv) = 16 - 74 = -58; float(475 * inv) = float(47.50000071) = 47.5;
        //      -58 + 47.5 = -10.5 -> std::round -> -11.
        // arm64: zp' = fma(-10, float(74 * inv) = 7.400000095, 16) = -58.00000095 -> float -58;
        //        fma(475, inv, -58) = -10.49999929 -> -10.
        TfliteModel model = spatialMean(DType.INT8, new int[] {1, 10, 1, 1}, new int[] {1, 2}, true,
                Quantization.perTensor(0.5f, 74), Out.int8(0.5f, 16));
        byte[] v = {47, 47, 47, 47, 47, 48, 48, 48, 48, 48};
        TensorValue in = TensorValue.ofInt8(new int[] {1, 10, 1, 1}, v);
        assertThat(run(model, NumericsProfile.XNNPACK, in)).containsExactly(-11);
        assertThat(run(model, NumericsProfile.XNNPACK_ARM64, in)).containsExactly(-10);
    }

    @Test
    void optimizedSpatialMeanRoundsTheRawSumAndTheZeroPointApart() {
        // int8 [1, 2, 2, 1], scales 1 -> 1, input zero point 1, output zero point 0, axes [1, 2], keep_dims.
        // x = [1, 1, 0, 0]: the exact mean of (q - 1) is -2 / 4 = -0.5.
        // Reference: QuantizeMultiplier(1) = (2^30, 1), n = 4: s = 2, m' = 2^30, shift' = -1.
        //   1 + 1 + 0 + 0 - 1 * 4 = -2; SRDHM(-2, 2^30) = -1; RoundingDivideByPOT(-1, 1) = -1 (-0.5 away
        //   from zero). Output -1.
        // Optimized (mean.h): real_scale = 1 / (4f * 1) = 0.25 -> (2^30, -1); bias = 0 - (int)(1f + 0.5f) = -1.
        //   acc = 2 (raw, no zero point); SRDHM(2, 2^30) = 1; RoundingDivideByPOT(1, 1) = 1 (0.5 away from
        //   zero); 1 + bias = 0. One channel: arm64's scalar tail too.
        TfliteModel model = spatialMean(DType.INT8, new int[] {1, 2, 2, 1}, new int[] {1, 2}, true,
                Quantization.perTensor(1f, 1), Out.int8(1f, 0));
        TensorValue in = TensorValue.ofInt8(new int[] {1, 2, 2, 1}, (byte) 1, (byte) 1, (byte) 0, (byte) 0);
        assertThat(run(model, NumericsProfile.TFLITE, in)).containsExactly(-1);
        assertThat(run(model, NumericsProfile.BUILTIN_X86, in)).containsExactly(0);
        assertThat(run(model, NumericsProfile.BUILTIN_ARM64, in)).containsExactly(0);
        assertThat(ReferenceInterpreter.create(model, NumericsProfile.BUILTIN_X86).run(in).output(0).shape())
                .containsExactly(1, 1, 1, 1);
    }

    @Test
    void onlyAxesWrittenAsOneTwoWithKeepDimsTakeTheSpatialPath() {
        // The same case as above with axes [-3, -2] (ResolveAxis keeps them as written), [2, 1], or without
        // keep_dims: only [2, 1] takes the optimized path (0); the others compute the reference's -1.
        TensorValue in = TensorValue.ofInt8(new int[] {1, 2, 2, 1}, (byte) 1, (byte) 1, (byte) 0, (byte) 0);
        Quantization q = Quantization.perTensor(1f, 1);
        assertThat(run(spatialMean(DType.INT8, new int[] {1, 2, 2, 1}, new int[] {2, 1}, true, q, Out.int8(1f, 0)),
                NumericsProfile.BUILTIN_X86, in)).containsExactly(0);
        assertThat(run(spatialMean(DType.INT8, new int[] {1, 2, 2, 1}, new int[] {-3, -2}, true, q, Out.int8(1f, 0)),
                NumericsProfile.BUILTIN_X86, in)).containsExactly(-1);
        assertThat(run(spatialMean(DType.INT8, new int[] {1, 2, 2, 1}, new int[] {1, 2}, false, q, Out.int8(1f, 0)),
                NumericsProfile.BUILTIN_ARM64, in)).containsExactly(-1);
        assertThat(Reduce.takesSpatialFastPath(4, new int[] {1, 2, 2}, true)).isFalse();
        assertThat(Reduce.takesSpatialFastPath(3, new int[] {1, 2}, true)).isFalse();
    }

    @Test
    void optimizedSpatialMeanRoundsTheZeroPointTermInFloatAwayFromZero() {
        // uint8 [1, 1, 1, 1], input scale 1 zero point 3, output scale 2 zero point 10; x = 4.
        // Exact: (4 - 3) * 0.5 + 10 = 10.5.
        // Reference: QuantizeMultiplier(0.5) = (2^30, 0), n = 1: s = 0; 4 - 3 = 1; SRDHM(1, 2^30) = 1 (0.5 up);
        //   + 10 = 11.
        // Optimized: real_scale = 1 / (1f * 2) = 0.5 -> (2^30, 0); t = 3f * 1 / 2 = 1.5, + 0.5f = 2 -> bias =
        //   10 - 2 = 8; SRDHM(4, 2^30) = 2; 2 + 8 = 10.
        // With input zero point 253 and x = 255: t = 126.5 -> 127, bias = 10 - 127 = -117; SRDHM(255, 2^30) =
        //   128 (127.5 up); 128 - 117 = 11. Reference: 255 - 253 = 2 -> 1, + 10 = 11.
        TfliteModel model = spatialMean(DType.UINT8, new int[] {1, 1, 1, 1}, new int[] {1, 2}, true,
                Quantization.perTensor(1f, 3), Out.uint8(2f, 10));
        TensorValue in = TensorValue.ofUint8(new int[] {1, 1, 1, 1}, 4);
        assertThat(run(model, NumericsProfile.TFLITE, in)).containsExactly(11);
        assertThat(run(model, NumericsProfile.BUILTIN_X86, in)).containsExactly(10);
        assertThat(run(model, NumericsProfile.BUILTIN_ARM64, in)).containsExactly(10);
        TfliteModel high = spatialMean(DType.UINT8, new int[] {1, 1, 1, 1}, new int[] {1, 2}, true,
                Quantization.perTensor(1f, 253), Out.uint8(2f, 10));
        TensorValue top = TensorValue.ofUint8(new int[] {1, 1, 1, 1}, 255);
        assertThat(run(high, NumericsProfile.TFLITE, top)).containsExactly(11);
        assertThat(run(high, NumericsProfile.BUILTIN_X86, top)).containsExactly(11);
    }

    @Test
    void arm64NeonChannelsRoundNegativeTiesUpTheScalarTailAwayFromZero() {
        // int8 [1, 2, 2, 17], scales 1 -> 1, zero points 0; every channel holds [-1, -1, 0, 0] over the
        // four positions: acc = -2, exact mean -0.5.
        // real_scale = 0.25 -> (2^30, -1), bias 0. SRDHM(-2, 2^30) = -1, then the right shift by one:
        //   scalar RoundingDivideByPOT(-1, 1) = -1 (away from zero): x86 on every channel, arm64 on channel 16;
        //   NEON vrshlq_s32(-1, -1) = (-1 + 1) >> 1 = 0: arm64 on channels 0..15 (the one 16-lane block).
        // Reference: -2 - 0 -> (2^30, -1) after dividing by n, the same -1 everywhere.
        int depth = 17;
        byte[] x = new byte[4 * depth];
        for (int d = 0; d < depth; d++) {
            x[d] = -1;              // (h 0, w 0)
            x[depth + d] = -1;      // (h 0, w 1)
        }
        TfliteModel model = spatialMean(DType.INT8, new int[] {1, 2, 2, depth}, new int[] {1, 2}, true,
                Quantization.perTensor(1f, 0), Out.int8(1f, 0));
        TensorValue in = TensorValue.ofInt8(new int[] {1, 2, 2, depth}, x);
        int[] minusOnes = new int[depth];
        java.util.Arrays.fill(minusOnes, -1);
        int[] arm64 = new int[depth];
        arm64[16] = -1;
        assertThat(run(model, NumericsProfile.TFLITE, in)).containsExactly(minusOnes);
        assertThat(run(model, NumericsProfile.BUILTIN_X86, in)).containsExactly(minusOnes);
        assertThat(run(model, NumericsProfile.BUILTIN_ARM64, in)).containsExactly(arm64);
        assertThat(run(model, NumericsProfile.XNNPACK, in)).as("XNNPACK's own mean: round(-0.5) away from zero")
                .containsExactly(minusOnes);
    }

    @Test
    void neonMultiplierRoundsTheShiftHalfUp() {
        // vqrdmulh(-3, 2^30) = -1.5 -> -1 (ties up, as SRDHM); vrshl by -1: (-1 + 1) >> 1 = 0 (scalar: -1).
        assertThat(QuantizedMultiplier.multiplyDoubleHalfUp(-3, 1 << 30, -1)).isZero();
        // 5 * 2^30 / 2^31 = 2.5 -> 3; (3 + 1) >> 1 = 2, as the scalar 1.5 -> 2 (positive ties agree).
        assertThat(QuantizedMultiplier.multiplyDoubleHalfUp(5, 1 << 30, -1)).isEqualTo(2);
        // -40 * 2^30 / 2^31 = -20; by -3: (-20 + 4) >> 3 = -2 (-2.5 up; scalar -3).
        assertThat(QuantizedMultiplier.multiplyDoubleHalfUp(-40, 1 << 30, -3)).isEqualTo(-2);
        // A left shift first: 3 << 2 = 12; 12 * 2^30 / 2^31 = 6.
        assertThat(QuantizedMultiplier.multiplyDoubleHalfUp(3, 1 << 30, 2)).isEqualTo(6);
        // Max value, shift -1: SRDHM(2^31 - 1, 2^31 - 1) = 2^31 - 2; (2^31 - 2 + 1) >> 1 = 2^30 - 1 (no overflow).
        assertThat(QuantizedMultiplier.multiplyDoubleHalfUp(Integer.MAX_VALUE, Integer.MAX_VALUE, -1)).isEqualTo((1 << 30) - 1);
    }
}
