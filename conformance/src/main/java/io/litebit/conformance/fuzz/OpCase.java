package io.litebit.conformance.fuzz;

import io.litebit.model.BuiltinOp;
import io.litebit.model.TfliteModel;
import java.util.List;

/**
 * One generated single-op case: the model (built with the model builder), its inputs as
 * little-endian bytes, and a description of the parameters that a failure report prints.
 *
 * <pre>{@code
 * OpCase c = Generators.forOp(BuiltinOp.ADD).orElseThrow().generate(42);
 * Trace t = Backend.builtinRef().run(c.model(), c.inputs());
 * Files.write(Path.of("add42.tflite"), c.model().toBytes());
 * }</pre>
 *
 * @param seed    the seed that regenerated this case with {@link OpGenerator#generate(long)}; for a
 *                shrunk case, the seed of the case it was shrunk from
 * @param params  the parameters in words, e.g. {@code int8 [2,5]+[5] s=(0.01,0.02->0.03) zp=(3,-7->0) RELU}
 * @param choices the random choices that made it: {@link OpGenerator#replay(Choices)} regenerates it
 */
public record OpCase(BuiltinOp op, long seed, String params, TfliteModel model, List<byte[]> inputs, Choices choices) {
    public OpCase {
        inputs = List.copyOf(inputs);
    }

    /** The dtype path of the op, see {@link DtypePath}. */
    public String path() {
        return DtypePath.of(model);
    }

    /**
     * Whether the op takes and gives float tensors (QUANTIZE and DEQUANTIZE do not): the cases
     * whose arithmetic is the native float kernels', which the oracle's profiles do not claim.
     */
    public boolean computesInFloat() {
        io.litebit.model.Subgraph g = model.mainSubgraph();
        io.litebit.model.Operator o = g.operator(0);
        boolean floatIn = java.util.Arrays.stream(o.inputs())
                .anyMatch(i -> i >= 0 && g.tensor(i).dtype() == io.litebit.model.DType.FLOAT32);
        boolean floatOut = java.util.Arrays.stream(o.outputs())
                .anyMatch(i -> i >= 0 && g.tensor(i).dtype() == io.litebit.model.DType.FLOAT32);
        return floatIn && floatOut;
    }

    @Override
    public String toString() {
        return op + " seed=" + seed + " " + params;
    }
}
