package io.litebit.model.quant;

import static io.litebit.model.quant.QuantDType.INT16;
import static io.litebit.model.quant.QuantDType.INT8;
import static io.litebit.model.quant.QuantDType.UINT8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Expected values are worked out by hand in the comments; the Java expressions on the expected
 * side only restate that arithmetic (for example {@code 2.0 / 255}) and never call the code under
 * test.
 */
class QuantParamsTest {

    private static final double EXACT = 1e-15;

    @Nested
    class InputsNormalizedToMinusOneOne {

        @Test
        void minusOneOneIsMean127_5Std127_5InUint8() {
            // std = (qmax - qmin) / (max - min) = 255 / 2 = 127.5
            // mean = qmin - min * std = 0 - (-1)(127.5) = 127.5
            MeanStd s = QuantParams.minMaxToMeanStd(-1.0, 1.0, UINT8);

            assertThat(s.mean()).isEqualTo(127.5);
            assertThat(s.std()).isEqualTo(127.5);
        }

        @Test
        void mean127_5Std127_5IsMinusOneOne() {
            // min = (0 - 127.5) / 127.5 = -1, max = (255 - 127.5) / 127.5 = 1
            MinMax r = QuantParams.meanStdToMinMax(127.5, 127.5, UINT8);

            assertThat(r.min()).isEqualTo(-1.0);
            assertThat(r.max()).isEqualTo(1.0);
        }

        @Test
        void mean128Std127IsAShiftedRange() {
            // The common shortcut: min = (0 - 128) / 127 = -1.0078740157..., max = (255 - 128)/127
            // = 1. So the bottom end lies 1/127 ~ 0.00787 below -1; the top is exactly 1.
            MinMax r = QuantParams.meanStdToMinMax(128, 127, UINT8);

            assertThat(r.min()).isEqualTo(-128.0 / 127);
            assertThat(r.min()).isCloseTo(-1.0078740157480315, within(EXACT));
            assertThat(r.max()).isEqualTo(1.0);
            assertThat(r.min()).isNotEqualTo(-1.0);
        }

        @Test
        void mean128Std127StoresScaleOneOver127AndZeroPoint128() {
            // scale = (1 - (-128/127)) / 255 = (255/127) / 255 = 1/127; zp = 0 - min/scale = 128
            AffineQuant q = QuantParams.fromMeanStd(128, 127, UINT8);

            assertThat(q.zeroPoint()).isEqualTo(128);
            assertThat(q.scale()).isCloseTo(1.0 / 127, within(EXACT));
            assertThat(q.scaleFloat32()).isEqualTo((float) (1.0 / 127));
            // It covers [scale*(0 - 128), scale*(255 - 128)] = [-128/127, 1]
            MinMax covered = QuantParams.toMinMax(q);
            assertThat(covered.min()).isCloseTo(-1.0078740157480315, within(EXACT));
            assertThat(covered.max()).isCloseTo(1.0, within(EXACT));
        }

        @Test
        void mean127_5GetsItsZeroPointRoundedAwayFromZero() {
            // The converter turns (127.5, 127.5) into [-1, 1], then scale = 2/255 and the zero
            // point 0 - (-1)/(2/255) = 127.5, which std::round sends to 128. Covered range:
            // [2/255 * (0 - 128), 2/255 * (255 - 128)] = [-256/255, 254/255]
            //                                          = [-1.0039215686, 0.9960784314].
            AffineQuant q = QuantParams.fromMeanStd(127.5, 127.5, UINT8);

            assertThat(q.zeroPoint()).isEqualTo(128);
            assertThat(q.scale()).isCloseTo(2.0 / 255, within(EXACT));
            MinMax covered = QuantParams.toMinMax(q);
            assertThat(covered.min()).isCloseTo(-256.0 / 255, within(EXACT));
            assertThat(covered.max()).isCloseTo(254.0 / 255, within(EXACT));
            assertThat(covered.min()).isCloseTo(-1.003921568627451, within(EXACT));
            assertThat(covered.max()).isCloseTo(0.996078431372549, within(EXACT));
        }

        @Test
        void minusOneOneInUint8IsNudgedLikeMean127_5() {
            // Same arithmetic as above, starting from (min, max): zp 127.5 -> 128.
            AffineQuant q = QuantParams.fromMinMax(-1.0, 1.0, UINT8);

            assertThat(q.zeroPoint()).isEqualTo(128);
            assertThat(q.scale()).isCloseTo(2.0 / 255, within(EXACT));
        }

