package io.litebit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litebit.api.Backend;
import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.api.Model;
import io.litebit.api.TensorHandle;
import io.litebit.api.TensorData;
import io.litebit.data.Dataset;
import io.litebit.data.DatasetException;
import io.litebit.data.Datasets;
import io.litebit.data.Mnist;
import io.litebit.data.Record;
import io.litebit.data.RecordChecker;
import io.litebit.model.TfliteModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code litebit eval MODEL --mnist DIR | --dataset SPEC}: classification accuracy on the MNIST
 * test split, or on any labelled dataset.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Classifies MNIST test images (--mnist DIR) or the records of a labelled dataset",
                "(--dataset SPEC, as in 'litebit dataset', e.g. mnist:DIR:test:2000) and prints accuracy,",
                "count and mean latency. MNIST images become pixel/255 in the model's input shape (784",
                "elements); a quantized input is quantized explicitly with the tensor's own scale and zero point."})
final class EvalCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "a .tflite classifier with 784 inputs and 10 outputs")
    Path model;

    @Option(names = "--mnist", paramLabel = "DIR", description = "directory with the MNIST IDX files (gzip or not)")
    Path mnistDir;

    @Option(names = "--dataset", paramLabel = "SPEC", description = "a labelled dataset instead of --mnist (records carry a label)")
    String dataset;

    @CommandLine.Mixin
    DatasetSpecOptions images;

    @Option(names = "--limit", paramLabel = "N", description = "only the first N test images")
    Integer limit;

    @Option(names = "--backend", converter = BackendConverter.class, defaultValue = "xnnpack",
            description = "xnnpack (default), builtin or builtin-ref")
    Backend backend;

    @Option(names = "--threads", defaultValue = "1", description = "interpreter threads (default 1)")
    int threads;

    @Option(names = "--json", description = "print one JSON document (keys include accuracy and count)")
    boolean json;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The outcome of an evaluation. */
    record Result(int count, int correct, double meanLatencyMicros) {
        double accuracy() {
            return count == 0 ? 0 : (double) correct / count;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (limit != null && limit < 1) {
                throw new IllegalArgumentException("--limit must be at least 1, given " + limit);
            }
            if ((mnistDir == null) == (dataset == null)) {
                throw new IllegalArgumentException("eval needs exactly one of --mnist DIR and --dataset SPEC");
            }
            Result r;
            try (Interpreter interpreter = Interpreter.create(Model.load(model),
                    InterpreterOptions.builder().backend(backend).threads(threads).build())) {
                if (mnistDir != null) {
                    Mnist data = Mnist.load(mnistDir, Mnist.Split.TEST);
                    r = evaluate(interpreter, data, limit == null ? data.size() : Math.min(limit, data.size()));
                } else {
                    TfliteModel view = TfliteModel.load(model);
                    try (Dataset all = Datasets.open(dataset, images.options(view))) {
                        r = evaluate(interpreter, view, limit == null ? all : all.limit(limit));
                    }
                }
            }
            if (json) {
                ObjectNode root = InspectCommand.mapper().createObjectNode();
                root.put("model", model.toString());
                root.put("backend", BackendConverter.name(backend));
                root.put("accuracy", r.accuracy());
                root.put("count", r.count());
                root.put("correct", r.correct());
                root.put("mean_latency_us", r.meanLatencyMicros());
                out.println(InspectCommand.mapper().writeValueAsString(root));
            } else {
                out.printf(Locale.ROOT, "Model     %s (%s)%n", model, BackendConverter.name(backend));
                out.printf(Locale.ROOT, "Accuracy  %.4f (%d of %d)%n", r.accuracy(), r.correct(), r.count());
                out.printf(Locale.ROOT, "Latency   %.1f us mean per image (write, invoke, read)%n", r.meanLatencyMicros());
            }
            out.flush();
            return 0;
        } catch (IOException | RuntimeException e) {
            return Failures.report("eval", e, verbose, spec.commandLine().getErr());
        }
    }

    static Result evaluate(Interpreter interpreter, Mnist data, int count) {
        TensorHandle in = interpreter.input(0);
        int pixels = data.rows() * data.cols();
        if (in.details().elementCount() != pixels) {
            throw new IllegalArgumentException("input \"" + in.name() + "\" has shape " + Arrays.toString(in.shape())
                    + " (" + in.details().elementCount() + " elements); MNIST images have " + pixels);
        }
        boolean quantized = in.details().isQuantized();
        if (!quantized && !in.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("input \"" + in.name() + "\" is " + in.dtype().displayName()
                    + " without quantization parameters; expected float32 or a quantized type");
        }
        TensorHandle out = interpreter.output(0);
        boolean quantizedOut = out.details().isQuantized();
        float[] image = new float[pixels];
        int correct = 0;
        long nanos = 0;
        for (int i = 0; i < count; i++) {
            byte[] raw = data.image(i);
            for (int p = 0; p < pixels; p++) {
                image[p] = (raw[p] & 0xff) / 255f;
            }
            long t0 = System.nanoTime();
            if (quantized) {
                in.writeQuantized(image);
            } else {
                in.write(image);
            }
            interpreter.invoke();
            float[] scores = quantizedOut ? out.readDequantized() : out.readFloats();
            nanos += System.nanoTime() - t0;
            if (argmax(scores) == data.label(i)) {
                correct++;
            }
        }
        return new Result(count, correct, count == 0 ? 0 : nanos / 1e3 / count);
    }

    /** Accuracy over labelled records, each checked against the model's inputs first. */
    static Result evaluate(Interpreter interpreter, TfliteModel model, Dataset data) {
        RecordChecker check = new RecordChecker(io.litebit.data.InputSpec.of(model));
        TensorHandle out = interpreter.output(0);
        boolean quantizedOut = out.details().isQuantized();
        int correct = 0;
        long nanos = 0;
        for (int i = 0; i < data.size(); i++) {
            Record rec = check.fit(data.record(i));
            if (rec.label().isEmpty()) {
                throw new DatasetException(data.description() + ": " + rec.source() + " (record " + i + ") has no label; "
                        + "eval needs labelled records (mnist:DIR:test, for one)");
            }
            List<byte[]> inputs = rec.bytes();
            long t0 = System.nanoTime();
            for (int k = 0; k < inputs.size(); k++) {
                TensorHandle in = interpreter.input(k);
                in.write(TensorData.ofRaw(in.dtype(), in.shape(), ByteBuffer.wrap(inputs.get(k)).order(ByteOrder.LITTLE_ENDIAN)));
            }
            interpreter.invoke();
            float[] scores = quantizedOut ? out.readDequantized() : out.readFloats();
            nanos += System.nanoTime() - t0;
            if (argmax(scores) == rec.label().getAsInt()) {
                correct++;
            }
        }
        return new Result(data.size(), correct, data.size() == 0 ? 0 : nanos / 1e3 / data.size());
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
