package io.litebit.reference.fixedpoint;

import java.util.function.DoubleUnaryOperator;

/**
 * The lookup tables TFLite's activation kernels use instead of fixed-point math: the 256-entry
 * int8/uint8 tables of {@code LUTPopulate} (LOGISTIC and TANH for int8/uint8 in the reference
 * and generic kernels), the 513-entry int16 tables with linear interpolation of {@code
 * LUTPopulate<int16_t>}/{@code LUTLookup} (SOFTMAX int16's exp and 1/(1+x)), and the
 * {@code sigmoid_table_uint16} interpolation of {@code reference_integer_ops::Logistic}/{@code
 * Tanh} for int16 — all in TFLite's {@code tflite/kernels/internal/common.h} and {@code
 * reference/integer_ops/logistic.h}, {@code tanh.h}.
 *
 * <p>The int8 and float-typed int16 tables are computed in float arithmetic exactly in TFLite's
 * order (Java's float operations are IEEE single precision with round-to-nearest, as x86-64 SSE
 * is). The transform itself ({@code expf}, {@code tanhf}, {@code exp}) comes from the C library
 * in TFLite; here it is the correctly rounded value of Java's {@link Math} function, which glibc's
 * results match except in rare last-place cases that can move a table entry by one only when
 * the scaled value lands on a rounding boundary. The conformance suite measures that.
 *
 * <pre>{@code
 * byte[] lut = LookupTables.populateInt8(0.1f, 0, 1f / 256, -128, LookupTables.SIGMOID);
 * byte y = LookupTables.lookup((byte) 20, lut);   // sigmoid(2.0) * 256 = 225.48 -> 225, - 128 = 97
 * }</pre>
 */
public final class LookupTables {
    private LookupTables() {
    }

    /** A float-to-float transform as TFLite passes to {@code LUTPopulate}. */
    @FunctionalInterface
    public interface FloatTransform {
        float apply(float x);
    }

    /** {@code 1.0f / (1.0f + std::exp(-value))} in float, LOGISTIC's transform. */
    public static final FloatTransform SIGMOID = v -> 1.0f / (1.0f + expf(-v));

    /** {@code std::tanh(float)}, TANH's transform. */
    public static final FloatTransform TANH = v -> (float) Math.tanh(v);

    /** {@code expf}: the float nearest to e^x. */
    public static float expf(float x) {
        return (float) Math.exp(x);
    }

    /**
     * {@code LUTPopulateInt8} for int8 ({@code unsigned == false}) or uint8 tables: for every
     * input value {@code q}, {@code clamp((int32)(roundf(f(inScale * (q - inZp)) * (1 / outScale))
     * + outZp))}. The returned table is indexed by the input's byte ({@code q & 0xff}), which is
     * TFLite's order for int8 ({@code 0, 1, ..., 127, -128, ..., -1}).
     */
    public static byte[] populateInt8(float inputScale, int inputZeroPoint, float outputScale, int outputZeroPoint,
                                      FloatTransform transform, boolean unsigned) {
        byte[] lut = new byte[256];
        float inverseScale = 1 / outputScale;
        int minVal = unsigned ? 0 : Byte.MIN_VALUE;
        int maxVal = unsigned ? 255 : Byte.MAX_VALUE;
        for (int val = minVal; val <= maxVal; ++val) {
            float dequantized = inputScale * (float) (val - inputZeroPoint);
            float transformed = transform.apply(dequantized);
            float rescaled = CppMath.round(transformed * inverseScale);
            // (int32)(float + int): the sum is a float; the conversion is cvttss2si on x86-64.
            int quantized = CppMath.castToInt32X86(rescaled + (float) outputZeroPoint);
            lut[val & 0xff] = (byte) Math.max(Math.min(maxVal, quantized), minVal);
        }
        return lut;
    }

