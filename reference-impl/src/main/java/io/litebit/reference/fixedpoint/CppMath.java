package io.litebit.reference.fixedpoint;

/**
 * The C and C++ library behaviour TFLite's kernels rely on, spelled out in Java where Java's own
 * operations differ.
 *
 * <p>Three differences matter for bit-exactness:
 * <ul>
 *   <li>{@code std::round} / {@code roundf} ({@code TfLiteRound} in TFLite's {@code cppmath.h})
 *       round halfway cases away from zero; Java's {@link Math#round(float)} rounds them up
 *       (towards +infinity) and {@link Math#rint(double)} to even.</li>
 *   <li>{@code static_cast<int32_t>(float)} of a value outside the int32 range (or NaN) is
 *       undefined behaviour in C++; on x86-64 the compilers emit {@code cvttss2si}/{@code
 *       cvttsd2si}, which return {@code 0x80000000} ("integer indefinite"). Java's cast saturates
 *       instead. ARM64's {@code fcvtzs} saturates like Java (and maps NaN to 0), so these
 *       helpers model the x86-64 build, the platform the project's conformance runs on.</li>
 *   <li>{@code std::frexp} has no Java counterpart.</li>
 * </ul>
 *
 * <pre>{@code
 * CppMath.round(-2.5f);               // -3.0f (Math.round(-2.5f) is -2)
 * CppMath.castToInt32X86(3e9f);       // Integer.MIN_VALUE, as cvttss2si gives
 * CppMath.Frexp f = CppMath.frexp(0.75 * 8);   // mantissa 0.75, exponent 3
 * }</pre>
 */
public final class CppMath {
    private CppMath() {
    }

    /** {@code roundf}: nearest integer, halfway cases away from zero; NaN and infinities unchanged. */
    public static float round(float x) {
        if (Float.isNaN(x) || Float.isInfinite(x)) {
            return x;
        }
        // In double, |x| + 0.5 is exact for every float, so flooring it rounds half up in
        // magnitude, which is half away from zero once the sign is put back.
        double magnitude = Math.floor(Math.abs((double) x) + 0.5);
        return (float) Math.copySign(magnitude, x);
    }

    /** {@code std::round(double)}: nearest integer, halfway cases away from zero. */
    public static double round(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        // |x| + 0.5 may itself round in double (0.49999999999999994 + 0.5 == 1.0), so compare
        // the exact fractional part instead.
        double a = Math.abs(x);
        double floor = Math.floor(a);
        double r = (a - floor >= 0.5) ? floor + 1.0 : floor;
        return Math.copySign(r, x);
    }

    /**
     * {@code static_cast<int32_t>(float)} as compiled for x86-64 ({@code cvttss2si}): truncation
     * towards zero, and {@link Integer#MIN_VALUE} for NaN and for values outside the int32 range.
     */
    public static int castToInt32X86(float x) {
        // The float range check mirrors the instruction: 2^31 itself is out of range.
        if (Float.isNaN(x) || x >= 2147483648f || x < -2147483648f) {
            return Integer.MIN_VALUE;
        }
        return (int) x;
    }

    /** {@code static_cast<int32_t>(double)} as compiled for x86-64 ({@code cvttsd2si}). */
    public static int castToInt32X86(double x) {
        if (Double.isNaN(x) || x >= 2147483648.0 || x <= -2147483649.0) {
            return Integer.MIN_VALUE;
        }
        return (int) x;
    }

    /** {@code static_cast<int64_t>(double)} as compiled for x86-64 ({@code cvttsd2si} 64-bit). */
    public static long castToInt64X86(double x) {
        if (Double.isNaN(x) || x >= 9.223372036854775807E18 || x < -9.223372036854775808E18) {
            return Long.MIN_VALUE;
        }
        return (long) x;
    }

    /**
     * The result of {@code std::frexp}: {@code x == mantissa * 2^exponent} with {@code |mantissa|}
     * in [0.5, 1), or mantissa {@code x} and exponent 0 for zero, infinities and NaN (glibc's
     * behaviour for those).
     */
    public record Frexp(double mantissa, int exponent) {
    }

    /** {@code std::frexp}, exact for every double including subnormals. */
    public static Frexp frexp(double x) {
        if (x == 0.0 || Double.isNaN(x) || Double.isInfinite(x)) {
            return new Frexp(x, 0);
        }
        int e = Math.getExponent(x);
        if (e == Double.MIN_EXPONENT - 1) {
            // Subnormal: scale into the normal range first; scalb by a power of two is exact.
            Frexp scaled = frexp(x * 0x1p54);
            return new Frexp(scaled.mantissa(), scaled.exponent() - 54);
        }
        int exponent = e + 1;
        return new Frexp(Math.scalb(x, -exponent), exponent);
    }

    /**
     * {@code CountLeadingSignBits} of TFLite's {@code common.h} for int32: how many bits below
     * the sign bit equal it (31 for 0 and -1).
     */
    public static int countLeadingSignBits(int x) {
        return x >= 0 ? Integer.numberOfLeadingZeros(x) - 1 : Integer.numberOfLeadingZeros(~x) - 1;
    }

    /** The result of {@link #checkedLog2(float)}. */
    public record Log2(int log2, boolean exact) {
    }

    /**
     * {@code CheckedLog2} of TFLite's {@code quantization_util.cc}: the log2 of {@code x} rounded
     * to an integer, and whether {@code x} is within 1e-3 (in log2) of that power of two. TFLite
     * computes it in float as {@code log(x) * (1 / log(2))}, which this repeats.
     */
    public static Log2 checkedLog2(float x) {
        float log2 = checkedLog2Raw(x);
        float rounded = round(log2);
        return new Log2(castToInt32X86(rounded), Math.abs(log2 - rounded) < 1e-3f);
    }

    private static float checkedLog2Raw(float x) {
        // std::log(float) is logf; its correctly rounded value is what (float) Math.log gives in
        // all but vanishingly rare cases, and the 1e-3 tolerance makes such a 1-ulp difference
        // irrelevant.
        float invLog2 = 1.0f / (float) Math.log(2.0f);
        return (float) Math.log(x) * invLog2;
    }
}
