package io.litebit.conformance;

import io.litebit.trace.Backend;
import io.litebit.trace.TracedTensor;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.data.Mnist;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.testing.SharedAssets;
import io.litebit.reference.NumericsProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The user report from the field (issue 4 §4): "I reproduced a quantized FC layer in numpy and
 * disagree with TFLite on a fraction of outputs". The MNIST-style model here (uint8 input [1, 784]
 * = 28x28 with scale 1/255 and zero point 0, FULLY_CONNECTED to 10 with seeded uint8 weights, uint8
 * output whose parameters come from the range observed over the test set) runs the 10,000 MNIST
 * test images on native BUILTIN_REF and on the oracle: {@code NAIVE_FLOAT} (the textbook
 * {@code rint(acc * real_scale) + zp}) disagrees with TFLite on some outputs, {@code TFLITE}
 * (fixed-point multiplier, double rounding) on none. Counts go to
 * {@code target/conformance/mnist-field-report.json}.
 */
class MnistFieldReportTest {
    private static final int K = 784;
    private static final int UNITS = 10;
    private static final float IN_SCALE = 1f / 255;

    @Test
    void naiveFloatDisagreesWithTfliteWhileTheTfliteProfileAgreesOnAllTenThousandImages() throws IOException {
        Mnist test = Mnist.load(SharedAssets.require("datasets/mnist"), Mnist.Split.TEST);
        assertThat(test.size()).isEqualTo(10_000);
        TfliteModel model = model(test);

        long[] differingOutputs = new long[2];
        long[] differingImages = new long[2];
        long maxLsbNaive = 0;
        int correct = 0;
        try (Backend.Session ref = Backend.builtinRef().open(model);
             Backend.Session naive = Backend.reference(NumericsProfile.NAIVE_FLOAT).open(model);
             Backend.Session tflite = Backend.reference(NumericsProfile.TFLITE).open(model)) {
            for (int i = 0; i < test.size(); i++) {
                List<byte[]> in = List.of(test.image(i));
                TracedTensor expected = ref.run(in).output(0);
                TensorDiff dNaive = TensorDiff.of(expected, naive.run(in).output(0));
                TensorDiff dTflite = TensorDiff.of(expected, tflite.run(in).output(0));
                differingOutputs[0] += dNaive.differing();
                differingImages[0] += dNaive.identical() ? 0 : 1;
                maxLsbNaive = Math.max(maxLsbNaive, dNaive.maxLsb());
                differingOutputs[1] += dTflite.differing();
                differingImages[1] += dTflite.identical() ? 0 : 1;
                correct += argmax(expected.data()) == test.label(i) ? 1 : 0;
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("images", test.size());
        report.put("outputs", (long) test.size() * UNITS);
        report.put("naiveFloatDifferingOutputs", differingOutputs[0]);
        report.put("naiveFloatDifferingImages", differingImages[0]);
        report.put("naiveFloatMaxLsb", maxLsbNaive);
        report.put("tfliteDifferingOutputs", differingOutputs[1]);
        report.put("tfliteDifferingImages", differingImages[1]);
        report.put("outputQuantization", model.mainSubgraph().outputTensor(0).quantization().toString());
        report.put("top1OfRandomWeights", correct);
        Path dir = Path.of("target", "conformance");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("mnist-field-report.json"), Json.write(report));
        System.out.println("[mnist] " + report);

        assertThat(differingOutputs[0]).as("NAIVE_FLOAT outputs that differ from native BUILTIN_REF").isPositive();
        assertThat(differingOutputs[1]).as("TFLITE outputs that differ from native BUILTIN_REF").isZero();
    }

    /**
     * The model: seeded weights ~ N(0, 0.05) and bias ~ N(0, 0.5) in real units, quantized the way
     * the converter does it (uint8 asymmetric weights from their min/max, int32 bias at
     * input_scale * weight_scale); the output's (scale, zero point) from the min/max of the real
     * outputs over the whole test set, so outputs use the uint8 range without saturating.
     */
    private static TfliteModel model(Mnist test) {
        SplittableRandom r = new SplittableRandom(784_10L);
        double[] w = new double[UNITS * K];
        double wMin = 0;
        double wMax = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = gaussian(r) * 0.05;
            wMin = Math.min(wMin, w[i]);
            wMax = Math.max(wMax, w[i]);
        }
        float wScale = (float) ((wMax - wMin) / 255);
        int wZero = (int) Math.max(0, Math.min(255, Math.round(-wMin / wScale)));
        byte[] wq = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            wq[i] = (byte) Math.max(0, Math.min(255, Math.round(w[i] / wScale) + wZero));
        }
        float biasScale = IN_SCALE * wScale;
        int[] bq = new int[UNITS];
        for (int u = 0; u < UNITS; u++) {
            bq[u] = (int) Math.round(gaussian(r) * 0.5 / biasScale);
        }
        // Observed output range, from the quantized weights and bias as TFLite sees them.
        double lo = 0;
        double hi = 0;
        for (int i = 0; i < test.size(); i++) {
            byte[] x = test.image(i);
            for (int u = 0; u < UNITS; u++) {
                long acc = bq[u];
                for (int k = 0; k < K; k++) {
                    acc += (long) (x[k] & 0xff) * ((wq[u * K + k] & 0xff) - wZero);
                }
                double real = acc * (double) biasScale;
                lo = Math.min(lo, real);
                hi = Math.max(hi, real);
            }
        }
        float outScale = (float) ((hi - lo) / 255);
        int outZero = (int) Math.max(0, Math.min(255, Math.round(-lo / outScale)));

        ModelBuilder mb = ModelBuilder.create().description("MNIST-style uint8 FC 784->10 (field report)");
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(IN_SCALE, 0);
        Quantization wQ = Quantization.perTensor(wScale, wZero);
        TensorRef x = g.input("image", DType.UINT8, new int[] {1, K}, inQ);
        TensorRef weights = g.constant("weights", DType.UINT8, new int[] {UNITS, K}, wq, wQ);
        TensorRef bias = g.constant("bias", new int[] {UNITS}, bq, SubgraphBuilder.biasQuantization(inQ, wQ));
        g.output(g.fullyConnected(x, weights, bias, new BuiltinOptions.FullyConnected(Activation.NONE, false),
                Out.uint8(outScale, outZero).named("logits")));
        return mb.build();
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static int argmax(byte[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if ((v[i] & 0xff) > (v[best] & 0xff)) {
                best = i;
            }
        }
        return best;
    }
}
