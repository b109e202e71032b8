package io.litebit.conformance;

import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import io.litebit.trace.TracedTensor;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.Quantization;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.rewrite.Rewriters;
import io.litebit.model.testing.SharedAssets;
import io.litebit.reference.NumericsProfile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The int8 LSTM of the shared MNIST model, taken out on its own ({@link Rewriters#extractOperator})
 * and varied where the kernel has paths the shared model does not take: batch 3, time-major
 * layout, CIFG (no input gate), non-zero input, output-state and hidden zero points, another cell
 * scale (other tanh integer bits and cell shifts), no cell clip and a clip that bites. Each
 * variant, on seeded random inputs, must be bit-identical to native BUILTIN_REF on every traced
 * tensor. The float LSTM, varied in layout, gates and clipping, must stay within {@link
 * FloatLstmTolerance}.
 */
class LstmVariantsTest {
    private static final int SEEDS = 3;

    record Variant(String name, int batch, boolean timeMajor, boolean cifg, int inputZp, int stateZp,
                   float cellScale, float cellClip) {
    }

    @TestFactory
    Stream<DynamicTest> everyVariantIsBitExactAgainstBuiltinRef() throws IOException {
        TfliteModel lstm = Rewriters.extractOperator(
                TfliteModel.load(SharedAssets.require("models/tflite-micro/trained_lstm_int8.tflite")), 0, 0);
        float cell = 1f / 4096;
        List<Variant> variants = List.of(
                new Variant("as converted", 1, false, false, -128, 0, cell, 10f),
                new Variant("batch 3", 3, false, false, -128, 0, cell, 10f),
                new Variant("time-major batch 2", 2, true, false, -128, 0, cell, 10f),
                new Variant("time-major batch 1", 1, true, false, -128, 0, cell, 10f),
                new Variant("cifg batch 2", 2, false, true, -128, 0, cell, 10f),
                new Variant("zero points", 2, false, false, 17, -9, cell, 10f),
                new Variant("cell scale 2^-11, no clip", 1, false, false, -128, 0, 2 * cell, 0f),
                new Variant("cell scale 2^-15, clip 0.5", 2, false, false, 0, 3, cell / 8, 0.5f),
                new Variant("cell scale 2^-9, clip 3", 1, true, true, -128, 0, 8 * cell, 3f));
        return variants.stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> check(v, variant(lstm, v))));
    }

    @TestFactory
    Stream<DynamicTest> floatVariantsAreWithinTheStatedTolerance() throws IOException {
        TfliteModel lstm = Rewriters.extractOperator(
                TfliteModel.load(SharedAssets.require("models/tflite-micro/trained_lstm.tflite")), 0, 0);
        List<Variant> variants = List.of(
                new Variant("float batch 3", 3, false, false, 0, 0, 0, 10f),
                new Variant("float time-major batch 2", 2, true, false, 0, 0, 0, 10f),
                new Variant("float cifg, no clip", 2, false, true, 0, 0, 0, 0f),
                new Variant("float clip 0.5", 1, true, false, 0, 0, 0, 0.5f));
        return variants.stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> {
            TfliteModel model = variant(lstm, v);
            List<String> failures = new ArrayList<>();
            for (List<byte[]> in : InputSets.random(model, SEEDS, 7)) {
                Trace oracle = Backend.reference(NumericsProfile.TFLITE).run(model, in);
                Trace ref = Backend.builtinRef().run(model, in);
                assertThat(ref.output(0).shape()[v.timeMajor() ? 1 : 0]).isEqualTo(v.batch());
                failures.addAll(FloatLstmTolerance.check(oracle, ref));
            }
            System.out.println("[lstm-variants] " + v.name() + ": out of tolerance: " + failures);
            assertThat(failures).isEmpty();
        }));
    }

    private static void check(Variant v, TfliteModel model) {
        List<String> failures = new ArrayList<>();
        long tensors = 0;
        for (List<byte[]> in : InputSets.random(model, SEEDS, 7)) {
            Trace oracle = Backend.reference(NumericsProfile.TFLITE).run(model, in);
            Trace ref = Backend.builtinRef().run(model, in);
            TraceDiff d = TraceDiff.compare(model, oracle, ref);
            assertThat(d.missing()).isEmpty();
            TracedTensor out = ref.output(0);
            assertThat(out.shape()[v.timeMajor() ? 1 : 0]).isEqualTo(v.batch());
            // A variant whose LSTM saturated to a constant would prove nothing.
            assertThat(distinct(out)).as("distinct output values").isGreaterThan(20);
            for (TensorDiff t : d.tensors()) {
                tensors++;
                if (!t.identical()) {
                    failures.add(t.summary());
                }
            }
        }
        System.out.println("[lstm-variants] " + v.name() + ": " + tensors + " tensors compared, differing: " + failures);
        assertThat(tensors).isEqualTo(2L * SEEDS);
        assertThat(failures).isEmpty();
    }

    private static long distinct(TracedTensor t) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < t.elementCount(); i++) {
            seen.add(t.integerAt(i));
        }
        return seen.size();
    }

    /** The single-LSTM model with the variant's layout, gates and quantization. */
    static TfliteModel variant(TfliteModel single, Variant v) {
        Subgraph g = single.mainSubgraph();
        Operator op = g.operator(0);
        int time = 28;
        int[] inShape = v.timeMajor() ? new int[] {time, v.batch(), 28} : new int[] {v.batch(), time, 28};
        int[] outShape = v.timeMajor() ? new int[] {time, v.batch(), 20} : new int[] {v.batch(), time, 20};
        List<Tensor> tensors = new ArrayList<>(g.tensors());
        int input = op.input(0);
        int outputState = op.input(UnidirectionalSequenceLstmIndices.OUTPUT_STATE);
        int cellState = op.input(UnidirectionalSequenceLstmIndices.CELL_STATE);
        int output = op.output(0);
        int hidden = op.intermediates().length == 5 ? op.intermediates()[4] : -1;
        Tensor in = tensors.get(input);
        tensors.set(input, retyped(in, inShape, requant(in.quantization(), v.inputZp())));
        Tensor os = tensors.get(outputState);
        tensors.set(outputState, retyped(os, new int[] {v.batch(), 20}, requant(os.quantization(), v.stateZp())));
        Tensor cs = tensors.get(cellState);
        tensors.set(cellState, retyped(cs, new int[] {v.batch(), 20},
                cs.dtype() == DType.INT16 ? Quantization.perTensor(v.cellScale(), 0) : cs.quantization()));
        Tensor out = tensors.get(output);
        tensors.set(output, retyped(out, outShape, requant(out.quantization(), v.stateZp())));
        if (hidden >= 0) {
            Tensor h = tensors.get(hidden);
            tensors.set(hidden, retyped(h, h.shape(), requant(h.quantization(), v.stateZp())));
        }
        int[] inputs = op.inputs();
        if (v.cifg()) {
            inputs[1] = -1;
            inputs[5] = -1;
            inputs[12] = -1;
        }
        BuiltinOptions.UnidirectionalSequenceLstm o = op.options(BuiltinOptions.UnidirectionalSequenceLstm.class);
        BuiltinOptions.UnidirectionalSequenceLstm options = new BuiltinOptions.UnidirectionalSequenceLstm(o.activation(),
                v.cellClip(), o.projClip(), v.timeMajor(), o.asymmetricQuantizeInputs(), o.diagonalRecurrentTensors());
        Operator changed = new Operator(0, op.opcodeIndex(), op.opcode(), inputs, op.outputs(), op.intermediates(), options,
                null);
        Subgraph sub = new Subgraph(0, g.name(), tensors, g.inputs(), g.outputs(), List.of(changed));
        TfliteModel m = new TfliteModel(single.version(), single.description(), single.operatorCodes(), List.of(sub),
                single.buffers(), List.of(), List.of(), List.of(), null);
        return TfliteModel.fromBytes(m.toBytes());
    }

    private static Quantization requant(Quantization q, int zeroPoint) {
        return q.isNone() ? q : Quantization.perTensor(q.scale(0), zeroPoint);
    }

    private static Tensor retyped(Tensor t, int[] shape, Quantization q) {
        return new Tensor(t.index(), t.name(), t.dtype(), shape, null, t.buffer(), t.data().orElse(null), q,
                t.isVariable(), t.isSparse());
    }

    /** The LSTM's input slots that the variants touch (TFLite's {@code lstm::full} numbering). */
    private static final class UnidirectionalSequenceLstmIndices {
        static final int OUTPUT_STATE = 18;
        static final int CELL_STATE = 19;
    }
}
