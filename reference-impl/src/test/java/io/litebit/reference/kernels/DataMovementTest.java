package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.InvalidOpException;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import io.litebit.reference.UnsupportedOpException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PAD, PADV2, CONCATENATION, RESHAPE, SQUEEZE, TRANSPOSE and STRIDED_SLICE, outputs derived by hand. */
class DataMovementTest {

    private static TensorValue run(TfliteModel model, TensorValue... inputs) {
        return ReferenceInterpreter.create(model).run(inputs).output(0);
    }

    @Test
    void padFillsWithTheOutputZeroPointAndPadV2WithItsConstant() {
        // int8 [2] zero point 3, paddings (1, 2): [3, a, b, 3, 3].
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        Quantization q = Quantization.perTensor(0.5f, 3);
        TensorRef x = g.input("x", DType.INT8, new int[] {2}, q);
        g.output(g.pad(x, new int[][] {{1, 2}}, Out.int8(0.5f, 3)));
        TensorValue y = run(mb.build(), TensorValue.ofInt8(new int[] {2}, (byte) -7, (byte) 9));
        assertThat(y.shape()).containsExactly(5);
        assertThat(y.toIntArray()).containsExactly(3, -7, 9, 3, 3);
        // float [1, 2] padded (0, 1) x (1, 0) with PADV2's 2.5: [[2.5, 1, 2], [2.5, 2.5, 2.5]].
        ModelBuilder mb2 = ModelBuilder.create();
        SubgraphBuilder g2 = mb2.main();
        TensorRef x2 = g2.input("x", DType.FLOAT32, new int[] {1, 2});
        TensorRef c = g2.constant("c", new int[] {1}, new float[] {2.5f});
        g2.output(g2.padV2(x2, new int[][] {{0, 1}, {1, 0}}, c));
        TensorValue y2 = run(mb2.build(), TensorValue.ofFloat32(new int[] {1, 2}, 1f, 2f));
        assertThat(y2.shape()).containsExactly(2, 3);
        assertThat(y2.toFloatArray()).containsExactly(2.5f, 1f, 2f, 2.5f, 2.5f, 2.5f);
    }

    @Test
    void concatenationRequantizesUint8InputsWithOtherParameters() {
        // Output uint8 scale 1 zero point 0. Input a has the output's parameters: copied. Input b has
        // scale 0.5 zero point 10: scale 0.5 / 1 = 0.5, bias -10 * 0.5 = -5; 13 -> roundf(6.5 - 5) = roundf(1.5) = 2;
        // 10 -> 0; 0 -> roundf(-5) = -5 -> clamped to 0; 255 -> roundf(122.5) = 123 (away from zero).
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef a = g.input("a", DType.UINT8, new int[] {1, 1}, Quantization.perTensor(1f, 0));
        TensorRef b = g.input("b", DType.UINT8, new int[] {1, 4}, Quantization.perTensor(0.5f, 10));
        g.output(g.concatenation(List.of(a, b), -1, Activation.NONE, Out.uint8(1f, 0)));
        TensorValue y = run(mb.build(), TensorValue.ofUint8(new int[] {1, 1}, 200), TensorValue.ofUint8(new int[] {1, 4}, 13, 10, 0, 255));
        assertThat(y.shape()).containsExactly(1, 5);
        assertThat(y.toIntArray()).containsExactly(200, 2, 0, 0, 123);
    }