        @Test
        void minusOneOneInInt8IsScale2Over255ZeroPointMinusOne() {
            // scale = 2/255. From min: -128 - (-1)/(2/255) = -128 + 127.5 = -0.5, error terms
            // 128 + 127.5; from max: 127 - 1/(2/255) = -0.5, error terms 127 + 127.5 (smaller,
            // so this one is used). std::round(-0.5) = -1. This is the (0.007843138, -1) familiar
            // from int8 image models.
            AffineQuant q = QuantParams.fromMinMax(-1.0, 1.0, INT8);

            assertThat(q.zeroPoint()).isEqualTo(-1);
            assertThat(q.scale()).isCloseTo(2.0 / 255, within(EXACT));
            assertThat(q.scaleFloat32()).isEqualTo(0.007843138f);
            // covered: [2/255 * (-128 + 1), 2/255 * (127 + 1)] = [-254/255, 256/255]
            MinMax covered = QuantParams.toMinMax(q);
            assertThat(covered.min()).isCloseTo(-254.0 / 255, within(EXACT));
            assertThat(covered.max()).isCloseTo(256.0 / 255, within(EXACT));
            // int8 stats for [-1, 1]: std = 255/2 = 127.5, mean = -128 + 127.5 = -0.5
            MeanStd s = QuantParams.minMaxToMeanStd(-1.0, 1.0, INT8);
            assertThat(s.mean()).isEqualTo(-0.5);
            assertThat(s.std()).isEqualTo(127.5);
        }
    }

    @Nested
    class ZeroToOne {

        @Test
        void uint8IsScaleOneOver255ZeroPointZero() {
            // scale = (1 - 0)/255; zp = 0 - 0/scale = 0
            AffineQuant q = QuantParams.fromMinMax(0.0, 1.0, UINT8);

            assertThat(q.scale()).isEqualTo(1.0 / 255);
            assertThat(q.zeroPoint()).isEqualTo(0);
            // (mean, std) = (zp, 1/scale) = (0, 255)
            MeanStd s = QuantParams.toMeanStd(q);
            assertThat(s.mean()).isEqualTo(0.0);
            assertThat(s.std()).isCloseTo(255.0, within(1e-12));
            // and [0, 1] spelled as stats directly: std = 255/1, mean = 0 - 0*255 = 0
            MeanStd direct = QuantParams.minMaxToMeanStd(0.0, 1.0, UINT8);
            assertThat(direct.mean()).isEqualTo(0.0);
            assertThat(direct.std()).isEqualTo(255.0);
        }

        @Test
        void int8IsScaleOneOver255ZeroPointMinus128() {
            // scale = 1/255; zp = -128 - 0/scale = -128
            AffineQuant q = QuantParams.fromMinMax(0.0, 1.0, INT8);

            assertThat(q.scale()).isEqualTo(1.0 / 255);
            assertThat(q.zeroPoint()).isEqualTo(-128);
            // covered: [1/255 * 0, 1/255 * (127 + 128)] = [0, 1]
            MinMax covered = QuantParams.toMinMax(q);
            assertThat(covered.min()).isEqualTo(0.0);
            assertThat(covered.max()).isCloseTo(1.0, within(EXACT));
            // stats: (-128, 255)
            MeanStd s = QuantParams.toMeanStd(q);
            assertThat(s.mean()).isEqualTo(-128.0);
            assertThat(s.std()).isCloseTo(255.0, within(1e-12));
        }

        @Test
        void int8RoundsBeforeAddingTheZeroPoint() {
            // 0.5 / (1/255) = 127.5 -> std::round -> 128 -> + (-128) = 0.
            // (Adding the zero point first would give round(-0.5) = -1.)
            AffineQuant q = QuantParams.fromMinMax(0.0, 1.0, INT8);

            assertThat(QuantParams.quantize(0.5, q)).isEqualTo(0);
            assertThat(QuantParams.quantize(0.0, q)).isEqualTo(-128);
            assertThat(QuantParams.quantize(1.0, q)).isEqualTo(127);
        }
    }

    @Nested
    class OutputWithScale0_7843ZeroPoint128 {

        @Test
        void toMinMaxGivesTheRangeItCovers() {
            // min = 0.7843 * (0 - 128) = -100.3904, max = 0.7843 * (255 - 128) = 99.6061
            MinMax r = QuantParams.toMinMax(new AffineQuant(0.7843, 128, UINT8));

            assertThat(r.min()).isCloseTo(-100.3904, within(1e-9));
            assertThat(r.max()).isCloseTo(99.6061, within(1e-9));
        }

