package io.litebit.conformance;

import io.litebit.trace.Backend;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.data.Mnist;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.testing.SharedAssets;
import io.litebit.reference.NumericsProfile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The model part of the bounded CI campaign: every shared model on every backend (XNNPACK,
 * BUILTIN, BUILTIN_REF, the oracle under TFLITE and under XNNPACK), with seeded random inputs and
 * with inputs made from MNIST test images ({@link InputSets#fromImage}), every traced tensor
 * diffed between every pair.
 *
 * <p>Asserted: every native backend runs every model; where the oracle has every op of a model,
 * {@code reference:TFLITE} is bit-identical to BUILTIN_REF on every tensor (within {@link
 * FloatLstmTolerance} on the float tensors of a model with a float LSTM) and {@code
 * reference:XNNPACK} to XNNPACK on every integer tensor (XNNPACK's float kernels sum in their own
 * order); where it lacks an op, the backend says which. The rest of the matrix (BUILTIN vs
 * BUILTIN_REF, XNNPACK vs TFLite's kernels) is a fact about TFLite, recorded in {@code
 * target/conformance/model-campaign.md}.
 */
class ModelCampaignTest {
    private static final int RANDOM_SETS = Integer.getInteger("litebit.campaign.randomSets", 2);
    private static final int MNIST_SETS = Integer.getInteger("litebit.campaign.mnistSets", 2);
    private static final Map<String, String> ROWS = Collections.synchronizedMap(new TreeMap<>());

    private static List<Backend> backends() {
        return List.of(Backend.xnnpack(), Backend.builtin(), Backend.builtinRef(), Backend.reference(NumericsProfile.TFLITE),
                Backend.reference(NumericsProfile.XNNPACK));
    }

    @TestFactory
    Stream<DynamicTest> everySharedModelOnEveryBackendWithRandomAndMnistInputs() throws IOException {
        Mnist mnist = Mnist.load(SharedAssets.require("datasets/mnist"), Mnist.Split.TEST);
        Path root = SharedAssets.root().resolve("models");
        return SharedAssets.allModels().stream().map(p -> DynamicTest.dynamicTest(root.relativize(p).toString(), () -> {
            TfliteModel model = TfliteModel.load(p);
            List<List<byte[]>> sets = new ArrayList<>();
            if (hasShapeInput(model)) {
                // An unquantized integer input is a shape (TRANSPOSE_CONV's output_shape): random or
                // image values are meaningless there, so these models run on their recorded inputs.
                for (GoldenSuite.Case c : GoldenSuite.scan(p.getParent())) {
                    if (c.modelFile().equals(p)) {
                        sets.add(c.inputs(model));
                    }
                }
                assertThat(sets).as(p + " has a shape input and no recorded inputs").isNotEmpty();
            } else {
                sets.addAll(InputSets.random(model, RANDOM_SETS, 1));
                for (int k = 0; k < MNIST_SETS; k++) {
                    sets.add(InputSets.fromImage(model, mnist.image(k), mnist.rows(), mnist.cols()));
                }
            }
            check(root.relativize(p).toString(), model, sets);
        }));
    }

    private static boolean hasShapeInput(TfliteModel model) {
        for (int i = 0; i < model.mainSubgraph().inputs().length; i++) {
            var t = model.mainSubgraph().inputTensor(i);
            if (t.dtype().isInteger() && t.quantization().isNone()) {
                return true;
            }
        }
        return false;
    }

    private static void check(String name, TfliteModel model, List<List<byte[]>> sets) {
        MatrixResult m = BackendMatrix.run(name, model, backends(), sets);
        for (String nativeBackend : List.of("xnnpack", "builtin", "builtin-ref")) {
            MatrixResult.BackendRun run = m.backend(nativeBackend).orElseThrow();
            assertThat(run.ok()).as(name + " on " + nativeBackend + ": " + run.error()).isTrue();
        }
        StringBuilder row = new StringBuilder();
        for (String profile : List.of("reference:TFLITE", "reference:XNNPACK")) {
            MatrixResult.BackendRun oracle = m.backend(profile).orElseThrow();
            if (!oracle.ok()) {
                assertThat(oracle.state()).as(name + " " + profile + ": " + oracle.error()).isEqualTo(MatrixResult.State.UNSUPPORTED);
                assertThat(oracle.unsupported()).isNotEmpty();
                row.append(profile).append(" lacks ").append(oracle.unsupported().get(0).opName()).append("; ");
            }
        }
        if (m.backend("reference:TFLITE").orElseThrow().ok()) {
            MatrixResult.Pair p = m.pair("builtin-ref", "reference:TFLITE").orElseThrow();
            if (FloatLstmTolerance.applies(model)) {
                for (List<byte[]> in : sets) {
                    assertThat(FloatLstmTolerance.check(Backend.reference(NumericsProfile.TFLITE).run(model, in),
                            Backend.builtinRef().run(model, in))).as(name + ": builtin-ref vs reference:TFLITE").isEmpty();
                }
            } else {
                assertThat(p.identical()).as(name + ": builtin-ref vs reference:TFLITE " + p.firstDivergence()).isTrue();
            }
        }
        if (m.backend("reference:XNNPACK").orElseThrow().ok()) {
            MatrixResult.Pair p = m.pair("xnnpack", "reference:XNNPACK").orElseThrow();
            List<TensorDiff> intDiffs = p.tensors().stream().filter(t -> t.dtype() != DType.FLOAT32 && !t.identical()).toList();
            assertThat(intDiffs).as(name + ": xnnpack vs reference:XNNPACK, integer tensors").isEmpty();
        }
        for (MatrixResult.Pair p : m.pairs()) {
            if (p.compared() && !p.identical()) {
                row.append(p.label()).append(": ").append(p.differingTensors()).append(" tensors, max ")
                        .append(p.maxLsb()).append(" LSB / ").append(p.maxUlp()).append(" ULP; ");
            }
        }
        ROWS.put(name, "| " + name + " | " + sets.size() + " | " + (row.length() == 0 ? "all identical" : row) + " |");
        System.out.println("[model-campaign] " + name + ": " + (row.length() == 0 ? "all identical" : row));
    }

    @Test
    void imageInputsScaleTheImageOntoTheInputAndQuantizeIt() {
        // A 28x28 image whose pixel (r, c) is 8 r + c (at most 243).
        byte[] image = new byte[28 * 28];
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                image[r * 28 + c] = (byte) (8 * r + c);
            }
        }
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        // int8 [1,28,28] scale 1/255 zp -128 represents [0, 1]: pixel p -> p / 255 -> q = p - 128.
        TensorRef a = g.input("a", DType.INT8, new int[] {1, 28, 28}, Quantization.perTensor(1 / 255f, -128));
        // float32 [1,4,4,1] without a QUANTIZE: range [-1, 1]; element (r, c) takes pixel (7 r, 7 c).
        TensorRef b = g.input("b", DType.FLOAT32, new int[] {1, 4, 4, 1});
        g.output(g.relu(a));
        g.output(g.relu(b));
        List<byte[]> in = InputSets.fromImage(mb.build(), image, 28, 28);
        assertThat(in.get(0)[0]).isEqualTo((byte) -128);
        assertThat(in.get(0)[28 * 3 + 5]).isEqualTo((byte) (8 * 3 + 5 - 128));
        ByteBuffer f = ByteBuffer.wrap(in.get(1)).order(ByteOrder.LITTLE_ENDIAN);
        // (r, c) = (2, 3): pixel (14, 21) = 8 * 14 + 21 = 133 -> -1 + 2 * 133 / 255.
        assertThat(f.getFloat(4 * (2 * 4 + 3))).isEqualTo((float) (-1 + 2 * 133 / 255.0));
    }

    @AfterAll
    static void writeSummary() throws IOException {
        Path dir = Path.of("target", "conformance");
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder("Model campaign: " + RANDOM_SETS + " random + " + MNIST_SETS
                + " MNIST input sets, CPU " + CpuInfo.describe() + "\n\n| model | input sets | pairs that differ |\n|---|---|---|\n");
        ROWS.values().forEach(r -> sb.append(r).append('\n'));
        Files.writeString(dir.resolve("model-campaign.md"), sb.toString());
    }
}