    /** {@code LUTPopulate<int8_t>}. */
    public static byte[] populateInt8(float inputScale, int inputZeroPoint, float outputScale, int outputZeroPoint,
                                      FloatTransform transform) {
        return populateInt8(inputScale, inputZeroPoint, outputScale, outputZeroPoint, transform, false);
    }

    /** {@code LUTLookup(int8_t, const int8_t*)} and the uint8 one: a plain index by the byte. */
    public static byte lookup(byte value, byte[] lut) {
        return lut[value & 0xff];
    }

    /**
     * {@code LUTPopulateInt16<float>}: 512 samples of {@code transform} over the int16 input
     * range plus one end point, each sample biased by half the error of linear interpolation at
     * the segment's midpoint, so that {@link #lookup(short, short[])}'s interpolation is centred.
     */
    public static short[] populateInt16(float inputScale, int inputZeroPoint, float outputScale, int outputZeroPoint,
                                        FloatTransform transform) {
        final float inputMin = inputScale * (float) (Short.MIN_VALUE - inputZeroPoint);
        final float inputMax = inputScale * (float) (Short.MAX_VALUE - inputZeroPoint);
        final float outputMin = outputScale * (float) (Short.MIN_VALUE - outputZeroPoint);
        final float outputMax = outputScale * (float) (Short.MAX_VALUE - outputZeroPoint);
        final int nbSteps = 512;
        final float step = (inputMax - inputMin) / nbSteps;
        final float halfStep = step / 2;
        final float outputScalingInv = (float) (Short.MAX_VALUE - Short.MIN_VALUE + 1) / (outputMax - outputMin);
        final float tableMin = Short.MIN_VALUE;
        final float tableMax = Short.MAX_VALUE;
        short[] lut = new short[nbSteps + 1];
        for (int i = 0; i < nbSteps; i++) {
            float val = transform.apply(inputMin + i * step);
            float valMidpoint = transform.apply(inputMin + i * step + halfStep);
            float valNext = transform.apply(inputMin + (i + 1) * step);
            float sampleVal = CppMath.round(val * outputScalingInv);
            float midpointInterpVal = CppMath.round((valNext * outputScalingInv + CppMath.round(val * outputScalingInv)) / 2);
            float midpointVal = CppMath.round(valMidpoint * outputScalingInv);
            float midpointErr = midpointInterpVal - midpointVal;
            float bias = CppMath.round(midpointErr / 2);
            lut[i] = (short) Math.min(Math.max(sampleVal - bias, tableMin), tableMax);
        }
        lut[nbSteps] = (short) Math.min(Math.max(CppMath.round(transform.apply(inputMax) * outputScalingInv), tableMin), tableMax);
        return lut;
    }

    /**
     * {@code LUTPopulateInt16<double>}, the deprecated double-precision variant that SOFTMAX int16
     * still uses for its exp and 1/(1+x) tables; same algorithm as {@link #populateInt16(float,
     * int, float, int, FloatTransform)} in double.
     */
    public static short[] populateInt16(double inputScale, int inputZeroPoint, double outputScale, int outputZeroPoint,
                                        DoubleUnaryOperator transform) {
        final double inputMin = inputScale * (double) (Short.MIN_VALUE - inputZeroPoint);
        final double inputMax = inputScale * (double) (Short.MAX_VALUE - inputZeroPoint);
        final double outputMin = outputScale * (double) (Short.MIN_VALUE - outputZeroPoint);
        final double outputMax = outputScale * (double) (Short.MAX_VALUE - outputZeroPoint);
        final int nbSteps = 512;
        final double step = (inputMax - inputMin) / nbSteps;
        final double halfStep = step / 2;
        final double outputScalingInv = (double) (Short.MAX_VALUE - Short.MIN_VALUE + 1) / (outputMax - outputMin);
        final double tableMin = Short.MIN_VALUE;
        final double tableMax = Short.MAX_VALUE;
        short[] lut = new short[nbSteps + 1];
        for (int i = 0; i < nbSteps; i++) {
            double val = transform.applyAsDouble(inputMin + i * step);
            double valMidpoint = transform.applyAsDouble(inputMin + i * step + halfStep);
            double valNext = transform.applyAsDouble(inputMin + (i + 1) * step);
            double sampleVal = CppMath.round(val * outputScalingInv);
            double midpointInterpVal = CppMath.round((valNext * outputScalingInv + CppMath.round(val * outputScalingInv)) / 2);
            double midpointVal = CppMath.round(valMidpoint * outputScalingInv);
            double midpointErr = midpointInterpVal - midpointVal;
            double bias = CppMath.round(midpointErr / 2);
            lut[i] = (short) Math.min(Math.max(sampleVal - bias, tableMin), tableMax);
        }
        lut[nbSteps] = (short) Math.min(Math.max(CppMath.round(transform.applyAsDouble(inputMax) * outputScalingInv), tableMin),
                tableMax);
        return lut;
    }

