package io.litebit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.ModelFormatException;
import io.litebit.model.ModelWarning;
import io.litebit.model.TfliteModel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gets its documented exception with a message naming expected and given. */
class BadInputTest {

    @Test
    void wrongDtypeIsRefusedAndNeverConverted() {
        try (Interpreter it = Interpreter.create(TestModels.helloWorldInt8())) {
            TensorHandle in = it.input(0);
            assertThatThrownBy(() -> in.write(new float[] {0.5f}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tensor 0 \"serving_default_dense_input:0\" has dtype int8, given float[]"
                            + " (which carries float32); use byte[]");
            assertThatThrownBy(() -> in.write(new short[] {1})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has dtype int8, given short[]");
            assertThatThrownBy(() -> in.write(TensorData.ofFloat32(new float[] {1f}, 1, 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expects int8[1, 1], given float32[1, 1]");
            assertThatThrownBy(() -> it.output(0).readFloats()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has dtype int8, given float[]");
        }
        try (Interpreter it = Interpreter.create(TestModels.fcFloat())) {
            assertThatThrownBy(() -> it.input(0).writeQuantized(new float[4]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is float32 and not quantized")
                    .hasMessageContaining("write(float[])");
            assertThatThrownBy(() -> it.output(0).readDequantized()).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void wrongSizeAndWrongShapeSayExpectedAndGiven() {
        try (Interpreter it = Interpreter.create(TestModels.fcFloat())) {
            TensorHandle x = it.input(0);
            assertThatThrownBy(() -> x.write(new float[5])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tensor 0 \"x\" has shape [1, 4] (4 elements), given 5 float[] values");
            assertThatThrownBy(() -> x.write(new float[0])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(4 elements), given 0 float[] values");
            assertThatThrownBy(() -> x.write(TensorData.ofFloat32(new float[4], 4, 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tensor 0 \"x\" expects float32[1, 4], given float32[4, 1] (resize the input first"
                            + " to feed another shape)");
            assertThatThrownBy(() -> x.writeQuantized(new float[3])).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> TensorData.ofFloat32(new float[3], 1, 4))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("shape [1, 4] has 4 elements, given 3 values");
            // Nothing was written by the failed calls; a correct write still works.
            x.write(new float[] {1, 0, 0, 0});
            it.invoke();
            // fc = relu(x @ w^T + b) = (0 + 0.5, 1 - 0.5, 2 + 0), then + 1
            assertThat(it.output(0).readFloats()).containsExactly(1.5f, 1.5f, 3f);
        }
    }

    @Test
    void quantizingNaNIsRefused() {
        try (Interpreter it = Interpreter.create(TestModels.helloWorldInt8())) {
            assertThatThrownBy(() -> it.input(0).writeQuantized(new float[] {Float.NaN}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("element 0: cannot quantize NaN");
        }
    }

    @Test
    void unknownIndicesNamesAndRolesAreNamed() {
        try (Interpreter it = Interpreter.create(TestModels.fcFloat())) {
            assertThatThrownBy(() -> it.input(1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input 1 out of range, the interpreter has 1 inputs");
            assertThatThrownBy(() -> it.output(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> it.tensor(99)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tensor index 99 out of range");
            assertThatThrownBy(() -> it.tensor("nope")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no tensor named \"nope\"");
            assertThatThrownBy(() -> it.input("y")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no input named \"y\"; the inputs are [\"x\"]");
            assertThatThrownBy(() -> it.tensor("w").write(new float[12])).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is a constant of the model; only inputs (and variable tensors) can be written");
            assertThatThrownBy(() -> it.output(0).write(new float[3])).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is an output");
            assertThatThrownBy(() -> it.tensor("w").buffer()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("zero-copy views exist for inputs and outputs only");
            assertThatThrownBy(() -> it.output(0).resize(2, 3)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("only inputs can be resized");
            assertThatThrownBy(() -> it.resizeInput(0, 2, -4)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dimensions must be >= 0");
            assertThatThrownBy(() -> it.signature("serving_default")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no signature \"serving_default\"; the model has []");
            // The constant itself reads fine (it is the model's own data).
            assertThat(it.tensor("w").readFloats()).startsWith(0f, 1f, 2f, 3f, 1f);
        }
    }

    @Test
    void aShapeTfliteCannotPrepareFailsWithTflitesMessageAndTheInterpreterRecovers() {
        try (Interpreter it = Interpreter.create(TestModels.addFloat(), InterpreterOptions.of(Backend.BUILTIN))) {
            it.resizeInput(0, 1, 3); // a [1, 3] + b [1, 4] do not broadcast
            assertThatThrownBy(it::allocateTensors).isInstanceOf(TfliteException.class)
                    .hasMessageStartingWith("TFLite refused to allocate tensors (status 1): ")
                    .hasMessageContaining("not broadcastable")
                    .satisfies(e -> assertThat(((TfliteException) e).operation()).isEqualTo("allocate tensors"));
            assertThatThrownBy(it::invoke).isInstanceOf(TfliteException.class).hasMessageContaining("not broadcastable");
            // Both inputs to [2, 4]: allocation succeeds, the output grows with them.
            it.resizeInput(0, 2, 4);
            it.resizeInput(1, 2, 4);
            it.input(0).write(new float[] {1, 2, 3, 4, 5, 6, 7, 8});
            it.input(1).write(new float[] {10, 20, 30, 40, 50, 60, 70, 80});
            it.invoke();
            assertThat(it.output(0).shape()).containsExactly(2, 4);
            assertThat(it.output(0).readFloats()).containsExactly(11, 22, 33, 44, 55, 66, 77, 88);
        }
    }

    @Test
    void closedInterpreterThrowsIllegalStateEverywhere() {
        Interpreter it = Interpreter.create(TestModels.addFloat());
        TensorHandle in = it.input(0);
        SignatureRunner runner = it.signature("serving_default");
        it.close();
        it.close(); // idempotent
        assertThat(it.isClosed()).isTrue();
        for (ThrowingCall call : new ThrowingCall[] {it::invoke, () -> it.input(0), () -> in.write(new float[4]),
                in::readFloats, in::buffer, in::details, it::opDetails, it::allocateTensors,
                () -> it.resizeInput(0, 2, 4), runner::invoke, () -> runner.input("a"),
                () -> it.signature("serving_default"), it::tensorDetails}) {
            assertThatThrownBy(call::run).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the interpreter is closed");
        }
    }

    @Test
    void invalidModelBytesAreRejectedByTheModelLayer() {
        assertThatThrownBy(() -> Model.fromBytes("not a model at all, just text".getBytes()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("file identifier");
        byte[] full = new byte[TestModels.helloWorldInt8().size()];
        TestModels.helloWorldInt8().bytes().get(full);
        assertThatThrownBy(() -> Model.fromBytes(Arrays.copyOf(full, full.length / 2)))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("truncated or corrupt");
        assertThatThrownBy(() -> Model.load(Path.of("/nonexistent/model.tflite")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aModelFullTfliteRefusesFailsWithTflitesOwnSentence() {
        byte[] bytes = TestModels.quantizedDimensionOutOfRange();
        // The model layer reads it, and warns...
        TfliteModel view = TfliteModel.fromBytes(bytes);
        assertThat(view.warnings()).extracting(ModelWarning::message)
                .contains("quantized_dimension must be in range [0, 1). Was 3.");
        // ...and the API refuses it with what TFLite's error reporter said.
        assertThatThrownBy(() -> Model.fromBytes(bytes))
                .isInstanceOf(TfliteException.class)
                .hasMessageStartingWith("TFLite refused to build an interpreter for the model (status 1): ")
                .hasMessageContaining("quantized_dimension must be in range [0, 1). Was 3.")
                .satisfies(e -> assertThat(((TfliteException) e).tfliteMessages())
                        .contains("quantized_dimension must be in range [0, 1). Was 3."));
    }

    /**
     * A DEPTHWISE_CONV_2D without a bias input is legal TFLite, but 2.19's optimized kernels
     * dereference the missing bias and kill the process: refused up front on BUILTIN and XNNPACK,
     * run on BUILTIN_REF. Ones [1, 3, 3, 1] with a 3x3 filter of 0.5 gives 9 * 0.5 = 4.5.
     */
    @Test
    void aModelTfliteWouldCrashOnIsRefusedBeforeTfliteSeesIt() {
        io.litebit.model.build.ModelBuilder mb = io.litebit.model.build.ModelBuilder.create();
        io.litebit.model.build.SubgraphBuilder g = mb.main();
        float[] half = new float[9];
        Arrays.fill(half, 0.5f);
        g.output(g.depthwiseConv2d(g.input("x", io.litebit.model.DType.FLOAT32, new int[] {1, 3, 3, 1}),
                g.constant("w", new int[] {1, 3, 3, 1}, half), null,
                new io.litebit.model.options.BuiltinOptions.DepthwiseConv2D(io.litebit.model.options.Padding.VALID,
                        1, 1, 1, io.litebit.model.options.Activation.NONE, 1, 1),
                io.litebit.model.build.Out.float32()));
        Model model = TestModels.of(mb.build());
        for (Backend b : new Backend[] {Backend.BUILTIN, Backend.XNNPACK}) {
            assertThatThrownBy(() -> Interpreter.create(model, InterpreterOptions.of(b)))
                    .isInstanceOf(TfliteException.class)
                    .hasMessageContaining("DEPTHWISE_CONV_2D kernels read the bias through a null pointer")
                    .hasMessageContaining("subgraph 0, operator 0 has 2 inputs")
                    .hasMessageContaining("Backend.BUILTIN_REF");
        }
        try (Interpreter it = Interpreter.create(model, InterpreterOptions.of(Backend.BUILTIN_REF))) {
            float[] ones = new float[9];
            Arrays.fill(ones, 1f);
            it.input(0).write(ones);
            it.invoke();
            assertThat(it.output(0).readFloats()).containsExactly(4.5f);
        }
    }

    @Test
    void signatureMisuseIsNamed() {
        try (Interpreter it = Interpreter.create(TestModels.addFloat())) {
            SignatureRunner add = it.signature("serving_default");
            assertThatThrownBy(() -> add.input("c")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("signature \"serving_default\" has no input \"c\"; its inputs are [a, b]");
            assertThatThrownBy(() -> add.run(Map.of("a", TensorData.ofFloat32(new float[4], 1, 4))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("input \"b\" is missing");
            assertThatThrownBy(() -> add.run(Map.of("a", TensorData.ofFloat32(new float[4], 1, 4),
                    "b", TensorData.ofInt32(new int[4], 1, 4))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expects float32[1, 4], given int32[1, 4]");
        }
    }

    interface ThrowingCall {
        void run() throws Exception;
    }
}
