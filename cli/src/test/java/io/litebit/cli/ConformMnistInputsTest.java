package io.litebit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.litebit.cli.InspectCommandTest.Run;
import io.litebit.model.testing.SharedAssets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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
}
