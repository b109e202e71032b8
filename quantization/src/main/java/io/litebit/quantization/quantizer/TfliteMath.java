package io.litebit.quantization.quantizer;

/**
 * The arithmetic of TFLite's quantizer ({@code quantization_utils.cc}), reproduced operation by
 * operation in the same precision: scales and zero points are computed in float32 (not double),
 * {@code 1.0 / scale} is a double division rounded to float, and rounding is
 * {@code std::round}'s half away from zero (not Java's {@link Math#round}, which rounds ties up,
 * nor ties to even). Any of these changed would flip some element by one step.
 */
final class TfliteMath {
    private TfliteMath() {
    }

    /** {@code std::round(float)}: half away from zero. */
    static double round(float f) {
        double a = Math.floor(Math.abs((double) f) + 0.5);
        return f < 0 ? -a : a;
    }

    /** {@code static_cast<int32_t>} of a rounded float, assuming it fits (as TFLite does after clamping). */
    static long clamp(double v, long lo, long hi) {
        if (Double.isNaN(v)) {
            return 0;
        }
        return (long) Math.max(lo, Math.min(hi, v));
    }

    /** {@code (scale == 0) ? 0 : 1.0 / scale} stored into a float. */
    static float inverse(float scale) {
        return scale == 0 ? 0f : (float) (1.0 / scale);
    }

    /**
     * GetAsymmetricQuantizationParams: the range widened to include 0, scale (max - min) / (qmax -
     * qmin) in float, zero point qmin - min / scale rounded half away from zero and clamped.
     * Returns {scale, zeroPoint, widenedMin, widenedMax}.
     */
    static float[] asymmetric(float min, float max, int qmin, int qmax) {
        float qminF = qmin;
        float qmaxF = qmax;
        min = Math.min(min, 0f);
        max = Math.max(max, 0f);
        float scale = (max - min) / (qmaxF - qminF);
        float zpFromMin = qminF;
        if (scale != 0) {
            zpFromMin = qminF - min / scale;
        }
        long zp;
        if (zpFromMin < qminF) {
            zp = qmin;
        } else if (zpFromMin > qmaxF) {
            zp = qmax;
        } else {
            zp = (long) round(zpFromMin);
        }
        return new float[] {scale, zp, min, max};
    }

    /** GetSymmetricQuantizationParams: scale max(|min|, |max|) / halfRange, zero point 0. */
    static float[] symmetric(float min, float max, int halfRange) {
        min = Math.min(min, 0f);
        max = Math.max(max, 0f);
        float scale = Math.max(Math.abs(max), Math.abs(min)) / halfRange;
        return new float[] {scale, 0, min, max};
    }

    /** GetPowerOfTwoScale: the smallest power of two (at most 2^10) not below max(|min|, |max|). */
    static int powerOfTwo(float min, float max) {
        float range = Math.max(Math.abs(min), Math.abs(max));
        int pot = 0;
        for (int i = 0; i < 10; i++) {
            if (Math.pow(2, pot) < range) {
                pot++;
            }
        }
        return pot;
    }

    /** Round-to-nearest-even float32 to IEEE half (Eigen::half's conversion), as raw bits. */
    static short toHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >> shift;
            int rest = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rest > mid || (rest == mid && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++;
        }
        return (short) (sign | half);
    }
}
