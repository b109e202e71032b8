package io.litebit.data;

import java.util.Locale;

/**
 * How a pixel becomes a model input value, always given by the user, never guessed:
 * {@code value = (pixel · scale − mean) / std}. {@code --scale 1/255} gives [0, 1];
 * {@code --mean 127.5 --std 127.5} gives [−1, 1]. For a quantized input the value is then
 * quantized with the input tensor's own (scale, zero point), rounding half away from zero, as
 * {@code TensorHandle.writeQuantized} does; {@link #NONE} hands raw pixels to a quantized input
 * unchanged (they must fit its dtype).
 *
 * <pre>{@code
 * Preprocessing p = Preprocessing.parse("1/255", null, null);   // scale only
 * double v = p.apply(255);                                     // 1.0
 * }</pre>
 *
 * @param scale multiplies the pixel first
 * @param mean  subtracted after scaling
 * @param std   divides last
 */
public record Preprocessing(double scale, double mean, double std) {
    /** Raw pixel values (0..255), no arithmetic. */
    public static final Preprocessing NONE = new Preprocessing(1, 0, 1);

    public Preprocessing {
        if (!(Double.isFinite(scale) && Double.isFinite(mean) && Double.isFinite(std)) || std == 0) {
            throw new IllegalArgumentException("preprocessing needs finite scale, mean and std with std != 0, given scale "
                    + scale + ", mean " + mean + ", std " + std);
        }
    }

    /** Parses the three options ({@code null} = not given); numbers may be fractions such as {@code 1/255}. */
    public static Preprocessing parse(String scale, String mean, String std) {
        return new Preprocessing(scale == null ? 1 : number("--scale", scale), mean == null ? 0 : number("--mean", mean),
                std == null ? 1 : number("--std", std));
    }

    static double number(String option, String text) {
        String s = text.trim();
        try {
            int slash = s.indexOf('/');
            if (slash > 0) {
                return Double.parseDouble(s.substring(0, slash)) / Double.parseDouble(s.substring(slash + 1));
            }
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects a number or a fraction such as 1/255, given \"" + text + "\"");
        }
    }

    public boolean isNone() {
        return equals(NONE);
    }

    public double apply(double pixel) {
        return (pixel * scale - mean) / std;
    }

    @Override
    public String toString() {
        return isNone() ? "raw pixels" : String.format(Locale.ROOT, "(pixel * %s - %s) / %s", scale, mean, std);
    }
}
