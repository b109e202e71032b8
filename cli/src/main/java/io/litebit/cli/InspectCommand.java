package io.litebit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.litebit.model.ModelFormatException;
import io.litebit.model.TfliteModel;
import io.litebit.model.zoo.Zoo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code litebit inspect [MODEL] [--json]}: what is inside a .tflite file. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Shows a model's inputs and outputs (with quantization in all three spellings), ",
                "op histogram, operators, tensors, weight sizes and validation warnings.",
                "Without MODEL, inspects the embedded default model (litebit's generated tiny int8 CNN)."})
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "a .tflite file")
    Path model;

    @Option(names = "--json", description = "print one JSON document instead of tables")
    boolean json;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModelReport report;
        try {
            report = load();
        } catch (ModelFormatException | IOException e) {
            return Failures.report("inspect", e, verbose, err);
        }
        if (json) {
            try {
                out.println(mapper().writeValueAsString(report));
            } catch (IOException e) {
                throw new IllegalStateException("cannot serialize the report", e);
            }
        } else {
            printText(report, out);
        }
        out.flush();
        return 0;
    }

    private ModelReport load() throws IOException {
        if (model == null) {
            TfliteModel m = Zoo.defaultModel();
            return ModelReport.of("<embedded default: " + Zoo.DEFAULT_NAME + ">", m.toBytes().length, m);
        }
        TfliteModel m = TfliteModel.load(model);
        return ModelReport.of(model.toString(), Files.size(model), m);
    }

    static ObjectMapper mapper() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static void printText(ModelReport r, PrintWriter out) {
        out.printf("Model       %s%n", r.source());
        out.printf("Size        %,d bytes, schema version %d, %d subgraph(s)%n", r.sizeBytes(), r.schemaVersion(),
                r.subgraphCount());
        if (!r.description().isEmpty()) {
            out.printf("Description %s%n", r.description());
        }
        for (ModelReport.MetadataInfo m : r.metadata()) {
            out.printf("Metadata    %s: %s%n", m.name(), m.text() != null ? m.text() : m.bytes() + " bytes");
        }
        for (var s : r.signatures()) {
            out.printf("Signature   %s (subgraph %d): inputs %s, outputs %s%n", s.key(), s.subgraphIndex(), s.inputs(),
                    s.outputs());
        }
        out.println();
        printTensors("Inputs", r.inputs(), out);
        printTensors("Outputs", r.outputs(), out);

        out.println("Op histogram");
        TextTable hist = new TextTable("op", "count");
        r.opHistogram().forEach(hist::row);
        hist.print(out);
        out.println();

        for (ModelReport.SubgraphInfo g : r.subgraphs()) {
            out.printf("Operators of subgraph %d%s%n", g.index(), g.name().isEmpty() ? "" : " \"" + g.name() + "\"");
            TextTable ops = new TextTable("#", "op", "v", "inputs", "outputs", "options");
            for (ModelReport.OperatorInfo op : g.operators()) {
                ops.row(op.index(), op.op(), op.version(), Arrays.toString(op.inputs()), Arrays.toString(op.outputs()),
                        op.options());
            }
            ops.print(out);
            out.println();
            out.printf("Tensors of subgraph %d%n", g.index());
            TextTable tensors = new TextTable("#", "name", "dtype", "shape", "kind", "quantization");
            for (ModelReport.TensorInfo t : g.tensors()) {
                tensors.row(t.index(), t.name(), t.dtype(), shape(t), t.constant() ? "const " + t.bytes() + " B" : "",
                        t.quantization() == null ? "" : t.quantization().describe());
            }
            tensors.print(out);
            out.println();
        }
        out.println("Weights by dtype");
        TextTable w = new TextTable("dtype", "bytes");
        r.weightBytes().forEach((k, v) -> w.row(k, String.format("%,d", v)));
        w.print(out);
        out.println();
        if (r.warnings().isEmpty()) {
            out.println("Warnings    none");
        } else {
            out.printf("Warnings (%d) - full TFLite refuses a model with these; TFLite Micro may not:%n",
                    r.warnings().size());
            r.warnings().forEach(s -> out.println("  " + s));
        }
    }

    private static void printTensors(String title, List<ModelReport.TensorInfo> list, PrintWriter out) {
        out.println(title);
        TextTable t = new TextTable("#", "name", "dtype", "shape", "shape signature", "quantization");
        for (ModelReport.TensorInfo i : list) {
            t.row(i.index(), i.name(), i.dtype(), Arrays.toString(i.shape()),
                    i.shapeSignature() == null ? "" : Arrays.toString(i.shapeSignature()),
                    i.quantization() == null ? "none" : i.quantization().describe());
        }
        t.print(out);
        out.println();
    }

    private static String shape(ModelReport.TensorInfo t) {
        if (t.shapeSignature() != null && !Arrays.equals(t.shape(), t.shapeSignature())) {
            return Arrays.toString(t.shape()) + " sig " + Arrays.toString(t.shapeSignature());
        }
        return Arrays.toString(t.shape());
    }

}
