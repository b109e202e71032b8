package io.litebit.api;

import io.litebit.model.BuiltinOp;
import io.litebit.model.Operator;
import io.litebit.model.Subgraph;
import io.litebit.model.TfliteModel;
import java.util.List;

/**
 * Models that TFLite 2.19 accepts but then crashes the process on, detected before TFLite sees
 * them. Each guard names the TFLite defect, where it was measured, and the way around it.
 *
 * <p>The rule for adding one: a test reproduced the crash (SIGSEGV/SIGABRT of the JVM) with the
 * preset's own classes, not only through this API.
 */
final class CrashGuards {
    private CrashGuards() {
    }

    static void check(TfliteModel model, Backend backend) {
        if (backend == Backend.BUILTIN_REF) {
            // The reference kernels handle every case below.
            return;
        }
        for (Subgraph g : model.subgraphs()) {
            for (Operator op : g.operators()) {
                depthwiseWithoutBias(g, op, backend);
            }
        }
    }

    /**
     * DEPTHWISE_CONV_2D with two inputs (no bias at all; TFLite's Prepare allows it): the
     * optimized float, int8 and hybrid kernels copy the bias through a null pointer (SIGSEGV in
     * memcpy, measured with float, int8 and float-with-int8-weights nodes). XNNPACK does not take
     * the node either, so it reaches the same kernel. The reference kernels treat a missing bias
     * as zero.
     */
    private static void depthwiseWithoutBias(Subgraph g, Operator op, Backend backend) {
        if (op.op() == BuiltinOp.DEPTHWISE_CONV_2D && op.inputCount() == 2) {
            throw new TfliteException("TFLite 2.19's optimized DEPTHWISE_CONV_2D kernels read the bias through a"
                    + " null pointer when a node has no bias input, which would crash the JVM: subgraph " + g.index()
                    + ", operator " + op.index() + " has 2 inputs. Give it a zero bias (the TFLite converter always"
                    + " does), or use Backend.BUILTIN_REF, whose reference kernel treats a missing bias as zero.",
                    "create the interpreter on " + backend, -1, List.of());
        }
    }
}
