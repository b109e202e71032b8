package io.litebit.reference.fixedpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.reference.NumericsProfile;
import org.junit.jupiter.api.Test;

/**
 * What the aarch64 build of XNNPACK computes otherwise than the x86-64 one ({@link
 * NumericsProfile#XNNPACK_ARM64}), each expected value derived by hand in the comments.
 */
class XnnpackMathArm64Test {
    // MobileNetV2 int8 (tflite-micro's mobilenet_v2_quantized_1x3x224x224), op 5 CONV_2D, output channel 8.
    private static final float IN = 0.07798987f;
    private static final float OUT = 0.034926996f;
    private static final float W8 = 0x1.38ceb4p-8f;

    @Test
    void perChannelScaleDividesFirstOnArm64() {
        // x86: (IN * W8) / OUT = 0x1.5d3d74p-7 (0.0106579605); arm64: (IN / OUT) * W8 = 0x1.5d3d72p-7, one ulp less.
        assertThat(XnnpackMath.convScale(IN, W8, OUT)).isEqualTo(0x1.5d3d74p-7f);
        assertThat(XnnpackMath.convScaleArm64PerChannel(IN, W8, OUT)).isEqualTo(0x1.5d3d72p-7f);
        assertThat(IN / OUT).isEqualTo(XnnpackMath.convScaleArm64PerChannel(IN, 1f, OUT));
    }

    @Test
    void theMobileNetV2ElementThatTellsTheArchitecturesApart() {
        // acc 8116: 8116 * 0x1.5d3d74p-7 = 86.5000076 -> 87, + zp -2 = 85 (x86);
        // 8116 * 0x1.5d3d72p-7 = 86.5 exactly in float (asserted): ties to even -> 86, -2 = 84 (arm64).
        assertThat(8116f * 0x1.5d3d72p-7f).isEqualTo(86.5f);
        assertThat(XnnpackMath.requantizeFp32(8116, XnnpackMath.convScale(IN, W8, OUT), -2, -128, 127)).isEqualTo(85);
        assertThat(XnnpackMath.requantizeFp32(8116, XnnpackMath.convScaleArm64PerChannel(IN, W8, OUT), -2, -128, 127))
                .isEqualTo(84);
    }

    @Test
    void rndnuParametersFromTheScaleBits() {
        // 0.5 = 1.0 * 2^-1: mantissa 0x800000 << 7 = 2^30; shift = 126 - 126 = 0 -> post 1, pre 1.
        assertThat(XnnpackMath.Rndnu.of(0.5f)).isEqualTo(new XnnpackMath.Rndnu(0x40000000, 1, 1));
        // 0.75 = 1.5 * 2^-1: 0xC00000 << 7 = 0x60000000, the same shifts.
        assertThat(XnnpackMath.Rndnu.of(0.75f)).isEqualTo(new XnnpackMath.Rndnu(0x60000000, 1, 1));
        // 2^-10: exponent 117, shift 9 -> post 9, pre 0.
        assertThat(XnnpackMath.Rndnu.of(0x1p-10f)).isEqualTo(new XnnpackMath.Rndnu(0x40000000, 0, 9));
    }

