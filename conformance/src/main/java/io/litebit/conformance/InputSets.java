package io.litebit.conformance;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.Quantization;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random inputs for a model's main subgraph, in the layout {@link Backend#run} takes
 * (one little-endian byte array per input).
 *
 * <p>Integer inputs are uniform over their dtype's whole range (bool: 0 or 1), so that runs reach
 * saturation and rounding edge cases, not just typical values. Float32 inputs are uniform over
 * the range the consuming {@code QUANTIZE} can represent when the input feeds one (so that every
 * quantized level is hit and few values saturate), else over {@code [-1, 1)}.
 *
 * <p>Set {@code k} of {@code random(model, n, seed)} is generated from seed {@code seed + k} alone:
 * {@code random(model, 1, 7)} equals the last set of {@code random(model, 8, 0)}, so a failing set
 * of a long campaign can be rerun by itself.
 *
 * <pre>{@code
 * for (List<byte[]> inputs : InputSets.random(model, 10, 0)) {
 *     TraceDiff d = TraceDiff.compare(model, Backend.builtinRef().run(model, inputs), Backend.xnnpack().run(model, inputs));
 * }
 * }</pre>
 */
public final class InputSets {
    private InputSets() {
    }

    /**
     * {@code count} input sets, set {@code k} from seed {@code seed + k}.
     *
     * @throws IllegalArgumentException when {@code count < 1} or an input's dtype has no random
     *                                  generator (float16, float64, strings ...)
     */
    public static List<List<byte[]>> random(TfliteModel model, int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("the number of random input sets must be at least 1, given " + count);
        }
        List<List<byte[]>> sets = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            sets.add(random(model, seed + k));
        }
        return sets;
    }

    /** One input set from {@code seed}; see {@link #random(TfliteModel, int, long)}. */
    public static List<byte[]> random(TfliteModel model, long seed) {
        Subgraph g = model.mainSubgraph();
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < g.inputs().length; i++) {
            Tensor t = g.inputTensor(i);
            int n = Math.toIntExact(t.elementCount());
            DType dt = t.dtype();
            if (!dt.hasFixedSize() || dt.byteSize() == 0) {
                throw new IllegalArgumentException(unsupported(i, t));
            }
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(dt.storageBytes(n))).order(ByteOrder.LITTLE_ENDIAN);
            double[] range = dt == DType.FLOAT32 ? floatRange(model, i) : null;
            for (int e = 0; e < n; e++) {
                switch (dt) {
                    case INT8, UINT8 -> b.put((byte) rnd.nextInt(256));
                    case BOOL -> b.put((byte) rnd.nextInt(2));
                    case INT16, UINT16 -> b.putShort((short) rnd.nextInt(65536));
                    case INT32, UINT32 -> b.putInt(rnd.nextInt());
                    case INT64, UINT64 -> b.putLong(rnd.nextLong());
                    case FLOAT32 -> b.putFloat(uniformFloat(rnd, range[0], range[1]));
                    default -> throw new IllegalArgumentException(unsupported(i, t));
                }
            }
            out.add(b.array());
        }
        return out;
    }

    /**
     * The range {@code [low, high]} random values of float32 input {@code inputIndex} are drawn
     * from: what the first per-tensor {@code QUANTIZE} consuming it can represent, {@code scale ·
     * (qmin − zero_point)} to {@code scale · (qmax − zero_point)}, else {@code [-1, 1]}.
     */
    public static double[] floatRange(TfliteModel model, int inputIndex) {
        Subgraph g = model.mainSubgraph();
        Tensor in = g.inputTensor(inputIndex);
        for (Operator op : g.consumersOf(in.index())) {
            if (op.op() != BuiltinOp.QUANTIZE || op.outputCount() < 1 || op.output(0) < 0) {
                continue;
            }
            Tensor q = g.tensor(op.output(0));
            Quantization p = q.quantization();
            if (p.isPerTensor() && q.dtype().isInteger() && p.scale(0) > 0) {
                double lo = p.scale(0) * ((double) q.dtype().minValue() - p.zeroPoint(0));
                double hi = p.scale(0) * ((double) q.dtype().maxValue() - p.zeroPoint(0));
                if (lo < hi && Double.isFinite(lo) && Double.isFinite(hi)) {
                    return new double[] {lo, hi};
                }
            }
        }
        return new double[] {-1, 1};
    }

    /**
     * An input set made from a grayscale image (MNIST, say): real data with edges and flat
     * regions, not noise. Each input's two largest dimensions are the image's rows and columns
     * (nearest-neighbour scaling; other dimensions repeat it; an input with one dimension above 1
     * takes the image row by row). A pixel {@code p} stands for {@code p / 255} when the input
     * holds exactly {@code rows · cols} elements and can represent {@code [0, 1]} (a model
     * trained on the image size, as the MNIST models are), else for the same fraction of the
     * input's range: what its quantization represents, or {@link #floatRange} for float32.
     * Quantized inputs get {@code round(real / scale) + zero_point}, clamped.
     *
     * <pre>{@code
     * Mnist mnist = Mnist.load(Path.of("../shared/datasets/mnist"), Mnist.Split.TEST);
     * List<byte[]> inputs = InputSets.fromImage(model, mnist.image(0), mnist.rows(), mnist.cols());
     * }</pre>
     *
     * @throws IllegalArgumentException when the image size does not match {@code rows · cols}, or
     *                                  an input is neither float32 nor a per-tensor quantized integer
     */
    public static List<byte[]> fromImage(TfliteModel model, byte[] pixels, int rows, int cols) {
        if (pixels.length != rows * cols) {
            throw new IllegalArgumentException("an image of " + rows + "x" + cols + " needs " + rows * cols
                    + " pixels, given " + pixels.length);
        }
        Subgraph g = model.mainSubgraph();
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < g.inputs().length; i++) {
            Tensor t = g.inputTensor(i);
            DType dt = t.dtype();
            Quantization q = t.quantization();
            boolean quantized = dt.isInteger() && dt != DType.BOOL && q.isPerTensor() && q.scale(0) > 0;
            if (dt != DType.FLOAT32 && !quantized) {
                throw new IllegalArgumentException("cannot make " + dt.displayName() + " input " + i + " \"" + t.name()
                        + "\" " + Arrays.toString(t.shape()) + " from an image: it needs float32 or a per-tensor "
                        + "quantized integer type");
            }
            double[] range = quantized ? new double[] {q.scale(0) * ((double) dt.minValue() - q.zeroPoint(0)),
                    q.scale(0) * ((double) dt.maxValue() - q.zeroPoint(0))} : floatRange(model, i);
            int n = Math.toIntExact(t.elementCount());
            if (n == rows * cols && range[0] <= 0 && range[1] >= 1) {
                range = new double[] {0, 1};
            }
            int[] shape = t.shape();
            int[] axes = twoLargestAxes(shape);
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(dt.storageBytes(n))).order(ByteOrder.LITTLE_ENDIAN);
            int[] idx = new int[shape.length];
            for (int e = 0; e < n; e++) {
                int pixel;
                if (axes[1] < 0) {
                    int len = axes[0] < 0 ? 1 : shape[axes[0]];
                    int pos = axes[0] < 0 ? 0 : idx[axes[0]];
                    pixel = pixels[(int) ((long) pos * rows * cols / len)] & 0xFF;
                } else {
                    int r = idx[axes[0]] * rows / shape[axes[0]];
                    int c = idx[axes[1]] * cols / shape[axes[1]];
                    pixel = pixels[r * cols + c] & 0xFF;
                }
                double real = range[0] + (range[1] - range[0]) * pixel / 255.0;
                if (dt == DType.FLOAT32) {
                    b.putFloat((float) real);
                } else {
                    long v = Math.round(real / q.scale(0)) + q.zeroPoint(0);
                    v = Math.max(dt.minValue(), Math.min(dt.maxValue(), v));
                    switch (dt.byteSize()) {
                        case 1 -> b.put((byte) v);
                        case 2 -> b.putShort((short) v);
                        case 4 -> b.putInt((int) v);
                        default -> b.putLong(v);
                    }
                }
                for (int d = shape.length - 1; d >= 0; d--) {
                    if (++idx[d] < shape[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
            out.add(b.array());
        }
        return out;
    }

    /** The axes of the two largest dimensions above 1, in axis order; -1 where there is none. */
    private static int[] twoLargestAxes(int[] shape) {
        int first = -1;
        int second = -1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] <= 1) {
                continue;
            }
            if (first < 0 || shape[d] > shape[first]) {
                second = first;
                first = d;
            } else if (second < 0 || shape[d] > shape[second]) {
                second = d;
            }
        }
        if (second < 0) {
            return new int[] {first, -1};
        }
        return first < second ? new int[] {first, second} : new int[] {second, first};
    }

    private static float uniformFloat(SplittableRandom rnd, double lo, double hi) {
        return (float) (lo + (hi - lo) * rnd.nextDouble());
    }

    private static String unsupported(int i, Tensor t) {
        return "cannot generate random " + t.dtype().displayName() + " values for input " + i + " \"" + t.name() + "\" "
                + Arrays.toString(t.shape()) + "; give the inputs as files";
    }
}
