package io.litebit.model.rewrite;

import io.litebit.model.BuiltinOp;
import io.litebit.model.Operator;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Implementation of {@link Rewriters#extractOperator(TfliteModel, int, int)}. */
final class OperatorExtractor {
    /** Ops whose options name other subgraphs; a one-op model cannot carry those bodies along. */
    private static final Set<BuiltinOp> CALLS_SUBGRAPHS = EnumSet.of(BuiltinOp.IF, BuiltinOp.WHILE,
            BuiltinOp.CALL_ONCE, BuiltinOp.CALL, BuiltinOp.STABLEHLO_WHILE, BuiltinOp.STABLEHLO_CASE,
            BuiltinOp.STABLEHLO_REDUCE, BuiltinOp.STABLEHLO_REDUCE_WINDOW, BuiltinOp.STABLEHLO_SCATTER,
            BuiltinOp.STABLEHLO_SORT, BuiltinOp.STABLEHLO_COMPOSITE);

    private OperatorExtractor() {
    }

    static TfliteModel extract(TfliteModel model, int subgraphIndex, int opIndex) {
        if (subgraphIndex < 0 || subgraphIndex >= model.subgraphs().size()) {
            throw new IndexOutOfBoundsException("the model has subgraphs 0.." + (model.subgraphs().size() - 1)
                    + ", asked for " + subgraphIndex);
        }
        Subgraph g = model.subgraphs().get(subgraphIndex);
        if (opIndex < 0 || opIndex >= g.operators().size()) {
            throw new IndexOutOfBoundsException("subgraph " + subgraphIndex + " has operators 0.."
                    + (g.operators().size() - 1) + ", asked for " + opIndex);
        }
        Operator op = g.operator(opIndex);
        if (op.op() != null && CALLS_SUBGRAPHS.contains(op.op())) {
            throw new UnsupportedOperationException("operator " + opIndex + " (" + op.opcode().displayName()
                    + ") of subgraph " + subgraphIndex + " runs other subgraphs; extracting control flow is not supported");
        }

        // Tensors are renumbered in the order the op names them: inputs, outputs, intermediates.
        Map<Integer, Integer> newIndex = new LinkedHashMap<>();
        for (int t : op.inputs()) {
            if (t >= 0) {
                newIndex.putIfAbsent(t, newIndex.size());
            }
        }
        for (int t : op.outputs()) {
            newIndex.putIfAbsent(t, newIndex.size());
        }
        for (int t : op.intermediates()) {
            newIndex.putIfAbsent(t, newIndex.size());
        }

        Assembly.Buffers buffers = new Assembly.Buffers();
        List<Tensor> tensors = new ArrayList<>();
        List<Integer> inputs = new ArrayList<>();
        for (Map.Entry<Integer, Integer> e : newIndex.entrySet()) {
            Tensor t = g.tensor(e.getKey());
            if (t.isConstant()) {
                int buffer = buffers.add(t.buffer(), () -> model.buffers().get(t.buffer()));
                tensors.add(t.withIndex(e.getValue()).withData(buffer, t.data().orElseThrow()));
            } else {
                tensors.add(t.withIndex(e.getValue()).withData(0, null));
            }
        }
        for (int t : op.inputs()) {
            // Variable tensors (an LSTM's state) stay state: in the original they are not fed by the
            // caller but start at zero, and a one-op model should run the op the same way.
            Tensor tensor = t < 0 ? null : g.tensor(t);
            if (tensor != null && !tensor.isConstant() && !tensor.isVariable() && !inputs.contains(newIndex.get(t))) {
                inputs.add(newIndex.get(t));
            }
        }
        List<Integer> outputs = new ArrayList<>();
        for (int t : op.outputs()) {
            if (!outputs.contains(newIndex.get(t))) {
                outputs.add(newIndex.get(t));
            }
        }

        int[] opInputs = op.inputs();
        for (int k = 0; k < opInputs.length; k++) {
            opInputs[k] = opInputs[k] < 0 ? -1 : newIndex.get(opInputs[k]);
        }
        int[] opOutputs = op.outputs();
        for (int k = 0; k < opOutputs.length; k++) {
            opOutputs[k] = newIndex.get(opOutputs[k]);
        }
        int[] intermediates = op.intermediates();
        for (int k = 0; k < intermediates.length; k++) {
            intermediates[k] = newIndex.get(intermediates[k]);
        }
        Operator single = new Operator(0, 0, op.opcode(), opInputs, opOutputs, intermediates, op.options(),
                op.customOptions().orElse(null));
        Subgraph sub = new Subgraph(0, g.name(), tensors, toArray(inputs), toArray(outputs), List.of(single));

        // Signatures name the whole model's inputs and outputs, tensors this file does not have, and
        // metadata (conversion records, runtime version) describes the whole model, not this op.
        String description = "operator " + opIndex + " (" + op.opcode().displayName() + ") of subgraph "
                + subgraphIndex + (model.description().isEmpty() ? "" : " of: " + model.description());
        TfliteModel assembled = new TfliteModel(model.version(), description, List.of(op.opcode()), List.of(sub),
                buffers.list(), List.of(), List.of(), List.of(), null);
        return Assembly.writeAndRead(assembled);
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
