package io.litebit.quantization.quantizer;

import io.litebit.model.DType;
import io.litebit.model.TfliteModel;
import io.litebit.quantization.quantizer.Work.Q;
import io.litebit.quantization.quantizer.Work.T;
import java.util.List;

/**
 * Post-training quantization of a calibrated float model, by TFLite's quantizer's rules
 * ({@code tflite/tools/optimize/quantize_model.cc}, the per-op table in {@link OpRules}).
 *
 * <p>The input is a float {@code .tflite} whose activation tensors carry calibrated {@code min}/
 * {@code max} in their quantization parameters, as TFLite's calibrator and ONE write them (the
 * calibration of {@code io.litebit.quantization.calibration} produces exactly that). Weights need
 * no range: it comes from their data.
 *
 * <pre>{@code
 * TfliteModel calibrated = TfliteModel.load(Path.of("conv_fc_mnist_calibrated.tflite"));
 * QuantizedModel q = Quantizer.quantize(calibrated, QuantizerOptions.defaults().withIo(IoType.INT8));
 * Files.write(Path.of("conv_fc_mnist_int8.tflite"), q.model().toBytes());
 * Tensor in = q.model().mainSubgraph().inputTensor(0);   // int8, with the scale and zero point to quantize with
 * }</pre>
 */
public final class Quantizer {
    private Quantizer() {
    }

    /**
     * Quantizes a calibrated float model.
     *
     * @throws QuantizationException when the model is already quantized, when an activation that
     *                               must be quantized has no calibrated range (and no default
     *                               range was given), or when an I/O type cannot be honoured; the
     *                               message names the tensor
     */
    public static QuantizedModel quantize(TfliteModel calibrated, QuantizerOptions options) {
        Work w = new Work(calibrated);
        rejectQuantized(w);
        List<QuantizedModel.OpReport> report;
        switch (options.scheme()) {
            case INT8, INT16X8 -> {
                applyDefaultRange(w, options.defaultRange());
                report = new FullIntegerQuantizer(w, options).run();
            }
            case DYNAMIC, FLOAT16 -> {
                if (options.io() != IoType.FLOAT) {
                    throw new QuantizationException("scheme " + options.scheme().spelling()
                            + " keeps float activations, so its I/O is float; given --io " + options.io().spelling());
                }
                report = new WeightQuantizer(w, options).run();
            }
            default -> throw new IllegalStateException(options.scheme().toString());
        }
        return new QuantizedModel(w.toModel(), report);
    }

    /** A tensor with a scale, or an int8/int16 constant, means the model was quantized before. */
    private static void rejectQuantized(Work w) {
        for (int i = 0; i < w.tensors.size(); i++) {
            T t = w.t(i);
            if (t.q != null && t.q.scale.length > 0) {
                throw new QuantizationException("tensor " + i + " \"" + t.name + "\" is " + t.dtype.displayName()
                        + " with scale " + t.q.scale[0] + ": the model is already quantized (expected a float model"
                        + " with calibrated min/max)");
            }
        }
    }

    private static void applyDefaultRange(Work w, float[] range) {
        if (range == null) {
            return;
        }
        for (T t : w.tensors) {
            if (t.dtype == DType.FLOAT32 && !t.isConstant() && (t.q == null || !t.q.hasMinMax())) {
                if (t.q == null) {
                    t.q = new Q();
                }
                t.q.min = new float[] {range[0]};
                t.q.max = new float[] {range[1]};
            }
        }
    }
}
