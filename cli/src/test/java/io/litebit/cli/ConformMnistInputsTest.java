package io.litebit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.litebit.cli.InspectCommandTest.Run;
import io.litebit.model.testing.SharedAssets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformMnistInputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mnistImagesFeedAnyModelAndTheOracleStaysBitExact() throws Exception {
        Path mnist = SharedAssets.require("datasets/mnist");
        // The zoo's uint8 MLP takes 28x28 images; the tiny CNN takes another shape: both get images.
        Run r = InspectCommandTest.run("conform", "zoo:mnist_mlp_uint8", "zoo:tiny_cnn_int8", "--inputs", "mnist:3", "--seed", "10",
                "--mnist", mnist.toString(), "--backends", "builtin-ref,reference", "--expect", "builtin-ref==reference:TFLITE",
                "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("inputs").asText()).startsWith("mnist:3 (test images from 10, ");
        for (JsonNode model : root.get("models")) {
            assertThat(model.get("input_sets").asInt()).isEqualTo(3);
        }
        assertThat(root.get("expectations_met").asBoolean()).isTrue();
    }

    @Test
    void imagesPastTheEndOfTheSplitAreAUsageError() {
        Path mnist = SharedAssets.require("datasets/mnist");
        Run r = InspectCommandTest.run("conform", "zoo:mnist_mlp_uint8", "--inputs", "mnist:2", "--seed", "9999",
                "--mnist", mnist.toString(), "--backends", "builtin-ref,reference");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--inputs mnist:2 --seed 9999: the test split has images 0..9999");
        Run bad = InspectCommandTest.run("conform", "zoo:mnist_mlp_uint8", "--inputs", "mnist:0");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("N of mnist:N must be a positive integer");
    }

    @Test
    void anyDatasetSpecFeedsConformAndEvalAndMatchesTheOlderForms(@TempDir Path dir) throws Exception {
        Path mnist = SharedAssets.require("datasets/mnist");
        Path lstm = SharedAssets.require("models/tflite-micro/trained_lstm_int8.tflite");
        Run r = InspectCommandTest.run("conform", lstm.toString(), "--inputs", "mnist:" + mnist + ":test:2",
                "--backends", "builtin-ref,reference", "--expect", "builtin-ref==reference:TFLITE", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("models").get(0).get("input_sets").asInt()).isEqualTo(2);
        assertThat(root.get("expectations_met").asBoolean()).isTrue();
        // The same first 300 test images by both routes give the same accuracy.
        JsonNode a = JSON.readTree(InspectCommandTest.run("eval", lstm.toString(), "--mnist", mnist.toString(), "--limit", "300",
                "--json").out());
        Run viaDataset = InspectCommandTest.run("eval", lstm.toString(), "--dataset", "mnist:" + mnist + ":test:300", "--json");
        assertThat(viaDataset.status()).as(viaDataset.err()).isZero();
        JsonNode b = JSON.readTree(viaDataset.out());
        assertThat(b.get("count").asInt()).isEqualTo(300);
        assertThat(b.get("correct").asInt()).isEqualTo(a.get("correct").asInt());
        Run both = InspectCommandTest.run("eval", lstm.toString(), "--mnist", mnist.toString(), "--dataset", "mnist:" + mnist);
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.err()).contains("exactly one of --mnist DIR and --dataset SPEC");
        Run missing = InspectCommandTest.run("conform", lstm.toString(), "--inputs", dir.resolve("nope.h5").toString(),
                "--backends", "builtin-ref,reference");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file or directory");
    }
}
