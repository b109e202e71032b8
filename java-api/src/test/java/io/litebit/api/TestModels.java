package io.litebit.api;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.OperatorCode;
import io.litebit.model.Quantization;
import io.litebit.model.SignatureDef;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.io.ModelWriter;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.testing.SharedAssets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/** Small models for the API's tests, built in Java so they run without shared assets. */
final class TestModels {
    private TestModels() {
    }

    static Map<String, TensorRef> ordered(String k1, TensorRef v1, String k2, TensorRef v2) {
        Map<String, TensorRef> m = new java.util.LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    static Model of(TfliteModel m) {
        return Model.fromBytes(m.toBytes());
    }

    static Model shared(String relative) {
        try {
            return Model.load(SharedAssets.require("models/" + relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Model helloWorldInt8() {
        return shared("tflite-micro/hello_world_int8.tflite");
    }

    /** sum = a + b, float32 [1, 4]; signature "serving_default" with inputs a, b and output sum. */
    static Model addFloat() {
        ModelBuilder mb = ModelBuilder.create().description("add");
        SubgraphBuilder g = mb.main();
        TensorRef a = g.input("a", DType.FLOAT32, new int[] {1, 4});
        TensorRef b = g.input("b", DType.FLOAT32, new int[] {1, 4});
        TensorRef sum = g.add(a, b, Out.float32().named("sum"));
        g.output(sum);
        mb.signature("serving_default", g, ordered("a", a, "b", b), Map.of("sum", sum));
        return of(mb.build());
    }

    /**
     * Two signatures on two subgraphs: "add" (subgraph 0: x + y) and "mul" (subgraph 1: x * y),
     * float32 [2].
     */
    static Model addAndMul() {
        ModelBuilder mb = ModelBuilder.create().description("add and mul");
        SubgraphBuilder main = mb.main();
        TensorRef x = main.input("x", DType.FLOAT32, new int[] {2});
        TensorRef y = main.input("y", DType.FLOAT32, new int[] {2});
        TensorRef sum = main.add(x, y, Out.float32().named("sum"));
        main.output(sum);
        SubgraphBuilder second = mb.addSubgraph("mul");
        TensorRef p = second.input("p", DType.FLOAT32, new int[] {2});
        TensorRef q = second.input("q", DType.FLOAT32, new int[] {2});
        TensorRef product = second.mul(p, q, Out.float32().named("product"));
        second.output(product);
        mb.signature("add", main, ordered("x", x, "y", y), Map.of("sum", sum));
        mb.signature("mul", second, ordered("x", p, "y", q), Map.of("product", product));
        return of(mb.build());
    }

    /**
     * relu(x @ w^T + b) then + 1, float32: x [1, 4], w [3, 4] with w[o][i] = o + i, b = {0.5, -0.5, 0}.
     * Two operators, so the FULLY_CONNECTED output is an intermediate tensor named "fc".
     */
    static Model fcFloat() {
        ModelBuilder mb = ModelBuilder.create().description("fc");
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 4});
        float[] w = new float[12];
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 4; i++) {
                w[o * 4 + i] = o + i;
            }
        }
        TensorRef fc = g.fullyConnected(x, g.constant("w", new int[] {3, 4}, w),
                g.constant("b", new int[] {3}, new float[] {0.5f, -0.5f, 0f}),
                new BuiltinOptions.FullyConnected(Activation.RELU, false), Out.float32().named("fc"));
        TensorRef y = g.add(fc, g.constant("one", new int[] {1}, new float[] {1f}), Out.float32().named("y"));
        g.output(y);
        return of(mb.build());
    }

    /**
     * A FULLY_CONNECTED model whose constant weights are per-channel quantized along dimension 3
     * of a rank-1 tensor, as in TFLite Micro's person_detect: litebit's model layer warns, full
     * TFLite refuses. Assembled from view classes (the builder would refuse it).
     */
    static byte[] quantizedDimensionOutOfRange() {
        byte[] weights = new byte[12];
        java.util.Arrays.fill(weights, (byte) 1);
        ByteBuffer wdata = ByteBuffer.wrap(weights).order(ByteOrder.LITTLE_ENDIAN);
        Tensor in = new Tensor(0, "in", DType.INT8, new int[] {1, 4}, null, 0, null,
                Quantization.perTensor(0.1f, 3), false, false);
        float[] scales = new float[12];
        java.util.Arrays.fill(scales, 0.5f);
        Tensor w = new Tensor(1, "w", DType.INT8, new int[] {12}, null, 1, wdata,
                Quantization.perChannel(scales, new long[12], 3), false, false);
        Tensor out = new Tensor(2, "out", DType.INT8, new int[] {1, 3}, null, 0, null,
                Quantization.perTensor(0.2f, -1), false, false);
        OperatorCode code = new OperatorCode(BuiltinOp.FULLY_CONNECTED.code(), BuiltinOp.FULLY_CONNECTED, null, 1);
        Operator op = new Operator(0, 0, code, new int[] {0, 1, -1}, new int[] {2}, null,
                new BuiltinOptions.FullyConnected(Activation.NONE, false), null);
        Subgraph g = new Subgraph(0, "main", List.of(in, w, out), new int[] {0}, new int[] {2}, List.of(op));
        TfliteModel m = new TfliteModel(3, "bad quantized_dimension", List.of(code), List.of(g),
                java.util.Arrays.asList(null, wdata), List.of(),
                List.<SignatureDef>of(), List.of(), null);
        return ModelWriter.toArray(ModelWriter.write(m));
    }
}
