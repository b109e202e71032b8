package io.litebit.cli;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model native TFLite runs and the oracle cannot: FLOOR (float [1, 8]) then RELU, so that op 0
 * is the one the oracle lacks and two tensors follow the input.
 *
 * <pre>{@code
 * Path floor = OracleLacksModel.write(tempDir);
 * }</pre>
 */
final class OracleLacksModel {
    static final String OP = "FLOOR";

    private OracleLacksModel() {
    }

    static Path write(Path dir) throws IOException {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 8});
        TensorRef y = g.tensor("y", DType.FLOAT32, new int[] {1, 8}, Quantization.NONE);
        g.op(BuiltinOp.FLOOR, null, java.util.List.of(x), java.util.List.of(y));
        g.output(g.relu(y));
        Files.createDirectories(dir);
        Path p = dir.resolve("floor.tflite");
        Files.write(p, mb.build().toBytes());
        return p;
    }
}
