package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.litebit.reference.UnsupportedOpException;
import org.junit.jupiter.api.Test;

/** TRANSPOSE_CONV on models built with the model builder, outputs derived by hand. */
class TransposeConvTest {

    @Test
    void floatStride2ValidScattersEachInputOverItsWindow() {
        // input 1x2x1x1 = [1, 2]; weights [1 out, 2 rows, 1 col, 1 in] = [10, 1]; VALID stride 2:
        // output rows (2 - 1) * 2 + 2 = 4. Padding: ComputeOutSize(VALID, 4, 2, 2) = 2, pad =
        // ((2 - 1) * 2 + 2 - 4) / 2 = 0. Input row 0 writes rows 0, 1: 10, 1; row 1 writes rows
        // 2, 3: 20, 2. Plus bias 0.5.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 2, 1, 1});
        TensorRef w = g.constant("w", new int[] {1, 2, 1, 1}, new float[] {10, 1});
        TensorRef b = g.constant("b", new int[] {1}, new float[] {0.5f});
        g.output(g.transposeConv(x, w, b, new BuiltinOptions.TransposeConv(Padding.VALID, 1, 2, Activation.NONE), Out.float32()));
        TensorValue y = ReferenceInterpreter.create(mb.build()).run(TensorValue.ofFloat32(new int[] {1, 2, 1, 1}, 1, 2)).output(0);
        assertThat(y.shape()).containsExactly(1, 4, 1, 1);
        assertThat(y.toFloatArray()).containsExactly(10.5f, 1.5f, 20.5f, 2.5f);
    }

    @Test
    void int8SamePaddingDropsTargetsOutsideTheOutput() {
        // input 1x1x2x1 int8 scale 1 zero point 0 = [3, -5]; weights 1x1x3x1 = [1, 2, 3] scale 0.5,
        // no bias; SAME stride 1: output width 2. Padding: ComputeOutSize(SAME, 2, 3, 1) = 2, pad =
        // ((2 - 1) + 3 - 2) / 2 = 1. Input 0 (origin -1): taps 1, 2 reach columns 0, 1: +6, +9.
        // Input 1 (origin 0): taps 0, 1 reach columns 0, 1: -5, -10. Sums [1, -1].
        // Multiplier 1 * 0.5 / 1 = (2^30, 0): SRDHM(1) = 1 (0.5 up), SRDHM(-1) = 0 (-0.5 up).
        // NAIVE: rint(0.5) = 0, rint(-0.5) = -0.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.INT8, new int[] {1, 1, 2, 1}, Quantization.perTensor(1f, 0));
        TensorRef w = g.constant("w", DType.INT8, new int[] {1, 1, 3, 1}, new byte[] {1, 2, 3}, Quantization.perTensor(0.5f, 0));
        g.output(g.transposeConv(x, w, null, new BuiltinOptions.TransposeConv(Padding.SAME, 1, 1, Activation.NONE),
                Out.int8(1f, 0)));
        TfliteModel model = mb.build();
        TensorValue in = TensorValue.ofInt8(new int[] {1, 1, 2, 1}, (byte) 3, (byte) -5);
        assertThat(ReferenceInterpreter.create(model).run(in).output(0).toIntArray()).containsExactly(1, 0);
        assertThat(ReferenceInterpreter.create(model, NumericsProfile.NAIVE_FLOAT).run(in).output(0).toIntArray())
                .containsExactly(0, 0);
    }
    @Test
    void int16WithInt32BiasIsRefusedAsTfliteWouldReadItAsInt64() {
        // Measured on TFLite 2.19 BUILTIN_REF: a zero filter with int32 bias [100, -100] gives
        // [100, 0]: channel 0 reads the 8 bytes of both biases as one int64 (its low 32 bits
        // survive the scaling), channel 1 reads past the buffer.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization q = Quantization.perTensor(1f, 0);
        TensorRef x = g.input("x", DType.INT16, new int[] {1, 1, 2, 1}, q);
        TensorRef w = g.constant("w", DType.INT8, new int[] {2, 1, 1, 1}, new byte[] {0, 0}, q);
        TensorRef b = g.constant("b", new int[] {2}, new int[] {100, -100}, SubgraphBuilder.biasQuantization(q, q));
        g.output(g.transposeConv(x, w, b, new BuiltinOptions.TransposeConv(Padding.VALID, 1, 1, Activation.NONE),
                Out.int16(1f, 0)));
        TfliteModel model = mb.build();
        assertThatThrownBy(() -> ReferenceInterpreter.create(model))
                .isInstanceOf(UnsupportedOpException.class)
                .hasMessageContaining("TRANSPOSE_CONV").hasMessageContaining("quantized_bias_type");
    }

    @Test
    void int16WithInt32BiasTypeUsesTheInt32ScratchAndMultiply() {
        // input 1x1x2x1 = [5, -7] scale 0.5; weights 1x1x1x1 = [2] scale 0.25; output scale 1:
        // multiplier 0.125 = (2^30, -2). VALID stride 1, output width 2, no padding: scratch
        // [10, -14], + int32 bias 2: 12, -12. int32 multiply: SRDHM gives 6, -6; divided by 4 with
        // ties away from zero: 2, -2. Single rounding floor((acc + 4) / 8): 2, -1.
        // Bias 2^31 - 4 instead: 10 + 2^31 - 4 wraps to -2^31 + 6 = -2147483642: -32768;
        // -14 + 2^31 - 4 = 2147483630 stays (about 2.7e8 scaled): 32767.
        TensorValue in = TensorValue.ofInt16(new int[] {1, 1, 2, 1}, (short) 5, (short) -7);
        TfliteModel model = int16TransposeConv(2);
        assertThat(ReferenceInterpreter.create(model).run(in).output(0).toIntArray()).containsExactly(2, -2);
        assertThat(ReferenceInterpreter.create(model, NumericsProfile.TFLITE_SINGLE_ROUNDING).run(in).output(0)
                .toIntArray()).containsExactly(2, -1);
        assertThat(ReferenceInterpreter.create(int16TransposeConv(Integer.MAX_VALUE - 3)).run(in).output(0).toIntArray())
                .containsExactly(-32768, 32767);
    }

    private static TfliteModel int16TransposeConv(int bias) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization inQ = Quantization.perTensor(0.5f, 0);
        Quantization wQ = Quantization.perTensor(0.25f, 0);
        TensorRef x = g.input("x", DType.INT16, new int[] {1, 1, 2, 1}, inQ);
        TensorRef w = g.constant("w", DType.INT8, new int[] {1, 1, 1, 1}, new byte[] {2}, wQ);
        TensorRef b = g.constant("b", new int[] {1}, new int[] {bias}, SubgraphBuilder.biasQuantization(inQ, wQ));
        g.output(g.transposeConv(x, w, b, new BuiltinOptions.TransposeConv(Padding.VALID, 1, 1, Activation.NONE, DType.INT32),
                Out.int16(1f, 0)));
        return mb.build();
    }
}
