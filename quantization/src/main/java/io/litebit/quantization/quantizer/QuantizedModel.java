package io.litebit.quantization.quantizer;

import io.litebit.model.TfliteModel;
import java.util.List;

/**
 * What {@link Quantizer#quantize} produced: the model and, per operator of the calibrated model,
 * whether it was quantized and why not.
 *
 * <pre>{@code
 * QuantizedModel q = Quantizer.quantize(calibrated, QuantizerOptions.defaults());
 * q.ops().stream().filter(r -> !r.quantized()).forEach(r -> System.out.println(r.op() + ": " + r.reason()));
 * Files.write(Path.of("model_int8.tflite"), q.model().toBytes());
 * }</pre>
 *
 * @param model the quantized model (written and read back: exactly what the file holds)
 * @param ops   one entry per operator of the calibrated model, in its order
 */
public record QuantizedModel(TfliteModel model, List<OpReport> ops) {
    public QuantizedModel {
        ops = List.copyOf(ops);
    }

    /**
     * One operator's outcome.
     *
     * @param index     the operator's index in the calibrated model
     * @param op        its name, e.g. {@code CONV_2D}
     * @param node      its node name (first output tensor)
     * @param quantized whether it now runs a quantized kernel
     * @param reason    why not ("" when quantized)
     */
    public record OpReport(int index, String op, String node, boolean quantized, String reason) {
    }
}
