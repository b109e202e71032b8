package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import io.litebit.reference.UnsupportedOpException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BATCH_MATMUL, outputs derived by hand. */
class BatchMatMulTest {

    private static TfliteModel model(DType t, int[] ls, Quantization ql, int[] rs, Quantization qr, int[] os, Quantization qo,
                                     boolean adjX, boolean adjY) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef a = g.input("a", t, ls, ql);
        TensorRef b = g.input("b", t, rs, qr);
        TensorRef y = g.tensor("y", t, os, qo);
        g.op(BuiltinOp.BATCH_MATMUL, new BuiltinOptions.BatchMatMul(adjX, adjY, false), List.of(a, b), List.of(y));
        g.output(y);
        return mb.build();
    }

    @Test
    void int8RequantizesWithOffsetsAndAdjY() {
        // lhs [2, 3] scale 0.5 zero point 1: [[3, 1, 1], [1, 1, 1]] -> offsets applied [[2, 0, 0], [0, 0, 0]].
        // rhs [3, 2] scale 0.5 zero point 0: [[1, 2], [3, 4], [5, 6]]. Output scale 1: M = 0.25 -> (2^30, -1).
        // Row 0: totals 2 and 4. 2: SRDHM(2, 2^30) = 1, RDBP(1, 1) = 0.5 -> 1 (away); naive rint(0.5) = 0.
        //        4: SRDHM = 2, RDBP(2, 1) = 1. Row 1: zeros.
        Quantization ql = Quantization.perTensor(0.5f, 1);
        Quantization qr = Quantization.perTensor(0.5f, 0);
        Quantization qo = Quantization.perTensor(1f, 0);
        TensorValue lhs = TensorValue.ofInt8(new int[] {2, 3}, (byte) 3, (byte) 1, (byte) 1, (byte) 1, (byte) 1, (byte) 1);
        TfliteModel plain = model(DType.INT8, new int[] {2, 3}, ql, new int[] {3, 2}, qr, new int[] {2, 2}, qo, false, false);
        TensorValue rhs = TensorValue.ofInt8(new int[] {3, 2}, (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6);
        assertThat(ReferenceInterpreter.create(plain).run(lhs, rhs).output(0).toIntArray()).containsExactly(1, 1, 0, 0);
        assertThat(ReferenceInterpreter.create(plain, NumericsProfile.NAIVE_FLOAT).run(lhs, rhs).output(0).toIntArray())
                .containsExactly(0, 1, 0, 0);
        // adj_y: rhs given transposed, [2, 3] = [[1, 3, 5], [2, 4, 6]]; same products.
        TfliteModel adjY = model(DType.INT8, new int[] {2, 3}, ql, new int[] {2, 3}, qr, new int[] {2, 2}, qo, false, true);
        TensorValue rhsT = TensorValue.ofInt8(new int[] {2, 3}, (byte) 1, (byte) 3, (byte) 5, (byte) 2, (byte) 4, (byte) 6);
        assertThat(ReferenceInterpreter.create(adjY).run(lhs, rhsT).output(0).toIntArray()).containsExactly(1, 1, 0, 0);
    }

    @Test
    void floatBroadcastsBatchAndTransposesLhs() {
        // lhs [1, 2, 2] with adj_x (so the matrix used is its transpose), rhs [2, 2, 1]: batch 1 broadcasts to 2.
        // lhs [[1, 2], [3, 4]] transposed is [[1, 3], [2, 4]]; rhs batch 0 = [[1], [1]], batch 1 = [[1], [0]].
        // Batch 0: [1 + 3, 2 + 4] = [4, 6]; batch 1: [1, 2].
        TfliteModel m = model(DType.FLOAT32, new int[] {1, 2, 2}, Quantization.NONE, new int[] {2, 2, 1}, Quantization.NONE,
                new int[] {2, 2, 1}, Quantization.NONE, true, false);
        TensorValue y = ReferenceInterpreter.create(m)
                .run(TensorValue.ofFloat32(new int[] {1, 2, 2}, 1f, 2f, 3f, 4f), TensorValue.ofFloat32(new int[] {2, 2, 1}, 1f, 1f, 1f, 0f))
                .output(0);
        assertThat(y.shape()).containsExactly(2, 2, 1);
        assertThat(y.toFloatArray()).containsExactly(4f, 6f, 1f, 2f);
    }

    @Test
    void theConfigurationTflite219MiscomputesIsRefused() {
        TfliteModel m = model(DType.FLOAT32, new int[] {2, 2, 3}, Quantization.NONE, new int[] {1, 2, 4}, Quantization.NONE,
                new int[] {2, 3, 4}, Quantization.NONE, true, false);
        assertThatThrownBy(() -> ReferenceInterpreter.create(m)).isInstanceOf(UnsupportedOpException.class)
                .hasMessageContaining("TFLite 2.19 computes only part");
    }
}