    @Test
    void rndnuRoundsTheExactProductHalfUp() {
        XnnpackMath.Rndnu half = XnnpackMath.Rndnu.of(0.5f);
        // 3 * 0.5 = 1.5 -> 2 (fp32 also 2); 5 * 0.5 = 2.5 -> 3 (fp32: 2); -5 * 0.5 = -2.5 -> -2; -3 * 0.5 = -1.5 -> -1 (fp32: -2).
        assertThat(half.scale(3)).isEqualTo(2);
        assertThat(half.scale(5)).isEqualTo(3);
        assertThat(half.scale(-5)).isEqualTo(-2);
        assertThat(half.scale(-3)).isEqualTo(-1);
        assertThat(XnnpackMath.requantizeFp32(-3, 0.5f, 0, -128, 127)).isEqualTo(-2);
        // 2^-10: 1536 / 1024 = 1.5 -> 2; 1535 / 1024 = 1.499 -> 1.
        assertThat(XnnpackMath.Rndnu.of(0x1p-10f).scale(1536)).isEqualTo(2);
        assertThat(XnnpackMath.Rndnu.of(0x1p-10f).scale(1535)).isEqualTo(1);
        // Above 2^24 fp32 first rounds the accumulator to float: (2^25 + 1) * 0.5 = 16777216.5 ->
        // rndnu 16777217; float(2^25 + 1) = 2^25, * 0.5 = 2^24.
        assertThat(half.scale((1 << 25) + 1)).isEqualTo(16777217);
        // The uint8 tail: 2.5 -> 3, + zp 128 = 131; clamped to [0, 130] -> 130.
        assertThat(half.requantize(5, 128, 0, 255)).isEqualTo(131);
        assertThat(half.requantize(5, 128, 0, 130)).isEqualTo(130);
        assertThat(half.requantize(-1000, 128, 0, 255)).isEqualTo(0);
    }

    @Test
    void boundsAreOneFusedMultiplyAdd() {
        // scale 0x1.ab68a2p-4, zp -24, RELU6's 6: 6 / scale = 57.4999962 (float), + -24 = 33.4999962 -> 33 (x86);
        // fma(6, 1/scale, -24) rounds once: 33.5 -> 34 (ties to even).
        float s = 0x1.ab68a2p-4f;
        assertThat(XnnpackMath.quantizeBound(6f, s, -24, -128, 127)).isEqualTo(33);
        assertThat(XnnpackMath.quantizeBoundArm64(6f, s, -24, -128, 127)).isEqualTo(34);
        // 0 and the infinite bounds are the same on both.
        assertThat(XnnpackMath.quantizeBoundArm64(0f, s, -24, -128, 127)).isEqualTo(-24);
        assertThat(XnnpackMath.quantizeBoundArm64(Float.POSITIVE_INFINITY, s, -24, -128, 127)).isEqualTo(127);
        assertThat(XnnpackMath.quantizeBoundArm64(Float.NEGATIVE_INFINITY, s, -24, -128, 127)).isEqualTo(-128);
    }

    @Test
    void addRatiosUseTheReciprocalOfTheOutputScale() {
        // 0.3f / 0.7f and 0.3f * (1 / 0.7f) as floats: the reciprocal path rounds twice.
        float q = 0.3f / 0.7f;
        float r = (1.0f / 0.7f) * 0.3f;
        XnnpackMath.AddParams x86 = XnnpackMath.AddParams.of(0.3f, 0, 0.7f, 0, 0.7f, 0, -128, 127);
        XnnpackMath.AddParams arm = XnnpackMath.AddParams.ofArm64(0.3f, 0, 0.7f, 0, 0.7f, 0, -128, 127);
        // b / out = 1 on both (1/0.7f * 0.7f rounds to 1): the common shift is 20 and b's multiplier 2^20.
        assertThat(x86.shift()).isEqualTo(20);
        assertThat(arm.bMultiplier()).isEqualTo(1 << 20);
        assertThat(x86.aMultiplier()).isEqualTo((int) Math.rint(q * 0x1p20f));
        assertThat(arm.aMultiplier()).isEqualTo((int) Math.rint(r * 0x1p20f));
    }

    @Test
    void profileWiring() {
        assertThat(NumericsProfile.XNNPACK_ARM64.isXnnpack()).isTrue();
        assertThat(NumericsProfile.XNNPACK.isXnnpack()).isTrue();
        assertThat(NumericsProfile.BUILTIN_ARM64.isXnnpack()).isFalse();
        assertThat(NumericsProfile.XNNPACK_ARM64.builtinKernels()).isEqualTo(NumericsProfile.BUILTIN_ARM64);
        assertThat(NumericsProfile.XNNPACK_ARM64.isBuiltinArm64()).isTrue();
        assertThat(NumericsProfile.XNNPACK.builtinKernels()).isEqualTo(NumericsProfile.BUILTIN_X86);
    }
}
