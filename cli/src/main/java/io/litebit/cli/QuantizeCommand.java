package io.litebit.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.quant.AffineQuant;
import io.litebit.model.quant.MeanStd;
import io.litebit.model.quant.MinMax;
import io.litebit.model.quant.QuantDType;
import io.litebit.model.quant.QuantParams;
import io.litebit.quantization.quantizer.IoType;
import io.litebit.quantization.quantizer.QuantizedModel;
import io.litebit.quantization.quantizer.Quantizer;
import io.litebit.quantization.quantizer.QuantizerOptions;
import io.litebit.quantization.quantizer.Scheme;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code litebit quantize MODEL -o OUT.tflite}: post-training quantization of a calibrated float
 * model by TFLite's quantizer's rules.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Quantizes a float model by TFLite's quantizer's rules: either a calibrated one (activations",
                "carrying min/max, as TFLite's calibrator and 'litebit calibrate' write them), or a plain float",
                "model with --dataset SPEC, which is calibrated first with the options of 'litebit calibrate'.",
                "Prints the resulting input quantization as (scale, zero_point), (min, max) and (mean, std_dev)."})
final class QuantizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "a float .tflite with calibrated min/max, or any float .tflite with --dataset")
    Path model;

    @CommandLine.Mixin
    CalibrationOptions calibration;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.tflite", description = "where to write the quantized model")
    Path output;

    @Option(names = "--scheme", defaultValue = "int8", paramLabel = "SCHEME",
            description = "int8 (default), int16x8, dynamic or float16")
    String scheme;

    @Option(names = "--io", defaultValue = "float", paramLabel = "TYPE",
            description = "float (default: QUANTIZE/DEQUANTIZE at the edges), int8 or uint8 edge tensors")
    String io;

    @Option(names = "--per-tensor", description = "one scale per weight tensor instead of per channel")
    boolean perTensor;

    @Option(names = "--denylist-ops", split = ",", paramLabel = "OP", description = "op types that stay float, e.g. SOFTMAX,ADD")
    List<String> denylistOps = new ArrayList<>();

    @Option(names = "--denylist-nodes", split = ",", paramLabel = "TENSOR_NAME",
            description = "ops that stay float, named by their first output tensor")
    List<String> denylistNodes = new ArrayList<>();

    @Option(names = "--default-range", paramLabel = "MIN,MAX", description = "range for activations without a calibrated one")
    String defaultRange;

    @Option(names = "--json", description = "print one JSON document: per op quantized or why not, per tensor dtype/scale/zero point, sizes")
    boolean json;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            QuantizerOptions o = options();
            TfliteModel in = TfliteModel.load(model);
            CalibrationOptions.Run run = null;
            if (calibration.dataset != null) {
                if (o.scheme() == Scheme.DYNAMIC || o.scheme() == Scheme.FLOAT16) {
                    throw new IllegalArgumentException("--scheme " + o.scheme().spelling() + " quantizes weights only and "
                            + "takes no --dataset (activations stay float)");
                }
                run = calibration.run(in, spec.commandLine().getErr(), false);
                in = run.result().calibratedModel();
                if (!json) {
                    out.printf(Locale.ROOT, "Calibrated %d of %d records of %s (%s, %s, %.2f s)%n", run.result().stats().used(),
                            run.result().stats().read(), calibration.dataset, run.result().method().spec(), run.backend().name(),
                            run.seconds());
                }
            }
            long t0 = System.nanoTime();
            QuantizedModel q = Quantizer.quantize(in, o);
            double ms = (System.nanoTime() - t0) / 1e6;
            byte[] bytes = q.model().toBytes();
            Files.write(output, bytes);
            long before = Files.size(model);
            if (json) {
                out.println(InspectCommand.mapper().writeValueAsString(report(q, o, before, bytes.length, ms, run)));
            } else {
                out.printf(Locale.ROOT, "Model      %s -> %s (%s, --io %s%s)%n", model, output, o.scheme().spelling(),
                        o.io().spelling(), o.perTensor() ? ", per tensor" : "");
                out.printf(Locale.ROOT, "Size       %,d -> %,d bytes (%.2fx smaller)%n", before, bytes.length,
                        (double) before / bytes.length);
                long quantized = q.ops().stream().filter(QuantizedModel.OpReport::quantized).count();
                out.printf(Locale.ROOT, "Ops        %d of %d quantized (%.0f ms)%n", quantized, q.ops().size(), ms);
                for (QuantizedModel.OpReport r : q.ops()) {
                    if (!r.quantized()) {
                        out.printf(Locale.ROOT, "  float    op %d %s \"%s\": %s%n", r.index(), r.op(), r.node(), r.reason());
                    }
                }
                for (int i : q.model().mainSubgraph().inputs()) {
                    out.println("Input      " + spellings(q.model().mainSubgraph().tensor(i)));
                }
                for (int i : q.model().mainSubgraph().outputs()) {
                    out.println("Output     " + spellings(q.model().mainSubgraph().tensor(i)));
                }
            }
            out.flush();
            return 0;
        } catch (IOException | RuntimeException e) {
            return Failures.report("quantize", e, verbose, spec.commandLine().getErr());
        }
    }

    QuantizerOptions options() {
        Set<BuiltinOp> ops = new LinkedHashSet<>();
        for (String s : denylistOps) {
            try {
                ops.add(BuiltinOp.valueOf(s.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--denylist-ops: unknown op \"" + s + "\" (expected a TFLite builtin name such as CONV_2D)");
            }
        }
        QuantizerOptions o = QuantizerOptions.defaults().withScheme(Scheme.parse(scheme)).withIo(IoType.parse(io))
                .withPerTensor(perTensor).withDenylistOps(ops).withDenylistNodes(new LinkedHashSet<>(denylistNodes));
        if (defaultRange != null) {
            String[] p = defaultRange.split(",");
            if (p.length != 2) {
                throw new IllegalArgumentException("--default-range expects MIN,MAX, given \"" + defaultRange + "\"");
            }
            o = o.withDefaultRange(Float.parseFloat(p[0].trim()), Float.parseFloat(p[1].trim()));
        }
        return o;
    }

    /** "name int8[1, 28, 28] scale=.. zero_point=.. | min/max .. | mean/std .." (the API never quantizes for you). */
    static String spellings(Tensor t) {
        String head = "\"" + t.name() + "\" " + t.dtype().displayName() + Tensor.formatShape(t.shape());
        QuantDType qd = qdtype(t.dtype());
        if (!t.isQuantized() || qd == null || !t.quantization().isPerTensor()) {
            return head + (t.dtype() == DType.FLOAT32 ? " (real values)" : "");
        }
        AffineQuant a = AffineQuant.ofFloat32(t.quantization().scale(0), t.quantization().zeroPoint(0), qd);
        MinMax mm = QuantParams.toMinMax(a);
        MeanStd ms = QuantParams.toMeanStd(a);
        return String.format(Locale.ROOT, "%s  (scale, zero_point) = (%s, %d)  (min, max) = (%s, %s)  (mean, std_dev) = (%s, %s)",
                head, a.scaleFloat32(), a.zeroPoint(), mm.min(), mm.max(), ms.mean(), ms.std());
    }

    static QuantDType qdtype(DType t) {
        return switch (t) {
            case INT8 -> QuantDType.INT8;
            case UINT8 -> QuantDType.UINT8;
            case INT16 -> QuantDType.INT16;
            default -> null;
        };
    }

    private ObjectNode report(QuantizedModel q, QuantizerOptions o, long before, long after, double ms,
            CalibrationOptions.Run calibrated) {
        ObjectNode root = InspectCommand.mapper().createObjectNode();
        root.put("model", model.toString());
        if (calibrated != null) {
            ObjectNode c = root.putObject("calibration");
            c.put("dataset", calibration.dataset);
            c.put("records", calibrated.result().stats().read());
            c.put("used", calibrated.result().stats().used());
            c.put("skipped", calibrated.result().stats().skipped().size());
            c.put("method", calibrated.result().method().spec());
            c.put("backend", calibrated.backend().name());
            c.put("seconds", calibrated.seconds());
        }
        root.put("output", output.toString());
        root.put("scheme", o.scheme().spelling());
        root.put("io", o.io().spelling());
        root.put("per_tensor", o.perTensor());
        root.put("size_before_bytes", before);
        root.put("size_after_bytes", after);
        root.put("quantize_ms", ms);
        ArrayNode ops = root.putArray("ops");
        for (QuantizedModel.OpReport r : q.ops()) {
            ObjectNode n = ops.addObject();
            n.put("index", r.index());
            n.put("op", r.op());
            n.put("node", r.node());
            n.put("quantized", r.quantized());
            if (!r.quantized()) {
                n.put("reason", r.reason());
            }
        }
        ArrayNode tensors = root.putArray("tensors");
        for (Tensor t : q.model().mainSubgraph().tensors()) {
            ObjectNode n = tensors.addObject();
            n.put("index", t.index());
            n.put("name", t.name());
            n.put("dtype", t.dtype().displayName());
            if (t.isQuantized()) {
                ArrayNode s = n.putArray("scale");
                for (float f : t.quantization().scales()) {
                    s.add(f);
                }
                ArrayNode z = n.putArray("zero_point");
                for (long v : t.quantization().zeroPoints()) {
                    z.add(v);
                }
                if (t.quantization().isPerChannel()) {
                    n.put("quantized_dimension", t.quantization().quantizedDimension());
                }
            }
        }
        ArrayNode inputs = root.putArray("inputs");
        for (int i : q.model().mainSubgraph().inputs()) {
            inputs.add(spellings(q.model().mainSubgraph().tensor(i)));
        }
        return root;
    }
}
