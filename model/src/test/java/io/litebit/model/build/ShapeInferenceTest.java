package io.litebit.model.build;

import static io.litebit.model.build.ShapeInference.outSize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.options.Padding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every expectation here is derived by hand from TFLite's rules, written next to it. */
class ShapeInferenceTest {

    private static BuiltinOptions.Conv2D conv(Padding p, int stride, int dilation) {
        return new BuiltinOptions.Conv2D(p, stride, stride, Activation.NONE, dilation, dilation);
    }

    private static BuiltinOptions.StridedSlice masks(int begin, int end, int ellipsis, int newAxis, int shrink) {
        return new BuiltinOptions.StridedSlice(begin, end, ellipsis, newAxis, shrink, false);
    }

    @Test
    void windowOutputSizes() {
        assertThat(outSize(Padding.SAME, 7, 3, 2, 1)).as("SAME, stride 2, in 7: ceil(7/2) = 4").isEqualTo(4);
        assertThat(outSize(Padding.SAME, 8, 3, 2, 1)).as("SAME, stride 2, in 8: ceil(8/2) = 4").isEqualTo(4);
        assertThat(outSize(Padding.SAME, 7, 3, 1, 1)).as("SAME, stride 1 keeps the size").isEqualTo(7);
        assertThat(outSize(Padding.VALID, 7, 3, 2, 1)).as("VALID, in 7, filter 3, stride 2: ceil((7-3+1)/2) = 3").isEqualTo(3);
        assertThat(outSize(Padding.VALID, 226, 3, 2, 1)).as("MobileNetV2 stem: ceil(224/2) = 112").isEqualTo(112);
        assertThat(outSize(Padding.VALID, 9, 3, 1, 2)).as("dilation 2: effective filter 5, 9-5+1 = 5").isEqualTo(5);
        assertThat(outSize(Padding.SAME, 9, 3, 1, 2)).as("SAME ignores the filter").isEqualTo(9);
        assertThatThrownBy(() -> outSize(Padding.VALID, 2, 3, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smaller than the effective filter size 3");
    }

    @Test
    void conv2d() {
        assertThat(ShapeInference.conv2d(new int[] {1, 7, 7, 3}, new int[] {8, 3, 3, 3}, conv(Padding.SAME, 2, 1)))
                .as("SAME/2 on 7x7: 4x4, 8 filters").containsExactly(1, 4, 4, 8);
        assertThat(ShapeInference.conv2d(new int[] {2, 10, 12, 4}, new int[] {5, 3, 5, 4}, conv(Padding.VALID, 1, 1)))
                .as("VALID/1: 10-3+1 = 8, 12-5+1 = 8").containsExactly(2, 8, 8, 5);
        assertThat(ShapeInference.conv2d(new int[] {1, 8, 8, 4}, new int[] {6, 1, 1, 2}, conv(Padding.SAME, 1, 1)))
                .as("grouped: 4 input channels, filters take 2 (2 groups of 3 filters)").containsExactly(1, 8, 8, 6);
        assertThatThrownBy(() -> ShapeInference.conv2d(new int[] {1, 8, 8, 3}, new int[] {6, 1, 1, 2}, conv(Padding.SAME, 1, 1)))
                .hasMessageContaining("input has 3 channels but the filter");
    }

    @Test
    void depthwiseConv2d() {
        var o = new BuiltinOptions.DepthwiseConv2D(Padding.VALID, 1, 1, 2, Activation.NONE, 1, 1);
        assertThat(ShapeInference.depthwiseConv2d(new int[] {1, 5, 5, 4}, new int[] {1, 3, 3, 8}, o))
                .as("multiplier 2: 4*2 = 8 channels, VALID 5-3+1 = 3").containsExactly(1, 3, 3, 8);
        var same = new BuiltinOptions.DepthwiseConv2D(Padding.SAME, 2, 2, 8, Activation.RELU, 1, 1);
        assertThat(ShapeInference.depthwiseConv2d(new int[] {1, 49, 40, 1}, new int[] {1, 10, 8, 8}, same))
                .as("micro_speech: SAME/2 on 49x40: 25x20").containsExactly(1, 25, 20, 8);
        var wrong = new BuiltinOptions.DepthwiseConv2D(Padding.VALID, 1, 1, 3, Activation.NONE, 1, 1);
        assertThatThrownBy(() -> ShapeInference.depthwiseConv2d(new int[] {1, 5, 5, 4}, new int[] {1, 3, 3, 8}, wrong))
                .hasMessageContaining("depth_multiplier 3 does not match the filter: 8 filter channels / 4 input channels = 2");
        assertThatThrownBy(() -> ShapeInference.depthwiseConv2d(new int[] {1, 5, 5, 4}, new int[] {2, 3, 3, 8}, o))
                .hasMessageContaining("[1, h, w, channels]");
    }

    @Test
    void transposeConv() {
        var same = new BuiltinOptions.TransposeConv(Padding.SAME, 2, 2, Activation.NONE);
        assertThat(ShapeInference.transposeConv(new int[] {1, 4, 4, 8}, new int[] {3, 3, 3, 8}, same))
                .as("SAME/2: 4*2 = 8").containsExactly(1, 8, 8, 3);
        var valid = new BuiltinOptions.TransposeConv(Padding.VALID, 2, 1, Activation.NONE);
        assertThat(ShapeInference.transposeConv(new int[] {1, 1, 5, 64}, new int[] {64, 3, 4, 64}, valid))
                .as("seanet transpose_conv0: h (1-1)*1+3 = 3, w (5-1)*2+4 = 12").containsExactly(1, 3, 12, 64);
        // SAME/2 from 4 also inverts from 7: ceil(7/2) = 4, so 7 is a legal explicit size ...
        ShapeInference.checkTransposeConvOutput(new int[] {1, 4, 4, 8}, new int[] {3, 3, 3, 8}, new int[] {1, 7, 7, 3}, same);
        // ... but 9 is not: ceil(9/2) = 5.
        assertThatThrownBy(() -> ShapeInference.checkTransposeConvOutput(new int[] {1, 4, 4, 8}, new int[] {3, 3, 3, 8},
                new int[] {1, 9, 9, 3}, same)).hasMessageContaining("gives 5x5, the input is 4x4");
    }

    @Test
    void pools() {
        assertThat(ShapeInference.pool2d(new int[] {1, 8, 8, 3}, new BuiltinOptions.Pool2D(Padding.VALID, 2, 2, 2, 2, Activation.NONE)))
                .as("2x2/2 VALID halves").containsExactly(1, 4, 4, 3);
        assertThat(ShapeInference.pool2d(new int[] {1, 7, 9, 3}, new BuiltinOptions.Pool2D(Padding.SAME, 2, 2, 3, 3, Activation.NONE)))
                .as("3x3/2 SAME: ceil(7/2) = 4, ceil(9/2) = 5").containsExactly(1, 4, 5, 3);
    }

    @Test
    void fullyConnected() {
        assertThat(ShapeInference.fullyConnected(new int[] {2, 3, 4}, new int[] {5, 4}, false))
                .as("24 elements / input size 4 = batch 6").containsExactly(6, 5);
        assertThat(ShapeInference.fullyConnected(new int[] {2, 3, 4}, new int[] {5, 4}, true))
                .as("keep_num_dims replaces the last dimension").containsExactly(2, 3, 5);
        assertThat(ShapeInference.fullyConnected(new int[] {1, 25, 20, 8}, new int[] {4, 4000}, false))
                .as("micro_speech: 4000 elements, one batch").containsExactly(1, 4);
        assertThatThrownBy(() -> ShapeInference.fullyConnected(new int[] {1, 10}, new int[] {5, 4}, false))
                .hasMessageContaining("has 10 elements, not a multiple of the weights' input size 4");
        assertThatThrownBy(() -> ShapeInference.fullyConnected(new int[] {2, 8}, new int[] {5, 4}, true))
                .hasMessageContaining("keep_num_dims needs the input's last dimension to equal");
    }

    @Test
    void batchMatMul() {
        assertThat(ShapeInference.batchMatMul(new int[] {2, 1, 3, 4}, new int[] {5, 4, 6}, false, false))
                .as("batch [2,1] x [5] broadcast to [2,5]; 3x4 @ 4x6 = 3x6").containsExactly(2, 5, 3, 6);
        assertThat(ShapeInference.batchMatMul(new int[] {4, 3}, new int[] {6, 4}, true, true))
                .as("adj_x: x is 4x3 read as 3x4; adj_y: y 6x4 read as 4x6").containsExactly(3, 6);
        assertThatThrownBy(() -> ShapeInference.batchMatMul(new int[] {3, 4}, new int[] {5, 6}, false, false))
                .hasMessageContaining("inner dimensions differ");
    }

    @Test
    void broadcasting() {
        assertThat(ShapeInference.broadcast(new int[] {1, 3, 1}, new int[] {4, 1, 5})).containsExactly(4, 3, 5);
        assertThat(ShapeInference.broadcast(new int[] {1, 2, 12, 64}, new int[] {64})).as("seanet sub: bias-like operand")
                .containsExactly(1, 2, 12, 64);
        assertThat(ShapeInference.broadcast(new int[] {}, new int[] {2, 3})).as("a scalar broadcasts").containsExactly(2, 3);
        assertThatThrownBy(() -> ShapeInference.broadcast(new int[] {2, 3}, new int[] {4, 3}))
                .hasMessageContaining("do not broadcast: dimension 0 of the result is 2 vs 4");
    }

    @Test
    void reductions() {
        assertThat(ShapeInference.reduce(new int[] {1, 7, 7, 1280}, new int[] {1, 2}, true))
                .as("MobileNetV2 MEAN with keep_dims").containsExactly(1, 1, 1, 1280);
        assertThat(ShapeInference.reduce(new int[] {1, 7, 7, 1280}, new int[] {1, 2}, false)).containsExactly(1, 1280);
        assertThat(ShapeInference.reduce(new int[] {2, 3, 4}, new int[] {-1, 2}, false))
                .as("-1 and 2 are the same axis of a rank-3 tensor, counted once").containsExactly(2, 3);
        assertThat(ShapeInference.reduce(new int[] {2, 3}, new int[] {0, 1}, false)).as("all axes: a scalar").isEmpty();
        assertThatThrownBy(() -> ShapeInference.reduce(new int[] {2, 3}, new int[] {2}, false))
                .hasMessageContaining("reduction axis 2 is out of range for rank 2 (expected -2..1)");
    }

    @Test
    void padAndConcatenation() {
        assertThat(ShapeInference.pad(new int[] {1, 224, 224, 3}, new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}}))
                .containsExactly(1, 226, 226, 3);
        assertThatThrownBy(() -> ShapeInference.pad(new int[] {1, 2}, new int[][] {{0, 0}}))
                .hasMessageContaining("input rank 2, given 1 rows");
        assertThatThrownBy(() -> ShapeInference.pad(new int[] {1, 2}, new int[][] {{0, 0}, {-1, 0}}))
                .hasMessageContaining("non-negative");
        assertThat(ShapeInference.concatenation(List.of(new int[] {1, 4, 4, 3}, new int[] {1, 4, 4, 5}), -1))
                .as("axis -1 = 3: 3 + 5 channels").containsExactly(1, 4, 4, 8);
        assertThatThrownBy(() -> ShapeInference.concatenation(List.of(new int[] {1, 4, 4, 3}, new int[] {1, 5, 4, 5}), 3))
                .hasMessageContaining("differs from input 0 [1, 4, 4, 3] in dimension 1");
    }

