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

    private static float uniformFloat(SplittableRandom rnd, double lo, double hi) {
        return (float) (lo + (hi - lo) * rnd.nextDouble());
    }

    private static String unsupported(int i, Tensor t) {
        return "cannot generate random " + t.dtype().displayName() + " values for input " + i + " \"" + t.name() + "\" "
                + Arrays.toString(t.shape()) + "; give the inputs as files";
    }
}
