package io.litebit.conformance;

import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import io.litebit.conformance.fuzz.OpCase;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.rewrite.Rewriters;
import io.litebit.model.testing.SharedAssets;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * MEAN models that take TFLite's optimized 4-D spatial mean (keep_dims, axes {@code [1, 2]}), shared by
 * {@link BuiltinMeanProfileTest} and the arm64 twin, and the exact diff counts both assert on.
 */
public final class MeanPaths {
    /** MobileNetV2's op 81: the 7×7 global average pool over 1,280 int8 channels, same input and output parameters. */
    public static final String MOBILENET = "models/tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite";
    public static final int MOBILENET_MEAN_OP = 81;
    private static final Quantization OP81_PARAMS = Quantization.perTensor(0.0705479f, -9);
    private static final Pattern SPATIAL = Pattern.compile("x\\[\\d+,\\d+,\\d+,(\\d+)] axes=\\[(1,2|2,1)] keep_dims");

    private MeanPaths() {
    }

    /** A model and one input set. */
    public record Case(String name, TfliteModel model, List<byte[]> inputs) {
    }

    /** Differing elements and the largest difference in LSB over every tensor of two traces, compared exactly. */
    public record Diff(long differing, long elements, long maxLsb) {
        public static Diff of(TfliteModel model, Trace a, Trace b) {
            TraceDiff d = TraceDiff.compare(model, a, b);
            if (!d.missing().isEmpty()) {
                throw new AssertionError(a.backend() + " vs " + b.backend() + ": tensors traced by one side only " + d.missing());
            }
            return new Diff(d.tensors().stream().mapToLong(TensorDiff::differing).sum(),
                    d.tensors().stream().mapToLong(TensorDiff::elements).sum(),
                    d.tensors().stream().mapToLong(TensorDiff::maxLsb).max().orElse(0));
        }

        @Override
        public String toString() {
            return differing + "/" + elements + " elements, max " + maxLsb + " LSB";
        }
    }

    /** Whether a generated MEAN case takes the spatial path, from its parameter line. */
    public static boolean spatial(OpCase c) {
        return !c.params().startsWith("int16") && SPATIAL.matcher(c.params()).find();
    }

    /** The depth (channels) of a spatial case. */
    public static int depth(OpCase c) {
        var m = SPATIAL.matcher(c.params());
        if (!m.find()) {
            throw new IllegalArgumentException("not a spatial MEAN case: " + c.params());
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * A single MEAN shaped as MobileNetV2's op 81 ([1, 7, 7, 1280] int8, scale 0.0705479, zero point -9 in and out,
     * axes [1, 2], keep_dims), with seeded inputs: each channel uniform over a window of 64 levels at a random
     * offset, so that the channel means spread over the output range.
     */
    public static Case op81Shaped(long seed) {
        ModelBuilder mb = ModelBuilder.create().description("MobileNetV2 op 81 shape");
        SubgraphBuilder g = mb.main();
        int[] shape = {1, 7, 7, 1280};
        TensorRef x = g.input("x", DType.INT8, shape, OP81_PARAMS);
        g.output(g.mean(x, new int[] {1, 2}, true, Out.of(DType.INT8, OP81_PARAMS).named("y")));
        SplittableRandom r = new SplittableRandom(seed);
        int[] low = new int[shape[3]];
        for (int d = 0; d < low.length; d++) {
            low[d] = r.nextInt(-128, 64);
        }
        byte[] v = new byte[49 * shape[3]];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) (low[i % shape[3]] + r.nextInt(64));
        }
        return new Case("op-81-shaped seed " + seed, mb.build(), List.of(v));
    }

    /**
     * MobileNetV2's op 81 itself ({@link Rewriters#extractOperator}), fed with what TFLite's reference kernels
     * compute for its input on the model's random input set 0 (docs/conformance.md, cause B).
     */
    public static Case op81Extracted() throws IOException {
        TfliteModel model = TfliteModel.load(SharedAssets.require(MOBILENET));
        List<byte[]> inputs = InputSets.random(model, 1, 0).get(0);
        Trace ref = Backend.builtinRef().run(model, inputs);
        int input = model.mainSubgraph().operator(MOBILENET_MEAN_OP).inputs()[0];
        byte[] meanInput = ref.tensor(input).orElseThrow().data();
        return new Case("MobileNetV2 op 81", Rewriters.extractOperator(model, 0, MOBILENET_MEAN_OP), List.of(meanInput));
    }
}
