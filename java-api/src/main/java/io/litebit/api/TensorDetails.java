package io.litebit.api;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.Shapes;
import java.util.Arrays;
import java.util.Objects;

/**
 * What TFLite knows about one tensor of a running interpreter, as Python's
 * {@code get_tensor_details()} shows it: index, name, element type, current shape, shape
 * signature ({@code -1} for dynamic dimensions) and quantization (scales, zero points and
 * quantized dimension; per tensor when there is one scale, per channel otherwise).
 *
 * <p>An immutable snapshot: after {@link Interpreter#resizeInput} and re-allocation, ask again.
 * Arrays are copied in and out.
 *
 * <pre>{@code
 * TensorDetails in = interpreter.input(0).details();
 * System.out.println(in);   // tensor 0 "input" int8[1, 224, 224, 3] scale=0.0078125 zero_point=-1
 * float scale = in.quantization().scale(0);
 * }</pre>
 */
public final class TensorDetails {
    private final int subgraphIndex;
    private final int index;
    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final int[] shapeSignature;
    private final Quantization quantization;
    private final long byteSize;

    public TensorDetails(int subgraphIndex, int index, String name, DType dtype, int[] shape,
                         int[] shapeSignature, Quantization quantization, long byteSize) {
        this.subgraphIndex = subgraphIndex;
        this.index = index;
        this.name = name == null ? "" : name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.shapeSignature = shapeSignature.clone();
        this.quantization = quantization == null ? Quantization.NONE : quantization;
        this.byteSize = byteSize;
    }

    /** The subgraph the tensor belongs to (0 unless it was reached through a signature). */
    public int subgraphIndex() {
        return subgraphIndex;
    }

    /** The tensor's index in its subgraph, as in the model file. */
    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    /** The element type; null if TFLite reports none ({@code kTfLiteNoType}). */
    public DType dtype() {
        return dtype;
    }

    /** The current shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The shape signature, {@code -1} for dimensions that may be resized; the shape if the file has none. */
    public int[] shapeSignature() {
        return shapeSignature.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Product of the dimensions (1 for a scalar). */
    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    /** The tensor's quantization; {@link Quantization#NONE} when it has none. */
    public Quantization quantization() {
        return quantization;
    }

    public boolean isQuantized() {
        return !quantization.isNone();
    }

    /** The size of the tensor's data in bytes, as TFLite computes it ({@code TfLiteTensor.bytes}). */
    public long byteSize() {
        return byteSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorDetails t && subgraphIndex == t.subgraphIndex && index == t.index
                && byteSize == t.byteSize && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && Arrays.equals(shapeSignature, t.shapeSignature)
                && quantization.equals(t.quantization);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subgraphIndex, index, name, dtype, Arrays.hashCode(shape), quantization);
    }

    @Override
    public String toString() {
        return "tensor " + (subgraphIndex == 0 ? "" : subgraphIndex + ":") + index + " \"" + name + "\" "
                + (dtype == null ? "notype" : dtype.displayName()) + Arrays.toString(shape)
                + (quantization.isNone() ? "" : " " + quantization);
    }
}
