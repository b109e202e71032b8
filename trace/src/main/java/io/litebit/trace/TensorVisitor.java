package io.litebit.trace;

import io.litebit.model.DType;
import java.nio.ByteBuffer;

/**
 * Receives every tensor of one run as the backend computed it, in execution order (inputs first,
 * then each operator's outputs), without the copies a {@link Trace} keeps: what calibration needs
 * to look at every activation of thousands of runs.
 *
 * <pre>{@code
 * try (Backend.Session s = Backend.builtin().open(model)) {
 *     s.visit(inputs, (tensorIndex, opIndex, dtype, shape, data) -> {
 *         if (dtype == DType.FLOAT32) {
 *             float first = data.getFloat(0);
 *         }
 *     });
 * }
 * }</pre>
 */
@FunctionalInterface
public interface TensorVisitor {
    /**
     * @param tensorIndex the tensor's index in the main subgraph
     * @param opIndex the producing operator, {@code -1} for a model input
     * @param dtype   the dtype the backend reports
     * @param shape   the shape the backend computed
     * @param data    little-endian, read-only, position 0; valid only during this call
     */
    void visit(int tensorIndex, int opIndex, DType dtype, int[] shape, ByteBuffer data);
}
