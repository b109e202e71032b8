package io.litebit.model.rewrite;

import io.litebit.model.Quantization;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.quant.MinMax;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Implementation of {@link Rewriters#withRecordedRanges}. */
final class RecordedRanges {
    private RecordedRanges() {
    }

    static TfliteModel rewrite(TfliteModel model, int subgraphIndex, Map<Integer, MinMax> ranges) {
        if (subgraphIndex < 0 || subgraphIndex >= model.subgraphs().size()) {
            throw new IllegalArgumentException("subgraph " + subgraphIndex + " does not exist, the model has "
                    + model.subgraphs().size());
        }
        Subgraph g = model.subgraphs().get(subgraphIndex);
        for (Integer t : ranges.keySet()) {
            if (t < 0 || t >= g.tensors().size()) {
                throw new IllegalArgumentException("tensor " + t + " does not exist in subgraph " + subgraphIndex
                        + ", which has " + g.tensors().size());
            }
        }
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : g.tensors()) {
            MinMax r = ranges.get(t.index());
            if (r == null) {
                tensors.add(t);
                continue;
            }
            // Scales and zero points (if any) stay: only the recorded range is replaced, as TFLite's
            // calibrator does when it writes min/max into a float model.
            Quantization q = t.quantization();
            tensors.add(t.withType(t.dtype(), new Quantization(q.scales(), q.zeroPoints(), q.quantizedDimension(),
                    new float[] {(float) r.min()}, new float[] {(float) r.max()})));
        }
        List<Subgraph> subgraphs = new ArrayList<>(model.subgraphs());
        subgraphs.set(subgraphIndex, new Subgraph(g.index(), g.name(), tensors, g.inputs(), g.outputs(), g.operators()));
        TfliteModel assembled = new TfliteModel(model.version(), model.description(), model.operatorCodes(), subgraphs,
                model.buffers(), model.metadata(), model.signatures(), List.of(), null);
        return Assembly.writeAndRead(assembled);
    }
}