        @Test
        void withTheFloat32ScaleFromTheFileTheEndsMoveInTheFifthDecimal() {
            // 0.7843f = 0.784300029277801513671875, so
            // min = -128 * that = -100.39040374755859375, max = 127 * that = 99.6061037182807922...
            MinMax r = QuantParams.toMinMax(AffineQuant.ofFloat32(0.7843f, 128, UINT8));

            assertThat(r.min()).isEqualTo(-100.39040374755859375);
            assertThat(r.max()).isCloseTo(99.606103718280792236328125, within(EXACT * 100));
            assertThat(r.min()).isCloseTo(-100.3904, within(1e-4));
            assertThat(r.max()).isCloseTo(99.6061, within(1e-4));
        }

        @Test
        void fromTheRoundedRangeBack() {
            // (-100.39, 99.6): scale = 199.99/255 = 0.78427451, zp = 100.39/0.78427451 = 128.0037
            // -> 128. The scale is 0.7843 to the 4 digits the inputs carry (|diff| ~ 2.5e-5).
            AffineQuant q = QuantParams.fromMinMax(-100.39, 99.6, UINT8);

            assertThat(q.zeroPoint()).isEqualTo(128);
            assertThat(q.scale()).isCloseTo(0.7843, within(5e-5));
            assertThat(q.scale()).isCloseTo(199.99 / 255, within(EXACT));
        }

        @Test
        void fromTheFullPrecisionRangeBack() {
            // (-100.3904, 99.6061): scale = 199.9965/255 = 0.7843, zp = 100.3904/0.7843 = 128
            AffineQuant q = QuantParams.fromMinMax(-100.3904, 99.6061, UINT8);

            assertThat(q.zeroPoint()).isEqualTo(128);
            assertThat(q.scale()).isCloseTo(0.7843, within(1e-12));
        }
    }

    @Nested
    class Nudging {

        @Test
        void minusOneTwoNeedsNoNudgeBecauseZeroFallsOnAStep() {
            // scale = 3/255 = 1/85, zp = 0 - (-1)*85 = 85 exactly: zero is already representable.
            AffineQuant q = QuantParams.fromMinMax(-1.0, 2.0, UINT8);

            assertThat(q.zeroPoint()).isEqualTo(85);
            assertThat(q.scale()).isCloseTo(3.0 / 255, within(EXACT));
            // covered: [3/255 * -85, 3/255 * 170] = [-1, 2]
            MinMax r = QuantParams.nudgedMinMax(-1.0, 2.0, UINT8);
            assertThat(r.min()).isCloseTo(-1.0, within(EXACT));
            assertThat(r.max()).isCloseTo(2.0, within(EXACT));
        }

        @Test
        void minusOneThreeIsShiftedSoThatZeroIsRepresentable() {
            // scale = 4/255, zp = 0 - (-1)/(4/255) = 63.75 -> 64, so the range slides down by
            // 0.25 steps: [4/255 * -64, 4/255 * 191] = [-256/255, 764/255]
            //                                      = [-1.0039215686, 2.9960784314].
            AffineQuant q = QuantParams.fromMinMax(-1.0, 3.0, UINT8);
            MinMax r = QuantParams.nudgedMinMax(-1.0, 3.0, UINT8);

            assertThat(q.zeroPoint()).isEqualTo(64);
            assertThat(q.scale()).isCloseTo(4.0 / 255, within(EXACT));
            assertThat(r.min()).isCloseTo(-256.0 / 255, within(EXACT));
            assertThat(r.max()).isCloseTo(764.0 / 255, within(EXACT));
            assertThat(r.width()).isCloseTo(4.0, within(EXACT)); // the width is kept
            // real 0 is now exactly a quantized value
            assertThat(QuantParams.dequantize(64, q)).isEqualTo(0.0);
        }

        @Test
        void positiveMinIsLoweredToZero() {
            // (0.5, 4.0): min becomes 0, scale = 4/255, zp = 0; covered [0, 4]
            AffineQuant q = QuantParams.fromMinMax(0.5, 4.0, UINT8);
            MinMax r = QuantParams.nudgedMinMax(0.5, 4.0, UINT8);

            assertThat(q.zeroPoint()).isEqualTo(0);
            assertThat(q.scale()).isEqualTo(4.0 / 255);
            assertThat(r.min()).isEqualTo(0.0);
            assertThat(r.max()).isCloseTo(4.0, within(EXACT));
        }

