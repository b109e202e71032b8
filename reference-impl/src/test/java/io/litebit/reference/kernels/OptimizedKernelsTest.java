package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What TFLite's optimized QUANTIZE, DEQUANTIZE and 8-bit SOFTMAX compute on x86-64 ({@code
 * BUILTIN_X86}) and aarch64 ({@code BUILTIN_ARM64}) where it differs from the reference kernels
 * ({@code TFLITE}); outputs derived by hand.
 */
class OptimizedKernelsTest {

    private static TfliteModel dequantizeModel(DType inType, int[] shape, Quantization inQ) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", inType, shape, inQ);
        g.output(g.dequantize(x, Out.float32().named("y")));
        return mb.build();
    }

    private static TfliteModel softmaxModel(DType inType, DType outType, int[] shape, Quantization qi, Quantization qo) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", inType, shape, qi);
        TensorRef y = g.tensor("y", outType, shape, qo);
        g.op(BuiltinOp.SOFTMAX, new BuiltinOptions.Softmax(1f), List.of(x), List.of(y));
        g.output(y);
        return mb.build();
    }

    private static int[] run(TfliteModel model, NumericsProfile profile, TensorValue x) {
        return ReferenceInterpreter.create(model, profile).run(x).output(0).toIntArray();
    }

    private static float[] runFloat(TfliteModel model, NumericsProfile profile, TensorValue x) {
        return ReferenceInterpreter.create(model, profile).run(x).output(0).toFloatArray();
    }

    // ------------------------------------------------------------------ QUANTIZE float -> int

    @Test
    void x86QuantizeDividesInDouble() {
        TfliteModel model = QuantizeTest.quantizeModel(DType.FLOAT32, new int[] {2}, Quantization.NONE, Out.int8(1e-6f, 0));
        // 2.5E-6f is 2.49999993684468790888786315918E-6 and 1E-6f is 9.99999997475242707878351211548E-7:
        // their quotient is 2.49999994 (below the half), but in float it rounds to 2.5 exactly.
        // The reference rounds the float 2.5 away from zero (3); x86's optimized kernel rounds the
        // double quotient (2). Likewise -2.55E-5f / 1E-6f: -25.5 in float (-26), -25.4999996 in double (-25).
        TensorValue x = TensorValue.ofFloat32(new int[] {2}, 2.5e-6f, -2.55e-5f);
        assertThat(run(model, NumericsProfile.TFLITE, x)).containsExactly(3, -26);
        assertThat(run(model, NumericsProfile.BUILTIN_X86, x)).containsExactly(2, -25);
        // XNNPACK's undelegated int16 QUANTIZE is the x86 builtin kernel too.
        TfliteModel int16 = QuantizeTest.quantizeModel(DType.FLOAT32, new int[] {2}, Quantization.NONE, Out.int16(1e-6f, 0));
        assertThat(run(int16, NumericsProfile.XNNPACK, x)).containsExactly(2, -25);
        assertThat(run(int16, NumericsProfile.TFLITE, x)).containsExactly(3, -26);
    }

    @Test
    void x86QuantizeKeepsCvttsd2siForNaN() {
        TfliteModel model = QuantizeTest.quantizeModel(DType.FLOAT32, new int[] {2}, Quantization.NONE, Out.int8(0.5f, -1));
        // NaN: cvttsd2si gives INT32_MIN; + (-1) wraps to INT32_MAX -> 127. 1.25 / 0.5 = 2.5 -> 3 - 1 = 2.
        assertThat(run(model, NumericsProfile.BUILTIN_X86, TensorValue.ofFloat32(new int[] {2}, Float.NaN, 1.25f)))
                .containsExactly(127, 2);
    }

    @Test
    void arm64QuantizeRoundsToEvenInBlocksOfEightAndAwayInTheTail() {
        // Scale 0.5: the reciprocal 2 is exact, so every product below is exact.
        TfliteModel model = QuantizeTest.quantizeModel(DType.FLOAT32, new int[] {10}, Quantization.NONE, Out.int8(0.5f, 1));
        TensorValue x = TensorValue.ofFloat32(new int[] {10}, 1.25f, -1.25f, 0.75f, -0.75f, 1.75f, 100f, Float.NaN, -0.25f,
                1.25f, -0.25f);
        // Elements 0-7 (the NEON loop): 2.5 -> 2, -2.5 -> -2, 1.5 -> 2, -1.5 -> -2, 3.5 -> 4, 200 -> 127 (clamped),
        // NaN -> 0 (fcvtns), -0.5 -> 0 (-0); each + 1. Elements 8-9 (scalar tail): 2.5 -> 3, -0.5 -> -1; each + 1.
        assertThat(run(model, NumericsProfile.BUILTIN_ARM64, x)).containsExactly(3, -1, 3, -1, 5, 127, 1, 1, 4, 0);
        // The reference rounds every tie away from zero; NaN converts to INT32_MIN, + 1 -> -128.
        assertThat(run(model, NumericsProfile.TFLITE, x)).containsExactly(4, -2, 3, -1, 5, 127, -128, 0, 4, 0);
        // x86's optimized kernel: the same ties away from zero on every element.
        assertThat(run(model, NumericsProfile.BUILTIN_X86, x)).containsExactly(4, -2, 3, -1, 5, 127, -128, 0, 4, 0);
    }

    @Test
    void arm64QuantizeInt16TailConvertsThroughSixtyFourBits() {
        // 4 elements, all in the tail; GCC vectorized four of them with a 64-bit conversion and xtn.
        // Scale 1: 3e9 -> 3,000,000,000 -> low 32 bits -1,294,967,296 -> clamped -32768 (a saturating
        // conversion would give 32767); 2.5 -> 3; -2.5 -> -3; 1e9 -> 1e9 -> 32767.
        TfliteModel four = QuantizeTest.quantizeModel(DType.FLOAT32, new int[] {4}, Quantization.NONE, Out.int16(1f, 0));
        TensorValue x = TensorValue.ofFloat32(new int[] {4}, 3e9f, 2.5f, -2.5f, 1e9f);
        assertThat(run(four, NumericsProfile.BUILTIN_ARM64, x)).containsExactly(-32768, 3, -3, 32767);
        // With three elements the tail is scalar (fcvtas saturates): 3e9 -> 32767.
        TfliteModel three = QuantizeTest.quantizeModel(DType.FLOAT32, new int[] {3}, Quantization.NONE, Out.int16(1f, 0));
        assertThat(run(three, NumericsProfile.BUILTIN_ARM64, TensorValue.ofFloat32(new int[] {3}, 3e9f, 2.5f, -2.5f)))
                .containsExactly(32767, 3, -3);
    }

    @Test
    void perChannelQuantizeIsTheReferenceOnBothPlatforms() {
        Quantization perChannel = Quantization.perChannel(new float[] {0.5f, 0.25f}, new long[] {0, 10}, 0);
        TfliteModel model = QuantizeTest.quantizeModel(DType.FLOAT32, new int[] {2, 2}, Quantization.NONE, Out.of(DType.INT8, perChannel));
        // Row 0: 1.25 / 0.5 = 2.5 -> 3 (away from zero), NaN -> INT32_MIN on x86 (-128), 0 on aarch64.
        // Row 1: -0.375 / 0.25 = -1.5 -> -2 + 10 = 8 on both.
        TensorValue x = TensorValue.ofFloat32(new int[] {2, 2}, 1.25f, Float.NaN, -0.375f, -0.375f);
        assertThat(run(model, NumericsProfile.BUILTIN_X86, x)).containsExactly(3, -128, 8, 8);
        assertThat(run(model, NumericsProfile.BUILTIN_ARM64, x)).containsExactly(3, 0, 8, 8);
    }

    // ------------------------------------------------------------------ QUANTIZE 8-bit requantization

    @Test
    void arm64RequantizeRoundsHalfUpInBlocksOfSixteen() {
        // 0.25 -> 1.0: effective scale 0.25, QuantizeMultiplier gives (2^30, -1).
        TfliteModel model = QuantizeTest.quantizeModel(DType.UINT8, new int[] {18}, Quantization.perTensor(0.25f, 128), Out.uint8(1f, 128));
        int[] q = new int[18];
        Arrays.fill(q, 128);
        int[] centred = {-2, -6, 2, -3, 6, -1};
        for (int i = 0; i < centred.length; i++) {
            q[i] = 128 + centred[i];
        }
        q[16] = 126;   // tail
        q[17] = 122;   // tail
        TensorValue x = TensorValue.ofUint8(new int[] {18}, q);
        // NEON: -2 -> SRDHM -1 -> (-1 + 1) >> 1 = 0; -6 -> -3 -> -1; 2 -> 1 -> 1; -3 -> -1.5 ties up to -1 -> 0;
        // 6 -> 3 -> 2; -1 -> -0.5 ties up to 0 -> 0. Tail (scalar, RoundingDivideByPOT): -2 -> -1; -6 -> -2.
        int[] arm64 = new int[18];
        Arrays.fill(arm64, 128);
        int[] neon = {0, -1, 1, 0, 2, 0};
        for (int i = 0; i < neon.length; i++) {
            arm64[i] = 128 + neon[i];
        }
        arm64[16] = 127;
        arm64[17] = 126;
        assertThat(run(model, NumericsProfile.BUILTIN_ARM64, x)).containsExactly(arm64);
        // Reference (and x86, which has no NEON path): -2 -> -1, -6 -> -2, 2 -> 1, -3 -> -1, 6 -> 2, -1 -> 0.
        int[] reference = arm64.clone();
        int[] ref = {-1, -2, 1, -1, 2, 0};
        for (int i = 0; i < ref.length; i++) {
            reference[i] = 128 + ref[i];
        }
        assertThat(run(model, NumericsProfile.TFLITE, x)).containsExactly(reference);
        assertThat(run(model, NumericsProfile.BUILTIN_X86, x)).containsExactly(reference);
    }

    // ------------------------------------------------------------------ DEQUANTIZE

    @Test
    void arm64DequantizeFusesTheZeroPointProduct() {
        // Scale 0.1f (= 13421773 * 2^-27), zero point 3. (float) (-3 * 0.1f) in double is -0.30000000447,
        // which rounds to -0.3f = -0.300000011920928955078125 (= -10066330 * 2^-25).
        // NEON, fma(q, 0.1f, -0.3f) rounded once: q = 3: 0.300000004470348358154296875 - 0.3f = -2^-27;
        // q = 4: 0.4000000059604644775390625 - 0.3f = 0.0999999940395355224609375 = 13421772 * 2^-27, one ULP
        // below 0.1f. The reference computes (float) (0.1f * (q - 3)): 0 and 0.1f.
        TfliteModel model = dequantizeModel(DType.UINT8, new int[] {10}, Quantization.perTensor(0.1f, 3));
        TensorValue x = TensorValue.ofUint8(new int[] {10}, 3, 4, 3, 4, 3, 4, 3, 4, 3, 4);
        float below = Float.intBitsToFloat(Float.floatToIntBits(0.1f) - 1);
        assertThat(runFloat(model, NumericsProfile.BUILTIN_ARM64, x))
                .containsExactly(-0x1p-27f, below, -0x1p-27f, below, -0x1p-27f, below, -0x1p-27f, below, 0f, 0.1f);
        assertThat(runFloat(model, NumericsProfile.TFLITE, x)).containsExactly(0f, 0.1f, 0f, 0.1f, 0f, 0.1f, 0f, 0.1f, 0f, 0.1f);
        // x86 registers the reference DEQUANTIZE kernel (no USE_NEON).
        assertThat(runFloat(model, NumericsProfile.BUILTIN_X86, x)).containsExactly(0f, 0.1f, 0f, 0.1f, 0f, 0.1f, 0f, 0.1f, 0f, 0.1f);
    }

    // ------------------------------------------------------------------ SOFTMAX 8-bit (float table)

    @Test
    void optimizedSoftmaxUsesTheOutputScaleAndZeroPoint() {
        // int8 -> int16 with output (0.5, 0), which TFLite's Prepare does not check. Row of four equal
        // values: every table entry is expf(0) = 1, the sum 4, inv_sum_exp = 1 / (4 * 0.5) = 0.5, each
        // output round(0.5) = 1 (half away from zero) + 0. The reference kernel ignores the output's
        // parameters: 0.25 at 1/65536 from -32768 = -16384.
        TfliteModel model = softmaxModel(DType.INT8, DType.INT16, new int[] {4}, Quantization.perTensor(0.1f, 0),
                Quantization.perTensor(0.5f, 0));
        TensorValue x = TensorValue.ofInt8(new int[] {4}, (byte) 7, (byte) 7, (byte) 7, (byte) 7);
        assertThat(run(model, NumericsProfile.BUILTIN_X86, x)).containsExactly(1, 1, 1, 1);
        assertThat(run(model, NumericsProfile.BUILTIN_ARM64, x)).containsExactly(1, 1, 1, 1);
        assertThat(run(model, NumericsProfile.XNNPACK, x)).containsExactly(1, 1, 1, 1);
        assertThat(run(model, NumericsProfile.TFLITE, x)).containsExactly(-16384, -16384, -16384, -16384);
    }

    @Test
    void optimizedSoftmaxUint8OutputTruncatesOnX86AndRoundsOnArm64() {
        // uint8 -> uint8 with output (1/64, 10). Input scale 1, beta 1: expf(-255) underflows to 0, so the
        // row [200, 200, 0]: table values 1, 1, 0; sum 2; inv_sum_exp = 1 / (2 / 64) = 32.
        // x86: (int32) (32 + 0.5f) = 32, zero point not added; 0 -> (int32) 0.5f = 0.
        // aarch64: round(32) + 10 = 42; round(0) + 10 = 10.
        // Reference: 0.5 at 1/256 = 128, 128, and 0 (the difference -200 is below diff_min).
        TfliteModel model = softmaxModel(DType.UINT8, DType.UINT8, new int[] {3}, Quantization.perTensor(1f, 0),
                Quantization.perTensor(1f / 64, 10));
        TensorValue x = TensorValue.ofUint8(new int[] {3}, 200, 200, 0);
        assertThat(run(model, NumericsProfile.BUILTIN_X86, x)).containsExactly(32, 32, 0);
        assertThat(run(model, NumericsProfile.BUILTIN_ARM64, x)).containsExactly(42, 42, 10);
        assertThat(run(model, NumericsProfile.TFLITE, x)).containsExactly(128, 128, 0);
    }

    @Test
    void optimizedSoftmaxTableIsIndexedByTheDifferenceToTheRowMaximum() {
        // int8 -> int8 (1/256, -128), input scale 1, beta 1, two rows. Row [127, -128]: differences 0 and 255,
        // table values 1 and expf(-255) = 0: sum 1, inv_sum_exp 256, outputs 256 - 128 = 128 -> 127, and -128.
        // Row [-128, -128]: both 1, sum 2, inv 128: 128 - 128 = 0 each.
        TfliteModel model = softmaxModel(DType.INT8, DType.INT8, new int[] {2, 2}, Quantization.perTensor(1f, 0),
                Quantization.perTensor(1f / 256, -128));
        TensorValue x = TensorValue.ofInt8(new int[] {2, 2}, (byte) 127, (byte) -128, (byte) -128, (byte) -128);
        assertThat(run(model, NumericsProfile.BUILTIN_X86, x)).containsExactly(127, -128, 0, 0);
        assertThat(run(model, NumericsProfile.BUILTIN_ARM64, x)).containsExactly(127, -128, 0, 0);
    }
}
