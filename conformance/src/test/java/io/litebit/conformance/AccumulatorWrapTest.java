package io.litebit.conformance;

import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.options.Padding;
import io.litebit.reference.NumericsProfile;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A convolution whose int32 accumulator wraps: TFLite's C++ sum overflows silently, and the
 * oracle must reproduce the wrapped bits (its fast int sums are only used where no wrap is
 * possible). Output channel 0 sums 33,100 products (0 - 255) * 255 = -65,025, exactly
 * -2,152,327,500, which wraps to +2,142,639,796: the real sum is far below zero and would clamp to
 * 0, the wrapped one clamps to 255. Channel 1 (zero weights) stays at the output zero point.
 */
class AccumulatorWrapTest {
    private static final int CHANNELS = 33_100;

    static TfliteModel model() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.UINT8, new int[] {1, 1, 1, CHANNELS}, Quantization.perTensor(0.5f, 255));
        byte[] w = new byte[2 * CHANNELS];
        Arrays.fill(w, 0, CHANNELS, (byte) 255);
        TensorRef f = g.constant("w", DType.UINT8, new int[] {2, 1, 1, CHANNELS}, w, Quantization.perTensor(0.25f, 0));
        TensorRef b = g.constant("b", new int[] {2}, new int[] {0, 0}, SubgraphBuilder.biasQuantization(x, f));
        g.output(g.conv2d(x, f, b, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1),
                Out.uint8(1000f, 128).named("y")));
        return mb.build();
    }

    @Test
    void oracleWrapsTheInt32AccumulatorAsTfliteDoes() {
        TfliteModel model = model();
        List<byte[]> inputs = List.of(new byte[CHANNELS]);
        Trace oracle = Backend.reference(NumericsProfile.TFLITE).run(model, inputs);
        Trace ref = Backend.builtinRef().run(model, inputs);

        assertThat(ref.output(0).integerAt(0)).as("BUILTIN_REF channel 0 (wrapped sum)").isEqualTo(255);
        assertThat(ref.output(0).integerAt(1)).as("BUILTIN_REF channel 1").isEqualTo(128);
        TraceDiff d = TraceDiff.compare(model, oracle, ref);
        assertThat(d.identical()).as(d.toString()).isTrue();
        // The textbook formula scales the exact sum: it clamps to 0 where TFLite saturates to 255.
        Trace naive = Backend.reference(NumericsProfile.NAIVE_FLOAT).run(model, inputs);
        assertThat(naive.output(0).integerAt(0)).isEqualTo(0);
    }
}
