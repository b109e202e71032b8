package io.litebit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.litebit.cli.InspectCommandTest.Run;
import io.litebit.data.NdArray;
import io.litebit.data.Npy;
import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunAndEvalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Run run(String... args) {
        return InspectCommandTest.run(args);
    }

    @Test
    void helloWorldPredictsTheSineOfItsInputOnEveryBackend(@TempDir Path dir) throws Exception {
        Path model = SharedAssets.require("models/tflite-micro/hello_world_int8.tflite");
        Tensor in = TfliteModel.load(model).mainSubgraph().inputTensor(0);
        // x = pi/2, quantized by hand with the input's own parameters: q = round(x / scale) + zp
        double x = Math.PI / 2;
        long q = Math.round(x / in.quantization().scale(0)) + in.quantization().zeroPoint(0);
        Path npy = dir.resolve("x.npy");
        Npy.write(npy, DType.INT8, new int[] {1, 1}, ByteBuffer.wrap(new byte[] {(byte) q}));
        for (String backend : new String[] {"xnnpack", "builtin", "builtin-ref"}) {
            Run r = run("run", model.toString(), "--backend", backend, "--input", in.name() + "=" + npy, "--json");
            assertThat(r.status()).as(backend + ": " + r.err()).isZero();
            JsonNode out = JSON.readTree(r.out()).get("outputs").get(0);
            // the model approximates sin(x): sin(pi/2) = 1
            assertThat(out.get("dequantized").get(0).asDouble()).as(backend).isBetween(0.85, 1.15);
            assertThat(JSON.readTree(r.out()).get("invoke_us").asDouble()).isPositive();
        }
    }

    @Test
    void randomInputsAreSeeded() throws Exception {
        Path model = SharedAssets.require("models/tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite");
        JsonNode a = JSON.readTree(run("run", model.toString(), "--random", "7", "--backend", "builtin", "--json").out());
        JsonNode b = JSON.readTree(run("run", model.toString(), "--random", "7", "--backend", "builtin", "--json").out());
        JsonNode c = JSON.readTree(run("run", model.toString(), "--random", "8", "--backend", "builtin", "--json").out());
        assertThat(a.get("outputs").get(0).get("values")).hasSize(1000).isEqualTo(b.get("outputs").get(0).get("values"));
        assertThat(a.get("outputs").get(0).get("values")).isNotEqualTo(c.get("outputs").get(0).get("values"));
    }

    @Test
    void dumpAllWritesEveryTensorOnBuiltinAndOnXnnpack(@TempDir Path dir) throws Exception {
        Path model = SharedAssets.require("models/tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite");
        TfliteModel view = TfliteModel.load(model);
        int tensors = view.mainSubgraph().tensors().size();
        Tensor output = view.mainSubgraph().outputTensor(0);
        for (String backend : new String[] {"builtin", "xnnpack"}) {
            Path out = dir.resolve(backend);
            Run r = run("run", model.toString(), "--backend", backend, "--dump-all", out.toString(), "--json");
            assertThat(r.status()).as(r.err()).isZero();
            JsonNode root = JSON.readTree(r.out());
            assertThat(root.get("dumped_tensors").asInt()).isEqualTo(tensors);
            try (Stream<Path> files = Files.list(out)) {
                assertThat(files.count()).isEqualTo(tensors);
            }
            // the dumped final tensor is the printed output
            NdArray dumped = Npy.read(out.resolve(RunCommand.fileName(output)));
            assertThat(dumped.shape()).containsExactly(1, 1000);
            JsonNode values = root.get("outputs").get(0).get("values");
            ByteBuffer d = dumped.data().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 1000; i++) {
                assertThat((long) d.get(i)).isEqualTo(values.get(i).asLong());
            }
        }
    }

    @Test
    void badArgumentsAreOneLineAndStatusTwo(@TempDir Path dir) throws Exception {
        Path model = SharedAssets.require("models/tflite-micro/hello_world_int8.tflite");
        Path floats = dir.resolve("f.npy");
        Npy.write(floats, DType.FLOAT32, new int[] {1, 1}, ByteBuffer.allocate(4));
        Run wrongType = run("run", model.toString(), "--input", "0=" + floats);
        assertThat(wrongType.status()).isEqualTo(2);
        assertThat(wrongType.err().strip().lines().count()).isEqualTo(1);
        assertThat(wrongType.err()).contains("is int8[1, 1]", "holds float32[1, 1]", "write values of the tensor's own dtype");

        Run unknown = run("run", model.toString(), "--input", "nope=" + floats);
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("the model has no such input");

        Run badBackend = run("run", model.toString(), "--backend", "gpu");
        assertThat(badBackend.status()).isEqualTo(2);
        assertThat(badBackend.err()).contains("unknown backend 'gpu'");

        Run missing = run("run", dir.resolve("none.tflite").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).startsWith("litebit run: no such file");

        Run notMnist = run("eval", model.toString(), "--mnist", SharedAssets.require("datasets/mnist").toString());
        assertThat(notMnist.status()).isEqualTo(2);
        assertThat(notMnist.err()).contains("MNIST images have 784");
    }

    @Test
    void floatAndInt8LstmClassifyAllTenThousandMnistDigits() throws Exception {
        String mnist = SharedAssets.require("datasets/mnist").toString();
        Path floatModel = SharedAssets.require("models/tflite-micro/trained_lstm.tflite");
        Path int8Model = SharedAssets.require("models/tflite-micro/trained_lstm_int8.tflite");
        JsonNode f = JSON.readTree(run("eval", floatModel.toString(), "--mnist", mnist, "--json").out());
        JsonNode q = JSON.readTree(run("eval", int8Model.toString(), "--mnist", mnist, "--json").out());
        assertThat(f.get("count").asInt()).isEqualTo(10_000);
        assertThat(q.get("count").asInt()).isEqualTo(10_000);
        assertThat(f.get("accuracy").asDouble()).isGreaterThan(0.90);
        assertThat(q.get("accuracy").asDouble()).isGreaterThan(0.90);
        assertThat(Math.abs(f.get("accuracy").asDouble() - q.get("accuracy").asDouble())).isLessThanOrEqualTo(0.01);
        assertThat(q.get("mean_latency_us").asDouble()).isPositive();
    }
}
