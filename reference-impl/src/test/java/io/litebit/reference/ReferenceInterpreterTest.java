package io.litebit.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.zoo.Zoo;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** The graph executor: order, kept intermediates, input checks and refusals. */
class ReferenceInterpreterTest {

    /** float x -> QUANTIZE -> FULLY_CONNECTED -> ADD (constant) -> DEQUANTIZE. */
    private static TfliteModel chain() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 2});
        Quantization xq = Quantization.perTensor(0.5f, 0);
        TensorRef q = g.quantize(x, Out.of(DType.INT8, xq).named("x_int8"));
        Quantization wq = Quantization.perTensor(0.25f, 0);
        TensorRef w = g.constant("w", DType.INT8, new int[] {1, 2}, new byte[] {3, 1}, wq);
        TensorRef b = g.constant("b", new int[] {1}, new int[] {2}, SubgraphBuilder.biasQuantization(xq, wq));
        TensorRef h = g.fullyConnected(q, w, b, new BuiltinOptions.FullyConnected(Activation.NONE, false),
                Out.int8(0.25f, 0).named("hidden"));
        TensorRef c = g.constant("c", DType.INT8, new int[] {1}, new byte[] {2}, Quantization.perTensor(0.25f, 0));
        TensorRef sum = g.add(h, c, Out.int8(0.5f, 0).named("sum"));
        g.output(g.dequantize(sum, Out.float32().named("y")));
        return mb.build();
    }

    @Test
    void runsInOrderAndKeepsEveryTensor() {
        TfliteModel model = chain();
        ReferenceInterpreter oracle = ReferenceInterpreter.create(model);
        Execution run = oracle.run(TensorValue.ofFloat32(new int[] {1, 2}, 1.0f, -0.5f));
        // QUANTIZE (scale 0.5): 1.0 -> 2, -0.5 -> -1.
        assertThat(run.tensor("x_int8").toIntArray()).containsExactly(2, -1);
        // FC: 3*2 + 1*(-1) + 2 = 7; multiplier float(0.5 * 0.25) / 0.25 = 0.5 -> (2^30, 0);
        // SRDHM(7, 2^30) = 3.5 -> 4.
        assertThat(run.tensor("hidden").toIntArray()).containsExactly(4);
        // ADD: scales 0.25 and 0.25 -> twice_max 0.5, input multipliers 0.5 -> (2^30, 0); output
        // 0.5 / (2^20 * 0.5) = 2^-20 -> (2^30, -19). 4 << 20 -> 2097152, 2 << 20 -> 1048576;
        // sum 3145728 -> SRDHM 1572864 -> RDBP(., 19) = 3.
        assertThat(run.tensor("sum").toIntArray()).containsExactly(3);
        // DEQUANTIZE: (float) (0.5 * 3) = 1.5.
        assertThat(run.output(0).toFloatArray()).containsExactly(1.5f);
        assertThat(run.outputs()).containsExactly(run.tensor("y"));
        // Constants are values too.
        assertThat(run.tensor("w").toIntArray()).containsExactly(3, 1);
        assertThat(run.steps()).extracting(s -> s.operator().op())
                .containsExactly(BuiltinOp.QUANTIZE, BuiltinOp.FULLY_CONNECTED, BuiltinOp.ADD, BuiltinOp.DEQUANTIZE);
        assertThat(run.steps().get(1).outputs()).containsExactly(model.mainSubgraph().tensor("hidden").orElseThrow().index());
    }

    @Test
    void runByNameAndRepeatedRunsAgree() {
        ReferenceInterpreter oracle = ReferenceInterpreter.create(chain());
        TensorValue x = TensorValue.ofFloat32(new int[] {1, 2}, 1.0f, -0.5f);
        assertThat(oracle.run(Map.of("x", x)).output(0)).isEqualTo(oracle.run(x).output(0));
        assertThatThrownBy(() -> oracle.run(Map.of("y", x))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no value for input 0 \"x\"");
        assertThatThrownBy(() -> oracle.run(Map.of("x", x, "z", x))).hasMessageContaining("no inputs named [z]");
    }

    @Test
    void inputsAreChecked() {
        ReferenceInterpreter oracle = ReferenceInterpreter.create(chain());
        assertThatThrownBy(() -> oracle.run()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the model has 1 inputs, given 0");
        assertThatThrownBy(() -> oracle.run(TensorValue.ofInt8(new int[] {1, 2}, (byte) 1, (byte) 2)))
                .hasMessage("input 0 \"x\" is float32[1, 2], given int8[1, 2]");
        assertThatThrownBy(() -> oracle.run(TensorValue.ofFloat32(new int[] {2}, 1f, 2f)))
                .hasMessage("input 0 \"x\" is float32[1, 2], given float32[2]");
    }

    @Test
    void missingValuesAreReported() {
        Execution run = ReferenceInterpreter.create(chain()).run(TensorValue.ofFloat32(new int[] {1, 2}, 0f, 0f));
        assertThatThrownBy(() -> run.tensor("nope")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("no tensor named \"nope\"");
        assertThatThrownBy(() -> run.find(999)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void anOpWithoutAKernelIsNamedWithVersionAndTypes() {
        // EXP has no kernel in the reference.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {2});
        TensorRef y = g.tensor("y", DType.FLOAT32, new int[] {2}, Quantization.NONE);
        g.op(BuiltinOp.EXP, BuiltinOptions.None.INSTANCE, List.of(x), List.of(y));
        g.output(y);
        assertThatThrownBy(() -> ReferenceInterpreter.create(mb.build()))
                .isInstanceOf(UnsupportedOpException.class)
                .hasMessageContaining("EXP v1 (inputs float32 -> outputs float32)")
                .hasMessageContaining("the reference has no EXP kernel yet")
                .satisfies(e -> {
                    UnsupportedOpException u = (UnsupportedOpException) e;
                    assertThat(u.opName()).isEqualTo("EXP");
                    assertThat(u.version()).isEqualTo(1);
                    assertThat(u.inputTypes()).containsExactly("float32");
                });
    }

    @Test
    void aVersionTfliteDoesNotRegisterIsRefused() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 2});
        TensorRef w = g.constant("w", new int[] {1, 2}, new float[] {1f, 1f});
        TensorRef y = g.tensor("y", DType.FLOAT32, new int[] {1, 1}, Quantization.NONE);
        g.op(BuiltinOp.FULLY_CONNECTED, 14, new BuiltinOptions.FullyConnected(Activation.NONE, false), List.of(x, w), List.of(y));
        g.output(y);
        assertThatThrownBy(() -> ReferenceInterpreter.create(mb.build()))
                .isInstanceOf(UnsupportedOpException.class)
                .hasMessage("operator 0 FULLY_CONNECTED v14 (inputs float32, float32 -> outputs float32): TFLite 2.19 registers "
                        + "FULLY_CONNECTED versions 1..13 (\"Didn't find op for builtin opcode 'FULLY_CONNECTED' version '14'\")");
    }

    @Test
    void customOpsAreUnsupported() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1});
        TensorRef y = g.tensor("y", DType.FLOAT32, new int[] {1}, Quantization.NONE);
        g.custom("MyOp", 1, null, List.of(x), List.of(y));
        g.output(y);
        assertThatThrownBy(() -> ReferenceInterpreter.create(mb.build()))
                .isInstanceOf(UnsupportedOpException.class)
                .hasMessage("operator 0 CUSTOM(MyOp) v1 (inputs float32 -> outputs float32): custom operators");
    }

    @Test
    void profilesAreRecorded() {
        assertThat(ReferenceInterpreter.create(chain()).profile()).isEqualTo(NumericsProfile.TFLITE);
        assertThat(ReferenceInterpreter.create(chain(), NumericsProfile.NAIVE_FLOAT).profile()).isEqualTo(NumericsProfile.NAIVE_FLOAT);
        assertThat(NumericsProfile.TFLITE_SINGLE_ROUNDING.isFixedPoint()).isTrue();
        assertThatThrownBy(NumericsProfile.NAIVE_FLOAT::rounding).isInstanceOf(IllegalStateException.class);
    }
}
