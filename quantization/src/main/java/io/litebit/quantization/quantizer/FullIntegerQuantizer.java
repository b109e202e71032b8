package io.litebit.quantization.quantizer;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.SignatureDef;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.quantization.quantizer.OpRules.OpRule;
import io.litebit.quantization.quantizer.OpRules.TensorRule;
import io.litebit.quantization.quantizer.Work.Op;
import io.litebit.quantization.quantizer.Work.Q;
import io.litebit.quantization.quantizer.Work.T;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Full-integer quantization (int8 and 16x8) in the passes and order of TFLite's
 * {@code QuantizeModel} ({@code tflite/tools/optimize/quantize_model.cc}): duplicate shared
 * biases, fill weight ranges, make biases representable, intermediates, shared ranges, weights
 * inputs and outputs, requantize inputs of same-scale ops, biases, edge types. Every op fact comes
 * from {@link OpRules}.
 */
final class FullIntegerQuantizer {
    private final Work w;
    private final QuantizerOptions options;
    private final int bits;
    private final DType act;
    private final DType biasType;
    private final Map<Op, OpRule> rules = new IdentityHashMap<>();
    private final Map<Op, String> why = new IdentityHashMap<>();

    FullIntegerQuantizer(Work w, QuantizerOptions options) {
        this.w = w;
        this.options = options;
        boolean sixteen = options.scheme() == Scheme.INT16X8;
        this.bits = sixteen ? 16 : 8;
        this.act = sixteen ? DType.INT16 : DType.INT8;
        this.biasType = sixteen ? DType.INT64 : DType.INT32;
    }

    List<QuantizedModel.OpReport> run() {
        for (Op op : w.ops) {
            rules.put(op, ruleFor(op));
        }
        List<Op> originals = new ArrayList<>(w.ops);
        duplicateSharedBiases();
        fillQuantizationParams();
        ensureBiasScaleCompatibility();
        quantizeIntermediates();
        quantizeSharedRange();
        quantizeWeightsInputsOutputs();
        applyConstraints();
        quantizeBiases();
        for (Op op : w.ops) {
            OpRule r = rule(op);
            if (r.quantizable() && op.original >= 0) {
                op.quantized = true;
                op.minVersion = r.version();
                setBiasType(op);
            }
        }
        setInputOutputTypes();
        List<QuantizedModel.OpReport> report = new ArrayList<>();
        for (Op op : originals) {
            String node = op.outputs.length > 0 ? w.t(op.outputs[0]).name : "";
            report.add(new QuantizedModel.OpReport(op.original, op.code.displayName(), node, op.quantized,
                    op.quantized ? "" : why.getOrDefault(op, "")));
        }
        return report;
    }

    private OpRule rule(Op op) {
        OpRule r = rules.get(op);
        if (r == null) {
            r = ruleFor(op);
            rules.put(op, r);
        }
        return r;
    }

    private OpRule ruleFor(Op op) {
        OpRules.LstmVariant variant = null;
        if ((op.op == BuiltinOp.LSTM || op.op == BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM) && op.inputs.length > 5) {
            // TFLite's GetOperatorVariant: inputs 16 (projection), 11 (peephole), 21 (layer norm).
            boolean layerNorm = op.inputs.length > 20 && op.inputs[21] != -1;
            variant = new OpRules.LstmVariant(layerNorm, op.inputs[16] != -1, op.inputs[11] != -1);
        }
        OpRule r = OpRules.of(op.op, variant, bits);
        String name = op.outputs.length > 0 ? w.t(op.outputs[0]).name : "";
        if (op.op != BuiltinOp.QUANTIZE && op.op != BuiltinOp.DEQUANTIZE && op.original >= 0) {
            if (!r.quantizable()) {
                why.put(op, op.op == null || !(op.op == BuiltinOp.LSTM || op.op == BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM)
                        ? "TFLite has no quantized kernel for " + op.code.displayName()
                        : "TFLite cannot quantize an LSTM with 5 inputs");
            } else if (bits == 16 && !r.quantizableInt16()) {
                why.put(op, "TFLite has no 16x8 kernel for " + op.code.displayName());
                r = r.notQuantizable();
            } else if (op.op != null && options.denylistOps().contains(op.op)) {
                why.put(op, "denylisted op " + op.op.name());
                r = r.notQuantizable();
            } else if (options.denylistNodes().contains(name)) {
                why.put(op, "denylisted node \"" + name + "\"");
                r = r.notQuantizable();
            }
        } else if (op.original >= 0 && !r.quantizable()) {
            why.put(op, "TFLite has no quantized kernel for " + op.code.displayName());
        }
        if (options.perTensor()) {
            r = r.withoutPerAxis();
        }
        return r;
    }

