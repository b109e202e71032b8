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
        for (Subgraph g : model.subgraphs()) {
            for (Operator op : g.operators()) {
                svdfInt8Types(g, op, backend);
                if (backend != Backend.BUILTIN_REF) {
                    // The reference kernels handle a missing bias.
                    depthwiseWithoutBias(g, op, backend);
                }
            }
        }
    }

    /**
     * SVDF with an int8 input (TFLite's full-integer path): TFLite 2.19's kernel
     * ({@code kernels/svdf.cc}) reads {@code weights_time} and the activation state as int16 and
     * writes the state as int16 without checking their types. TFLite Micro's 8-bit SVDF models
     * ({@code keyword_scrambled_8bit.tflite}: int8 weights_time and state) are therefore read and
     * written past their end: SIGSEGV or a heap-corruption abort, measured on all three backends
     * (BUILTIN_REF has no reference SVDF and uses the same kernel). TFLite Micro's own Prepare
     * requires exactly these types for int8 inputs; they are checked here with its wording.
     */
    private static void svdfInt8Types(Subgraph g, Operator op, Backend backend) {
        if (op.op() != BuiltinOp.SVDF || op.inputCount() < 5) {
            return;
        }
        int[] in = op.inputs();
        if (in[0] < 0 || g.tensor(in[0]).dtype() != io.litebit.model.DType.INT8) {
            return;
        }
        String[] names = {"input", "weights_feature", "weights_time", "bias", "activation_state"};
        io.litebit.model.DType[] wanted = {io.litebit.model.DType.INT8, io.litebit.model.DType.INT8,
            io.litebit.model.DType.INT16, io.litebit.model.DType.INT32, io.litebit.model.DType.INT16};
        for (int k = 1; k < 5; k++) {
            if (in[k] < 0) {
                continue; // an omitted optional input (bias): TFLite checks presence itself
            }
            io.litebit.model.DType given = g.tensor(in[k]).dtype();
            if (given != wanted[k]) {
                String w = wanted[k].name();
                throw new TfliteException("SVDF (subgraph " + g.index() + ", operator " + op.index() + "): "
                        + names[k] + "->type != kTfLite" + w.charAt(0) + w.substring(1).toLowerCase(java.util.Locale.ROOT)
                        + " (" + given.name() + " != " + w + "), tensor " + in[k] + " \"" + g.tensor(in[k]).name()
                        + "\". With an int8 input, TFLite 2.19's SVDF kernel reads weights_time and the state as int16"
                        + " without checking, so this model would be read and written past the end of its tensors and"
                        + " crash the JVM (on every backend). TFLite Micro's 8-bit SVDF models (int8 weights_time and"
                        + " state) need TFLite Micro; for full TFLite, quantize weights_time and the state to int16"
                        + " (the TFLite converter's int8 SVDF does).",
                        "create the interpreter on " + backend, -1, List.of());
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
