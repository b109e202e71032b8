package io.litebit.conformance;

import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import io.litebit.trace.TracedTensor;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.api.Model;
import io.litebit.data.Mnist;
import io.litebit.model.DType;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import io.litebit.reference.NumericsProfile;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM in the oracle against native TFLite with the shared MNIST LSTM
 * models (batch 1, 28 steps of 28 inputs, 20 units, then RESHAPE, FULLY_CONNECTED, SOFTMAX).
 *
 * <p>int8: on MNIST test images and seeded random inputs, every traced tensor of the oracle
 * (TFLITE) is identical to BUILTIN_REF's, element for element. float32: every float tensor is
 * within {@link FloatLstmTolerance#TOLERANCE} · max(1, |value|) of BUILTIN_REF's (TFLite runs the float LSTM on its
 * optimized GEMM and Eigen's vectorized sigmoid/tanh even with the reference resolver, so the
 * bits are not expected to agree).
 *
 * <p>Every run uses a fresh native interpreter: native TFLite keeps the LSTM state in its variable
 * tensors across invokes, while the oracle starts every run from zeros, as a fresh interpreter
 * does ({@link #nativeStateCarriesOverWhileTheOracleStartsFromZeros()} shows the difference).
 */
class LstmConformanceTest {
    private static final int IMAGES = 8;
    private static final int RANDOM = 4;
    private static final long SEED = 20_251_202L;
    /** The LSTM outputs and the softmax are in [-1, 1], the logits within about ±20 (and checked relatively there too). */
    static final double FLOAT_ABS_TOLERANCE = FloatLstmTolerance.TOLERANCE;

    private static TfliteModel load(String name) throws IOException {
        return TfliteModel.load(SharedAssets.require("models/tflite-micro/" + name));
    }

    private static List<List<byte[]>> inputs(TfliteModel model) throws IOException {
        Mnist mnist = Mnist.load(SharedAssets.require("datasets/mnist"), Mnist.Split.TEST);
        List<List<byte[]>> sets = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            sets.add(InputSets.fromImage(model, mnist.image(i * 1237 % mnist.size()), mnist.rows(), mnist.cols()));
        }
        sets.addAll(InputSets.random(model, RANDOM, SEED));
        return sets;
    }

    @Test
    void int8LstmIsBitExactAgainstBuiltinRefOnEveryTracedTensor() throws IOException {
        TfliteModel model = load("trained_lstm_int8.tflite");
        long tensors = 0;
        long elements = 0;
        List<String> failures = new ArrayList<>();
        for (List<byte[]> in : inputs(model)) {
            Trace oracle = Backend.reference(NumericsProfile.TFLITE).run(model, in);
            Trace ref = Backend.builtinRef().run(model, in);
            TraceDiff d = TraceDiff.compare(model, oracle, ref);
            assertThat(d.missing()).as("tensors one side lacks").isEmpty();
            for (TensorDiff t : d.tensors()) {
                tensors++;
                elements += t.elements();
                if (!t.identical()) {
                    failures.add(t.summary());
                }
            }
        }
        System.out.println("[lstm] int8: " + tensors + " tensors, " + elements + " elements compared; differing: " + failures);
        assertThat(tensors).isEqualTo((IMAGES + RANDOM) * 5L);
        assertThat(failures).as("oracle(TFLITE) vs BUILTIN_REF").isEmpty();
    }

    @Test
    void int8LstmMatchesOptimizedBuiltinToo() throws IOException {
        // BUILTIN and BUILTIN_REF run the same LSTM kernel; the FC and SOFTMAX after it may differ.
        TfliteModel model = load("trained_lstm_int8.tflite");
        for (List<byte[]> in : inputs(model).subList(0, 3)) {
            Trace oracle = Backend.reference(NumericsProfile.TFLITE).run(model, in);
            Trace builtin = Backend.builtin().run(model, in);
            TensorDiff lstm = TensorDiff.of(oracle.tensor(23).orElseThrow(), builtin.tensor(23).orElseThrow());
            assertThat(lstm.identical()).as(lstm.summary()).isTrue();
        }
    }

    @Test
    void floatLstmIsWithinToleranceOfBuiltinRef() throws IOException {
        TfliteModel model = load("trained_lstm.tflite");
        long tensors = 0;
        long differing = 0;
        long elements = 0;
        double maxAbs = 0;
        long maxUlp = 0;
        List<String> failures = new ArrayList<>();
        for (List<byte[]> in : inputs(model)) {
            Trace oracle = Backend.reference(NumericsProfile.TFLITE).run(model, in);
            Trace ref = Backend.builtinRef().run(model, in);
            TraceDiff d = TraceDiff.compare(model, oracle, ref);
            assertThat(d.missing()).isEmpty();
            failures.addAll(FloatLstmTolerance.check(oracle, ref));
            for (TensorDiff t : d.tensors()) {
                tensors++;
                elements += t.elements();
                differing += t.differing();
                maxUlp = Math.max(maxUlp, t.maxUlp());
            }
            for (TracedTensor o : oracle.tensors()) {
                if (o.dtype() != DType.FLOAT32) {
                    continue;
                }
                FloatBuffer a = o.buffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                FloatBuffer b = ref.tensor(o.tensorIndex()).orElseThrow().buffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                for (int i = 0; i < a.limit(); i++) {
                    maxAbs = Math.max(maxAbs, Math.abs((double) a.get(i) - b.get(i)));
                }
            }
        }
        System.out.printf("[lstm] float: %d tensors, %d elements, %d differ, max %d ULP, max abs diff %.3g%n", tensors,
                elements, differing, maxUlp, maxAbs);
        assertThat(failures).isEmpty();
        assertThat(maxAbs).isLessThanOrEqualTo(FLOAT_ABS_TOLERANCE);
    }

    @Test
    void nativeStateCarriesOverWhileTheOracleStartsFromZeros() throws IOException {
        TfliteModel model = load("trained_lstm_int8.tflite");
        List<List<byte[]>> sets = inputs(model);
        int lstmOut = 23;
        InterpreterOptions options = InterpreterOptions.builder().backend(io.litebit.api.Backend.BUILTIN_REF)
                .preserveAllTensors(true).build();
        byte[] afterAnotherRun;
        byte[] afterReset;
        try (Interpreter native_ = Interpreter.create(Model.fromBytes(model.toBytes()), options)) {
            native_.input(0).write(sets.get(0).get(0));
            native_.invoke();
            native_.input(0).write(sets.get(1).get(0));
            native_.invoke();
            afterAnotherRun = native_.tensor(lstmOut).readBytes();
            native_.tensor(16).write(new byte[20]);
            native_.tensor(17).write(new short[20]);
            native_.invoke();
            afterReset = native_.tensor(lstmOut).readBytes();
        }
        Trace oracle = Backend.reference(NumericsProfile.TFLITE).run(model, sets.get(1));
        byte[] fromZeros = oracle.tensor(lstmOut).orElseThrow().data();
        assertThat(afterReset).isEqualTo(fromZeros);
        assertThat(afterAnotherRun).as("a reused native interpreter starts from the previous run's state").isNotEqualTo(fromZeros);
        // The conformance sessions zero the variable tensors before every run, so reuse is sound.
        try (Backend.Session ref = Backend.builtinRef().open(model)) {
            ref.run(sets.get(0));
            assertThat(ref.run(sets.get(1)).tensor(lstmOut).orElseThrow().data()).isEqualTo(fromZeros);
        }
    }
}