    // ---------------------------------------------------------------- passes, in TFLite's order

    /**
     * DuplicateBiasesWithMultipleUses: a constant that is both some op's bias and another op's
     * quantized input gets its own copy as the bias, since the two need different types.
     */
    private void duplicateSharedBiases() {
        java.util.Set<Integer> inputUses = new java.util.HashSet<>();
        for (Op op : w.ops) {
            for (TensorRule tr : rule(op).inputs()) {
                int i = tr.index();
                if (i < op.inputs.length && op.inputs[i] >= 0 && w.t(op.inputs[i]).isConstant()) {
                    inputUses.add(op.inputs[i]);
                }
            }
        }
        Map<Integer, Integer> count = new LinkedHashMap<>();
        for (Op op : w.ops) {
            for (int b : rule(op).biases()) {
                if (b >= op.inputs.length || op.inputs[b] < 0) {
                    continue;
                }
                int ti = op.inputs[b];
                T bias = w.t(ti);
                if (!bias.isConstant() || !inputUses.contains(ti)) {
                    continue;
                }
                int n = count.merge(ti, 1, Integer::sum);
                T copy = Work.newTensor(bias.name + "_duplicate_" + n, bias, bias.dtype);
                copy.signature = null;
                copy.q = bias.q == null ? null : copyParams(bias.q);
                ByteBuffer data = ByteBuffer.allocate(bias.data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
                data.put(bias.data.duplicate()).flip();
                copy.setData(data);
                op.inputs[b] = w.add(copy);
            }
        }
    }

    private static Q copyParams(Q q) {
        Q c = new Q();
        c.scale = q.scale.clone();
        c.zp = q.zp.clone();
        return c;
    }

    /** FillQuantizationParams: weight ranges from their data; every activation input must have a range. */
    private void fillQuantizationParams() {
        for (Op op : w.ops) {
            OpRule r = rule(op);
            if (!r.quantizable()) {
                continue;
            }
            for (TensorRule tr : r.inputs()) {
                if (tr.index() >= op.inputs.length) {
                    continue;
                }
                int ti = op.inputs[tr.index()];
                if (ti < 0) {
                    continue;
                }
                T t = w.t(ti);
                boolean hasMinMax = t.q != null && t.q.hasMinMax();
                if (!hasMinMax && t.isConstant()) {
                    requireFloat(t, op);
                    if (t.q == null) {
                        t.q = new Q();
                    }
                    if (tr.perAxis()) {
                        fillPerChannelMinMax(t, tr.axis());
                    } else {
                        float[] f = t.floats();
                        float min = f[0];
                        float max = f[0];
                        for (float v : f) {
                            min = Math.min(min, v);
                            max = Math.max(max, v);
                        }
                        t.q.min = new float[] {min};
                        t.q.max = new float[] {max};
                    }
                } else if (!hasMinMax) {
                    throw new QuantizationException("tensor " + ti + " \"" + t.name + "\" (input " + tr.index() + " of "
                            + describe(op) + ") has no calibrated min/max: calibrate the model or give --default-range MIN,MAX");
                }
                if (t.q.hasParams()) {
                    throw new QuantizationException("tensor " + ti + " \"" + t.name + "\" already has a scale and zero point:"
                            + " the model is already quantized (expected a float model with calibrated min/max)");
                }
            }
        }
    }

    private static void requireFloat(T t, Op op) {
        if (t.dtype != DType.FLOAT32) {
            throw new QuantizationException("constant \"" + t.name + "\" of " + op.code.displayName() + " is "
                    + t.dtype.displayName() + ", expected float32: the model is already quantized");
        }
    }

    private void fillPerChannelMinMax(T t, int axis) {
        if (t.shape.length > 4 || axis >= t.shape.length) {
            throw new QuantizationException("\"" + t.name + "\": per-channel weights need rank <= 4 and axis < rank, given shape "
                    + java.util.Arrays.toString(t.shape) + " and axis " + axis);
        }
        int channels = t.shape[axis];
        int stride = 1;
        for (int d = axis + 1; d < t.shape.length; d++) {
            stride *= t.shape[d];
        }
        float[] f = t.floats();
        float[] min = new float[channels];
        float[] max = new float[channels];
        boolean[] seen = new boolean[channels];
        for (int i = 0; i < f.length; i++) {
            int c = (i / stride) % channels;
            float v = f[i];
            if (!seen[c]) {
                min[c] = v;
                max[c] = v;
                seen[c] = true;
            } else if (min[c] > v) {
                min[c] = v;
            } else if (max[c] < v) {
                max[c] = v;
            }
        }
        t.q.dim = axis;
        t.q.min = min;
        t.q.max = max;
    }

    /**
     * EnsureBiasScaleCompatibility (AdjustWeightsForBiasScale): where a bias would not fit int32
     * at scale input × weight, widen the weight's range so that it does.
     */
    private void ensureBiasScaleCompatibility() {
        final double kScale = Integer.MAX_VALUE;
        for (Op op : w.ops) {
            OpRule r = rule(op);
            if (!r.quantizable() || r.arbitraryInputs() || r.biases().length == 0 || r.inputs().size() != 2) {
                continue;
            }
            for (int b : r.biases()) {
                if (b >= op.inputs.length || op.inputs[b] < 0 || !w.t(op.inputs[b]).isConstant()) {
                    continue;
                }
                T bias = w.t(op.inputs[b]);
                T input = w.t(op.inputs[r.inputs().get(0).index()]);
                T weight = w.t(op.inputs[r.inputs().get(1).index()]);
                if (input.q == null || !input.q.hasMinMax() || weight.q == null || !weight.q.hasMinMax()) {
                    continue;
                }
                float inputScale = activationParams(input.q.min[0], input.q.max[0])[0];
                float[] biasData = bias.floats();
                int channels = weight.q.min.length;
                float[] ws = new float[channels];
                for (int c = 0; c < channels; c++) {
                    ws[c] = Math.max(Math.abs(weight.q.min[c]), Math.abs(weight.q.max[c])) / 127;
                }
                if (channels > 1) {
                    for (int i = 0; i < channels && i < biasData.length; i++) {
                        if (Math.abs(biasData[i]) >= 0.5 * inputScale * ws[i] * kScale) {
                            weight.q.max[i] = (float) (2.0 * Math.abs(biasData[i]) / kScale * (127 / inputScale));
                            weight.q.min[i] = -weight.q.max[i];
                        }
                    }
                } else {
                    float half = 0;
                    float lo = biasData[0];
                    float hi = biasData[0];
                    for (float v : biasData) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                    half = Math.max(Math.abs(lo), Math.abs(hi));
                    if (half / (float) kScale >= 0.5 * inputScale * ws[0]) {
                        weight.q.min[0] = (float) (2.0 * half / kScale * (-127 / inputScale));
                        weight.q.max[0] = (float) (2.0 * half / kScale * (127 / inputScale));
                    }
                }
            }
        }
    }

    /** QuantizeIntermediateTensors: an LSTM's internal int16/int8 scales. */
    private void quantizeIntermediates() {
        for (Op op : w.ops) {
            OpRule r = rule(op);
            if (!r.quantizable()) {
                // TFLite does this even for ops it leaves float; a float LSTM must keep float intermediates.
                continue;
            }
            for (TensorRule tr : r.intermediates()) {
                if (tr.index() >= op.intermediates.length) {
                    continue;
                }
                int gi = op.intermediates[tr.index()];
                if (gi < 0) {
                    continue;
                }
                T t = w.t(gi);
                if (t.q == null) {
                    continue;
                }
                if (tr.bits() == 8 && !tr.symmetric()) {
                    if (!t.q.hasMinMax()) {
                        throw new QuantizationException("intermediate " + tr.index() + " \"" + t.name + "\" of "
                                + describe(op) + " has no calibrated min/max");
                    }
                    quantizeActivation(t);
                } else {
                    float range = Math.max(Math.abs(t.q.min[0]), Math.abs(t.q.max[0]));
                    if (range < 1e-8) {
                        throw new QuantizationException("intermediate \"" + t.name + "\" of " + describe(op)
                                + " has range " + range + ", expected at least 1e-8");
                    }
                    toInt16(t, range / 32767.0f);
                }
            }
        }
    }

    /** QuantizeSharedRange: an LSTM's activation state and output share one int8 range. */
    private void quantizeSharedRange() {
        for (Op op : w.ops) {
            OpRule r = rule(op);
            if (!r.quantizable() || r.intermediates().isEmpty()) {
                continue;
            }
            for (int[] pair : r.sharedRange()) {
                if (pair[0] >= op.inputs.length || op.inputs[pair[0]] < 0) {
                    continue;
                }
                T a = w.t(op.inputs[pair[0]]);
                T b = w.t(op.outputs[pair[1]]);
                if (a.q == null || !a.q.hasMinMax() || b.q == null || !b.q.hasMinMax()) {
                    throw new QuantizationException(describe(op) + ": \"" + a.name + "\" and \"" + b.name
                            + "\" need calibrated min/max (they share one range)");
                }
                float min = Math.min(a.q.min[0], b.q.min[0]);
                float max = Math.max(a.q.max[0], b.q.max[0]);
                if (min == 0 && max == 0) {
                    throw new QuantizationException(describe(op) + ": the shared range of \"" + a.name + "\" and \""
                            + b.name + "\" is [0, 0]");
                }
                float[] p = TfliteMath.asymmetric(min, max, -128, 127);
                for (T t : new T[] {a, b}) {
                    t.q = Q.of(p[0], (long) p[1]);
                    t.dtype = DType.INT8;
                }
            }
        }
    }

    /** QuantizeWeightsInputOutput: op by op, inputs then outputs, inserting QUANTIZE/DEQUANTIZE at float islands. */
    private void quantizeWeightsInputsOutputs() {
        for (int k = 0; k < w.ops.size(); k++) {
            Op op = w.ops.get(k);
            if (op.outputs.length == 0) {
                continue;
            }
            OpRule r = rule(op);
            List<TensorRule> inputs;
            if (r.arbitraryInputs() || !r.quantizable()) {
                inputs = new ArrayList<>();
                for (int i = 0; i < op.inputs.length; i++) {
                    inputs.add(TensorRule.weight(i));
                }
            } else {
                inputs = r.inputs();
            }
            for (TensorRule tr : inputs) {
                k = quantizeInput(k, op, r, tr);
            }
            List<TensorRule> outputs;
            if (r.arbitraryOutputs()) {
                outputs = new ArrayList<>();
                for (int i = 0; i < op.outputs.length; i++) {
                    outputs.add(TensorRule.weight(i));
                }
            } else {
                outputs = r.outputs();
            }
            for (TensorRule tr : outputs) {
                quantizeOutput(op, r, tr);
            }
        }
    }

    private int quantizeInput(int k, Op op, OpRule r, TensorRule tr) {
        if (tr.index() >= op.inputs.length) {
            throw new QuantizationException(describe(op) + " has " + op.inputs.length + " inputs, the rule needs input "
                    + tr.index());
        }
        int ti = op.inputs[tr.index()];
        if (ti < 0) {
            return k;
        }
        T t = w.t(ti);
        boolean quantized = t.q != null && t.q.hasParams();
        if (r.quantizable() && !quantized) {
            if (t.isConstant()) {
                requireFloat(t, op);
                boolean constAsActivation = bits == 16 && (r.sameScale() != OpRules.SameScale.NEVER
                        || r.constantsAsActivations());
                if (tr.bits() == 8 && !constAsActivation) {
                    quantizeWeight(t, tr.perAxis(), tr.axis());
                } else if (tr.bits() == 16 || constAsActivation) {
                    toInt16Constant(t, rangeOf(t.floats()) / 32767.0f);
                } else if (tr.bits() == 32) {
                    biasQuantize(t, new float[] {derivedScale(op, tr.derived())}, DType.INT32);
                } else if (tr.bits() == 10) {
                    toInt16Constant(t, rangeOf(t.floats()) / 512.0f);
                } else {
                    throw new QuantizationException(describe(op) + ": no rule to quantize constant input " + tr.index());
                }
            } else if (t.q != null && t.q.hasMinMax()) {
                if (w.isInput(ti) || tr.state()) {
                    if (tr.bits() == 8) {
                        quantizeActivation(t);
                    } else if (tr.bits() == 16) {
                        float qr = 32767.0f;
                        float range = Math.max(Math.abs(t.q.min[0]), Math.abs(t.q.max[0]));
                        if (tr.powerOfTwo()) {
                            range = (float) Math.pow(2, TfliteMath.powerOfTwo(t.q.min[0], t.q.max[0]));
                            qr = 32768.0f;
                        }
                        toInt16(t, range / qr);
                    }
                } else {
                    T q = Work.newTensor(t.name + "_" + act.displayName(), t, act);
                    q.q = new Q();
                    q.q.min = new float[] {t.q.min[0]};
                    q.q.max = new float[] {t.q.max[0]};
                    quantizeActivation(q);
                    int qi = w.add(q);
                    w.ops.add(k, midGraphQuantize(ti, qi));
                    op.inputs[tr.index()] = qi;
                    k++;
                }
            } else {
                throw new QuantizationException("tensor " + ti + " \"" + t.name + "\" (input " + tr.index() + " of "
                        + describe(op) + ") has neither data nor a calibrated min/max");
            }
        } else if (!r.quantizable() && quantized) {
            T f = Work.newTensor(t.name + "_float", t, DType.FLOAT32);
            int fi = w.add(f);
            w.ops.add(k, Work.convert(BuiltinOp.DEQUANTIZE, ti, fi));
            op.inputs[tr.index()] = fi;
            k++;
        }
        return k;
    }

    private void quantizeOutput(Op op, OpRule r, TensorRule tr) {
        if (!r.quantizable()) {
            return;
        }
        if (tr.index() >= op.outputs.length) {
            throw new QuantizationException(describe(op) + " has " + op.outputs.length + " outputs, the rule needs output "
                    + tr.index());
        }
        T t = w.t(op.outputs[tr.index()]);
        if (t.q != null && t.q.hasParams()) {
            return;
        }
        if (!r.arbitraryInputs() && r.restrictsSameScale(t.dtype)) {
            T in = w.t(op.inputs[r.inputs().get(0).index()]);
            if (in.q == null || in.q.scale.length != 1 || in.q.zp.length != 1) {
                throw new QuantizationException(describe(op) + ": its output keeps the input's scale, but input \""
                        + in.name + "\" has no single scale");
            }
            Q q = Q.of(in.q.scale[0], in.q.zp[0]);
            if (in.q.min.length > 0) {
                q.min = new float[] {in.q.min[0]};
            }
            if (in.q.max.length > 0) {
                q.max = new float[] {in.q.max[0]};
            }
            t.q = q;
            t.dtype = act;
        } else if (tr.fixedInt8() != null || tr.fixedInt16() != null) {
            OpRules.Fixed f = bits == 16 ? tr.fixedInt16() : tr.fixedInt8();
            t.q = Q.of(f.scale(), f.zeroPoint());
            t.dtype = act;
        } else if (t.q != null && t.q.hasMinMax()) {
            quantizeActivation(t);
        } else {
            throw new QuantizationException("tensor \"" + t.name + "\" (output " + tr.index() + " of " + describe(op)
                    + ") has no calibrated min/max: calibrate the model or give --default-range MIN,MAX");
        }
    }

    /**
     * ApplyConstraints: inputs of CONCATENATION, PACK, MAXIMUM, MINIMUM take the output's scale; a
     * constant used once is requantized in place, anything else through a QUANTIZE.
     */
    private void applyConstraints() {
        for (int k = w.ops.size() - 1; k >= 0; k--) {
            Op op = w.ops.get(k);
            if (op.outputs.length == 0) {
                continue;
            }
            OpRule r = rule(op);
            T out = w.t(op.outputs[0]);
            if (!r.quantizable() || !r.arbitraryInputs() || !r.restrictsSameScale(out.dtype)) {
                continue;
            }
            if (out.q == null || !out.q.hasParams()) {
                throw new QuantizationException("no scale for output \"" + out.name + "\" of " + describe(op));
            }
            float scale = out.q.scale[0];
            long zp = out.q.zp[0];
            for (int i = 0; i < op.inputs.length; i++) {
                int ti = op.inputs[i];
                T in = w.t(ti);
                if (in.q == null || !in.q.hasParams()) {
                    throw new QuantizationException("no scale for input \"" + in.name + "\" of " + describe(op));
                }
                if (in.q.scale[0] == scale && in.q.zp[0] == zp) {
                    continue;
                }
                if (in.isConstant() && w.uses(ti) == 1 && (in.dtype == DType.INT8 || in.dtype == DType.INT16)) {
                    requantizeConstant(in, scale, zp);
                    continue;
                }
                T req = Work.newTensor(in.name + "_requantized", in, act);
                req.q = Q.of(scale, zp);
                int ri = w.add(req);
                w.ops.add(k, midGraphQuantize(ti, ri));
                op.inputs[i] = ri;
            }
        }
    }

    /** QuantizeBiases: scale input × weight (per channel with per-channel weights), int32 (int64 for 16x8). */
    private void quantizeBiases() {
        for (Op op : w.ops) {
            OpRule r = rule(op);
            if (!r.quantizable() || op.outputs.length == 0) {
                continue;
            }
            for (int b : r.biases()) {
                if (b >= op.inputs.length || op.inputs[b] < 0) {
                    continue;
                }
                T bias = w.t(op.inputs[b]);
                if (bias.q != null && bias.q.hasParams()) {
                    continue;
                }
                if (!bias.isConstant()) {
                    continue;
                }
                requireFloat(bias, op);
                TensorRule wr = r.inputs().get(1);
                T input = w.t(op.inputs[r.inputs().get(0).index()]);
                T weight = w.t(op.inputs[wr.index()]);
                boolean perAxis = wr.perAxis() && weight.isConstant();
                if (bias.shape.length != 1) {
                    throw new QuantizationException("bias \"" + bias.name + "\" of " + describe(op)
                            + " must be a vector, its shape is " + java.util.Arrays.toString(bias.shape));
                }
                if (weight.q == null || !weight.q.hasParams() || input.q == null || input.q.scale.length != 1) {
                    throw new QuantizationException("bias \"" + bias.name + "\" of " + describe(op)
                            + ": its input and weight need quantization first");
                }
                float in = input.q.scale[0];
                float[] scales;
                if (perAxis) {
                    int channels = bias.shape[0];
                    if (channels != weight.shape[wr.axis()] || weight.q.scale.length != channels) {
                        throw new QuantizationException("bias \"" + bias.name + "\" has " + channels + " channels, weight \""
                                + weight.name + "\" has " + weight.q.scale.length + " scales");
                    }
                    scales = new float[channels];
                    for (int c = 0; c < channels; c++) {
                        scales[c] = in * weight.q.scale[c];
                    }
                } else {
                    if (weight.q.scale.length != 1) {
                        throw new QuantizationException("weight \"" + weight.name + "\" has " + weight.q.scale.length
                                + " scales, expected 1 for a per-tensor bias");
                    }
                    scales = new float[] {in * weight.q.scale[0]};
                }
                biasQuantize(bias, scales, biasType);
            }
        }
    }

    /** SetOperatorPropertyBiasType: TFLite records the bias type in the options of these three ops. */
    private void setBiasType(Op op) {
        if (op.options instanceof BuiltinOptions.Conv2D c) {
            op.options = c.withQuantizedBiasType(biasType);
        } else if (op.options instanceof BuiltinOptions.FullyConnected f) {
            op.options = f.withQuantizedBiasType(biasType);
        } else if (op.options instanceof BuiltinOptions.TransposeConv t) {
            op.options = new BuiltinOptions.TransposeConv(t.padding(), t.strideW(), t.strideH(), t.activation(), biasType);
        } else if (bits == 16 && op.options instanceof BuiltinOptions.Add a) {
            // SetOperatorPropertyADDSUBOperator: 16x8 ADD/SUB use general scaling.
            op.options = new BuiltinOptions.Add(a.activation(), false);
        } else if (bits == 16 && op.options instanceof BuiltinOptions.Sub s) {
            op.options = new BuiltinOptions.Sub(s.activation(), false);
        }
    }

    /** SetInputAndOutputTypes: float or uint8 edges through QUANTIZE/DEQUANTIZE, int8 edges as they are. */
    private void setInputOutputTypes() {
        IoType io = options.io();
        Map<Integer, Integer> renamed = new LinkedHashMap<>();
        for (int i = 0; i < w.inputs.length; i++) {
            int ti = w.inputs[i];
            T t = w.t(ti);
            if (io != IoType.FLOAT && t.dtype == DType.FLOAT32) {
                throw new QuantizationException("input \"" + t.name + "\" stays float32 (it feeds only float ops), so it"
                        + " cannot be " + io.spelling() + "; use --io float");
            }
            if (!typeChangeRequired(t, io)) {
                continue;
            }
            T edge;
            String original = t.name;
            t.name = original + "_" + act.displayName();
            if (io == IoType.FLOAT) {
                edge = Work.newTensor(original, t, DType.FLOAT32);
            } else {
                edge = Work.newTensor(original, t, DType.UINT8);
                edge.q = Q.of(t.q.scale[0], t.q.zp[0] + 128);
            }
            int ei = w.add(edge);
            w.ops.add(0, Work.convert(BuiltinOp.QUANTIZE, ei, ti));
            renamed.put(ti, ei);
            w.inputs[i] = ei;
        }
        Map<Integer, Integer> renamedOut = new LinkedHashMap<>();
        for (int i = 0; i < w.outputs.length; i++) {
            int ti = w.outputs[i];
            T t = w.t(ti);
            if (io != IoType.FLOAT && t.dtype == DType.FLOAT32) {
                throw new QuantizationException("output \"" + t.name + "\" stays float32 (a float op writes it), so it"
                        + " cannot be " + io.spelling() + "; use --io float");
            }
            if (!typeChangeRequired(t, io)) {
                continue;
            }
            String original = t.name;
            t.name = original + "_" + act.displayName();
            T edge;
            if (io == IoType.FLOAT) {
                edge = Work.newTensor(original, t, DType.FLOAT32);
            } else {
                edge = Work.newTensor(original, t, DType.UINT8);
                edge.q = Q.of(t.q.scale[0], t.q.zp[0] + 128);
            }
            int ei = w.add(edge);
            w.ops.add(Work.convert(io == IoType.FLOAT ? BuiltinOp.DEQUANTIZE : BuiltinOp.QUANTIZE, ti, ei));
            renamedOut.put(ti, ei);
            w.outputs[i] = ei;
        }
        List<SignatureDef> sigs = new ArrayList<>();
        for (SignatureDef s : w.signatures) {
            Map<String, Integer> ins = new LinkedHashMap<>();
            s.inputs().forEach((k, v) -> ins.put(k, renamed.getOrDefault(v, v)));
            Map<String, Integer> outs = new LinkedHashMap<>();
            s.outputs().forEach((k, v) -> outs.put(k, renamedOut.getOrDefault(v, v)));
            sigs.add(new SignatureDef(s.key(), s.subgraphIndex(), ins, outs));
        }
        w.signatures.clear();
        w.signatures.addAll(sigs);
    }

    private static boolean typeChangeRequired(T t, IoType io) {
        boolean quantized = t.q != null && t.q.scale.length > 0;
        return io != IoType.INT8 && (t.dtype == DType.INT8 || t.dtype == DType.INT16) && quantized;
    }

    /**
     * A QUANTIZE inside the graph: TFLite's SetOperatorCodeVersion raises it to QUANTIZE's table
     * version (2), while the edge ones it adds afterwards keep version 1.
     */
    private Op midGraphQuantize(int in, int out) {
        Op q = Work.convert(BuiltinOp.QUANTIZE, in, out);
        q.minVersion = OpRules.of(BuiltinOp.QUANTIZE, null, bits).version();
        return q;
    }

    // ---------------------------------------------------------------- tensor arithmetic

    private float[] activationParams(float min, float max) {
        return bits == 16 ? TfliteMath.symmetric(min, max, 32767) : TfliteMath.asymmetric(min, max, -128, 127);
    }

    /** QuantizeActivation: scale and zero point from min/max; the widened range is recorded as min/max. */
    private void quantizeActivation(T t) {
        float[] p = activationParams(t.q.min[0], t.q.max[0]);
        t.q.min = new float[] {p[2]};
        t.q.max = new float[] {p[3]};
        t.q.scale = new float[] {p[0]};
        t.q.zp = new long[] {(long) p[1]};
        t.dtype = act;
    }

    /** QuantizeActivationToInt16: a fresh int16 quantization (TFLite drops min/max here). */
    private static void toInt16(T t, float scale) {
        t.q = Q.of(scale, 0);
        t.dtype = DType.INT16;
    }

    private static float rangeOf(float[] f) {
        float min = f[0];
        float max = f[0];
        for (float v : f) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return Math.max(Math.abs(min), Math.abs(max));
    }

    /** SymmetricQuantizeFloatsToInt16 on a constant: zero point 0, clamped to ±32767. */
    private static void toInt16Constant(T t, float scale) {
        float[] f = t.floats();
        float inv = TfliteMath.inverse(scale);
        ByteBuffer out = ByteBuffer.allocate(2 * f.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < f.length; i++) {
            out.putShort(2 * i, (short) TfliteMath.clamp(TfliteMath.round(f[i] * inv), -32767, 32767));
        }
        setParams(t, new float[] {scale}, 0, out, DType.INT16);
    }

    /** AddQuantizationParams: scales and zero points 0 set, min/max kept. */
    private static void setParams(T t, float[] scales, int dim, ByteBuffer data, DType type) {
        if (t.q == null) {
            t.q = new Q();
        }
        t.q.scale = scales.clone();
        t.q.zp = new long[scales.length];
        t.q.dim = dim;
        t.setData(data);
        t.dtype = type;
    }

    /** QuantizeWeight: symmetric int8, per channel along {@code axis} or per tensor (from min/max when known). */
    private void quantizeWeight(T t, boolean perAxis, int axis) {
        float[] f = t.floats();
        ByteBuffer out = ByteBuffer.allocate(f.length);
        if (perAxis) {
            if (t.q == null) {
                t.q = new Q();
            }
            if (!t.q.hasMinMax()) {
                fillPerChannelMinMax(t, axis);
            }
            int channels = t.shape[axis];
            int stride = 1;
            for (int d = axis + 1; d < t.shape.length; d++) {
                stride *= t.shape[d];
            }
            float[] scales = new float[channels];
            float[] inv = new float[channels];
            for (int c = 0; c < channels; c++) {
                float half = Math.max(Math.abs(t.q.min[c]), Math.abs(t.q.max[c]));
                scales[c] = half / 127f;
                inv[c] = half == 0 ? 0 : 127f / half;
            }
            for (int i = 0; i < f.length; i++) {
                int c = (i / stride) % channels;
                out.put(i, (byte) TfliteMath.clamp(TfliteMath.round(f[i] * inv[c]), -127, 127));
            }
            setParams(t, scales, axis, out, DType.INT8);
            return;
        }
        float min;
        float max;
        if (t.q != null && t.q.hasMinMax() && t.q.min.length == 1 && t.q.max.length == 1) {
            min = t.q.min[0];
            max = t.q.max[0];
        } else {
            min = f[0];
            max = f[0];
            for (float v : f) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        // PortableSymmetricQuantizeFloats.
        float range = Math.max(Math.abs(min), Math.abs(max));
        float scale;
        if (range == 0) {
            scale = 1;
        } else {
            scale = range / 127;
            float inv = 127 / range;
            for (int i = 0; i < f.length; i++) {
                out.put(i, (byte) TfliteMath.clamp(TfliteMath.round(f[i] * inv), -127, 127));
            }
        }
        setParams(t, new float[] {scale}, 0, out, DType.INT8);
    }

    /** SymmetricBiasQuantize: round(value × (1/scale)) saturated to ±max of the type. */
    private static void biasQuantize(T t, float[] scales, DType type) {
        float[] f = t.floats();
        long kScale = type == DType.INT64 ? Long.MAX_VALUE : Integer.MAX_VALUE;
        int size = type == DType.INT64 ? 8 : 4;
        ByteBuffer out = ByteBuffer.allocate(size * f.length).order(ByteOrder.LITTLE_ENDIAN);
        float perLayer = TfliteMath.inverse(scales[0]);
        for (int i = 0; i < f.length; i++) {
            float inv = scales.length == 1 ? perLayer : TfliteMath.inverse(scales[i]);
            double r = TfliteMath.round(f[i] * inv);
            // SafeCast saturates; then the symmetric clamp excludes the type's minimum.
            long q = TfliteMath.clamp(r, -kScale, kScale);
            if (type == DType.INT64) {
                out.putLong(8 * i, q);
            } else {
                out.putInt(4 * i, (int) q);
            }
        }
        setParams(t, scales, 0, out, type);
    }

    /** GetEffectiveScale: the product, in float and in this order, of the named scales and factors. */
    private float derivedScale(Op op, OpRules.Derived d) {
        float scale = 1.0f;
        for (int i : d.inputs()) {
            scale *= w.t(op.inputs[i]).q.scale[0];
        }
        for (int i : d.intermediates()) {
            scale *= w.t(op.intermediates[i]).q.scale[0];
        }
        for (float f : d.factors()) {
            scale *= f;
        }
        return scale;
    }

    /** RequantizeConstant: dequantize with the old parameters in float, quantize with the new. */
    private static void requantizeConstant(T t, float scale, long zp) {
        int n = (int) t.elements();
        ByteBuffer in = t.data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int dim = t.q.dim;
        int channels = t.q.scale.length;
        int stride = 1;
        for (int d = dim + 1; d < t.shape.length; d++) {
            stride *= t.shape[d];
        }
        float[] real = new float[n];
        for (int i = 0; i < n; i++) {
            int c = channels > 1 ? (i / stride) % channels : 0;
            long q = t.dtype == DType.INT16 ? in.getShort(2 * i) : in.get(i);
            long z = t.q.zp.length > 1 ? t.q.zp[c] : t.q.zp[0];
            real[i] = t.q.scale[c] * (float) (q - z);
        }
        ByteBuffer out;
        if (t.dtype == DType.INT16) {
            float inv = TfliteMath.inverse(scale);
            out = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out.putShort(2 * i, (short) TfliteMath.clamp(TfliteMath.round(real[i] * inv), -32767, 32767));
            }
        } else {
            float inv = scale == 0 ? 0 : (float) (1.0 / scale);
            out = ByteBuffer.allocate(n);
            for (int i = 0; i < n; i++) {
                long q = (long) TfliteMath.round(real[i] * inv) + zp;
                out.put(i, (byte) Math.max(-128, Math.min(127, q)));
            }
        }
        t.setData(out);
        t.q = Q.of(scale, zp);
    }

    private String describe(Op op) {
        String node = op.outputs.length > 0 ? w.t(op.outputs[0]).name : "";
        return (op.original >= 0 ? "op " + op.original + " " : "") + op.code.displayName() + " (\"" + node + "\")";
    }
}