        @Test
        void negativeMaxIsRaisedToZero() {
            // (-4.0, -0.5): max becomes 0, scale = 4/255, zp = 255 - 0/scale = 255; covered [-4, 0]
            AffineQuant q = QuantParams.fromMinMax(-4.0, -0.5, UINT8);
            MinMax r = QuantParams.nudgedMinMax(-4.0, -0.5, UINT8);

            assertThat(q.zeroPoint()).isEqualTo(255);
            assertThat(q.scale()).isEqualTo(4.0 / 255);
            assertThat(r.min()).isCloseTo(-4.0, within(EXACT));
            assertThat(r.max()).isEqualTo(0.0);
        }

        @Test
        void degenerateZeroRangeGetsScaleOneAndZeroPointQmin() {
            // (0, 0): the MLIR converter's special case, scale 1, zp = qmin; covered
            // [1 * (qmin - qmin), 1 * (qmax - qmin)] = [0, 255] for both 8-bit types.
            AffineQuant u = QuantParams.fromMinMax(0.0, 0.0, UINT8);
            AffineQuant s = QuantParams.fromMinMax(0.0, 0.0, INT8);
            AffineQuant w = QuantParams.fromMinMax(0.0, 0.0, INT16);

            assertThat(u).isEqualTo(new AffineQuant(1.0, 0, UINT8));
            assertThat(s).isEqualTo(new AffineQuant(1.0, -128, INT8));
            assertThat(w).isEqualTo(new AffineQuant(1.0, -32768, INT16));
            assertThat(QuantParams.nudgedMinMax(0.0, 0.0, INT8))
                    .isEqualTo(new MinMax(0.0, 255.0));
            // all zeros quantize to the zero point and come back as 0
            assertThat(QuantParams.quantize(0.0, s)).isEqualTo(-128);
            assertThat(QuantParams.dequantize(-128, s)).isEqualTo(0.0);
        }

        @Test
        void int16AsymmetricUsuallyMissesZeroPointZero() {
            // scale = 2/65535; from max: 32767 - 1/(2/65535) = 32767 - 32767.5 = -0.5 -> -1.
            // The int16 kernels want zero point 0, hence fromMinMaxSymmetric.
            AffineQuant q = QuantParams.fromMinMax(-1.0, 1.0, INT16);

            assertThat(q.zeroPoint()).isEqualTo(-1);
            assertThat(q.scale()).isCloseTo(2.0 / 65535, within(EXACT));
        }

        @Test
        void int16SymmetricHasZeroPointZeroAndScaleMaxAbsOver32767() {
            // scale = max(|-1|, |1|) / 32767 = 1/32767, zp = 0
            // covered: [1/32767 * -32768, 1/32767 * 32767] = [-1.0000305185, 1]
            AffineQuant q = QuantParams.fromMinMaxSymmetric(-1.0, 1.0, INT16);
            MinMax r = QuantParams.nudgedMinMaxSymmetric(-1.0, 1.0, INT16);

            assertThat(q).isEqualTo(new AffineQuant(1.0 / 32767, 0, INT16));
            assertThat(r.min()).isCloseTo(-32768.0 / 32767, within(EXACT));
            assertThat(r.min()).isCloseTo(-1.000030518509476, within(EXACT));
            assertThat(r.max()).isCloseTo(1.0, within(EXACT));
        }

        @Test
        void int16SymmetricUsesTheLargerMagnitude() {
            // (-0.5, 2.0): max(|-0.5|, |2|) = 2 -> scale 2/32767;
            // covered [2/32767 * -32768, 2] = [-65536/32767, 2] = [-2.0000610370, 2]
            AffineQuant q = QuantParams.fromMinMaxSymmetric(-0.5, 2.0, INT16);
            MinMax r = QuantParams.nudgedMinMaxSymmetric(-0.5, 2.0, INT16);

            assertThat(q).isEqualTo(new AffineQuant(2.0 / 32767, 0, INT16));
            assertThat(r.min()).isCloseTo(-65536.0 / 32767, within(EXACT));
            assertThat(r.max()).isCloseTo(2.0, within(EXACT));
        }

        @Test
        void int16SymmetricWidensToZero() {
            // (0.25, 3.0): min -> 0, max(|0|, |3|) = 3 -> scale 3/32767
            assertThat(QuantParams.fromMinMaxSymmetric(0.25, 3.0, INT16))
                    .isEqualTo(new AffineQuant(3.0 / 32767, 0, INT16));
        }