    @Test
    void reshapeSqueezeTranspose() {
        assertThat(ShapeInference.reshape(new int[] {1, 1960}, new int[] {-1, 49, 40, 1}))
                .as("micro_speech: 1960 / (49*40) = 1").containsExactly(1, 49, 40, 1);
        assertThatThrownBy(() -> ShapeInference.reshape(new int[] {2, 3}, new int[] {4, 2}))
                .hasMessageContaining("has 8 elements, the input [2, 3] has 6");
        assertThatThrownBy(() -> ShapeInference.reshape(new int[] {2, 3}, new int[] {-1, -1}))
                .hasMessageContaining("more than one -1");
        assertThat(ShapeInference.squeeze(new int[] {1, 3, 1, 2}, new int[0])).as("no dims: every 1 goes").containsExactly(3, 2);
        assertThat(ShapeInference.squeeze(new int[] {1, 3, 1, 2}, new int[] {-2})).as("-2 is dimension 2").containsExactly(1, 3, 2);
        assertThatThrownBy(() -> ShapeInference.squeeze(new int[] {1, 3}, new int[] {1}))
                .hasMessageContaining("its size is 3, expected 1");
        assertThat(ShapeInference.transpose(new int[] {1, 3, 224, 224}, new int[] {0, 2, 3, 1}))
                .as("NCHW to NHWC").containsExactly(1, 224, 224, 3);
        assertThatThrownBy(() -> ShapeInference.transpose(new int[] {1, 2, 3}, new int[] {0, 0, 1}))
                .hasMessageContaining("not a permutation");
    }

