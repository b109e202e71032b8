package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.Quantization;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;

/**
 * Rules by which TFLite 2.19's XNNPACK delegate leaves an operator to TFLite whatever the op, so
 * that the {@code XNNPACK} profile computes TFLite's arithmetic there, as the native backend
 * does. The per-op rules (scale ratios, fused activations, ops it never takes) stay in the
 * kernels; this holds the ones about tensors.
 *
 * <p>Measured (litebit fuzz, QUANTIZE seed 1011400190, then single-op models with the builder):
 * an 8-bit tensor quantized with one scale but a {@code quantized_dimension} other than 0 makes
 * the delegate refuse the node (QUANTIZE, requantization and ADD alike); the same scale with
 * dimension 0 is delegated. TFLite itself treats both as per-tensor.
 *
 * <pre>{@code
 * NumericsProfile p = XnnpackDelegation.refuses(subgraph, op) ? NumericsProfile.TFLITE : NumericsProfile.XNNPACK;
 * }</pre>
 */
public final class XnnpackDelegation {
    private XnnpackDelegation() {
    }

    /** Whether the delegate leaves {@code op} to TFLite because of one of its tensors. */
    public static boolean refuses(Subgraph subgraph, Operator op) {
        for (int t : op.inputs()) {
            if (t >= 0 && oneScaleOffAxisZero(subgraph.tensor(t))) {
                return true;
            }
        }
        for (int t : op.outputs()) {
            if (t >= 0 && oneScaleOffAxisZero(subgraph.tensor(t))) {
                return true;
            }
        }
        return false;
    }

    private static boolean oneScaleOffAxisZero(Tensor t) {
        Quantization q = t.quantization();
        return (t.dtype() == DType.INT8 || t.dtype() == DType.UINT8) && !q.isNone() && q.scales().length == 1
                && q.quantizedDimension() != 0;
    }
}
