package io.litebit.model.build;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import java.util.Arrays;

/**
 * What the caller says about an operator's output: its element type and quantization, and
 * optionally a name and an explicit shape. The shape is normally left out and inferred the way
 * TFLite's kernels compute it in {@code Prepare}; an explicit shape is checked against that.
 *
 * <pre>{@code
 * Out a = Out.int8(0.05f, -128);                       // quantized int8, inferred shape
 * Out b = Out.float32().named("logits");
 * Out c = Out.of(DType.INT8, q).withShape(1, 4, 4, 8); // explicit shape, checked
 * Out d = Out.of(DType.INT8);                          // softmax/logistic/tanh: TFLite's fixed quantization
 * }</pre>
 */
public final class Out {
    private final DType dtype;
    private final Quantization quantization;
    private final String name;
    private final int[] shape;

    private Out(DType dtype, Quantization quantization, String name, int[] shape) {
        if (dtype == null) {
            throw new IllegalArgumentException("output dtype must not be null");
        }
        this.dtype = dtype;
        this.quantization = quantization == null ? Quantization.NONE : quantization;
        this.name = name;
        this.shape = shape == null ? null : shape.clone();
    }

    /**
     * An output of this type without quantization parameters. For int8/uint8/int16 outputs this
     * is only accepted by ops whose output quantization TFLite fixes (SOFTMAX, LOGISTIC, TANH),
     * which then get exactly those parameters.
     */
    public static Out of(DType dtype) {
        return new Out(dtype, Quantization.NONE, null, null);
    }

    public static Out of(DType dtype, Quantization quantization) {
        return new Out(dtype, quantization, null, null);
    }

    public static Out float32() {
        return of(DType.FLOAT32);
    }

    public static Out int8(float scale, long zeroPoint) {
        return of(DType.INT8, Quantization.perTensor(scale, zeroPoint));
    }

    public static Out uint8(float scale, long zeroPoint) {
        return of(DType.UINT8, Quantization.perTensor(scale, zeroPoint));
    }

    public static Out int16(float scale, long zeroPoint) {
        return of(DType.INT16, Quantization.perTensor(scale, zeroPoint));
    }

    /** Same type and quantization as {@code t} (e.g. for a max pool, which keeps the scale). */
    public static Out like(TensorRef t) {
        return of(t.dtype(), t.quantization());
    }

    public Out named(String newName) {
        return new Out(dtype, quantization, newName, shape);
    }

    /** An explicit output shape; the builder still checks it against the inferred one. */
    public Out withShape(int... newShape) {
        return new Out(dtype, quantization, name, newShape);
    }

    public DType dtype() {
        return dtype;
    }

    public Quantization quantization() {
        return quantization;
    }

    /** The name, or null to let the builder name the tensor after the op. */
    public String name() {
        return name;
    }

    /** The explicit shape, or null when it is to be inferred. */
    public int[] shape() {
        return shape == null ? null : shape.clone();
    }

    @Override
    public String toString() {
        return "Out[" + dtype.displayName() + (quantization.isNone() ? "" : " " + quantization)
                + (name == null ? "" : " \"" + name + "\"") + (shape == null ? "" : " " + Arrays.toString(shape)) + "]";
    }
}
