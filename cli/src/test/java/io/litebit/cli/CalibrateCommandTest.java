package io.litebit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.litebit.cli.InspectCommandTest.Run;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** calibrate and dataset end to end on the shared MNIST CNN and the MNIST training images. */
class CalibrateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void threadsAndHdf5RoundTripGiveIdenticalStatsAndModelBytes(@TempDir Path dir) throws Exception {
        Path model = SharedAssets.require("models/quantization/aeq/conv_fc_mnist.tflite");
        String mnist = "mnist:" + SharedAssets.require("datasets/mnist") + ":train:120";
        Run one = InspectCommandTest.run("calibrate", model.toString(), "--dataset", mnist, "--threads", "1",
                "-o", dir.resolve("a.tflite").toString(), "--stats", dir.resolve("a.json").toString(), "--json");
        assertThat(one.status()).as(one.err()).isZero();
        Run two = InspectCommandTest.run("calibrate", model.toString(), "--dataset", mnist, "--threads", "2",
                "-o", dir.resolve("b.tflite").toString(), "--stats", dir.resolve("b.json").toString());
        assertThat(two.status()).as(two.err()).isZero();
        assertThat(Files.readString(dir.resolve("b.json"))).isEqualTo(Files.readString(dir.resolve("a.json")));
        assertThat(Files.readAllBytes(dir.resolve("b.tflite"))).isEqualTo(Files.readAllBytes(dir.resolve("a.tflite")));

        JsonNode summary = JSON.readTree(one.out());
        assertThat(summary.get("records").asInt()).isEqualTo(120);
        assertThat(summary.get("used").asInt()).isEqualTo(120);
        assertThat(summary.get("method").asText()).isEqualTo("minmax");
        // The input is pixel/255: its range is [0, 1] exactly (MNIST digits have black and white pixels).
        JsonNode input = summary.get("tensors").get(0);
        assertThat(input.get("min").asDouble()).isEqualTo(0);
        assertThat(input.get("max").asDouble()).isEqualTo(1);
        // What calibrate printed is what the calibrated model carries, tensor by tensor.
        TfliteModel calibrated = TfliteModel.load(dir.resolve("a.tflite"));
        for (JsonNode t : summary.get("tensors")) {
            var q = calibrated.mainSubgraph().tensor(t.get("index").asInt()).quantization();
            assertThat((double) q.max()[0]).isEqualTo((double) (float) t.get("max").asDouble());
        }

        // ONE's layout written by dataset convert, read back by calibrate: the same statistics.
        Run convert = InspectCommandTest.run("dataset", "convert", mnist, "--model", model.toString(), "-o",
                dir.resolve("d.h5").toString());
        assertThat(convert.status()).as(convert.err()).isZero();
        Run fromH5 = InspectCommandTest.run("calibrate", model.toString(), "--dataset", dir.resolve("d.h5").toString(),
                "-o", dir.resolve("c.tflite").toString(), "--stats", dir.resolve("c.json").toString());
        assertThat(fromH5.status()).as(fromH5.err()).isZero();
        JsonNode a = JSON.readTree(dir.resolve("a.json").toFile());
        JsonNode c = JSON.readTree(dir.resolve("c.json").toFile());
        assertThat(c.get("tensors")).isEqualTo(a.get("tensors"));
    }

    @Test
    void datasetInfoReadsThePngFixtureWithExplicitScalingOnly() throws Exception {
        Path model = SharedAssets.require("models/quantization/aeq/conv_fc_mnist.tflite");
        Path pngs = SharedAssets.require("models/quantization/aeq/mnist-samples");
        Run unscaled = InspectCommandTest.run("dataset", "info", pngs.toString(), "--model", model.toString());
        assertThat(unscaled.status()).isEqualTo(2);
        assertThat(unscaled.err()).contains("never guesses");
        Run info = InspectCommandTest.run("dataset", "info", pngs.toString(), "--model", model.toString(), "--scale", "1/255",
                "--json");
        assertThat(info.status()).as(info.err()).isZero();
        JsonNode j = JSON.readTree(info.out());
        assertThat(j.get("records").asInt()).isEqualTo(10);
        assertThat(j.get("inputs").get(0).get("shape").toString()).isEqualTo("[1,28,28,1]");
        assertThat(j.get("inputs").get(0).get("max").asDouble()).isLessThanOrEqualTo(1.0).isGreaterThan(0.9);
    }

    @Test
    void aRecordOfTheWrongShapeStopsCalibrationWithItsName(@TempDir Path dir) throws Exception {
        Path model = SharedAssets.require("models/quantization/aeq/conv_fc_mnist.tflite");
        io.litebit.data.Npy.write(dir.resolve("x.npy"), io.litebit.data.NdArray.ofFloats(new int[] {2, 28, 1, 28},
                new float[2 * 784]));
        Run r = InspectCommandTest.run("calibrate", model.toString(), "--dataset", dir.resolve("x.npy").toString(), "-o",
                dir.resolve("o.tflite").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("x.npy [0] (record 0)").contains("expected shape [1, 28, 28, 1], given [28, 1, 28]");
    }
}
