package io.litebit.trace;

import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.api.Model;
import io.litebit.api.TensorData;
import io.litebit.api.TensorDetails;
import io.litebit.model.Operator;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.rewrite.Rewriters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Native TFLite through litebit's Java API; see {@link Backend}. */
final class NativeBackend implements Backend {
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private final io.litebit.api.Backend kind;

    NativeBackend(io.litebit.api.Backend kind) {
        this.kind = kind;
        // TensorData holds native order; traces hold TFLite's little-endian layout. Every platform
        // the preset ships (x86_64, arm64) is little-endian, so the bytes are the same; refuse
        // loudly rather than byte-swap silently wrong somewhere else.
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("native backends need a little-endian platform");
        }
    }

    @Override
    public String name() {
        return switch (kind) {
            case XNNPACK -> "xnnpack";
            case BUILTIN -> "builtin";
            case BUILTIN_REF -> "builtin-ref";
        };
    }

    @Override
    public Session open(TfliteModel model) {
        Subgraph g = model.mainSubgraph();
        if (kind != io.litebit.api.Backend.XNNPACK) {
            InterpreterOptions options = InterpreterOptions.builder().backend(kind).preserveAllTensors(true).build();
            Interpreter interpreter = Interpreter.create(Model.fromBytes(model.toBytes()), options);
            return new Session() {
                @Override
                public Trace run(List<byte[]> inputs) {
                    Backend.checkInputs(model, inputs);
                    List<String> notes = new ArrayList<>();
                    invoke(interpreter, g, inputs);
                    return new Trace(name(), collect(g, interpreter, notes), g.outputs(), notes);
                }

                // One buffer for every tensor of every run: calibration visits thousands of runs.
                private ByteBuffer scratch = ByteBuffer.allocate(0);

                @Override
                public void visit(List<byte[]> inputs, TensorVisitor visitor) {
                    Backend.checkInputs(model, inputs);
                    invoke(interpreter, g, inputs);
                    for (int in : g.inputs()) {
                        show(visitor, in, -1);
                    }
                    for (int opIndex : g.executionOrder()) {
                        for (int t : g.operator(opIndex).outputs()) {
                            if (t >= 0) {
                                show(visitor, t, opIndex);
                            }
                        }
                    }
                }

                private void show(TensorVisitor visitor, int tensor, int opIndex) {
                    io.litebit.api.TensorHandle h = interpreter.tensor(tensor);
                    TensorDetails d = h.details();
                    long size = d.byteSize();
                    if (size > scratch.capacity()) {
                        if (size > MAX_ARRAY) {
                            throw new IllegalArgumentException("tensor " + tensor + " \"" + d.name() + "\" holds " + size
                                    + " bytes, more than a Java buffer can (" + MAX_ARRAY + ")");
                        }
                        scratch = ByteBuffer.allocate((int) Math.min(MAX_ARRAY, Math.max(size, 2L * scratch.capacity())));
                    }
                    scratch.clear();
                    // TensorHandle gives native order, which the constructor checked is little-endian.
                    int n = h.readInto(scratch);
                    scratch.flip();
                    visitor.visit(tensor, opIndex, d.dtype(), d.shape(),
                            scratch.slice(0, n).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
                }

                @Override
                public void close() {
                    interpreter.close();
                }
            };
        }
        // XNNPACK: intermediates inside a partition have no memory of their own; make them outputs.
        // The uninstrumented model runs too, for the true final outputs.
        Interpreter instrumented = Interpreter.create(Model.fromBytes(Rewriters.allTensorsAsOutputs(model).toBytes()),
                InterpreterOptions.of(kind));
        Interpreter plain;
        try {
            plain = Interpreter.create(Model.fromBytes(model.toBytes()), InterpreterOptions.of(kind));
        } catch (RuntimeException e) {
            instrumented.close();
            throw e;
        }
        return new Session() {
            @Override
            public Trace run(List<byte[]> inputs) {
                Backend.checkInputs(model, inputs);
                List<String> notes = new ArrayList<>();
                invoke(instrumented, g, inputs);
                List<TracedTensor> tensors = collect(g, instrumented, notes);
                invoke(plain, g, inputs);
                int[] outs = g.outputs();
                for (int i = 0; i < outs.length; i++) {
                    byte[] original = bytesOf(plain.output(i).read());
                    for (TracedTensor t : tensors) {
                        if (t.tensorIndex() == outs[i] && !Arrays.equals(original, t.data())) {
                            notes.add("output " + i + " (tensor " + outs[i] + " \"" + t.name() + "\") differs between the "
                                    + "uninstrumented model and the all-outputs rewrite: instrumentation changed the kernels");
                        }
                    }
                }
                return new Trace(name(), tensors, g.outputs(), notes);
            }

            @Override
            public void close() {
                plain.close();
                instrumented.close();
            }
        };
    }

    private static void invoke(Interpreter interpreter, Subgraph g, List<byte[]> inputs) {
        // A trace is a function of its inputs: stateful ops (the LSTMs) would otherwise start from
        // the previous run's state, which neither a fresh interpreter nor the oracle does.
        for (Tensor t : g.tensors()) {
            if (t.isVariable()) {
                TensorDetails d = interpreter.tensor(t.index()).details();
                interpreter.tensor(t.index()).write(TensorData.ofRaw(d.dtype(), d.shape(),
                        ByteBuffer.allocate(Math.toIntExact(d.byteSize()))));
            }
        }
        for (int i = 0; i < inputs.size(); i++) {
            TensorDetails d = interpreter.input(i).details();
            interpreter.input(i).write(TensorData.ofRaw(d.dtype(), d.shape(), ByteBuffer.wrap(inputs.get(i))));
        }
        interpreter.invoke();
    }

    private static List<TracedTensor> collect(Subgraph g, Interpreter interpreter, List<String> notes) {
        List<TracedTensor> out = new ArrayList<>();
        for (int in : g.inputs()) {
            out.add(traced(g.tensor(in), -1, "input", interpreter.tensor(in).read()));
        }
        for (int opIndex : g.executionOrder()) {
            Operator op = g.operator(opIndex);
            for (int t : op.outputs()) {
                if (t < 0) {
                    continue;
                }
                try {
                    out.add(traced(g.tensor(t), opIndex, op.opcode().displayName(), interpreter.tensor(t).read()));
                } catch (IllegalStateException e) {
                    notes.add("tensor " + t + " \"" + g.tensor(t).name() + "\" has no data: " + e.getMessage());
                }
            }
        }
        return out;
    }

    private static TracedTensor traced(Tensor t, int opIndex, String opName, TensorData value) {
        return new TracedTensor(t.index(), t.name(), value.dtype(), value.shape(), t.quantization(), opIndex, opName,
                bytesOf(value));
    }

    private static byte[] bytesOf(TensorData value) {
        ByteBuffer b = value.bytes();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    @Override
    public String toString() {
        return name();
    }
}
