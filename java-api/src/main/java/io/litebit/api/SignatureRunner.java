package io.litebit.api;

import io.litebit.model.SignatureDef;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one signature of a model: a named entry point whose inputs and outputs are named (TFLite's
 * {@code SignatureRunner}). Obtained from {@link Interpreter#signature(String)}; it works on the
 * signature's subgraph, which is allocated on first use.
 *
 * <pre>{@code
 * SignatureRunner add = interpreter.signature("serving_default");
 * Map<String, TensorData> out = add.run(Map.of(
 *         "x", TensorData.ofFloat32(new float[] {1, 2}, 1, 2),
 *         "y", TensorData.ofFloat32(new float[] {3, 4}, 1, 2)));
 * float[] sum = out.get("sum").toFloatArray();
 * // or step by step:
 * add.input("x").write(new float[] {1, 2});
 * add.input("y").write(new float[] {3, 4});
 * add.invoke();
 * float[] again = add.output("sum").readFloats();
 * }</pre>
 *
 * <p>Belongs to its interpreter: same lock, same lifetime (closed with it).
 */
public final class SignatureRunner {
    private final Interpreter interpreter;
    private final SignatureDef def;

    SignatureRunner(Interpreter interpreter, SignatureDef def) {
        this.interpreter = interpreter;
        this.def = def;
        Interpreter.SubgraphState s = interpreter.subgraphState(def.subgraphIndex());
        if (s.needsAllocation) {
            interpreter.allocate(s);
        }
    }

    public String key() {
        return def.key();
    }

    /** The subgraph this signature runs. */
    public int subgraphIndex() {
        return def.subgraphIndex();
    }

    /** Input names, in the model's order. */
    public List<String> inputNames() {
        return List.copyOf(def.inputs().keySet());
    }

    /** Output names, in the model's order. */
    public List<String> outputNames() {
        return List.copyOf(def.outputs().keySet());
    }

    /**
     * The input called {@code name}.
     *
     * @throws IllegalArgumentException if the signature has no such input
     */
    public TensorHandle input(String name) {
        return interpreter.locked(() -> new TensorHandle(interpreter, def.subgraphIndex(),
                tensorOf(def.inputs(), name, "input")));
    }

    /**
     * The output called {@code name}.
     *
     * @throws IllegalArgumentException if the signature has no such output
     */
    public TensorHandle output(String name) {
        return interpreter.locked(() -> new TensorHandle(interpreter, def.subgraphIndex(),
                tensorOf(def.outputs(), name, "output")));
    }

    /** Resizes the input called {@code name}; tensors are re-allocated before the next invoke. */
    public void resizeInput(String name, int... shape) {
        interpreter.locked(() -> {
            Interpreter.SubgraphState s = interpreter.subgraphState(def.subgraphIndex());
            interpreter.resize(s, tensorOf(def.inputs(), name, "input"), shape);
            return null;
        });
    }

    /** Allocates the signature's tensors if an input was resized (invoke does it too). */
    public void allocateTensors() {
        interpreter.locked(() -> {
            Interpreter.SubgraphState s = interpreter.subgraphState(def.subgraphIndex());
            if (s.needsAllocation) {
                interpreter.allocate(s);
            }
            return null;
        });
    }

    /** Runs the signature's subgraph once. */
    public void invoke() {
        interpreter.locked(() -> {
            interpreter.invoke(interpreter.subgraphState(def.subgraphIndex()));
            return null;
        });
    }

    /**
     * Writes every input (resizing an input whose shape differs from the given value's),
     * invokes, and returns every output by name, in the model's order. The whole run holds the
     * interpreter's lock.
     *
     * @throws IllegalArgumentException if an input is missing, unknown, or of the wrong dtype
     */
    public Map<String, TensorData> run(Map<String, TensorData> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        return interpreter.locked(() -> {
            for (String name : inputs.keySet()) {
                tensorOf(def.inputs(), name, "input");
            }
            for (String name : def.inputs().keySet()) {
                if (!inputs.containsKey(name)) {
                    throw new IllegalArgumentException("signature \"" + def.key() + "\" input \"" + name
                            + "\" is missing; the inputs are " + def.inputs().keySet() + ", given " + inputs.keySet());
                }
            }
            Interpreter.SubgraphState s = interpreter.subgraphState(def.subgraphIndex());
            for (Map.Entry<String, Integer> in : def.inputs().entrySet()) {
                TensorData value = Objects.requireNonNull(inputs.get(in.getKey()), in.getKey());
                int[] current = interpreter.details(s, in.getValue()).shape();
                if (!Arrays.equals(current, value.shape())) {
                    interpreter.resize(s, in.getValue(), value.shape());
                }
            }
            if (s.needsAllocation) {
                interpreter.allocate(s);
            }
            for (Map.Entry<String, Integer> in : def.inputs().entrySet()) {
                new TensorHandle(interpreter, def.subgraphIndex(), in.getValue()).write(inputs.get(in.getKey()));
            }
            interpreter.invoke(s);
            Map<String, TensorData> out = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> o : def.outputs().entrySet()) {
                out.put(o.getKey(), new TensorHandle(interpreter, def.subgraphIndex(), o.getValue()).read());
            }
            return java.util.Collections.unmodifiableMap(out);
        });
    }

    private int tensorOf(Map<String, Integer> names, String name, String what) {
        Objects.requireNonNull(name, "name");
        Integer t = names.get(name);
        if (t == null) {
            throw new IllegalArgumentException("signature \"" + def.key() + "\" has no " + what + " \"" + name
                    + "\"; its " + what + "s are " + names.keySet());
        }
        return t;
    }

    @Override
    public String toString() {
        return "SignatureRunner[\"" + def.key() + "\", subgraph " + def.subgraphIndex() + ", inputs "
                + def.inputs().keySet() + ", outputs " + def.outputs().keySet() + "]";
    }
}
