package io.litebit.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one {@link Backend} computed for one model and one set of inputs: every tensor it could
 * expose, in execution order (the inputs first, then each operator's outputs as it ran), plus
 * notes on anything the backend could not show or that differs from an uninstrumented run.
 *
 * <pre>{@code
 * Trace t = Backend.builtinRef().run(model, List.of(inputBytes));
 * for (TracedTensor x : t.tensors()) {
 *     System.out.println(x);
 * }
 * byte[] logits = t.output(0).data();
 * }</pre>
 *
 * @param backend the backend's {@link Backend#name() name}
 * @param tensors inputs and operator outputs in execution order
 * @param outputs the subgraph's output tensor indices, in order
 * @param notes   human-readable remarks (tensors without data, instrumentation differences)
 */
public record Trace(String backend, List<TracedTensor> tensors, int[] outputs, List<String> notes) {
    public Trace {
        tensors = List.copyOf(tensors);
        outputs = outputs.clone();
        notes = List.copyOf(notes);
    }

    @Override
    public int[] outputs() {
        return outputs.clone();
    }

    /** The traced tensor with this subgraph index, if the backend exposed it. */
    public Optional<TracedTensor> tensor(int tensorIndex) {
        for (TracedTensor t : tensors) {
            if (t.tensorIndex() == tensorIndex) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Output {@code i} of the subgraph. */
    public TracedTensor output(int i) {
        return tensor(outputs[i]).orElseThrow(() -> new IllegalStateException(
                backend + " has no value for output " + i + " (tensor " + outputs[i] + ")"));
    }

    /** All outputs, in order. */
    public List<TracedTensor> outputTensors() {
        List<TracedTensor> out = new ArrayList<>();
        for (int i = 0; i < outputs.length; i++) {
            out.add(output(i));
        }
        return out;
    }
}
