package io.litebit.data;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What one model input expects of a dataset record: its position, name, dtype, shape and
 * quantization (read from the model, never guessed).
 *
 * <pre>{@code
 * List<InputSpec> inputs = InputSpec.of(TfliteModel.load(Path.of("conv_fc_mnist.tflite")));
 * System.out.println(inputs.get(0));     // input 0 "serving_default_input:0" float32[1, 28, 28, 1]
 * }</pre>
 *
 * @param index        the input's position among the main subgraph's inputs
 * @param name         the tensor's name
 * @param quantization the tensor's quantization ({@link Quantization#NONE} for float inputs)
 */
public record InputSpec(int index, String name, DType dtype, int[] shape, Quantization quantization) {
    public InputSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(quantization, "quantization");
        shape = shape.clone();
    }

    /** The inputs of the model's main subgraph, in order. */
    public static List<InputSpec> of(TfliteModel model) {
        Subgraph g = model.mainSubgraph();
        List<InputSpec> out = new ArrayList<>();
        for (int i = 0; i < g.inputs().length; i++) {
            Tensor t = g.inputTensor(i);
            out.add(new InputSpec(i, t.name(), t.dtype(), t.shape(), t.quantization()));
        }
        return List.copyOf(out);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        return io.litebit.model.Shapes.elementCount(shape);
    }

    /** Whether the input carries per-tensor (scale, zero point) quantization. */
    public boolean isQuantized() {
        return !quantization.isNone() && quantization.scales().length > 0 && dtype.isInteger();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec s && index == s.index && name.equals(s.name) && dtype == s.dtype
                && Arrays.equals(shape, s.shape) && quantization.equals(s.quantization);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return "input " + index + " \"" + name + "\" " + dtype.displayName() + Arrays.toString(shape);
    }
}