        @Test
        void int8SymmetricDividesBy127() {
            // (-3, 1.5): max(3, 1.5)/127 = 3/127 (weights: +-3 map to +-127)
            AffineQuant q = QuantParams.fromMinMaxSymmetric(-3.0, 1.5, INT8);

            assertThat(q).isEqualTo(new AffineQuant(3.0 / 127, 0, INT8));
            assertThat(QuantParams.quantize(-3.0, q)).isEqualTo(-127);
            assertThat(QuantParams.quantize(3.0, q)).isEqualTo(127);
        }

        @Test
        void symmetricZeroRangeGetsScaleOne() {
            assertThat(QuantParams.fromMinMaxSymmetric(0.0, 0.0, INT16))
                    .isEqualTo(new AffineQuant(1.0, 0, INT16));
        }

        @Test
        void symmetricRejectsUint8() {
            assertThatThrownBy(() -> QuantParams.fromMinMaxSymmetric(-1.0, 1.0, UINT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("signed type, INT8 or INT16")
                    .hasMessageContaining("got UINT8");
        }
    }

    @Nested
    class RoundTrips {

        private void assertNudgeIsIdempotent(double min, double max, QuantDType t) {
            AffineQuant first = QuantParams.fromMinMax(min, max, t);
            MinMax once = QuantParams.toMinMax(first);
            AffineQuant second = QuantParams.fromMinMax(once, t);
            MinMax twice = QuantParams.toMinMax(second);

            String where = "(" + min + ", " + max + ") " + t;
            assertThat(second.zeroPoint()).as(where).isEqualTo(first.zeroPoint());
            // Re-deriving scale = (max' - min')/(qmax - qmin) may differ in the last bits only.
            assertThat(second.scale()).as(where)
                    .isCloseTo(first.scale(), within(4 * Math.ulp(first.scale())));
            double tolerance = 4 * Math.ulp(Math.max(Math.abs(once.min()), Math.abs(once.max())));
            assertThat(twice.min()).as(where).isCloseTo(once.min(), within(tolerance));
            assertThat(twice.max()).as(where).isCloseTo(once.max(), within(tolerance));
        }

        @Test
        void nudgingTwiceChangesNothing() {
            assertNudgeIsIdempotent(-1.0, 2.0, UINT8);
            assertNudgeIsIdempotent(-1.0, 3.0, UINT8);
            assertNudgeIsIdempotent(-1.0, 1.0, UINT8);
            assertNudgeIsIdempotent(0.5, 4.0, UINT8);
            assertNudgeIsIdempotent(-100.39, 99.6, UINT8);
            assertNudgeIsIdempotent(-0.3, 7.1, INT8);
            assertNudgeIsIdempotent(-1.0, 1.0, INT16);
            assertNudgeIsIdempotent(0.0, 0.0, INT8);
        }

        @Test
        void nudgingTwiceChangesNothingForManyRanges() {
            Random random = new Random(20240611L);
            for (int i = 0; i < 3000; i++) {
                double a = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(9) - 4);
                double b = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(9) - 4);
                QuantDType t = QuantDType.values()[random.nextInt(3)];
                assertNudgeIsIdempotent(Math.min(a, b), Math.max(a, b), t);
            }
        }

        @Test
        void paramsToStatsAndBack() {
            // (scale 1/255, zp 0) -> (mean 0, std 255) -> min 0, max 255/255 = 1 -> 1/255, 0
            AffineQuant q = new AffineQuant(1.0 / 255, 0, UINT8);
            AffineQuant back = QuantParams.fromMeanStd(QuantParams.toMeanStd(q), UINT8);

            assertThat(back.zeroPoint()).isEqualTo(0);
            assertThat(back.scale()).isCloseTo(1.0 / 255, within(EXACT));
            assertThat(back.scaleFloat32()).isEqualTo(q.scaleFloat32());
        }

        @Test
        void paramsToRangeAndBack() {
            // (2/255, -1) int8 covers [-254/255, 256/255]; choosing from that range gives back
            // scale (510/255)/255 = 2/255 and zp -128 + (254/255)/(2/255) = -128 + 127 = -1.
            AffineQuant q = new AffineQuant(2.0 / 255, -1, INT8);
            AffineQuant back = QuantParams.fromMinMax(QuantParams.toMinMax(q), INT8);

            assertThat(back.zeroPoint()).isEqualTo(-1);
            assertThat(back.scale()).isCloseTo(2.0 / 255, within(EXACT));
        }

