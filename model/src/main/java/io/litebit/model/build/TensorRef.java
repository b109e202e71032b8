package io.litebit.model.build;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.Shapes;
import java.util.Arrays;

/**
 * A handle to a tensor being built: what {@link SubgraphBuilder} returns for inputs, constants
 * and operator outputs, and what its operator methods take.
 *
 * <p>A handle belongs to the subgraph builder that made it; passing it to another builder is an
 * error ("unknown tensor"), which catches the easy mistake of wiring two subgraphs together.
 *
 * <pre>{@code
 * TensorRef x = g.input("x", DType.INT8, new int[] {1, 8, 8, 3}, Quantization.perTensor(0.02f, -128));
 * System.out.println(x.index() + " " + Arrays.toString(x.shape()));   // 0 [1, 8, 8, 3]
 * }</pre>
 */
public final class TensorRef {
    private final SubgraphBuilder owner;
    private final int index;
    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final Quantization quantization;
    private final boolean constant;

    TensorRef(SubgraphBuilder owner, int index, String name, DType dtype, int[] shape, Quantization quantization,
              boolean constant) {
        this.owner = owner;
        this.index = index;
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.quantization = quantization;
        this.constant = constant;
    }

    SubgraphBuilder owner() {
        return owner;
    }

    /** Index of the tensor in its subgraph (as it will be in the written model). */
    public int index() {
        return index;
    }

    /** Index of the subgraph the tensor belongs to. */
    public int subgraphIndex() {
        return owner.index();
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

    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    public Quantization quantization() {
        return quantization;
    }

    public boolean isQuantized() {
        return !quantization.isNone();
    }

    /** True for tensors made by {@code constant(...)}: their data is in the model. */
    public boolean isConstant() {
        return constant;
    }

    @Override
    public String toString() {
        return "tensor " + index + " \"" + name + "\" " + dtype.displayName() + Arrays.toString(shape)
                + (quantization.isNone() ? "" : " " + quantization);
    }
}