    @Test
    void concatenationAlongTheFirstAxisAndItsActivationCheck() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef a = g.input("a", DType.INT32, new int[] {1, 2});
        TensorRef b = g.input("b", DType.INT32, new int[] {2, 2});
        g.output(g.concatenation(List.of(a, b), 0));
        TensorValue y = run(mb.build(), TensorValue.ofInt32(new int[] {1, 2}, 1, 2), TensorValue.ofInt32(new int[] {2, 2}, 3, 4, 5, 6));
        assertThat(y.shape()).containsExactly(3, 2);
        assertThat(y.toIntArray()).containsExactly(1, 2, 3, 4, 5, 6);
        ModelBuilder mb2 = ModelBuilder.create();
        SubgraphBuilder g2 = mb2.main();
        TensorRef f = g2.input("f", DType.FLOAT32, new int[] {2});
        g2.output(g2.concatenation(List.of(f, f), 0, Activation.RELU, Out.float32()));
        assertThatThrownBy(() -> ReferenceInterpreter.create(mb2.build())).isInstanceOf(InvalidOpException.class)
                .hasMessageContaining("kTfLiteActNone");
    }

    @Test
    void reshapeSqueezeAndTranspose() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.INT16, new int[] {2, 3}, Quantization.perTensor(1f, 0));
        TensorRef r = g.reshape(x, new int[] {3, -1, 1});                 // [3, 2, 1]
        TensorRef s = g.squeeze(r, new int[] {-1});                       // [3, 2]
        g.output(g.transpose(s, new int[] {1, 0}));                       // [2, 3]
        // x = [[0, 1, 2], [3, 4, 5]]; as [3, 2]: [[0, 1], [2, 3], [4, 5]]; transposed: [[0, 2, 4], [1, 3, 5]].
        TensorValue y = run(mb.build(), TensorValue.ofInt16(new int[] {2, 3}, (short) 0, (short) 1, (short) 2, (short) 3,
                (short) 4, (short) 5));
        assertThat(y.shape()).containsExactly(2, 3);
        assertThat(y.toIntArray()).containsExactly(0, 2, 4, 1, 3, 5);
    }

    @Test
    void stridedSliceMasksNegativeStridesAndShrink() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {3, 4});
        // Axis 0: begin -1 (-> 2), shrink: row 2 only, the axis dropped. Axis 1: begin_mask with stride -2
        // starts at 3; end -5 -> -1 after adding 4 -> clamp [-1, 3] gives -1: indices 3, 1.
        BuiltinOptions.StridedSlice o = new BuiltinOptions.StridedSlice(0b10, 0, 0, 0, 0b01, false);
        g.output(g.stridedSlice(x, new int[] {-1, 0}, new int[] {0, -5}, new int[] {1, -2}, o, Out.float32()));
        float[] v = new float[12];
        for (int i = 0; i < 12; i++) {
            v[i] = i;
        }
        TensorValue y = run(mb.build(), TensorValue.ofFloat32(new int[] {3, 4}, v));
        // Row 2 is [8, 9, 10, 11]; columns 3 and 1: [11, 9].
        assertThat(y.shape()).containsExactly(2);
        assertThat(y.toFloatArray()).containsExactly(11f, 9f);
        // offset: end counts from begin. [4] with begin 1, end 2, stride 1: elements 1 and 2; TFLite sizes the
        // output ceil(2 / 1) = 2, which is what its loop copies.
        assertThat(run(offsetModel(1, 2), TensorValue.ofFloat32(new int[] {4}, 10f, 11f, 12f, 13f)).toFloatArray())
                .containsExactly(11f, 12f);
        // begin 3, end 2: TFLite sizes 2 elements but its loop stops at the clamped end 4 after 1: refused.
        assertThatThrownBy(() -> ReferenceInterpreter.create(offsetModel(3, 2))).isInstanceOf(UnsupportedOpException.class)
                .hasMessageContaining("offset");
    }

    private static TfliteModel offsetModel(int begin, int end) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {4});
        TensorRef b = g.constant("b", new int[] {1}, new int[] {begin});
        TensorRef e = g.constant("e", new int[] {1}, new int[] {end});
        TensorRef st = g.constant("s", new int[] {1}, new int[] {1});
        TensorRef y = g.tensor("y", DType.FLOAT32, new int[] {2}, Quantization.NONE);
        g.op(BuiltinOp.STRIDED_SLICE, new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, true), List.of(x, b, e, st), List.of(y));
        g.output(y);
        return mb.build();
    }

    @Test
    void stridedSliceEllipsisAndNewAxis() {
        // Input [2, 3]. Spec [new axis, :] (new_axis_mask 1, begin/end masks on entry 1): the new axis makes the
        // effective input [1, 2, 3]; entry 1 covers dimension 0 fully; dimension 1, beyond begin's length, is
        // taken whole. Output [1, 2, 3] with the input's elements in order.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.INT32, new int[] {2, 3});
        TensorRef b = g.constant("b", new int[] {2}, new int[] {0, 0});
        TensorRef e = g.constant("e", new int[] {2}, new int[] {0, 0});
        TensorRef st = g.constant("s", new int[] {2}, new int[] {1, 1});
        TensorRef y = g.tensor("y", DType.INT32, new int[] {1, 2, 3}, Quantization.NONE);
        g.op(BuiltinOp.STRIDED_SLICE, new BuiltinOptions.StridedSlice(0b10, 0b10, 0, 0b01, 0, false), List.of(x, b, e, st),
                List.of(y));
        g.output(y);
        TensorValue out = run(mb.build(), TensorValue.ofInt32(new int[] {2, 3}, 0, 1, 2, 3, 4, 5));
        assertThat(out.shape()).containsExactly(1, 2, 3);
        assertThat(out.toIntArray()).containsExactly(0, 1, 2, 3, 4, 5);
        // Spec [..., 1] with shrink on entry 1: the ellipsis covers dimension 0, entry 1 picks column 1 of
        // dimension 1 and drops it. Output [2]: elements 1 and 4.
        ModelBuilder mb2 = ModelBuilder.create();
        SubgraphBuilder g2 = mb2.main();
        TensorRef x2 = g2.input("x", DType.INT32, new int[] {2, 3});
        TensorRef b2 = g2.constant("b", new int[] {2}, new int[] {0, 1});
        TensorRef e2 = g2.constant("e", new int[] {2}, new int[] {0, 2});
        TensorRef s2 = g2.constant("s", new int[] {2}, new int[] {1, 1});
        TensorRef y2 = g2.tensor("y", DType.INT32, new int[] {2}, Quantization.NONE);
        g2.op(BuiltinOp.STRIDED_SLICE, new BuiltinOptions.StridedSlice(0, 0, 0b01, 0, 0b10, false), List.of(x2, b2, e2, s2),
                List.of(y2));
        g2.output(y2);
        TensorValue out2 = run(mb2.build(), TensorValue.ofInt32(new int[] {2, 3}, 0, 1, 2, 3, 4, 5));
        assertThat(out2.shape()).containsExactly(2);
        assertThat(out2.toIntArray()).containsExactly(1, 4);
    }
}
