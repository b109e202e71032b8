package io.litebit.model.rewrite;

import io.litebit.model.TfliteModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The float twin of a quantized model together with where each original tensor went, so that a
 * quantized tensor can be compared with its float counterpart (the Quantization Debugger's
 * per-layer error) even though the rewrite removed or merged some tensors.
 *
 * <pre>{@code
 * FloatTwin twin = Rewriters.floatTwinWithMapping(int8Model);
 * int t = twin.twinTensor(0, 42);      // where tensor 42 of subgraph 0 lives in the twin, or -1
 * TfliteModel floatModel = twin.model();
 * }</pre>
 */
public final class FloatTwin {
    private final TfliteModel model;
    private final List<int[]> tensorMap;

    FloatTwin(TfliteModel model, List<int[]> tensorMap) {
        this.model = model;
        List<int[]> copy = new ArrayList<>(tensorMap.size());
        for (int[] m : tensorMap) {
            copy.add(m.clone());
        }
        this.tensorMap = copy;
    }

    /** The twin, as read back from the bytes the writer produced. */
    public TfliteModel model() {
        return model;
    }

    /**
     * The twin's index for a tensor of the original model's subgraph. A tensor that the rewrite
     * merged into another (the two ends of a removed QUANTIZE or DEQUANTIZE hold the same real
     * values) maps to the tensor that replaced it; a tensor the twin has no use for (the
     * intermediates of quantized LSTMs) maps to -1.
     */
    public int twinTensor(int subgraph, int originalTensor) {
        int[] map = tensorMap.get(subgraph);
        if (originalTensor < 0 || originalTensor >= map.length) {
            throw new IndexOutOfBoundsException("subgraph " + subgraph + " of the original model has tensors 0.."
                    + (map.length - 1) + ", asked for " + originalTensor);
        }
        return map[originalTensor];
    }
}