    /**
     * {@code LUTLookup(int16_t, const int16_t*)}: the top 9 bits (offset by 256) pick a segment,
     * the low 7 bits interpolate linearly towards the next entry, rounding half up. The slope is
     * stored in an {@code int16_t} in TFLite and so wraps if neighbouring entries are more than
     * 32767 apart; this keeps that.
     */
    public static short lookup(short value, short[] lut) {
        int index = 256 + (value >> 7);
        int offset = value & 0x7f;
        short base = lut[index];
        short slope = (short) (lut[index + 1] - lut[index]);
        int delta = (slope * offset + 64) >> 7;
        return (short) (base + delta);
    }

    /**
     * {@code sigmoid_table_uint16} of TFLite's {@code common.h}: {@code sigmoid(i / 24)} in
     * unsigned Q0.16 for i in [0, 255], the table that the int16 LOGISTIC and TANH kernels
     * interpolate (tanh via {@code tanh(x) = 2 sigmoid(2x) - 1}).
     */
    private static final int[] SIGMOID_TABLE_UINT16 = {
        32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498,
        40149, 40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255,
        46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865,
        52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174,
        56503, 56823, 57133, 57433, 57724, 58007, 58280, 58544, 58800, 59048, 59288,
        59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110, 61279, 61441,
        61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886,
        62990, 63090, 63186, 63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835,
        63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308, 64357, 64405, 64450,
        64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845,
        64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097,
        65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
        65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360,
        65367, 65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425,
        65429, 65433, 65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465,
        65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
        65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508,
        65509, 65510, 65511, 65512, 65513, 65514, 65515, 65516, 65517, 65517, 65518,
        65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524, 65525,
        65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529,
        65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531, 65531, 65531, 65531,
        65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533, 65533, 65533,
        65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
        65534, 65534, 65535};

    /** Entry {@code i} of TFLite's {@code sigmoid_table_uint16} (sigmoid(i/24) in unsigned Q0.16). */
    public static int sigmoidTableUint16(int i) {
        return SIGMOID_TABLE_UINT16[i];
    }

    /**
     * The input rescaling of the int16 LOGISTIC/TANH kernels, as their {@code Prepare} derives it
     * (TFLite's {@code activations.cc}, {@code SigmoidPrepare}/{@code TanhPrepare}): a multiplier
     * of 0 means "power-of-two scale", which the kernel turns into {@code 3 << leftShift}.
     */
    public record Int16ActivationScaling(int inputMultiplier, int inputLeftShift) {
    }