        @Test
        void rangeToStatsAndBack() {
            // [-1, 3] uint8: std = 255/4 = 63.75, mean = 0 + 63.75 = 63.75;
            // back: min = (0 - 63.75)/63.75 = -1, max = (255 - 63.75)/63.75 = 3
            MeanStd s = QuantParams.minMaxToMeanStd(-1.0, 3.0, UINT8);
            MinMax r = QuantParams.meanStdToMinMax(s.mean(), s.std(), UINT8);

            assertThat(s).isEqualTo(new MeanStd(63.75, 63.75));
            assertThat(r.min()).isCloseTo(-1.0, within(EXACT));
            assertThat(r.max()).isCloseTo(3.0, within(EXACT));
        }
    }

    @Nested
    class QuantizeAndDequantize {

        private final AffineQuant unitUint8 = new AffineQuant(1.0, 0, UINT8);
        private final AffineQuant unitInt8 = new AffineQuant(1.0, 0, INT8);

        @Test
        void saturatesInsteadOfWrapping() {
            // 300 / 1 = 300 -> clamped to 255 (a plain (byte) cast would give 300 - 256 = 44)
            assertThat(QuantParams.quantize(300.0, unitUint8)).isEqualTo(255);
            assertThat(QuantParams.quantize(1000.0, unitInt8)).isEqualTo(127);
            assertThat(QuantParams.quantize(-1000.0, unitInt8)).isEqualTo(-128);
            assertThat(QuantParams.quantize(40000.0, new AffineQuant(1.0, 0, INT16)))
                    .isEqualTo(32767);
            // so large that real/scale overflows a long (and even a double): still saturates
            assertThat(QuantParams.quantize(1e300, new AffineQuant(1e-30, 0, INT8)))
                    .isEqualTo(127);
            assertThat(QuantParams.quantize(-Double.MAX_VALUE, new AffineQuant(1e-30, 0, INT8)))
                    .isEqualTo(-128);
        }

        @Test
        void minusHalfRoundsToMinusOneThenSaturatesAtZeroInUint8() {
            // round(-0.5) = -1 (away from zero) -> below qmin 0 -> 0
            assertThat(QuantParams.quantize(-0.5, unitUint8)).isEqualTo(0);
            // in int8 the -1 survives
            assertThat(QuantParams.quantize(-0.5, unitInt8)).isEqualTo(-1);
        }

        @Test
        void tiesRoundAwayFromZero() {
            assertThat(QuantParams.quantize(2.5, unitInt8)).isEqualTo(3);
            assertThat(QuantParams.quantize(-2.5, unitInt8)).isEqualTo(-3);
            assertThat(QuantParams.quantize(0.5, unitInt8)).isEqualTo(1);
            assertThat(QuantParams.quantize(1.5, unitInt8)).isEqualTo(2);
            // not ties: nearest
            assertThat(QuantParams.quantize(2.4999, unitInt8)).isEqualTo(2);
            assertThat(QuantParams.quantize(-2.5001, unitInt8)).isEqualTo(-3);
        }

        @Test
        void tiesRoundBeforeTheZeroPointIsAdded() {
            // zp 128: -0.5/1 rounds to -1, + 128 = 127 (rounding 127.5 instead would give 128)
            AffineQuant q = new AffineQuant(1.0, 128, UINT8);

            assertThat(QuantParams.quantize(-0.5, q)).isEqualTo(127);
            assertThat(QuantParams.quantize(0.5, q)).isEqualTo(129);
        }

        @Test
        void quantizeDividesByTheScale() {
            // scale 0.5, zp -3: 1.2/0.5 = 2.4 -> 2 -> 2 - 3 = -1
            AffineQuant q = new AffineQuant(0.5, -3, INT8);

            assertThat(QuantParams.quantize(1.2, q)).isEqualTo(-1);
            assertThat(QuantParams.quantize(0.0, q)).isEqualTo(-3);
        }

        @Test
        void float32KernelArithmeticCanRoundTheOtherWay() {
            // Stored scale 0.1f = 0.100000001490116119384765625.
            // double: 0.25 / 0.1000000014901161 = 2.49999996274709... -> 2
            // float32: floats in [2, 4) are 2^-22 apart, so anything within 2^-23 ~ 1.19e-7 of
            // 2.5 becomes 2.5f; the quotient is only 3.7e-8 below it. 0.25f / 0.1f is therefore
            // exactly 2.5f, and std::round(2.5f) = 3: what the kernel returns.
            AffineQuant q = AffineQuant.ofFloat32(0.1f, 0, INT8);

            assertThat(QuantParams.quantize(0.25, q)).isEqualTo(2);
            assertThat(QuantParams.quantizeFloat32(0.25f, q)).isEqualTo(3);
        }

