package io.litebit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.litebit.cli.InspectCommandTest.Run;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** litebit bench on the zoo's tiny CNN with a handful of iterations: output shape, not speed. */
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tableListsEveryBackendWithLatencies() {
        Run r = InspectCommandTest.run("bench", "zoo:tiny_cnn_int8", "--backends", "xnnpack,builtin,builtin-ref,reference",
                "--warmup", "1", "--iterations", "3");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("median", "p90", "min", "inferences/s", "time vs xnnpack", "CPU");
        for (String b : new String[] {"xnnpack", "builtin", "builtin-ref", "reference:TFLITE"}) {
            assertThat(r.out()).containsPattern("(?m)^" + b + " +[0-9.]+ (ns|us|ms)");
        }
        // not a terminal: no progress indicator
        assertThat(r.err()).isEmpty();
    }

    @Test
    void jsonHasKeysPerBackendAndTheFloatTwin() throws Exception {
        Run r = InspectCommandTest.run("bench", "zoo:tiny_cnn_int8", "--backends", "xnnpack,builtin", "--threads", "2",
                "--float-twin", "--warmup", "0", "--iterations", "2", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("threads").asInt()).isEqualTo(2);
        assertThat(root.get("cpu").get("model").asText()).isNotBlank();
        for (String section : new String[] {"backends", "float_twin"}) {
            for (String b : new String[] {"xnnpack", "builtin"}) {
                JsonNode n = root.get(section).get(b);
                assertThat(n).as(section + "." + b).isNotNull();
                assertThat(n.get("median_us").asDouble()).isPositive();
                assertThat(n.get("min_us").asDouble()).isLessThanOrEqualTo(n.get("median_us").asDouble());
                assertThat(n.get("median_us").asDouble()).isLessThanOrEqualTo(n.get("p90_us").asDouble());
                assertThat(n.get("inferences_per_s").asDouble()).isPositive();
            }
        }
    }

    @Test
    void chartIsAValidPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sub/bench.png");
        Run r = InspectCommandTest.run("bench", "zoo:tiny_cnn_int8", "--backends", "xnnpack,builtin", "--float-twin",
                "--warmup", "0", "--iterations", "2", "--chart", png.toString());
        assertThat(r.status()).as(r.err()).isZero();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(500);
    }

    @Test
    void aBackendThatCannotRunTheModelIsARowNotAFailure(@TempDir Path dir) throws Exception {
        Path floor = OracleLacksModel.write(dir);
        Run r = InspectCommandTest.run("bench", floor.toString(), "--backends", "builtin,reference", "--warmup", "0",
                "--iterations", "2");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^builtin +[0-9.]+ (ns|us|ms)")
                .containsPattern("(?m)^reference:TFLITE .*not run")
                .containsPattern("(?m)^Not run +reference:TFLITE: .*" + OracleLacksModel.OP);
        Run j = InspectCommandTest.run("bench", floor.toString(), "--backends", "builtin,reference", "--warmup", "0",
                "--iterations", "2", "--json");
        assertThat(JSON.readTree(j.out()).get("backends").get("reference:TFLITE").get("error").asText())
                .contains(OracleLacksModel.OP);
    }

    @Test
    void missingModelAndUnknownBackendExitWith2() {
        Run missing = InspectCommandTest.run("bench", "no/such/model.tflite", "--iterations", "1");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).startsWith("litebit bench: ").contains("no/such/model.tflite");
        assertThat(missing.out()).isEmpty();

        Run unknown = InspectCommandTest.run("bench", "zoo:tiny_cnn_int8", "--backends", "xnnpack,tpu");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("--backends", "tpu", "expected xnnpack, builtin, builtin-ref");

        Run zero = InspectCommandTest.run("bench", "zoo:tiny_cnn_int8", "--iterations", "0");
        assertThat(zero.status()).isEqualTo(2);

        Run notQuantized = InspectCommandTest.run("bench", "zoo:tiny_cnn_float", "--float-twin");
        assertThat(notQuantized.status()).isEqualTo(2);
        assertThat(notQuantized.err()).contains("its own float twin");
    }

    @Test
    void refusesToTimeAnEmulatedOrHarnessBackend() {
        Run r = InspectCommandTest.run("bench", "zoo:tiny_cnn_int8", "--backends", "xnnpack,arm64:xnnpack", "--iterations", "1");
        assertThat(r.status()).isEqualTo(Main.EXIT_USAGE);
        if (io.litebit.conformance.harness.HarnessPlatform.host() != io.litebit.conformance.harness.HarnessPlatform.ARM64) {
            assertThat(r.err()).contains("refuses arm64:xnnpack", "emulator", "mean nothing");
        }
        assertThat(r.out()).doesNotContain("median");
    }
}
