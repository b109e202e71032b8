package io.litebit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.litebit.cli.InspectCommandTest.Run;
import io.litebit.data.Npy;
import io.litebit.conformance.InputSets;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import io.litebit.model.zoo.Zoo;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformAndGoldenCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Run run(String... args) {
        return InspectCommandTest.run(args);
    }

    private static JsonNode pair(JsonNode model, String a, String b) {
        for (JsonNode p : model.get("pairs")) {
            if (p.get("a").asText().equals(a) && p.get("b").asText().equals(b)) {
                return p;
            }
        }
        throw new AssertionError("no pair " + a + " vs " + b + " in " + model);
    }

    @Test
    void builtinRefAndTheOracleAreBitIdenticalOnRealModelsWhileXnnpackDiffers() throws Exception {
        Path hello = SharedAssets.require("models/tflite-micro/hello_world_int8.tflite");
        Path mobilenet = SharedAssets.require("models/tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite");
        Run r = run("conform", hello.toString(), mobilenet.toString(), "--backends", "xnnpack,builtin-ref,reference:tflite",
                "--expect", "builtin-ref==reference:TFLITE", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("baseline").asText()).isEqualTo("xnnpack");
        assertThat(root.get("expectations_met").asBoolean()).isTrue();
        int[] traced = {4, 85}; // hello_world: input + 3 FC outputs; MobileNetV2: input + 84 op outputs
        for (int m = 0; m < 2; m++) {
            JsonNode model = root.get("models").get(m);
            assertThat(model.get("traced_tensors").asInt()).isEqualTo(traced[m]);
            JsonNode same = pair(model, "builtin-ref", "reference:TFLITE");
            assertThat(same.get("tensors_compared").asInt()).isEqualTo(traced[m]);
            assertThat(same.get("tensors_differing").asInt()).isZero();
            assertThat(same.get("max_lsb").asInt()).isZero();
            assertThat(same.get("first_divergence").isNull()).isTrue();
        }
        // XNNPACK's int8 convolutions round differently from TFLite's reference kernels (docs/xnnpack-numerics.md)
        JsonNode xnn = pair(root.get("models").get(1), "xnnpack", "builtin-ref");
        assertThat(xnn.get("tensors_differing").asInt()).isPositive();
        assertThat(xnn.get("max_lsb").asInt()).isPositive();
        JsonNode first = xnn.get("first_divergence");
        assertThat(first.get("op").asText()).isEqualTo("CONV_2D");
        assertThat(first.get("kind").asText()).isEqualTo("local");
        assertThat(first.get("differing").asLong()).isPositive();
    }

    @Test
    void aPairThatDiffersFailsItsExpectationWithStatusOne() throws Exception {
        // Zoo model: runs without ../shared. NAIVE_FLOAT's rint(x * scale) is not TFLite's fixed-point rounding.
        Run r = run("conform", "zoo:tiny_cnn_int8", "--backends", "builtin-ref,reference:TFLITE,reference:NAIVE_FLOAT",
                "--inputs", "random:3", "--seed", "0", "--expect", "builtin-ref==reference:NAIVE_FLOAT",
                "--expect", "builtin-ref==reference", "--json");
        assertThat(r.status()).as(r.err()).isEqualTo(1);
        assertThat(r.err().strip().lines()).singleElement().asString()
                .startsWith("litebit conform: expectation builtin-ref==reference:NAIVE_FLOAT not met: zoo:tiny_cnn_int8: ");
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("expectations").get(0).get("met").asBoolean()).isFalse();
        assertThat(root.get("expectations").get(1).get("expect").asText()).isEqualTo("builtin-ref==reference:TFLITE");
        assertThat(root.get("expectations").get(1).get("met").asBoolean()).isTrue();
        JsonNode model = root.get("models").get(0);
        assertThat(model.get("input_sets").asInt()).isEqualTo(3);
        JsonNode naive = pair(model, "builtin-ref", "reference:NAIVE_FLOAT");
        assertThat(naive.get("tensors_differing").asInt()).isPositive();
        assertThat(naive.get("max_lsb").asInt()).isEqualTo(1);
        assertThat(naive.get("first_divergence").get("kind").asText()).isEqualTo("local");

        Run text = run("conform", "zoo:tiny_cnn_int8", "--backends", "builtin-ref,reference:TFLITE,reference:NAIVE_FLOAT",
                "--inputs", "random:3", "--expect", "builtin-ref==reference:NAIVE_FLOAT");
        assertThat(text.status()).isEqualTo(1);
        assertThat(text.out()).contains("vs builtin-ref", "reference:NAIVE_FLOAT", "(local)",
                "reference:TFLITE vs reference:NAIVE_FLOAT", "Expect    builtin-ref==reference:NAIVE_FLOAT: NOT met");
        assertThat(text.out().lines().filter(l -> l.startsWith("reference:TFLITE ")).findFirst().orElseThrow())
                .contains(" 0 ").endsWith("-"); // identical to the baseline: no divergence
    }

    @Test
    void reportWritesCsvJsonAndAnOfflineHtmlWithHeatMapAndPerOpRows(@TempDir Path dir) throws Exception {
        TfliteModel model = Zoo.tinyCnnInt8();
        Path out = dir.resolve("report");
        Run r = run("conform", "zoo:tiny_cnn_int8", "--backends", "xnnpack,builtin-ref,reference:TFLITE,reference:NAIVE_FLOAT",
                "--inputs", "random:2", "--report", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Report    " + out.resolve("report.html"));
        int pairs = 6;
        int tensors = 1 + model.mainSubgraph().operators().size();

        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        // self-contained: nothing to fetch
        assertThat(html).doesNotContain("http://", "https://", "<link", "src=", "@import");
        assertThat(html).contains("Heat map: backend pairs × tensors", "Diff histograms", "Per op");
        Matcher heat = Pattern.compile("<svg class=\"heatmap\".*?</svg>", Pattern.DOTALL).matcher(html);
        assertThat(heat.find()).isTrue();
        assertThat(count(heat.group(), "<rect ")).isEqualTo(pairs * tensors);
        for (String op : new String[] {"CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "FULLY_CONNECTED", "SOFTMAX"}) {
            assertThat(html).contains("</td><td>" + op + "</td>");
        }
        assertThat(count(html, "<tr class=\"same\">") + count(html, "<tr><td class=\"num\">")).isEqualTo(tensors);

        JsonNode json = JSON.readTree(out.resolve("report.json").toFile());
        JsonNode m = json.get("models").get(0);
        assertThat(m.get("tensors")).hasSize(tensors);
        assertThat(m.get("pairs")).hasSize(pairs);
        JsonNode diffs = pair(m, "builtin-ref", "reference:TFLITE").get("tensors");
        assertThat(diffs).hasSize(tensors);
        long elements = 0;
        for (JsonNode t : diffs) {
            assertThat(t.get("differing").asLong()).isZero();
            elements += t.get("elements").asLong();
        }
        long perSet = 0;
        for (Tensor t : model.mainSubgraph().tensors()) {
            if (!t.isConstant()) {
                perSet += t.elementCount();
            }
        }
        assertThat(elements).isEqualTo(2 * perSet); // two input sets

        assertThat(Files.readAllLines(out.resolve("tensors.csv"))).hasSize(1 + pairs * tensors)
                .first().asString().startsWith("model,a,b,tensor_index,tensor,op_index,op,dtype,shape,state");
        assertThat(Files.readAllLines(out.resolve("pairs.csv"))).hasSize(1 + pairs)
                .anySatisfy(l -> assertThat(l).startsWith("zoo:tiny_cnn_int8,builtin-ref,reference:TFLITE,identical,"));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    @Test
    void anOpTheOracleLacksIsReportedNotACrash(@TempDir Path dir) throws Exception {
        Path floor = OracleLacksModel.write(dir.resolve("model"));
        Run r = run("conform", floor.toString(), "--backends", "builtin,builtin-ref,reference:TFLITE", "--json",
                "--report", dir.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode model = JSON.readTree(r.out()).get("models").get(0);
        JsonNode oracle = model.get("backends").get(2);
        assertThat(oracle.get("state").asText()).isEqualTo("unsupported");
        assertThat(oracle.get("unsupported_ops")).hasSize(1);
        assertThat(oracle.get("unsupported_ops").get(0).get("op").asText()).isEqualTo(OracleLacksModel.OP);
        JsonNode missing = pair(model, "builtin-ref", "reference:TFLITE");
        assertThat(missing.get("compared").asBoolean()).isFalse();
        assertThat(missing.get("unavailable").asText()).contains("lacks op 0 " + OracleLacksModel.OP);
        // the native pair is still compared
        assertThat(pair(model, "builtin", "builtin-ref").get("tensors_compared").asInt()).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("report.html"))).contains("unsupported on reference:TFLITE");

        Run text = run("conform", floor.toString(), "--backends", "builtin-ref,reference:TFLITE",
                "--expect", "builtin-ref==reference:TFLITE");
        assertThat(text.status()).as("an expectation that could not be checked fails").isEqualTo(1);
        assertThat(text.out()).contains("reference:TFLITE lacks op 0 FLOOR v1: the reference has no FLOOR kernel yet");
    }

    @Test
    void inputsFromNpyFilesOneSetPerSubdirectory(@TempDir Path dir) throws Exception {
        TfliteModel model = Zoo.tinyCnnInt8();
        Tensor in = model.mainSubgraph().inputTensor(0);
        Path sets = dir.resolve("sets");
        Files.createDirectories(sets.resolve("a"));
        Files.createDirectories(sets.resolve("b"));
        // set a named by index, set b as `litebit run --dump-all` names tensors; values of random seeds 3 and 4
        Npy.write(sets.resolve("a/input0.npy"), in.dtype(), in.shape(), ByteBuffer.wrap(InputSets.random(model, 3).get(0)));
        Npy.write(sets.resolve("b").resolve(RunCommand.fileName(in)), in.dtype(), in.shape(),
                ByteBuffer.wrap(InputSets.random(model, 4).get(0)));
        Run fromFiles = run("conform", "zoo:tiny_cnn_int8", "--backends", "builtin-ref,reference:NAIVE_FLOAT",
                "--inputs", sets.toString(), "--json");
        assertThat(fromFiles.status()).as(fromFiles.err()).isZero();
        Run random = run("conform", "zoo:tiny_cnn_int8", "--backends", "builtin-ref,reference:NAIVE_FLOAT",
                "--inputs", "random:2", "--seed", "3", "--json");
        JsonNode a = JSON.readTree(fromFiles.out()).get("models").get(0);
        JsonNode b = JSON.readTree(random.out()).get("models").get(0);
        assertThat(a.get("input_sets").asInt()).isEqualTo(2);
        assertThat(a.get("pairs")).isEqualTo(b.get("pairs")); // same inputs, same bits

        Path wrong = dir.resolve("wrong");
        Files.createDirectories(wrong);
        Npy.write(wrong.resolve("input0.npy"), io.litebit.model.DType.FLOAT32, in.shape(),
                ByteBuffer.allocate(4 * (int) in.elementCount()));
        Run bad = run("conform", "zoo:tiny_cnn_int8", "--inputs", wrong.toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err().strip().lines()).singleElement().asString().contains("holds float32[1, 16, 16, 3]",
                "needs 768 values of its own dtype");
        Run none = run("conform", "zoo:tiny_cnn_int8", "--inputs", dir.resolve("empty-or-absent").toString());
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("expected random:N, mnist:N, a directory of .npy files or a dataset");
    }

    @Test
    void usageAndModelErrorsAreOneLineAndStatusTwo(@TempDir Path dir) throws Exception {
        Path garbage = dir.resolve("bad.tflite");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Run bad = run("conform", garbage.toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err().strip().lines()).singleElement().asString().startsWith("litebit conform: invalid model: ");

        Run missing = run("conform", dir.resolve("none.tflite").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err().strip().lines()).singleElement().asString().startsWith("litebit conform: no such file");

        String[][] usage = {
            {"conform", "zoo:tiny_cnn_int8", "--backends", "builtin-ref"},
            {"conform", "zoo:tiny_cnn_int8", "--backends", "builtin-ref,gpu"},
            {"conform", "zoo:tiny_cnn_int8", "--backends", "builtin-ref,reference:FAST"},
            {"conform", "zoo:tiny_cnn_int8", "--backends", "builtin-ref,builtin_ref"},
            {"conform", "zoo:tiny_cnn_int8", "--backends", "builtin,builtin-ref", "--expect", "builtin==xnnpack"},
            {"conform", "zoo:tiny_cnn_int8", "--expect", "builtin"},
            {"conform", "zoo:tiny_cnn_int8", "--inputs", "random:0"},
            {"conform", "zoo:no_such_model"},
            {"conform"},
        };
        String[] messages = {"give at least two", "unknown backend \"gpu\"", "unknown numerics profile \"FAST\"",
            "builtin-ref is listed twice", "xnnpack is not among --backends", "expected A==B", "positive integer",
            "no zoo model \"no_such_model\"", "Missing required parameter"};
        for (int i = 0; i < usage.length; i++) {
            Run u = run(usage[i]);
            assertThat(u.status()).as(String.join(" ", usage[i])).isEqualTo(2);
            assertThat(u.err()).as(String.join(" ", usage[i])).contains(messages[i]);
        }
    }

    @Test
    void seanetGoldensMatchOnBuiltinRefAndTheOracle() throws Exception {
        Path seanet = SharedAssets.require("models/seanet");
        Run r = run("golden", seanet.toString(), "--backends", "builtin-ref,reference:TFLITE", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("all_match").asBoolean()).isTrue();
        int cases = root.get("cases").size();
        assertThat(cases).isEqualTo(23);
        for (JsonNode s : root.get("summary")) {
            assertThat(s.get("match").asInt()).as(s.get("backend").asText()).isEqualTo(cases);
        }
        for (JsonNode c : root.get("cases")) {
            for (JsonNode res : c.get("results")) {
                assertThat(res.get("state").asText()).isEqualTo("match");
                assertThat(res.get("differing").asLong()).isZero();
            }
        }

        Run text = run("golden", seanet.toString(), "--backends", "builtin-ref,reference:NAIVE_FLOAT");
        assertThat(text.status()).as("NAIVE_FLOAT rounds convolutions differently").isEqualTo(1);
        assertThat(text.out().lines().filter(l -> l.startsWith("conv0 ")).findFirst().orElseThrow())
                .contains("match", "differ, max 1 LSB");
        assertThat(text.out()).contains("Matches       builtin-ref 23/23, reference:NAIVE_FLOAT ");
        assertThat(text.err()).startsWith("litebit golden: ");

        Run notASuite = run("golden", SharedAssets.require("models/tflite-micro").toString());
        assertThat(notASuite.status()).isEqualTo(2);
        assertThat(notASuite.err().strip().lines()).singleElement().asString().contains("needs ", "_golden_<dtype>.csv");
    }
}
