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
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import org.junit.jupiter.api.Test;

/**
 * AVERAGE_POOL_2D and MAX_POOL_2D on models built with the model builder, outputs derived by
 * hand. All use a [1, 2, 3, 1] input, a 2x2 window, stride 2, SAME: the output is 1x2
 * (ceil(2/2), ceil(3/2)); the total column padding is (2 - 1) * 2 + 2 - 3 = 1, none before, so
 * window 0 covers columns 0-1 (4 positions) and window 1 covers column 2 only (2 positions).
 */
class PoolingTest {
    private static final BuiltinOptions.Pool2D WINDOW = new BuiltinOptions.Pool2D(Padding.SAME, 2, 2, 2, 2, Activation.NONE);
    private static final int[] SHAPE = {1, 2, 3, 1};

    private static TensorValue average(DType t, Quantization q, TensorValue x) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef in = t == DType.FLOAT32 ? g.input("x", t, SHAPE) : g.input("x", t, SHAPE, q);
        g.output(g.averagePool2d(in, WINDOW, t == DType.FLOAT32 ? Out.float32() : Out.of(t, q)));
        return ReferenceInterpreter.create(mb.build()).run(x).output(0);
    }

    @Test
    void int8AverageRoundsHalfAwayFromZeroAndCountsOnlyPositionsInsideTheImage() {
        // rows [1, 2, -3], [4, 0, -4]. Window 0: 1 + 2 + 4 + 0 = 7, 4 positions: (7 + 2) / 4 = 2
        // (1.75). Window 1: -3 + -4 = -7, 2 positions: (-7 - 1) / 2 = -4 (-3.5, away from zero).
        // The zero point is not subtracted: the raw integers are averaged.
        TensorValue x = TensorValue.ofInt8(SHAPE, (byte) 1, (byte) 2, (byte) -3, (byte) 4, (byte) 0, (byte) -4);
        TensorValue y = average(DType.INT8, Quantization.perTensor(0.5f, 3), x);
        assertThat(y.shape()).containsExactly(1, 1, 2, 1);
        assertThat(y.toIntArray()).containsExactly(2, -4);
    }

    @Test
    void uint8AndFloatAverages() {
        // uint8 rows [1, 2, 3], [4, 0, 4]: window 0: (7 + 2) / 4 = 2; window 1: 3 + 4 = 7, (7 + 1) / 2 = 4.
        TensorValue u = TensorValue.ofUint8(SHAPE, 1, 2, 3, 4, 0, 4);
        assertThat(average(DType.UINT8, Quantization.perTensor(1f, 128), u).toIntArray()).containsExactly(2, 4);
        // float: 7 / 4 = 1.75 and -7 / 2 = -3.5.
        TensorValue f = TensorValue.ofFloat32(SHAPE, 1, 2, -3, 4, 0, -4);
        assertThat(average(DType.FLOAT32, null, f).toFloatArray()).containsExactly(1.75f, -3.5f);
    }

    @Test
    void int8MaxWithReluClampsAtTheZeroPoint() {
        // Window 0: max(1, 2, 4, 0) = 4; window 1: max(-3, -4) = -3. RELU's lower bound is the
        // quantized 0, the zero point -1: -3 -> -1.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef in = g.input("x", DType.INT8, SHAPE, Quantization.perTensor(1f, -1));
        g.output(g.maxPool2d(in, new BuiltinOptions.Pool2D(Padding.SAME, 2, 2, 2, 2, Activation.RELU)));
        TfliteModel model = mb.build();
        TensorValue x = TensorValue.ofInt8(SHAPE, (byte) 1, (byte) 2, (byte) -3, (byte) 4, (byte) 0, (byte) -4);
        assertThat(ReferenceInterpreter.create(model).run(x).output(0).toIntArray()).containsExactly(4, -1);
    }
    @Test
    void int16AverageRoundsLikeInt8() {
        // The same sums as the int8 case: 7 over 4 positions -> 2, -7 over 2 -> -4.
        TensorValue x = TensorValue.ofInt16(SHAPE, (short) 1, (short) 2, (short) -3, (short) 4, (short) 0, (short) -4);
        assertThat(average(DType.INT16, Quantization.perTensor(0.5f, 0), x).toIntArray()).containsExactly(2, -4);
    }
}
