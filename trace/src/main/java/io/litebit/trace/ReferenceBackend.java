package io.litebit.trace;

import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.reference.Execution;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The Java oracle; see {@link Backend}. */
final class ReferenceBackend implements Backend {
    private final NumericsProfile profile;

    ReferenceBackend(NumericsProfile profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
    }

    @Override
    public String name() {
        return "reference:" + profile;
    }

    @Override
    public Session open(TfliteModel model) {
        ReferenceInterpreter oracle = ReferenceInterpreter.create(model, profile);
        Subgraph g = model.mainSubgraph();
        return new Session() {
            @Override
            public Trace run(List<byte[]> inputs) {
                Backend.checkInputs(model, inputs);
                int[] ins = g.inputs();
                TensorValue[] values = new TensorValue[ins.length];
                for (int i = 0; i < ins.length; i++) {
                    Tensor t = g.tensor(ins[i]);
                    values[i] = TensorValue.fromLittleEndian(t.dtype(), t.shape(), ByteBuffer.wrap(inputs.get(i)));
                }
                Execution run = oracle.run(values);
                List<TracedTensor> out = new ArrayList<>();
                for (int i = 0; i < ins.length; i++) {
                    out.add(traced(g.tensor(ins[i]), -1, "input", values[i]));
                }
                for (Execution.Step step : run.steps()) {
                    for (int t : step.outputs()) {
                        out.add(traced(g.tensor(t), step.operator().index(), step.operator().opcode().displayName(),
                                run.tensor(t)));
                    }
                }
                return new Trace(name(), out, g.outputs(), List.of());
            }

            @Override
            public void visit(List<byte[]> inputs, TensorVisitor visitor) {
                Backend.checkInputs(model, inputs);
                int[] ins = g.inputs();
                TensorValue[] values = new TensorValue[ins.length];
                for (int i = 0; i < ins.length; i++) {
                    Tensor t = g.tensor(ins[i]);
                    values[i] = TensorValue.fromLittleEndian(t.dtype(), t.shape(), ByteBuffer.wrap(inputs.get(i)));
                    visitor.visit(ins[i], -1, t.dtype(), t.shape(), ByteBuffer.wrap(inputs.get(i)).asReadOnlyBuffer()
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN));
                }
                Execution run = oracle.run(values);
                for (Execution.Step step : run.steps()) {
                    for (int t : step.outputs()) {
                        TensorValue v = run.tensor(t);
                        visitor.visit(t, step.operator().index(), v.dtype(), v.shape(),
                                ByteBuffer.wrap(v.toLittleEndianBytes()).asReadOnlyBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN));
                    }
                }
            }

            @Override
            public void close() {
                // The oracle holds no native memory.
            }
        };
    }

    private static TracedTensor traced(Tensor t, int opIndex, String opName, TensorValue v) {
        return new TracedTensor(t.index(), t.name(), v.dtype(), v.shape(), t.quantization(), opIndex, opName,
                v.toLittleEndianBytes());
    }

    @Override
    public String toString() {
        return name();
    }
}