        @Test
        void quantizeFloat32SaturatesToo() {
            assertThat(QuantParams.quantizeFloat32(300.0f, unitUint8)).isEqualTo(255);
            assertThat(QuantParams.quantizeFloat32(-0.5f, unitUint8)).isEqualTo(0);
            assertThat(QuantParams.quantizeFloat32(-2.5f, unitInt8)).isEqualTo(-3);
            AffineQuant tiny = new AffineQuant(1e-30, 0, INT16);
            assertThat(QuantParams.quantizeFloat32(Float.MAX_VALUE, tiny)).isEqualTo(32767);
            assertThat(QuantParams.quantizeFloat32(-Float.MAX_VALUE, tiny)).isEqualTo(-32768);
        }

        @Test
        void dequantizeIsScaleTimesOffset() {
            // 0.5 * (5 - (-3)) = 4.0;  0.5 * (-128 + 3) = -62.5
            AffineQuant q = new AffineQuant(0.5, -3, INT8);

            assertThat(QuantParams.dequantize(5, q)).isEqualTo(4.0);
            assertThat(QuantParams.dequantize(-128, q)).isEqualTo(-62.5);
            assertThat(QuantParams.dequantizeFloat32(5, q)).isEqualTo(4.0f);
        }

        @Test
        void dequantizeFloat32UsesTheStoredScale() {
            // Stored 0.1f = 13421773 * 2^-27. Times 3: 40265319 * 2^-27 = 0.3000000044703...
            // Neighbouring float32s (step 2^-25 = 4 * 2^-27): 40265316 * 2^-27 and
            // 40265320 * 2^-27 = 0.300000011920928955078125 = 0.3f; the latter is nearer.
            // The double path with the converter's exact 0.1 gives 0.1 * 3 = 0.30000000000000004.
            AffineQuant q = new AffineQuant(0.1, 0, INT8);

            assertThat(QuantParams.dequantizeFloat32(3, q)).isEqualTo(0.3f);
            assertThat((double) QuantParams.dequantizeFloat32(3, q))
                    .isEqualTo(40265320 * 0x1p-27);
            assertThat(QuantParams.dequantize(3, q)).isEqualTo(0.30000000000000004);
        }

        @Test
        void dequantizeFloat32RoundsOnceToFloat32() {
            // 1/255 is stored as 8421505 * 2^-31; times 255 = 2147483775 * 2^-31
            // = 1 + 127 * 2^-31. Half a float32 step above 1 is 2^-24 = 128 * 2^-31, so this
            // rounds down to exactly 1.0f.
            AffineQuant q = new AffineQuant(1.0 / 255, 0, UINT8);

            assertThat(QuantParams.dequantize(255, q)).isEqualTo(1.0);
            assertThat(QuantParams.dequantizeFloat32(255, q)).isEqualTo(1.0f);
            assertThat(QuantParams.dequantizeFloat32(0, q)).isEqualTo(0.0f);
        }

        @Test
        void roundTripErrorIsAtMostHalfAStepInsideTheRange() {
            // [-1, 3] uint8: scale 4/255; any real in the covered range comes back within scale/2
            AffineQuant q = QuantParams.fromMinMax(-1.0, 3.0, UINT8);
            double halfStep = 2.0 / 255;
            for (double x = -1.0; x <= 2.99; x += 0.0137) {
                double back = QuantParams.dequantize(QuantParams.quantize(x, q), q);
                assertThat(back).as("x=%s", x).isCloseTo(x, within(halfStep + 1e-12));
            }
        }
    }

    @Nested
    class Errors {

