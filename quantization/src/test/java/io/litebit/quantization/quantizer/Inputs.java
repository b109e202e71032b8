package io.litebit.quantization.quantizer;

import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.Quantization;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded inputs inside each input's quantized range, so that runs exercise the real value range. */
final class Inputs {
    private Inputs() {
    }

    static List<byte[]> random(TfliteModel m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Subgraph g = m.mainSubgraph();
        List<byte[]> out = new ArrayList<>();
        for (int i : g.inputs()) {
            Tensor t = g.tensor(i);
            int n = (int) t.elementCount();
            if (t.dtype() == DType.FLOAT32) {
                Quantization q = quantOfFirstQuantize(g, i);
                double lo = -1;
                double hi = 1;
                if (q != null && !q.isNone()) {
                    lo = q.scale(0) * (-128 - q.zeroPoint(0));
                    hi = q.scale(0) * (127 - q.zeroPoint(0));
                }
                ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < n; k++) {
                    b.putFloat((float) (lo + r.nextDouble() * (hi - lo)));
                }
                out.add(b.array());
            } else {
                byte[] b = new byte[(int) t.dtype().storageBytes(n)];
                for (int k = 0; k < b.length; k++) {
                    b[k] = (byte) r.nextInt(256);
                }
                out.add(b);
            }
        }
        return out;
    }

    private static Quantization quantOfFirstQuantize(Subgraph g, int tensor) {
        for (Operator op : g.consumersOf(tensor)) {
            if (op.op() == io.litebit.model.BuiltinOp.QUANTIZE) {
                Quantization q = g.tensor(op.output(0)).quantization();
                return q;
            }
        }
        return null;
    }
}
