package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import org.junit.jupiter.api.Test;

/** MEAN on models built with the model builder, outputs derived by hand. */
class ReduceTest {

    @Test
    void int8MeanDividesTheMultiplierAndRoundsHalvesUp() {
        // input [2, 2] int8 scale 0.5 zero point 1, output scale 0.5 zero point 0, axis 1.
        // Prepare: QuantizeMultiplier(0.5 / 0.5 = 1) = (2^30, shift 1). n = 2: s = min(floor(log2 2),
        // 32, 31 + 1) = 1, m' = (2^30 << 1) / 2 = 2^30, shift' = 1 - 1 = 0.
        // Row 0: [3, 4]: 7 - 1 * 2 = 5; SRDHM(5, 2^30) = (5 * 2^30 + 2^30) / 2^31 = 3 (2.5 up).
        // Row 1: [0, -1]: -1 - 2 = -3; SRDHM(-3, 2^30) = (-3 * 2^30 + 1 - 2^30) / 2^31 truncated = -1
        // (-1.5 up). NAIVE: rint(2.5) = 2, rint(-1.5) = -2.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.INT8, new int[] {2, 2}, Quantization.perTensor(0.5f, 1));
        g.output(g.mean(x, new int[] {1}, false, Out.int8(0.5f, 0)));
        TfliteModel model = mb.build();
        TensorValue in = TensorValue.ofInt8(new int[] {2, 2}, (byte) 3, (byte) 4, (byte) 0, (byte) -1);
        TensorValue y = ReferenceInterpreter.create(model).run(in).output(0);
        assertThat(y.shape()).containsExactly(2);
        assertThat(y.toIntArray()).containsExactly(3, -1);
        assertThat(ReferenceInterpreter.create(model, NumericsProfile.NAIVE_FLOAT).run(in).output(0).toIntArray())
                .containsExactly(2, -2);
    }

    @Test
    void floatMeanWithKeepDimsAndANegativeAxis() {
        // [[1, 2], [3, 5]] over axis -2 (= 0): [(1 + 3) / 2, (2 + 5) / 2] = [2, 3.5], shape [1, 2].
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {2, 2});
        g.output(g.mean(x, new int[] {-2}, true, Out.float32()));
        TensorValue y = ReferenceInterpreter.create(mb.build()).run(TensorValue.ofFloat32(new int[] {2, 2}, 1, 2, 3, 5)).output(0);
        assertThat(y.shape()).containsExactly(1, 2);
        assertThat(y.toFloatArray()).containsExactly(2f, 3.5f);
    }

    @Test
    void uint8MeanOverHeightAndWidthTakesTheGeneralPath() {
        // [1, 2, 2, 1] uint8 scale 1 zero point 10 -> out scale 1 zero point 10, axes {1, 2}, keep_dims.
        // QuantizeMultiplier(1) = (2^30, 1); n = 4: s = min(2, 32, 32) = 2, m' = (2^30 << 2) / 4 =
        // 2^30, shift' = -1. x = [10, 11, 12, 12]: 45 - 40 = 5; SRDHM(5, 2^30) = 3 (2.5 up), then
        // RoundingDivideByPOT(3, 1) = 2 (1.5 away from zero); + 10 = 12. (The exact mean 1.25 gives 11;
        // the two roundings give 12.)
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.UINT8, new int[] {1, 2, 2, 1}, Quantization.perTensor(1f, 10));
        g.output(g.mean(x, new int[] {1, 2}, true, Out.uint8(1f, 10)));
        TensorValue y = ReferenceInterpreter.create(mb.build()).run(TensorValue.ofUint8(new int[] {1, 2, 2, 1}, 10, 11, 12, 12))
                .output(0);
        assertThat(y.shape()).containsExactly(1, 1, 1, 1);
        assertThat(y.toIntArray()).containsExactly(12);
    }
    @Test
    void int32MeanTruncatesTheInt64Sum() {
        // [[-7, 2], [5, 5]] over axis 1: sums -5 and 10 in int64, divided by 2 with C++'s
        // truncation: -2 (not -3) and 5.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.INT32, new int[] {2, 2});
        g.output(g.mean(x, new int[] {1}, false, Out.of(DType.INT32)));
        TensorValue y = ReferenceInterpreter.create(mb.build()).run(TensorValue.ofInt32(new int[] {2, 2}, -7, 2, 5, 5)).output(0);
        assertThat(y.toIntArray()).containsExactly(-2, 5);
    }
}
