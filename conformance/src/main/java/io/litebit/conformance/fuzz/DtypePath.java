package io.litebit.conformance.fuzz;

import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;

/**
 * Names the dtype path a single-op model exercises, the way TFLite's kernels branch: {@code int8},
 * {@code uint8}, {@code int16}, {@code float32}, {@code int32}; {@code 16x8} for int16 activations
 * with int8 weights; {@code IN->OUT} when the op converts (QUANTIZE, DEQUANTIZE, the uint8 to
 * int16 FULLY_CONNECTED).
 *
 * <pre>{@code
 * String path = DtypePath.of(opCase.model());   // "16x8"
 * }</pre>
 */
public final class DtypePath {
    private DtypePath() {
    }

    /** The path of the main subgraph's first operator; {@code "empty"} for a model without one. */
    public static String of(TfliteModel model) {
        Subgraph g = model.mainSubgraph();
        if (g.operators().isEmpty()) {
            return "empty";
        }
        Operator op = g.operators().get(0);
        DType in = null;
        DType weights = null;
        for (int i = 0; i < op.inputCount(); i++) {
            if (op.input(i) < 0) {
                continue;
            }
            Tensor t = g.tensor(op.input(i));
            if (!t.isConstant()) {
                in = in == null ? t.dtype() : in;
            } else if (weights == null && i == 1 && t.isQuantized()) {
                weights = t.dtype();
            }
        }
        DType out = op.outputCount() > 0 ? g.tensor(op.output(0)).dtype() : null;
        if (in == null) {
            in = out;
        }
        if (in == DType.INT16 && weights == DType.INT8) {
            return "16x8";
        }
        if (out != null && out != in) {
            return in.displayName() + "->" + out.displayName();
        }
        return in == null ? "none" : in.displayName();
    }
}
