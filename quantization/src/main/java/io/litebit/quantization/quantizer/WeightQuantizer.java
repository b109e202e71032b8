package io.litebit.quantization.quantizer;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.quantization.quantizer.Work.Op;
import io.litebit.quantization.quantizer.Work.Q;
import io.litebit.quantization.quantizer.Work.T;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The weight-only schemes. {@link Scheme#DYNAMIC} follows TFLite's {@code quantize_weights.cc}
 * (toco_legacy, with the "updated hybrid scheme" the converter uses): weights of CONV_2D (per
 * channel, axis 0), DEPTHWISE_CONV_2D (per channel, axis 3) and FULLY_CONNECTED (per tensor,
 * {@code asymmetric_quantize_inputs}) become int8 symmetric when they have at least 1,024
 * elements, and those ops run TFLite's hybrid kernels. {@link Scheme#FLOAT16} stores every float
 * constant as float16 and widens it with a DEQUANTIZE, as the converter's float16 mode does.
 */
final class WeightQuantizer {
    /** kWeightsMinNumElementsDefault. */
    static final int MIN_ELEMENTS = 1024;

    private final Work w;
    private final QuantizerOptions options;

    WeightQuantizer(Work w, QuantizerOptions options) {
        this.w = w;
        this.options = options;
    }

    List<QuantizedModel.OpReport> run() {
        return options.scheme() == Scheme.FLOAT16 ? float16() : dynamic();
    }

    private String node(Op op) {
        return op.outputs.length > 0 ? w.t(op.outputs[0]).name : "";
    }

    private String denied(Op op) {
        if (op.op != null && options.denylistOps().contains(op.op)) {
            return "denylisted op " + op.op.name();
        }
        if (options.denylistNodes().contains(node(op))) {
            return "denylisted node \"" + node(op) + "\"";
        }
        return null;
    }

    private List<QuantizedModel.OpReport> dynamic() {
        List<QuantizedModel.OpReport> report = new ArrayList<>();
        for (Op op : w.ops) {
            String reason = denied(op);
            int axis = op.op == BuiltinOp.CONV_2D ? 0 : op.op == BuiltinOp.DEPTHWISE_CONV_2D ? 3 : -1;
            boolean hybrid = op.op == BuiltinOp.CONV_2D || op.op == BuiltinOp.DEPTHWISE_CONV_2D
                    || op.op == BuiltinOp.FULLY_CONNECTED;
            if (reason == null && !hybrid) {
                reason = "no hybrid kernel in litebit's dynamic scheme for " + op.code.displayName();
            }
            T weight = null;
            if (reason == null) {
                int wi = op.inputs.length > 1 ? op.inputs[1] : -1;
                weight = wi < 0 ? null : w.t(wi);
                if (weight == null || !weight.isConstant() || weight.dtype != DType.FLOAT32) {
                    reason = "its weights are not a float constant";
                } else if (weight.elements() < MIN_ELEMENTS) {
                    reason = "weights have " + weight.elements() + " elements, under TFLite's minimum of " + MIN_ELEMENTS;
                } else if (w.uses(wi) > 1) {
                    reason = "its weights are shared with other ops";
                }
            }
            if (reason == null) {
                quantizeSymmetric(weight, axis);
                if (op.options instanceof BuiltinOptions.FullyConnected f) {
                    op.options = new BuiltinOptions.FullyConnected(f.activation(), f.keepNumDims(), true,
                            f.weightsFormat(), f.quantizedBiasType());
                }
                op.quantized = true;
            }
            report.add(new QuantizedModel.OpReport(op.original, op.code.displayName(), node(op), reason == null,
                    reason == null ? "" : reason));
        }
        return report;
    }

    /** Symmetric int8 from the data's own range, per channel along {@code axis} (or per tensor for -1). */
    private static void quantizeSymmetric(T t, int axis) {
        float[] f = t.floats();
        int channels = axis < 0 ? 1 : t.shape[axis];
        int stride = 1;
        if (axis >= 0) {
            for (int d = axis + 1; d < t.shape.length; d++) {
                stride *= t.shape[d];
            }
        }
        float[] range = new float[channels];
        for (int i = 0; i < f.length; i++) {
            int c = axis < 0 ? 0 : (i / stride) % channels;
            range[c] = Math.max(range[c], Math.abs(f[i]));
        }
        float[] scales = new float[channels];
        float[] inv = new float[channels];
        for (int c = 0; c < channels; c++) {
            // PortableSymmetricQuantizeFloats: an all-zero tensor gets scale 1.
            scales[c] = range[c] == 0 ? (axis < 0 ? 1 : 0) : range[c] / 127;
            inv[c] = range[c] == 0 ? 0 : 127 / range[c];
        }
        ByteBuffer out = ByteBuffer.allocate(f.length);
        for (int i = 0; i < f.length; i++) {
            int c = axis < 0 ? 0 : (i / stride) % channels;
            out.put(i, (byte) TfliteMath.clamp(TfliteMath.round(f[i] * inv[c]), -127, 127));
        }
        Q q = new Q();
        q.scale = scales;
        q.zp = new long[channels];
        q.dim = Math.max(axis, 0);
        t.q = q;
        t.dtype = DType.INT8;
        t.setData(out);
    }

    private List<QuantizedModel.OpReport> float16() {
        List<QuantizedModel.OpReport> report = new ArrayList<>();
        Map<Integer, Integer> widened = new HashMap<>();
        List<Op> originals = new ArrayList<>(w.ops);
        List<Op> dequantizes = new ArrayList<>();
        for (Op op : originals) {
            String reason = denied(op);
            boolean changed = false;
            if (reason == null) {
                for (int k = 0; k < op.inputs.length; k++) {
                    int ti = op.inputs[k];
                    if (ti < 0 || !w.t(ti).isConstant() || w.t(ti).dtype != DType.FLOAT32) {
                        continue;
                    }
                    Integer f = widened.get(ti);
                    if (f == null) {
                        T t = w.t(ti);
                        T wide = Work.newTensor(t.name, t, DType.FLOAT32);
                        t.name = t.name + "_fp16";
                        float[] v = t.floats();
                        ByteBuffer half = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                        for (int i = 0; i < v.length; i++) {
                            // QuantizeTensorFloat16: clamp to float16's finite range, then round to nearest even.
                            float c = Math.max(-65504f, Math.min(65504f, v[i]));
                            half.putShort(2 * i, TfliteMath.toHalf(c));
                        }
                        t.setData(half);
                        t.dtype = DType.FLOAT16;
                        f = w.add(wide);
                        widened.put(ti, f);
                        dequantizes.add(Work.convert(BuiltinOp.DEQUANTIZE, ti, f));
                    }
                    op.inputs[k] = f;
                    changed = true;
                }
                if (!changed) {
                    reason = "no float constant inputs";
                }
            }
            op.quantized = changed;
            report.add(new QuantizedModel.OpReport(op.original, op.code.displayName(), node(op), changed,
                    changed ? "" : reason));
        }
        w.ops.addAll(0, dequantizes);
        return report;
    }
}
