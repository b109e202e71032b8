package io.litebit.model.rewrite;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import java.util.ArrayList;
import java.util.List;

/** Implementation of {@link Rewriters#withLstmIntermediates}. */
final class LstmIntermediates {
    /** The converter's names for the five, in TFLite's order (operator_property.cc's intermediates). */
    static final String[] NAMES = {"input_to_input_intermediate", "input_to_forget_intermediate",
        "input_to_cell_intermediate", "input_to_output_intermediate", "effective_hidden_scale_intermediate"};

    private LstmIntermediates() {
    }

    static TfliteModel rewrite(TfliteModel model) {
        List<Subgraph> subgraphs = new ArrayList<>();
        boolean changed = false;
        for (Subgraph g : model.subgraphs()) {
            List<Tensor> tensors = new ArrayList<>(g.tensors());
            List<Operator> ops = new ArrayList<>();
            for (Operator op : g.operators()) {
                if (op.op() != BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM || op.intermediates().length > 0) {
                    ops.add(op);
                    continue;
                }
                String base = op.outputs().length > 0 && op.outputs()[0] >= 0 ? g.tensor(op.outputs()[0]).name() : "lstm";
                int[] added = new int[NAMES.length];
                for (int i = 0; i < NAMES.length; i++) {
                    added[i] = tensors.size();
                    // Float and shapeless, as TFLite's AddIntermediateTensors makes them: no kernel
                    // reads them in float; they exist to carry calibrated ranges and then scales.
                    tensors.add(new Tensor(added[i], base + "/" + NAMES[i], DType.FLOAT32, new int[0], null, 0, null, null,
                            false, false));
                }
                ops.add(op.withIntermediates(added));
                changed = true;
            }
            subgraphs.add(new Subgraph(g.index(), g.name(), tensors, g.inputs(), g.outputs(), ops));
        }
        if (!changed) {
            return model;
        }
        TfliteModel assembled = new TfliteModel(model.version(), model.description(), model.operatorCodes(), subgraphs,
                model.buffers(), model.metadata(), model.signatures(), List.of(), null);
        return Assembly.writeAndRead(assembled);
    }
}