    @Test
    void stridedSliceBasics() {
        int[] in = {10};
        assertThat(ShapeInference.stridedSlice(in, new int[] {2}, new int[] {8}, new int[] {2}, masks(0, 0, 0, 0, 0)))
                .as("2,4,6: ceil((8-2)/2) = 3").containsExactly(3);
        assertThat(ShapeInference.stridedSlice(in, new int[] {-3}, new int[] {100}, new int[] {1}, masks(0, 0, 0, 0, 0)))
                .as("-3 is 7, end clamps to 10: 3 elements").containsExactly(3);
        assertThat(ShapeInference.stridedSlice(in, new int[] {8}, new int[] {2}, new int[] {-2}, masks(0, 0, 0, 0, 0)))
                .as("8,6,4: backwards, ceil((2-8)/-2) = 3").containsExactly(3);
        assertThat(ShapeInference.stridedSlice(in, new int[] {5}, new int[] {0}, new int[] {-1}, masks(0, 1, 0, 0, 0)))
                .as("end_mask with negative stride runs to the front: 5..0 = 6").containsExactly(6);
        assertThat(ShapeInference.stridedSlice(in, new int[] {2}, new int[] {8}, new int[] {-1}, masks(0, 0, 0, 0, 0)))
                .as("wrong direction: empty").containsExactly(0);
        assertThat(ShapeInference.stridedSlice(in, new int[] {12}, new int[] {20}, new int[] {1}, masks(0, 0, 0, 0, 0)))
                .as("begin clamps to 10: empty").containsExactly(0);
        assertThatThrownBy(() -> ShapeInference.stridedSlice(in, new int[] {0}, new int[] {1}, new int[] {0}, masks(0, 0, 0, 0, 0)))
                .hasMessageContaining("non-zero");
    }

