package io.litebit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.litebit.cli.InspectCommandTest.Run;
import io.litebit.model.DType;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** litebit quantize end to end on a calibrated TFLite test model. */
class QuantizeCommandTest {
    static final String CONV = "models/quantization/litert-calibrated/single_conv_weights_min_0_max_plus_10.bin";

    @Test
    void uint8InputIsPrintedInAllThreeSpellingsAndWritten(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("q.tflite");
        Run r = InspectCommandTest.run("quantize", SharedAssets.require(CONV).toString(), "--io", "uint8", "-o", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        // Calibrated input range [0, 10]: scale 10/255 = 0.039215688f, int8 zero point -128, uint8 0;
        // (mean, std) spelling: mean = zero point (0), std = 1/scale = 25.5.
        assertThat(r.out()).contains("uint8[1, 6, 6, 3]").contains("(scale, zero_point) = (0.039215688, 0)")
                .contains("(min, max) = (0.0, 10.0000003").contains("(mean, std_dev) = (0.0, 25.49999");
        TfliteModel m = TfliteModel.load(out);
        assertThat(m.mainSubgraph().inputTensor(0).dtype()).isEqualTo(DType.UINT8);
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void jsonListsOpsTensorsAndSizes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("q.tflite");
        Run r = InspectCommandTest.run("quantize", SharedAssets.require(CONV).toString(), "--denylist-ops", "CONV_2D",
                "-o", out.toString(), "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("ops").get(0).get("quantized").asBoolean()).isFalse();
        assertThat(j.get("ops").get(0).get("reason").asText()).isEqualTo("denylisted op CONV_2D");
        assertThat(j.get("size_before_bytes").asLong()).isPositive();
        assertThat(j.get("tensors").size()).isPositive();
    }

    @Test
    void alreadyQuantizedModelIsAUsageError(@TempDir Path dir) {
        Run r = InspectCommandTest.run("quantize",
                SharedAssets.require("models/quantization/litert-calibrated/lstm_quantized.bin").toString(),
                "-o", dir.resolve("x.tflite").toString());
        assertThat(r.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("already quantized");
    }

    @Test
    void withADatasetItCalibratesFirstExactlyAsCalibrateDoes(@TempDir Path dir) throws Exception {
        String model = SharedAssets.require("models/quantization/aeq/conv_fc_mnist.tflite").toString();
        String data = "mnist:" + SharedAssets.require("datasets/mnist") + ":train:50";
        Path calibrated = dir.resolve("c.tflite");
        Run c = InspectCommandTest.run("calibrate", model, "--dataset", data, "-o", calibrated.toString());
        assertThat(c.status()).as(c.err()).isZero();
        Path twoSteps = dir.resolve("two.tflite");
        Run q = InspectCommandTest.run("quantize", calibrated.toString(), "-o", twoSteps.toString());
        assertThat(q.status()).as(q.err()).isZero();
        Path oneStep = dir.resolve("one.tflite");
        Run r = InspectCommandTest.run("quantize", model, "--dataset", data, "-o", oneStep.toString(), "--json");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(java.nio.file.Files.readAllBytes(oneStep)).isEqualTo(java.nio.file.Files.readAllBytes(twoSteps));
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("calibration").get("used").asInt()).isEqualTo(50);
        assertThat(j.get("calibration").get("method").asText()).isEqualTo("minmax");

        Run dynamic = InspectCommandTest.run("quantize", model, "--dataset", data, "--scheme", "dynamic",
                "-o", dir.resolve("d.tflite").toString());
        assertThat(dynamic.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(dynamic.err()).contains("takes no --dataset");
    }
}
