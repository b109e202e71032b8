package io.litebit.conformance;

import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.conformance.report.ConformanceReport;
import io.litebit.conformance.report.Expectation;
import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.testing.SharedAssets;
import io.litebit.model.zoo.Zoo;
import io.litebit.reference.NumericsProfile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BackendMatrixTest {

    @Test
    void pairsSumTheirPerSetDiffsAndKeepTheEarliestDivergence() {
        TfliteModel model = Zoo.tinyCnnInt8();
        List<Backend> backends = List.of(Backend.builtinRef(), Backend.reference(NumericsProfile.TFLITE),
                Backend.reference(NumericsProfile.NAIVE_FLOAT));
        List<List<byte[]>> sets = InputSets.random(model, 3, 0);
        MatrixResult r = BackendMatrix.run("tiny", model, backends, sets);

        assertThat(r.inputSets()).isEqualTo(3);
        assertThat(r.tensors()).hasSize(6); // the input, then one output per op
        assertThat(r.tensors().get(0).opName()).isEqualTo("input");
        assertThat(r.pairs()).extracting(MatrixResult.Pair::label).containsExactly("builtin-ref vs reference:TFLITE",
                "builtin-ref vs reference:NAIVE_FLOAT", "reference:TFLITE vs reference:NAIVE_FLOAT");
        assertThat(r.baselinePairs()).hasSize(2);
        assertThat(r.pair("builtin-ref", "reference:TFLITE").orElseThrow().identical()).isTrue();

        // Recompute the naive pair set by set with TraceDiff: the matrix must be the sum of those.
        MatrixResult.Pair naive = r.pair("reference:NAIVE_FLOAT", "builtin-ref").orElseThrow();
        assertThat(naive.identical()).isFalse();
        Map<Integer, long[]> expected = new HashMap<>();
        int firstPosition = Integer.MAX_VALUE;
        for (int k = 0; k < sets.size(); k++) {
            TraceDiff d = TraceDiff.compare(model, Backend.builtinRef().run(model, sets.get(k)),
                    Backend.reference(NumericsProfile.NAIVE_FLOAT).run(model, sets.get(k)));
            for (TensorDiff t : d.tensors()) {
                long[] e = expected.computeIfAbsent(t.tensorIndex(), x -> new long[3]);
                e[0] += t.elements();
                e[1] += t.differing();
                e[2] = Math.max(e[2], t.maxLsb());
            }
            if (d.firstDivergence().isPresent()) {
                firstPosition = Math.min(firstPosition, position(r, d.firstDivergence().get().tensor().tensorIndex()));
            }
        }
        for (TensorDiff t : naive.tensors()) {
            assertThat(new long[] {t.elements(), t.differing(), t.maxLsb()}).as(t.summary())
                    .containsExactly(expected.get(t.tensorIndex()));
            assertThat(t.histogram().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(t.elements());
        }
        MatrixResult.Divergence first = naive.firstDivergence().orElseThrow();
        assertThat(position(r, first.tensor().tensorIndex())).isEqualTo(firstPosition);
        assertThat(first.local()).isTrue(); // a convolution's own rounding, not an inherited difference

        Expectation met = Expectation.check("reference:TFLITE", "builtin-ref", List.of(r));
        Expectation notMet = Expectation.check("builtin-ref", "reference:NAIVE_FLOAT", List.of(r));
        assertThat(met.met()).isTrue();
        assertThat(notMet.met()).isFalse();
        assertThat(notMet.failures()).singleElement().asString().startsWith("tiny: ").contains("first divergence op ");
    }

    private static int position(MatrixResult r, int tensorIndex) {
        for (int i = 0; i < r.tensors().size(); i++) {
            if (r.tensors().get(i).tensorIndex() == tensorIndex) {
                return i;
            }
        }
        throw new AssertionError("no row for tensor " + tensorIndex);
    }

    @Test
    void anOpTheOracleLacksIsListedAndItsPairsAreNotComparedWhileTheOthersAre() throws Exception {
        // FLOOR: an op native TFLite has and the oracle does not.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 8});
        TensorRef y = g.tensor("y", DType.FLOAT32, new int[] {1, 8}, Quantization.NONE);
        g.op(BuiltinOp.FLOOR, null, List.of(x), List.of(y));
        g.output(g.relu(y));
        TfliteModel model = mb.build();
        MatrixResult r = BackendMatrix.run("floor", model,
                List.of(Backend.builtin(), Backend.builtinRef(), Backend.reference(NumericsProfile.TFLITE)),
                InputSets.random(model, 1, 0));
        MatrixResult.BackendRun oracle = r.backend("reference:TFLITE").orElseThrow();
        assertThat(oracle.state()).isEqualTo(MatrixResult.State.UNSUPPORTED);
        assertThat(oracle.unsupported()).extracting(MatrixResult.UnsupportedOp::opName)
                .containsExactly("FLOOR");
        assertThat(r.pair("builtin", "builtin-ref").orElseThrow().compared()).isTrue();
        MatrixResult.Pair p = r.pair("builtin-ref", "reference:TFLITE").orElseThrow();
        assertThat(p.compared()).isFalse();
        assertThat(p.unavailable()).contains("reference:TFLITE lacks op 0 FLOOR");
        Expectation e = Expectation.check("builtin-ref", "reference:TFLITE", List.of(r));
        assertThat(e.met()).as("an expectation that could not be checked must not pass").isFalse();
    }

    /** builtin-ref under another name, noting what XNNPACK notes when instrumentation changed its outputs. */
    private static Backend noting(String name, String note) {
        return new Backend() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Session open(TfliteModel model) {
                Session s = Backend.builtinRef().open(model);
                return new Session() {
                    @Override
                    public Trace run(List<byte[]> inputs) {
                        Trace t = s.run(inputs);
                        return new Trace(name, t.tensors(), t.outputs(), List.of(note));
                    }

                    @Override
                    public void close() {
                        s.close();
                    }
                };
            }
        };
    }

    /** builtin-ref under another name that fails on its second run, as an invoke error would. */
    private static Backend failingOnSecondRun(String name) {
        return new Backend() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Session open(TfliteModel model) {
                Session s = Backend.builtinRef().open(model);
                return new Session() {
                    private int runs;

                    @Override
                    public Trace run(List<byte[]> inputs) {
                        if (++runs == 2) {
                            throw new IllegalStateException("invoke failed");
                        }
                        return s.run(inputs);
                    }

                    @Override
                    public void close() {
                        s.close();
                    }
                };
            }
        };
    }

    @Test
    void backendNotesAreKeptAndABackendFailingOnAnyInputSetIsNotCompared() {
        TfliteModel model = Zoo.tinyCnnInt8();
        MatrixResult r = BackendMatrix.run("tiny", model, List.of(Backend.builtinRef(),
                noting("noting", "output 0 differs between the uninstrumented model and the all-outputs rewrite"),
                failingOnSecondRun("flaky")), InputSets.random(model, 2, 0));
        assertThat(r.backend("noting").orElseThrow().notes()).containsExactly(
                "input set 0: output 0 differs between the uninstrumented model and the all-outputs rewrite",
                "input set 1: output 0 differs between the uninstrumented model and the all-outputs rewrite");
        assertThat(r.pair("builtin-ref", "noting").orElseThrow().identical()).isTrue();
        MatrixResult.BackendRun flaky = r.backend("flaky").orElseThrow();
        assertThat(flaky.state()).isEqualTo(MatrixResult.State.FAILED);
        assertThat(flaky.error()).isEqualTo("input set 1: IllegalStateException: invoke failed");
        assertThat(r.pair("builtin-ref", "flaky").orElseThrow().compared()).isFalse();
        assertThat(r.pair("builtin-ref", "flaky").orElseThrow().unavailable())
                .isEqualTo("flaky failed: input set 1: IllegalStateException: invoke failed");
        Expectation e = Expectation.check("builtin-ref", "noting", List.of(r));
        assertThat(e.met()).isTrue();
        assertThat(e.caveats()).singleElement().asString().startsWith("tiny: noting noted: input set 0: output 0 differs");
    }

    @Test
    void inputsThatDoNotFitTheModelAreRefusedBeforeAnythingRuns() {
        TfliteModel model = Zoo.tinyCnnInt8();
        assertThatThrownBy(() -> BackendMatrix.run("tiny", model, List.of(Backend.builtinRef()), List.of(List.of(new byte[3]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("given 3 bytes");
        assertThatThrownBy(() -> BackendMatrix.run("tiny", model, List.of(Backend.builtinRef(), Backend.builtinRef()),
                InputSets.random(model, 1, 0))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void randomSetKIsSeedPlusKAndFloatInputsSpanTheirQuantizeRange() {
        TfliteModel cnn = Zoo.tinyCnnInt8();
        List<List<byte[]>> ten = InputSets.random(cnn, 10, 0);
        assertThat(InputSets.random(cnn, 1, 7).get(0).get(0)).isEqualTo(ten.get(7).get(0));
        assertThat(ten.get(0).get(0)).isNotEqualTo(ten.get(1).get(0));
        // int8 inputs cover the whole range
        byte[] bytes = ten.get(0).get(0);
        int min = 0;
        int max = 0;
        for (byte b : bytes) {
            min = Math.min(min, b);
            max = Math.max(max, b);
        }
        assertThat(min).isEqualTo(-128);
        assertThat(max).isEqualTo(127);

        // float input -> QUANTIZE(scale 0.02, zp -28): int8 covers [0.02 * (-128 + 28), 0.02 * (127 + 28)] = [-2, 3.1]
        ModelBuilder b = ModelBuilder.create();
        SubgraphBuilder g = b.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 4000});
        g.output(g.quantize(x, Out.int8(0.02f, -28)));
        TfliteModel withQuantize = b.build();
        double[] range = InputSets.floatRange(withQuantize, 0);
        assertThat(range[0]).isCloseTo(-2.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(range[1]).isCloseTo(3.1, org.assertj.core.data.Offset.offset(1e-6));
        ByteBuffer f = ByteBuffer.wrap(InputSets.random(withQuantize, 3).get(0)).order(ByteOrder.LITTLE_ENDIAN);
        TreeMap<Float, Integer> seen = new TreeMap<>();
        for (int i = 0; i < 4000; i++) {
            seen.merge(f.getFloat(4 * i), 1, Integer::sum);
        }
        assertThat(seen.firstKey()).isBetween(-2f, -1.95f);
        assertThat(seen.lastKey()).isBetween(3.05f, 3.1f);
        // a float input no QUANTIZE reads: [-1, 1]
        assertThat(InputSets.floatRange(Zoo.mnistMlpFloat(), 0)).containsExactly(-1, 1);
    }

    @Test
    void reportsHaveOneCsvRowPerPairAndTensorAndAnOfflineHtmlPage() {
        TfliteModel model = Zoo.tinyCnnInt8();
        MatrixResult r = BackendMatrix.run("zoo:tiny_cnn_int8", model,
                List.of(Backend.builtinRef(), Backend.reference(NumericsProfile.TFLITE), Backend.reference(NumericsProfile.NAIVE_FLOAT)),
                InputSets.random(model, 2, 0));
        ConformanceReport report = new ConformanceReport(List.of("builtin-ref", "reference:TFLITE", "reference:NAIVE_FLOAT"),
                "random:2, seed 0", CpuInfo.describe(), List.of(r), List.of());
        assertThat(report.tensorsCsv().lines().count()).isEqualTo(1 + 3 * 6);
        assertThat(report.pairsCsv().lines().count()).isEqualTo(1 + 3);
        assertThat(report.pairsCsv()).contains(",builtin-ref,reference:TFLITE,identical,6,0,0,0,0,0,");
        Map<String, Object> json = report.json(false);
        assertThat(json).containsEntry("baseline", "builtin-ref").containsEntry("expectations_met", true);
    }
}
