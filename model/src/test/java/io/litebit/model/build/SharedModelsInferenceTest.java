package io.litebit.model.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.Operator;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.testing.SharedAssets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link ShapeInference} against models that TFLite's own tools produced: every output
 * shape stored in the files must be what the inference computes from the operator's inputs. (The
 * versions the converter wrote are checked in {@code versioning.OpVersionsTest}.)
 */
class SharedModelsInferenceTest {

    @Test
    void inferredShapesMatchEveryOperatorOfTheSharedModels() throws Exception {
        int checked = 0;
        for (Path p : SharedAssets.allModels()) {
            TfliteModel m = TfliteModel.load(p);
            for (Subgraph g : m.subgraphs()) {
                for (Operator op : g.operators()) {
                    int[] inferred = infer(g, op);
                    if (inferred == null) {
                        continue;
                    }
                    assertThat(inferred).as(p.getFileName() + " " + op + " output shape")
                            .isEqualTo(g.tensor(op.output(0)).shape());
                    checked++;
                }
            }
        }
        // MobileNetV2 has 84 such operators, the 23 seanet models one each, the others 16.
        assertThat(checked).isGreaterThanOrEqualTo(123);
    }

    private static int[] infer(Subgraph g, Operator op) {
        int[] in0 = op.inputCount() > 0 && op.input(0) >= 0 ? g.tensor(op.input(0)).shape() : null;
        BuiltinOptions o = op.options();
        return switch (op.op()) {
            case CONV_2D -> ShapeInference.conv2d(in0, shape(g, op, 1), (BuiltinOptions.Conv2D) o);
            case DEPTHWISE_CONV_2D -> ShapeInference.depthwiseConv2d(in0, shape(g, op, 1), (BuiltinOptions.DepthwiseConv2D) o);
            case TRANSPOSE_CONV -> {
                var t = (BuiltinOptions.TransposeConv) o;
                Tensor outputShape = g.tensor(op.input(0));
                // The seanet models feed output_shape as an input; converters make it a constant.
                if (outputShape.isConstant()) {
                    ShapeInference.checkTransposeConvOutput(shape(g, op, 2), shape(g, op, 1), ints(outputShape), t);
                }
                yield ShapeInference.transposeConv(shape(g, op, 2), shape(g, op, 1), t);
            }
            case FULLY_CONNECTED -> ShapeInference.fullyConnected(in0, shape(g, op, 1),
                    ((BuiltinOptions.FullyConnected) o).keepNumDims());
            case AVERAGE_POOL_2D, MAX_POOL_2D -> ShapeInference.pool2d(in0, (BuiltinOptions.Pool2D) o);
            case ADD, SUB, MUL -> ShapeInference.broadcast(in0, shape(g, op, 1));
            case MEAN -> ShapeInference.reduce(in0, ints(g.tensor(op.input(1))), ((BuiltinOptions.Reducer) o).keepDims());
            case PAD, PADV2 -> {
                int[] flat = ints(g.tensor(op.input(1)));
                int[][] paddings = new int[flat.length / 2][];
                for (int i = 0; i < paddings.length; i++) {
                    paddings[i] = new int[] {flat[2 * i], flat[2 * i + 1]};
                }
                yield ShapeInference.pad(in0, paddings);
            }
            case RESHAPE -> ShapeInference.reshape(in0, op.inputCount() > 1 && op.input(1) >= 0
                    ? ints(g.tensor(op.input(1))) : ((BuiltinOptions.Reshape) o).newShape());
            case TRANSPOSE -> ShapeInference.transpose(in0, ints(g.tensor(op.input(1))));
            case STRIDED_SLICE -> ShapeInference.stridedSlice(in0, ints(g.tensor(op.input(1))), ints(g.tensor(op.input(2))),
                    ints(g.tensor(op.input(3))), (BuiltinOptions.StridedSlice) o);
            case SQUEEZE -> ShapeInference.squeeze(in0, ((BuiltinOptions.Squeeze) o).squeezeDims());
            case SOFTMAX, LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU, HARD_SWISH, QUANTIZE, DEQUANTIZE -> in0;
            default -> null;
        };
    }

    private static int[] shape(Subgraph g, Operator op, int i) {
        return g.tensor(op.input(i)).shape();
    }

    private static int[] ints(Tensor t) {
        ByteBuffer b = t.data().orElseThrow(() -> new AssertionError(t + " is not constant"));
        int[] v = new int[b.remaining() / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getInt(i * 4);
        }
        return v;
    }
}
