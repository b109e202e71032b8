package io.litebit.quantization.calibration;

import io.litebit.model.TfliteModel;
import io.litebit.model.quant.MinMax;
import io.litebit.model.rewrite.Rewriters;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ranges chosen from calibration statistics with one method, and the float model with those
 * ranges written into its activation tensors ({@code min}/{@code max} of their quantization
 * parameters, as TFLite's calibrator and ONE write them, so that any quantizer can read them).
 * Tensors that never saw a finite value get no range.
 *
 * <pre>{@code
 * CalibrationResult r = CalibrationResult.of(model, stats, CalibrationMethod.parse("percentile:99"));
 * MinMax relu = r.ranges().get(5);
 * byte[] calibrated = r.calibratedModel().toBytes();
 * }</pre>
 *
 * @param ranges by tensor index (main subgraph), ascending
 */
public record CalibrationResult(CalibrationStats stats, CalibrationMethod method, Map<Integer, MinMax> ranges,
                                TfliteModel calibratedModel) {
    public CalibrationResult {
        ranges = Collections.unmodifiableMap(new LinkedHashMap<>(ranges));
    }

    /**
     * @param floatModel the model given to {@link Calibrator#record}; LSTMs get the intermediates
     *     calibration recorded ({@link Rewriters#withLstmIntermediates}) in the calibrated model
     */
    public static CalibrationResult of(TfliteModel floatModel, CalibrationStats stats, CalibrationMethod method) {
        TfliteModel model = Rewriters.withLstmIntermediates(floatModel);
        Map<Integer, MinMax> ranges = new LinkedHashMap<>();
        for (TensorStats t : stats.tensors()) {
            if (t.hasRange()) {
                if (method.needsHistogram() && t.histogram().isEmpty()) {
                    throw new IllegalArgumentException("method " + method.spec() + " reads histograms, but tensor "
                            + t.tensorIndex() + " \"" + t.name() + "\" was calibrated without one (Calibrator "
                            + "histograms(false)); calibrate again with histograms, or use minmax, moving-average or "
                            + "percentile");
                }
                ranges.put(t.tensorIndex(), method.range(t));
            }
        }
        return new CalibrationResult(stats, method, ranges, Rewriters.withRecordedRanges(model, 0, ranges));
    }
}