    @Test
    void stridedSliceMasks() {
        // seanet strided_slice0: begin [0,2,0,0]-ish with begin_mask 13 (dims 0,2,3), end_mask 15.
        assertThat(ShapeInference.stridedSlice(new int[] {1, 8, 166, 2}, new int[] {0, 2, 0, 0}, new int[] {0, 0, 0, 0},
                new int[] {1, 1, 1, 1}, masks(13, 15, 0, 0, 0)))
                .as("dim 1 from 2 to the end: 6").containsExactly(1, 6, 166, 2);
        assertThat(ShapeInference.stridedSlice(new int[] {4, 5, 6}, new int[] {1, 0, 2}, new int[] {2, 5, 4},
                new int[] {1, 1, 1}, masks(0, 0, 0, 0, 1)))
                .as("shrink_axis on dim 0 removes it").containsExactly(5, 2);
        assertThat(ShapeInference.stridedSlice(new int[] {4, 5, 6}, new int[] {1}, new int[] {3}, new int[] {1},
                masks(0, 0, 0, 0, 0)))
                .as("dims past the given indices are kept whole").containsExactly(2, 5, 6);
        assertThat(ShapeInference.stridedSlice(new int[] {4, 5, 6}, new int[] {0, 1}, new int[] {0, 3}, new int[] {1, 1},
                masks(0, 0, 1, 0, 0)))
                .as("[..., 1:3]: the ellipsis covers dims 0 and 1").containsExactly(4, 5, 2);
        assertThat(ShapeInference.stridedSlice(new int[] {4, 5}, new int[] {0, 0, 0}, new int[] {0, 0, 0}, new int[] {1, 1, 1},
                masks(5, 5, 0, 2, 0)))
                .as("[:, newaxis, :]").containsExactly(4, 1, 5);
        assertThat(ShapeInference.stridedSlice(new int[] {10, 4}, new int[] {2, 0}, new int[] {3, 4}, new int[] {1, 1},
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, true)))
                .as("offset: end is a length").containsExactly(3, 4);
    }
}
