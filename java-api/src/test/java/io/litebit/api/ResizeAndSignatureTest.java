package io.litebit.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Resizing inputs and re-allocating; signatures on the primary and on a second subgraph. */
class ResizeAndSignatureTest {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void resizeReallocatesAndViewsMustBeReobtained(Backend backend) {
        try (Interpreter it = Interpreter.create(TestModels.fcFloat(), InterpreterOptions.of(backend))) {
            assertThat(it.input(0).buffer().capacity()).isEqualTo(16);
            it.resizeInput(0, 3, 4);
            assertThat(it.input(0).shape()).containsExactly(3, 4);
            // Reading between resize and allocation allocates first (TFLite's byte count has grown).
            assertThat(it.input(0).readFloats()).hasSize(12);
            // rows: x, 0, -x  ->  fc = {20.5, 29.5, 40}, relu(b) = {0.5, 0, 0}, relu(-... - ...) = 0
            float[] x = {1, 2, 3, 4, 0, 0, 0, 0, -1, -2, -3, -4};
            it.input(0).buffer().asFloatBuffer().put(x); // allocates, then the view of the new [3, 4]
            it.invoke();
            assertThat(it.output(0).shape()).containsExactly(3, 3);
            assertThat(it.output(0).buffer().capacity()).isEqualTo(36);
            assertThat(it.output(0).readFloats()).containsExactly(21.5f, 30.5f, 41f, 1.5f, 1f, 1f, 1f, 1f, 1f);
            // The file has no shape signature: TFLite (and Python's shape_signature) then report the shape.
            assertThat(it.input(0).details().shapeSignature()).containsExactly(3, 4);

            it.resizeInput("x", 1, 4);
            it.input(0).write(IntermediatesTest.X);
            it.invoke();
            assertThat(it.output(0).readFloats()).containsExactly(IntermediatesTest.Y);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void signatureRunsByKeyWithNamedInputsAndOutputs(Backend backend) {
        try (Interpreter it = Interpreter.create(TestModels.addFloat(), InterpreterOptions.of(backend))) {
            assertThat(it.signatureKeys()).containsExactly("serving_default");
            SignatureRunner add = it.signature("serving_default");
            assertThat(add.inputNames()).containsExactly("a", "b");
            assertThat(add.outputNames()).containsExactly("sum");
            Map<String, TensorData> in = new LinkedHashMap<>();
            in.put("a", TensorData.ofFloat32(new float[] {1, 2, 3, 4}, 1, 4));
            in.put("b", TensorData.ofFloat32(new float[] {10, 20, 30, 40}, 1, 4));
            assertThat(add.run(in)).containsOnlyKeys("sum");
            assertThat(it.runSignature("serving_default", in).get("sum").toFloatArray()).containsExactly(11, 22, 33, 44);

            add.input("a").write(new float[] {0.5f, 0.5f, 0.5f, 0.5f});
            add.invoke();
            assertThat(add.output("sum").readFloats()).containsExactly(10.5f, 20.5f, 30.5f, 40.5f);

            // Another shape: run() resizes the inputs.
            in.put("a", TensorData.ofFloat32(new float[] {1, 1, 1, 1, 2, 2, 2, 2}, 2, 4));
            in.put("b", TensorData.ofFloat32(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, 2, 4));
            TensorData sum = add.run(in).get("sum");
            assertThat(sum.shape()).containsExactly(2, 4);
            assertThat(sum.toFloatArray()).containsExactly(2, 3, 4, 5, 3, 4, 5, 6);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSignatureOnASecondSubgraphRunsIndependently(Backend backend) {
        try (Interpreter it = Interpreter.create(TestModels.addAndMul(), InterpreterOptions.of(backend))) {
            assertThat(it.signatureKeys()).containsExactly("add", "mul");
            SignatureRunner mul = it.signature("mul");
            assertThat(mul.subgraphIndex()).isEqualTo(1);
            Map<String, TensorData> in = new LinkedHashMap<>();
            in.put("x", TensorData.ofFloat32(new float[] {3, 4}, 2));
            in.put("y", TensorData.ofFloat32(new float[] {5, 6}, 2));
            assertThat(mul.run(in).get("product").toFloatArray()).containsExactly(15, 24);
            assertThat(it.signature("add").run(in).get("sum").toFloatArray()).containsExactly(8, 10);
            assertThat(mul.output("product").details().subgraphIndex()).isEqualTo(1);
            assertThat(mul.output("product").buffer().asFloatBuffer().get(1)).isEqualTo(24f);
            // The primary subgraph through the plain API is the "add" signature.
            it.input(0).write(new float[] {1, 1});
            it.input(1).write(new float[] {2, 2});
            it.invoke();
            assertThat(it.output(0).readFloats()).containsExactly(3, 3);
        }
    }
}
