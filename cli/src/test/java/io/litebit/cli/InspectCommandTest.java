package io.litebit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void inspectsEverySharedModelAsTextAndJson() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        for (Path p : SharedAssets.allModels()) {
            TfliteModel m = TfliteModel.load(p);
            Run text = run("inspect", p.toString());
            assertThat(text.status()).as(p + ": " + text.err()).isZero();
            assertThat(text.out()).contains("Op histogram", "Inputs", "Outputs", "Weights by dtype");
            Run json = run("inspect", p.toString(), "--json");
            assertThat(json.status()).as(p + ": " + json.err()).isZero();
            JsonNode root = mapper.readTree(json.out());
            assertThat(root.get("inputs")).hasSize(m.mainSubgraph().inputs().length);
            assertThat(root.get("outputs")).hasSize(m.mainSubgraph().outputs().length);
            assertThat(root.get("subgraphs").get(0).get("operators")).hasSize(m.mainSubgraph().operators().size());
            assertThat(root.get("subgraphs").get(0).get("tensors")).hasSize(m.mainSubgraph().tensors().size());
        }
    }

    @Test
    void mobileNetHistogramMatchesTheModelsReadme() throws Exception {
        Path p = SharedAssets.require("models/tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite");
        JsonNode root = new ObjectMapper().readTree(run("inspect", p.toString(), "--json").out());
        // shared/models/README.md: CONV_2D x35, DEPTHWISE_CONV_2D x17, ADD x10, PAD x18, MEAN, FULLY_CONNECTED, ...
        JsonNode h = root.get("op_histogram");
        assertThat(h.get("CONV_2D").asInt()).isEqualTo(35);
        assertThat(h.get("DEPTHWISE_CONV_2D").asInt()).isEqualTo(17);
        assertThat(h.get("ADD").asInt()).isEqualTo(10);
        assertThat(h.get("PAD").asInt()).isEqualTo(18);
        assertThat(h.get("MEAN").asInt()).isEqualTo(1);
        assertThat(root.get("weight_bytes").get("int8").asLong()).isPositive();
        assertThat(root.get("subgraphs").get(0).get("tensors").get(root.get("inputs").get(0).get("index").asInt())
                .get("name").asText()).isEqualTo(root.get("inputs").get(0).get("name").asText());
    }

    @Test
    void inputQuantizationIsShownInAllThreeSpellings() throws Exception {
        Path p = SharedAssets.require("models/tflite-micro/hello_world_int8.tflite");
        Tensor in = TfliteModel.load(p).mainSubgraph().inputTensor(0);
        double scale = in.quantization().scale(0);
        long zp = in.quantization().zeroPoint(0);
        JsonNode q = new ObjectMapper().readTree(run("inspect", p.toString(), "--json").out())
                .get("inputs").get(0).get("quantization");
        assertThat(q.get("kind").asText()).isEqualTo("per_tensor");
        assertThat(q.get("scale").asDouble()).isEqualTo(scale);
        assertThat(q.get("zero_point").asLong()).isEqualTo(zp);
        // int8 covers q in [-128, 127]: real = scale * (q - zp); mean = zp, std_dev = 1 / scale
        assertThat(q.get("min").asDouble()).isCloseTo(scale * (-128 - zp), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(q.get("max").asDouble()).isCloseTo(scale * (127 - zp), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(q.get("mean").asDouble()).isEqualTo((double) zp);
        assertThat(q.get("std_dev").asDouble()).isCloseTo(1 / scale, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void withoutAModelItInspectsTheEmbeddedDefault() throws Exception {
        Run r = run("inspect", "--json");
        assertThat(r.status()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("source").asText()).startsWith("<embedded default");
        assertThat(root.get("op_histogram").get("CONV_2D").asInt()).isPositive();
        assertThat(root.get("inputs").get(0).get("dtype").asText()).isEqualTo("int8");
        assertThat(run("inspect").out()).contains("CONV_2D", "DEPTHWISE_CONV_2D", "SOFTMAX");
    }

    @Test
    void inspectsEveryZooModelWrittenToDisk(@TempDir Path dir) throws Exception {
        for (var e : io.litebit.model.zoo.Zoo.all().entrySet()) {
            Path p = dir.resolve(e.getKey() + ".tflite");
            Files.write(p, e.getValue().toBytes());
            JsonNode root = new ObjectMapper().readTree(run("inspect", p.toString(), "--json").out());
            assertThat(root.get("subgraphs").get(0).get("operators")).as(e.getKey())
                    .hasSize(e.getValue().mainSubgraph().operators().size());
            assertThat(root.get("warnings")).as(e.getKey()).isEmpty();
        }
    }

    @Test
    void anInvalidModelIsOneLineOnStderrAndExitStatusTwo(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.tflite");
        Files.writeString(bad, "this is not a flatbuffer");
        Run r = run("inspect", bad.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.err()).startsWith("litebit inspect: invalid model: ").contains("expected \"TFL3\"");

        Run verbose = run("inspect", bad.toString(), "--verbose");
        assertThat(verbose.status()).isEqualTo(2);
        assertThat(verbose.err()).contains("at io.litebit.model");

        Run missing = run("inspect", dir.resolve("nope.tflite").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).startsWith("litebit inspect: no such file: ");

        Run usage = run("inspect", "--no-such-flag");
        assertThat(usage.status()).isEqualTo(2);
    }

    @Test
    void truncatedSharedModelIsRejectedCleanly(@TempDir Path dir) throws Exception {
        byte[] full = Files.readAllBytes(SharedAssets.require("models/tflite-micro/hello_world_float.tflite"));
        Path cut = dir.resolve("cut.tflite");
        Files.write(cut, java.util.Arrays.copyOf(full, full.length / 3));
        Run r = run("inspect", cut.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("truncated or corrupt").doesNotContain("Exception");
    }
}
