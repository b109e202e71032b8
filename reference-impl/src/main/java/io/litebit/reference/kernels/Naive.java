package io.litebit.reference.kernels;

/**
 * The {@link io.litebit.reference.NumericsProfile#NAIVE_FLOAT} requantization: {@code
 * clamp(rint(real) + zeroPoint, min, max)} in double, the formula a numpy reproduction writes
 * ({@code np.clip(np.rint(x) + zp, lo, hi)}).
 */
final class Naive {
    private Naive() {
    }

    /** {@code rint} (ties to even) of {@code real}, plus the zero point, saturated; NaN counts as 0. */
    static int requantize(double real, int zeroPoint, int min, int max) {
        double r = Double.isNaN(real) ? 0.0 : Math.rint(real);
        double v = r + zeroPoint;
        return (int) Math.max(min, Math.min(max, v));
    }
}