        @Test
        void nonFiniteMinMax() {
            assertThatThrownBy(() -> QuantParams.fromMinMax(Double.NaN, 1.0, UINT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("min must be a finite number, got NaN");
            assertThatThrownBy(() -> QuantParams.fromMinMax(0.0, Double.POSITIVE_INFINITY, UINT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("max must be a finite number, got Infinity");
            assertThatThrownBy(() -> QuantParams.nudgedMinMax(Double.NEGATIVE_INFINITY, 0, INT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("min must be a finite number, got -Infinity");
            assertThatThrownBy(() -> QuantParams.minMaxToMeanStd(0.0, Double.NaN, INT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("max must be a finite number, got NaN");
        }

        @Test
        void minAboveMax() {
            assertThatThrownBy(() -> QuantParams.fromMinMax(2.0, 1.0, UINT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected min <= max, got min=2.0 > max=1.0");
            assertThatThrownBy(() -> QuantParams.fromMinMaxSymmetric(2.0, 1.0, INT16))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected min <= max, got min=2.0 > max=1.0");
            assertThatThrownBy(() -> new MinMax(2.0, 1.0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected min <= max, got min=2.0 > max=1.0");
        }

        @Test
        void emptyRangeHasNoStats() {
            assertThatThrownBy(() -> QuantParams.minMaxToMeanStd(1.0, 1.0, UINT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected min < max")
                    .hasMessageContaining("got min=1.0, max=1.0");
        }

        @Test
        void rangeTooWide() {
            assertThatThrownBy(() -> QuantParams.fromMinMax(-1e308, 1e308, UINT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("range too wide");
            // 1e300/255 is a fine double but no float32
            assertThatThrownBy(() -> QuantParams.fromMinMax(0.0, 1e300, UINT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("float32");
        }

        @Test
        void nonPositiveOrNonFiniteStd() {
            assertThatThrownBy(() -> QuantParams.fromMeanStd(128, 0.0, UINT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("std_dev must be > 0 (scale = 1/std_dev), got 0.0");
            assertThatThrownBy(() -> QuantParams.fromMeanStd(128, -127, UINT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("std_dev must be > 0 (scale = 1/std_dev), got -127.0");
            assertThatThrownBy(() -> QuantParams.meanStdToMinMax(128, Double.NaN, UINT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("std_dev must be a finite number, got NaN");
            assertThatThrownBy(() -> QuantParams.fromMeanStd(Double.POSITIVE_INFINITY, 1, UINT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("mean must be a finite number, got Infinity");
        }

        @Test
        void meanOutsideTheDtypeIsAZeroPointOutOfRange() {
            assertThatThrownBy(() -> QuantParams.fromMeanStd(300, 1, UINT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("mean is the zero point and must lie in [0, 255] for UINT8,"
                            + " got 300.0");
            // the uint8 stats used for an int8 input: 127.5 > 127
            assertThatThrownBy(() -> QuantParams.fromMeanStd(127.5, 127.5, INT8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("mean is the zero point and must lie in [-128, 127] for INT8,"
                            + " got 127.5");
        }

        @Test
        void quantizeRejectsNonFiniteReals() {
            AffineQuant q = new AffineQuant(1.0, 0, UINT8);
            assertThatThrownBy(() -> QuantParams.quantize(Double.NaN, q))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("real must be a finite number, got NaN");
            assertThatThrownBy(() -> QuantParams.quantize(Double.NEGATIVE_INFINITY, q))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("real must be a finite number, got -Infinity");
            assertThatThrownBy(() -> QuantParams.quantizeFloat32(Float.NaN, q))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("real must be a finite number, got NaN");
        }

        @Test
        void dequantizeRejectsValuesOutsideTheDtype() {
            AffineQuant q = new AffineQuant(1.0, 0, UINT8);
            assertThatThrownBy(() -> QuantParams.dequantize(256, q))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("quantized value must be in [0, 255] for UINT8, got 256");
            assertThatThrownBy(() -> QuantParams.dequantizeFloat32(-1, q))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("quantized value must be in [0, 255] for UINT8, got -1");
        }
    }

    @Nested
    class RoundHalfAwayFromZero {

        @Test
        void matchesCStdRound() {
            assertThat(QuantParams.roundHalfAwayFromZero(0.5)).isEqualTo(1.0);
            assertThat(QuantParams.roundHalfAwayFromZero(-0.5)).isEqualTo(-1.0);
            assertThat(QuantParams.roundHalfAwayFromZero(2.5)).isEqualTo(3.0);
            assertThat(QuantParams.roundHalfAwayFromZero(-2.5)).isEqualTo(-3.0);
            assertThat(QuantParams.roundHalfAwayFromZero(127.5)).isEqualTo(128.0);
            assertThat(QuantParams.roundHalfAwayFromZero(2.4)).isEqualTo(2.0);
            assertThat(QuantParams.roundHalfAwayFromZero(-2.6)).isEqualTo(-3.0);
            // the largest double below 0.5: adding 0.5 would round up to 1.0; std::round gives 0
            assertThat(QuantParams.roundHalfAwayFromZero(0.49999999999999994)).isEqualTo(0.0);
            // integers beyond 2^52 are left alone
            assertThat(QuantParams.roundHalfAwayFromZero(0x1p52 + 1)).isEqualTo(0x1p52 + 1);
        }
    }
}
