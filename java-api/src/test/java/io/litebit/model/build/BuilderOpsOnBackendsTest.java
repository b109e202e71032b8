package io.litebit.model.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.api.Backend;
import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.api.Model;
import io.litebit.api.OpDetails;
import io.litebit.api.TensorData;
import io.litebit.api.TensorDetails;
import io.litebit.api.TensorHandle;
import io.litebit.api.TfliteException;
import io.litebit.model.DType;
import io.litebit.model.TfliteModel;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every builder operation (the model module's ModelBuilderOpsTest cases: one model per op and
 * type) runs on every backend. Lives in the builder's package to reuse its package-private case
 * list. Which cases XNNPACK takes is printed.
 */
class BuilderOpsOnBackendsTest {
    private static final Map<String, String> XNNPACK_TAKES = new ConcurrentHashMap<>();

    static Stream<Arguments> casesAndBackends() {
        return ModelBuilderOpsTest.cases().flatMap(c -> Stream.of(Backend.values()).map(b -> Arguments.of(c, b)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("casesAndBackends")
    void runs(ModelBuilderOpsTest.Case c, Backend backend) {
        ModelBuilder mb = ModelBuilder.create().description(c.name());
        SubgraphBuilder g = mb.main();
        g.output(c.body().apply(g));
        TfliteModel built = mb.build();
        Model model = Model.fromBytes(built.toBytes());
        boolean depthwiseWithoutBias = built.mainSubgraph().operators().stream()
                .anyMatch(op -> op.op() == io.litebit.model.BuiltinOp.DEPTHWISE_CONV_2D && op.inputCount() == 2);
        if (depthwiseWithoutBias && backend != Backend.BUILTIN_REF) {
            // TFLite 2.19's optimized kernel would crash the JVM (null bias): refused up front.
            assertThatThrownBy(() -> Interpreter.create(model, InterpreterOptions.of(backend)))
                    .isInstanceOf(TfliteException.class).hasMessageContaining("would crash the JVM");
            XNNPACK_TAKES.put(c.name(), "refused on BUILTIN and XNNPACK (DEPTHWISE_CONV_2D without bias crashes"
                    + " TFLite 2.19's optimized kernel); runs on BUILTIN_REF");
            return;
        }
        try (Interpreter it = Interpreter.create(model, InterpreterOptions.of(backend))) {
            Random random = new Random(c.name().hashCode());
            for (int i = 0; i < it.inputCount(); i++) {
                fill(it.input(i), random);
            }
            it.invoke();
            TensorData out = it.output(0).read();
            assertThat(out.shape()).as("output shape of %s", c.name()).isEqualTo(c.shape());
            if (out.dtype() == DType.FLOAT32) {
                for (float v : out.toFloatArray()) {
                    assertThat(Float.isNaN(v)).as("NaN in %s", c.name()).isFalse();
                }
            }
            if (backend == Backend.XNNPACK) {
                XNNPACK_TAKES.putIfAbsent(c.name(), it.hasDelegatedOps() ? "XNNPACK"
                        : it.warnings().isEmpty() ? "builtin (not delegated)" : "builtin (" + it.warnings().get(0) + ")");
            } else {
                assertThat(it.opDetails()).noneMatch(OpDetails::isDelegated);
            }
        }
    }

    /** Floats in [-1, 1), integers over their range, bools 0/1. */
    private static void fill(TensorHandle input, Random random) {
        TensorDetails d = input.details();
        int n = Math.toIntExact(d.elementCount());
        if (d.dtype() == DType.FLOAT32) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextFloat() * 2 - 1;
            }
            input.write(v);
        } else {
            ByteBuffer view = input.buffer();
            byte[] raw = new byte[view.remaining()];
            random.nextBytes(raw);
            view.put(raw);
        }
    }

    @AfterAll
    static void print() {
        new TreeMap<>(XNNPACK_TAKES).forEach((c, where) -> System.out.println("[litebit-api] builder op \"" + c
                + "\" on the XNNPACK backend: " + where));
    }
}
