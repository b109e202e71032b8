package io.litebit.reference.kernels;

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
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import org.junit.jupiter.api.Test;

/** DEPTHWISE_CONV_2D on models built with the model builder, outputs derived by hand. */
class DepthwiseConvTest {

    private static TensorValue run(TfliteModel model, NumericsProfile profile, TensorValue input) {
        return ReferenceInterpreter.create(model, profile).run(input).output(0);
    }

    @Test
    void uint8DepthMultiplierTwoSubtractsTheFilterZeroPoint() {
        // input [1, 1, 2, 1] scale 1 zero point 10; 1x1 filter with 2 output channels (multiplier
        // 2), uint8 scale 0.5 zero point 100: [101, 98] -> [1, -2]; bias [0, 1]; output scale 1
        // zero point 20. Multiplier float(1 * 0.5) / 1 = 0.5 = (2^30, shift 0).
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(1f, 10);
        Quantization wQ = Quantization.perTensor(0.5f, 100);
        TensorRef x = g.input("x", DType.UINT8, new int[] {1, 1, 2, 1}, inQ);
        TensorRef w = g.constant("w", DType.UINT8, new int[] {1, 1, 1, 2}, new byte[] {101, 98}, wQ);
        TensorRef b = g.constant("b", new int[] {2}, new int[] {0, 1}, SubgraphBuilder.biasQuantization(inQ, wQ));
        g.output(g.depthwiseConv2d(x, w, b, new BuiltinOptions.DepthwiseConv2D(Padding.VALID, 1, 1, 2, Activation.NONE, 1, 1),
                Out.uint8(1f, 20)));
        TfliteModel model = mb.build();
        // x = [12, 7] -> [2, -3]. Position 0: oc 0 = 1*2 + 0 = 2, oc 1 = -2*2 + 1 = -3.
        // Position 1: oc 0 = 1*(-3) = -3, oc 1 = -2*(-3) + 1 = 7.
        // SRDHM(a, 2^30) = (a * 2^30 + nudge) / 2^31 truncated (nudge 2^30, or 1 - 2^30 for a < 0):
        // 2 -> 1.5 -> 1; -3 -> (1 - 2^32) / 2^31 -> -1; 7 -> 2^33 / 2^31 = 4. Plus 20: [21, 19, 19, 24].
        // NAIVE: rint(1) = 1, rint(-1.5) = -2, rint(3.5) = 4: [21, 18, 18, 24].
        TensorValue in = TensorValue.ofUint8(new int[] {1, 1, 2, 1}, 12, 7);
        assertThat(run(model, NumericsProfile.TFLITE, in).toIntArray()).containsExactly(21, 19, 19, 24);
        assertThat(run(model, NumericsProfile.NAIVE_FLOAT, in).toIntArray()).containsExactly(21, 18, 18, 24);
        assertThat(run(model, NumericsProfile.TFLITE, in).shape()).containsExactly(1, 1, 2, 2);
    }

    @Test
    void int8WithoutBiasSamePaddingAndStride2() {
        // input 1x3x3x1 int8 scale 1 zero point 0 = 1..9; 3x3 filter of ones, scale 1; output scale
        // 1: multiplier 1 = (2^30, shift 1), exact. SAME stride 2: out 2x2; total padding
        // (2 - 1) * 2 + 3 - 3 = 2, one before. Windows centred on (0,0), (0,2), (2,0), (2,2):
        // (0,0): 1+2+4+5 = 12; (0,2): 2+3+5+6 = 16; (2,0): 4+5+7+8 = 24; (2,2): 5+6+8+9 = 28.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization q = Quantization.perTensor(1f, 0);
        TensorRef x = g.input("x", DType.INT8, new int[] {1, 3, 3, 1}, q);
        TensorRef w = g.constant("w", DType.INT8, new int[] {1, 3, 3, 1}, new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, q);
        g.output(g.depthwiseConv2d(x, w, null, new BuiltinOptions.DepthwiseConv2D(Padding.SAME, 2, 2, 1, Activation.NONE, 1, 1),
                Out.int8(1f, 0)));
        TensorValue y = run(mb.build(), NumericsProfile.TFLITE,
                TensorValue.ofInt8(new int[] {1, 3, 3, 1}, (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7,
                        (byte) 8, (byte) 9));
        assertThat(y.toIntArray()).containsExactly(12, 16, 24, 28);
    }
    @Test
    void int16WithInt64BiasRoundsHalvesUp() {
        // input int16 scale 1 = [1000, -1000] (two positions); 1x1 filter [3] scale 0.5; bias 1
        // (int64); output scale 1: multiplier 0.5 = (2^30, 0). int64 MultiplyByQuantizedMultiplier:
        // reduced multiplier (2^30 + 2^15) >> 16 = 16384, total shift 15.
        // 3000 + 1 = 3001: (3001 * 16384 + 2^14) >> 15 = 3002 * 16384 >> 15 = 1501 (1500.5 up).
        // -3000 + 1 = -2999: (-2999 * 16384 + 2^14) >> 15 = -2998 * 16384 >> 15 = -1499 (-1499.5 up).
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(1f, 0);
        Quantization wQ = Quantization.perTensor(0.5f, 0);
        TensorRef x = g.input("x", DType.INT16, new int[] {1, 1, 2, 1}, inQ);
        TensorRef w = g.constant("w", DType.INT8, new int[] {1, 1, 1, 1}, new byte[] {3}, wQ);
        TensorRef b = g.constant("b", new int[] {1}, new long[] {1}, SubgraphBuilder.biasQuantization(inQ, wQ));
        g.output(g.depthwiseConv2d(x, w, b, new BuiltinOptions.DepthwiseConv2D(Padding.VALID, 1, 1, 1, Activation.NONE, 1, 1),
                Out.int16(1f, 0)));
        TensorValue y = run(mb.build(), NumericsProfile.TFLITE, TensorValue.ofInt16(new int[] {1, 1, 2, 1}, (short) 1000, (short) -1000));
        assertThat(y.toIntArray()).containsExactly(1501, -1499);
    }
}
