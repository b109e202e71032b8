package io.litebit.model.quant;

/**
 * The (mean, std_dev) spelling of a quantization used by the TFLite converter's {@code
 * quantized_input_stats} (and toco's {@code --mean_values}/{@code --std_dev_values}): {@code real
 * = (q - mean) / std}, that is {@code scale = 1 / std} and {@code zero_point = mean}.
 *
 * <pre>{@code
 * // Images in [0, 255] fed to a model that wants [-1, 1]:
 * MeanStd s = QuantParams.minMaxToMeanStd(-1.0, 1.0, QuantDType.UINT8);
 * s.mean();   // 127.5
 * s.std();    // 127.5
 * }</pre>
 *
 * <p>Note the names: "mean" and "std" describe the <em>quantized</em> input as if it had been
 * standardised, not statistics of the real data. A non-integer mean (such as 127.5) is a valid
 * spelling, but the converter rounds it to an integer zero point; see {@link
 * QuantParams#fromMeanStd(double, double, QuantDType)}.
 *
 * @param mean the quantized value that stands for real 0 (finite, may be fractional)
 * @param std quantized steps per real unit (finite, {@code > 0})
 */
public record MeanStd(double mean, double std) {

    public MeanStd {
        QuantParams.requireFinite("mean", mean);
        QuantParams.requireFinite("std_dev", std);
        if (!(std > 0)) {
            throw new IllegalArgumentException(
                    "std_dev must be > 0 (scale = 1/std_dev), got " + std);
        }
    }
}
