package io.litebit.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.litebit.model.MetadataEntry;
import io.litebit.model.Operator;
import io.litebit.model.Quantization;
import io.litebit.model.SignatureDef;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code litebit inspect} reports about a model, as plain data: printed as tables or
 * serialized as JSON (snake_case keys) from the same records, so the two never disagree.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ModelReport(String source, long sizeBytes, long schemaVersion, String description, int subgraphCount,
                   List<TensorInfo> inputs, List<TensorInfo> outputs, Map<String, Integer> opHistogram,
                   Map<String, Long> weightBytes, List<MetadataInfo> metadata, List<SignatureDef> signatures,
                   List<SubgraphInfo> subgraphs, List<String> warnings) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TensorInfo(int index, String name, String dtype, int[] shape, int[] shapeSignature, boolean constant,
                      Long bytes, QuantInfo quantization) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record QuantInfo(String kind, Double scale, Long zeroPoint, Integer channels, Integer axis, Double scaleMin,
                     Double scaleMax, Double min, Double max, Double mean, Double stdDev, float[] recordedMin,
                     float[] recordedMax) {
        String describe() {
            return switch (kind) {
                case "per_tensor" -> min == null ? String.format("scale=%.6g zp=%d", scale, zeroPoint)
                        : String.format("scale=%.6g zp=%d  (min %.6g, max %.6g; mean %.6g, std %.6g)",
                        scale, zeroPoint, min, max, mean, stdDev);
                case "per_channel" -> String.format("per-channel %d on axis %d, scales %.3g..%.3g", channels, axis,
                        scaleMin, scaleMax);
                default -> recordedMin != null && recordedMin.length == 1 && recordedMax.length == 1
                        ? String.format("calibrated min %.6g, max %.6g", recordedMin[0], recordedMax[0])
                        : recordedMin != null ? "recorded min/max per channel (" + recordedMin.length + ")" : "";
            };
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OperatorInfo(int index, String op, int version, int[] inputs, int[] outputs, String options) {
    }

    record SubgraphInfo(int index, String name, int[] inputs, int[] outputs, List<OperatorInfo> operators,
                        List<TensorInfo> tensors) {
    }

    record MetadataInfo(String name, int buffer, int bytes, String text) {
    }

    static ModelReport of(String source, long sizeBytes, TfliteModel m) {
        Subgraph main = m.mainSubgraph();
        List<TensorInfo> inputs = new ArrayList<>();
        for (int i : main.inputs()) {
            inputs.add(tensor(main.tensor(i)));
        }
        List<TensorInfo> outputs = new ArrayList<>();
        for (int i : main.outputs()) {
            outputs.add(tensor(main.tensor(i)));
        }
        Map<String, Integer> histogram = new LinkedHashMap<>();
        List<SubgraphInfo> subgraphs = new ArrayList<>();
        for (Subgraph g : m.subgraphs()) {
            List<OperatorInfo> ops = new ArrayList<>();
            for (Operator op : g.operators()) {
                histogram.merge(op.opcode().displayName(), 1, Integer::sum);
                ops.add(new OperatorInfo(op.index(), op.opcode().displayName(), op.opcode().version(), op.inputs(),
                        op.outputs(), op.options().summary()));
            }
            subgraphs.add(new SubgraphInfo(g.index(), g.name(), g.inputs(), g.outputs(), ops,
                    g.tensors().stream().map(ModelReport::tensor).toList()));
        }
        Map<String, Integer> sorted = new LinkedHashMap<>();
        histogram.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        Map<String, Long> weights = new LinkedHashMap<>();
        m.weightBytesByType().forEach((t, n) -> weights.put(t.displayName(), n));
        List<MetadataInfo> metadata = new ArrayList<>();
        for (MetadataEntry e : m.metadata()) {
            metadata.add(new MetadataInfo(e.name(), e.buffer(), e.data().remaining(), e.asText()));
        }
        return new ModelReport(source, sizeBytes, m.version(), m.description(), m.subgraphs().size(), inputs, outputs,
                sorted, weights, metadata, m.signatures(), subgraphs,
                m.warnings().stream().map(Object::toString).toList());
    }

    static TensorInfo tensor(Tensor t) {
        return new TensorInfo(t.index(), t.name(), t.dtype().displayName(), t.shape(),
                t.hasShapeSignature() ? t.shapeSignature() : null, t.isConstant(),
                t.isConstant() ? (long) t.data().orElseThrow().remaining() : null, quant(t));
    }

    static QuantInfo quant(Tensor t) {
        Quantization q = t.quantization();
        float[] rmin = q.min().length == 0 ? null : q.min();
        float[] rmax = q.max().length == 0 ? null : q.max();
        if (q.isNone()) {
            return rmin == null ? null
                    : new QuantInfo("none", null, null, null, null, null, null, null, null, null, null, rmin, rmax);
        }
        if (q.isPerTensor()) {
            QuantEquivalents eq = QuantEquivalents.of(q.scale(0), q.zeroPoint(0), t.dtype());
            return new QuantInfo("per_tensor", (double) q.scale(0), q.zeroPoint(0), null, null, null, null,
                    eq == null ? null : eq.min(), eq == null ? null : eq.max(),
                    eq == null ? null : eq.mean(), eq == null ? null : eq.stdDev(), rmin, rmax);
        }
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (float s : q.scales()) {
            lo = Math.min(lo, s);
            hi = Math.max(hi, s);
        }
        return new QuantInfo("per_channel", null, null, q.channelCount(), q.quantizedDimension(), lo, hi, null, null,
                null, null, rmin, rmax);
    }
}