    /**
     * {@code SigmoidPrepare} ({@code tanh == false}) or {@code TanhPrepare} for int16: with an
     * input scale of exactly 2^-12 (LOGISTIC), or 2^-12 or 2^-11 (TANH), the power-of-two path;
     * otherwise the scale is brought to 1/(3 * 4096) by doubling {@code scale * 4096 * 3} until
     * it exceeds 32767 / 2 (at most 31 times) and truncating it to an integer.
     */
    public static Int16ActivationScaling int16ActivationScaling(float inputScale, boolean tanh) {
        final int inputIntegerBits = 3;
        CppMath.Log2 log2 = CppMath.checkedLog2(inputScale);
        int inputLeftShift = (15 - inputIntegerBits) + log2.log2();
        boolean paramScalePot = log2.exact()
                && (inputLeftShift == 0 || (tanh && inputLeftShift == 1));
        if (paramScalePot) {
            return new Int16ActivationScaling(0, inputLeftShift);
        }
        // TFLite computes scale * 4096.0 * 3.0 with the float scale promoted to double.
        double multiplier = (double) inputScale * 4096.0 * 3.0;
        inputLeftShift = 0;
        while (multiplier <= 32767.0 / 2.0 && inputLeftShift <= 30) {
            inputLeftShift++;
            multiplier = multiplier * 2.0;
        }
        return new Int16ActivationScaling(CppMath.castToInt32X86(multiplier), inputLeftShift);
    }

    /**
     * {@code reference_integer_ops::Logistic} for int16: rescale the input to a 1/(3 * 4096)
     * scale (so ±10.7 spans ±2^17), interpolate {@code sigmoid_table_uint16} on 9 fractional
     * bits, round, and return the result in Q0.15.
     */
    public static short logisticInt16(short input, Int16ActivationScaling scaling) {
        int inputMultiplier = scaling.inputMultiplier();
        int inputLeftShift = scaling.inputLeftShift();
        if (inputMultiplier == 0) {
            inputMultiplier = 3 << inputLeftShift;
            inputLeftShift = 0;
        }
        int round = inputLeftShift > 0 ? 1 << (inputLeftShift - 1) : 0;
        int inputData = (input * inputMultiplier + round) >> inputLeftShift;
        // TFLite interpolates on unsigned values; every intermediate here stays below 2^26, so
        // int arithmetic gives the same bits.
        int absInput = Math.abs(inputData);
        int uh = absInput >>> 9;
        int result;
        if (uh >= 255) {
            result = 0x7FFF << 10;
        } else {
            int ua = SIGMOID_TABLE_UINT16[uh];
            int ub = SIGMOID_TABLE_UINT16[uh + 1];
            int ut = absInput & 0x1ff;
            result = (ua << 9) + ut * (ub - ua);
        }
        result = inputData >= 0 ? result + (1 << 9) : (1 << (16 + 9)) - result + (1 << 9) - 1;
        result >>>= 10;
        return (short) result;
    }

    /**
     * {@code reference_integer_ops::Tanh} for int16: as {@link #logisticInt16(short,
     * Int16ActivationScaling)} with 8 interpolation bits and {@code tanh(x) = 2 sigmoid(2x) - 1}
     * folded into the final rounding shift; the sign handling uses signed arithmetic.
     */
    public static short tanhInt16(short input, Int16ActivationScaling scaling) {
        int inputMultiplier = scaling.inputMultiplier();
        int inputLeftShift = scaling.inputLeftShift();
        if (inputMultiplier == 0) {
            inputMultiplier = 3 << inputLeftShift;
            inputLeftShift = 0;
        }
        int round = inputLeftShift > 0 ? 1 << (inputLeftShift - 1) : 0;
        int inputData = (input * inputMultiplier + round) >> inputLeftShift;
        int absInput = Math.abs(inputData);
        int uh = absInput >>> 8;
        int result;
        if (uh >= 255) {
            result = 0xFFFF << 8;
        } else {
            int ua = SIGMOID_TABLE_UINT16[uh];
            int ub = SIGMOID_TABLE_UINT16[uh + 1];
            int ut = absInput & 0xFF;
            result = (ua << 8) + ut * (ub - ua);
        }
        result = inputData >= 0 ? result - (1 << (14 + 9)) + (1 << (9 - 2))
                : -result + (1 << (14 + 9)) + (1 << (9 - 2)) - 1;
        result >>= (9 - 1);
        return (short) result;
    }
}
