package io.litebit.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * One tensor of a subgraph: name, element type, shape, quantization and, for constants, a
 * read-only view of its data in the model's bytes (never a copy).
 *
 * <pre>{@code
 * Tensor w = model.mainSubgraph().tensor(3);
 * if (w.isConstant()) {
 *     ByteBuffer bytes = w.data().orElseThrow();   // little-endian, read-only
 * }
 * }</pre>
 */
public final class Tensor {
    private final int index;
    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final int[] shapeSignature;
    private final int buffer;
    private final ByteBuffer data;
    private final Quantization quantization;
    private final boolean variable;
    private final boolean sparse;

    /**
     * @param shapeSignature null when the file has none (then it equals {@code shape})
     * @param buffer         index into the model's buffers; 0 is TFLite's "no data" buffer
     * @param data           the constant bytes (read-only slice), or null when the tensor has none
     */
    public Tensor(int index, String name, DType dtype, int[] shape, int[] shapeSignature, int buffer,
                  ByteBuffer data, Quantization quantization, boolean variable, boolean sparse) {
        this.index = index;
        this.name = name == null ? "" : name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.shapeSignature = shapeSignature == null ? null : shapeSignature.clone();
        this.buffer = buffer;
        this.data = data == null ? null : data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        this.quantization = quantization == null ? Quantization.NONE : quantization;
        this.variable = variable;
        this.sparse = sparse;
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    /** The shape signature (-1 for dynamic dimensions); the shape itself when the file has none. */
    public int[] shapeSignature() {
        return shapeSignature == null ? shape.clone() : shapeSignature.clone();
    }

    public boolean hasShapeSignature() {
        return shapeSignature != null;
    }

    /** Product of the shape's dimensions (1 for a scalar). */
    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    public int buffer() {
        return buffer;
    }

    public boolean isConstant() {
        return data != null;
    }

    /** A fresh read-only little-endian view of the constant data, positioned at 0. */
    public Optional<ByteBuffer> data() {
        return data == null ? Optional.empty() : Optional.of(data.duplicate().order(ByteOrder.LITTLE_ENDIAN));
    }

    public Quantization quantization() {
        return quantization;
    }

    public boolean isQuantized() {
        return !quantization.isNone();
    }

    public boolean isVariable() {
        return variable;
    }

    /** True when the file stores this constant in TFLite's sparse format (read, not written back). */
    public boolean isSparse() {
        return sparse;
    }

    /** Same tensor at another index (used when rewriters renumber tensors). */
    public Tensor withIndex(int newIndex) {
        return new Tensor(newIndex, name, dtype, shape, shapeSignature, buffer, data, quantization, variable, sparse);
    }

    /** Same tensor referring to another buffer slot with other data (rewriters). */
    public Tensor withData(int newBuffer, ByteBuffer newData) {
        return new Tensor(index, name, dtype, shape, shapeSignature, newBuffer, newData, quantization, variable, sparse);
    }

    public Tensor withType(DType newType, Quantization newQuantization) {
        return new Tensor(index, name, newType, shape, shapeSignature, buffer, data, newQuantization, variable, sparse);
    }

    /** Shape as TFLite prints it, e.g. {@code [1, 28, 28]}. */
    public static String formatShape(int[] shape) {
        return Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return "tensor " + index + " \"" + name + "\" " + dtype.displayName() + Arrays.toString(shape)
                + (quantization.isNone() ? "" : " " + quantization);
    }
}
