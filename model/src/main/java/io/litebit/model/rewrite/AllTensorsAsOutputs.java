package io.litebit.model.rewrite;

import io.litebit.model.SignatureDef;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** Implementation of {@link Rewriters#allTensorsAsOutputs(TfliteModel, Predicate)}. */
final class AllTensorsAsOutputs {
    private AllTensorsAsOutputs() {
    }

    static TfliteModel rewrite(TfliteModel model, Predicate<Tensor> include) {
        Set<Integer> entries = entrySubgraphs(model);
        List<Subgraph> subgraphs = new ArrayList<>();
        for (Subgraph g : model.subgraphs()) {
            subgraphs.add(entries.contains(g.index()) ? withOutputs(g, include) : g);
        }
        // Tensor indices and buffers are untouched, so buffers, metadata and signatures carry over as
        // they are: every signature still names the tensors it named before, all of which are still
        // outputs.
        TfliteModel assembled = new TfliteModel(model.version(), model.description(), model.operatorCodes(), subgraphs,
                model.buffers(), model.metadata(), model.signatures(), List.of(), null);
        return Assembly.writeAndRead(assembled);
    }

    /**
     * Subgraphs that a runtime invokes directly: the main one and every signature's. The others are
     * bodies of control-flow ops (WHILE, IF, CALL_ONCE, ...) whose output count is fixed by the
     * calling operator, so adding outputs to them would make the model invalid.
     */
    static Set<Integer> entrySubgraphs(TfliteModel model) {
        Set<Integer> entries = new TreeSet<>();
        entries.add(0);
        for (SignatureDef s : model.signatures()) {
            entries.add(s.subgraphIndex());
        }
        return entries;
    }

    private static Subgraph withOutputs(Subgraph g, Predicate<Tensor> include) {
        // The original outputs stay verbatim (even a repeated one) so that output i still means what it
        // meant; everything else follows in tensor-index order, which is stable and easy to map back.
        int[] original = g.outputs();
        Set<Integer> seen = new HashSet<>();
        List<Integer> outputs = new ArrayList<>();
        for (int o : original) {
            outputs.add(o);
            seen.add(o);
        }
        for (Tensor t : g.tensors()) {
            if (!seen.contains(t.index()) && include.test(t)) {
                outputs.add(t.index());
            }
        }
        int[] out = outputs.stream().mapToInt(Integer::intValue).toArray();
        return new Subgraph(g.index(), g.name(), g.tensors(), g.inputs(), out, g.operators());
    }
}
