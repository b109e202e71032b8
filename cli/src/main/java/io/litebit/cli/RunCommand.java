package io.litebit.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litebit.api.Backend;
import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.api.Model;
import io.litebit.api.TensorData;
import io.litebit.api.TensorDetails;
import io.litebit.api.TensorHandle;
import io.litebit.data.NdArray;
import io.litebit.data.Npy;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.rewrite.Rewriters;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code litebit run MODEL}: one inference with given or seeded random inputs. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs one inference and prints every output, raw and dequantized, and the invoke time.",
                "Inputs not given with --input are filled with seeded random values over the dtype's range",
                "(float inputs: uniform in [-1, 1)). Values are written raw: nothing is quantized implicitly."})
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "a .tflite file")
    Path model;

    @Option(names = "--backend", converter = BackendConverter.class, defaultValue = "xnnpack",
            description = "xnnpack (default, int8 enabled), builtin or builtin-ref")
    Backend backend;

    @Option(names = "--threads", defaultValue = "1", description = "interpreter threads (default 1)")
    int threads;

    @Option(names = "--input", paramLabel = "NAME=FILE.npy",
            description = "an input (by name or index) from a .npy file of exactly its dtype; repeatable")
    Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(names = "--random", paramLabel = "SEED", defaultValue = "0", description = "seed of the random inputs (default 0)")
    long seed;

    @Option(names = "--dump-all", paramLabel = "DIR",
            description = "write every tensor as DIR/<index>_<name>.npy (preserve-all-tensors; on XNNPACK the "
                    + "all-outputs rewrite, whose fusion may differ from the original model)")
    Path dumpDir;

    @Option(names = "--json", description = "print one JSON document")
    boolean json;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, given " + threads);
            }
            Model m = Model.load(model);
            boolean rewrite = dumpDir != null && backend == Backend.XNNPACK;
            Model runModel = rewrite
                    ? Model.fromBytes(Rewriters.allTensorsAsOutputs(m.view(), Rewriters.NON_CONSTANT_TENSORS).toBytes())
                    : m;
            InterpreterOptions options = InterpreterOptions.builder().backend(backend).threads(threads)
                    .preserveAllTensors(dumpDir != null && !rewrite).build();
            try (Interpreter interpreter = Interpreter.create(runModel, options)) {
                List<String> inputSources = feedInputs(interpreter, m.view().mainSubgraph().inputs().length);
                long t0 = System.nanoTime();
                interpreter.invoke();
                long invokeNanos = System.nanoTime() - t0;
                int realOutputs = m.view().mainSubgraph().outputs().length;
                int dumped = dumpDir == null ? 0 : dump(interpreter, m.view());
                if (json) {
                    printJson(out, interpreter, realOutputs, inputSources, invokeNanos, dumped);
                } else {
                    printText(out, interpreter, realOutputs, inputSources, invokeNanos, dumped);
                }
            }
            out.flush();
            return 0;
        } catch (IOException | RuntimeException e) {
            return Failures.report("run", e, verbose, spec.commandLine().getErr());
        }
    }

    private List<String> feedInputs(Interpreter interpreter, int count) throws IOException {
        Map<Integer, Path> byIndex = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : inputs.entrySet()) {
            byIndex.put(inputIndex(interpreter, e.getKey(), count), e.getValue());
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TensorHandle in = interpreter.input(i);
            Path file = byIndex.get(i);
            if (file == null) {
                in.write(randomData(in.details(), random));
                sources.add("random(seed " + seed + ")");
                continue;
            }
            NdArray a = Npy.read(file);
            if (a.dtype() != in.dtype()) {
                throw new IllegalArgumentException("input " + i + " \"" + in.name() + "\" is " + in.dtype().displayName()
                        + Arrays.toString(in.shape()) + ", " + file + " holds " + a.dtype().displayName()
                        + Arrays.toString(a.shape()) + "; write values of the tensor's own dtype"
                        + (in.details().isQuantized() ? " (already quantized with " + in.quantization() + ")" : ""));
            }
            if (!Arrays.equals(a.shape(), in.shape())) {
                interpreter.resizeInput(i, a.shape());
                interpreter.allocateTensors();
            }
            in = interpreter.input(i);
            in.write(TensorData.ofRaw(a.dtype(), a.shape(), a.data()));
            sources.add(file.toString());
        }
        return sources;
    }

    private static int inputIndex(Interpreter interpreter, String key, int count) {
        for (int i = 0; i < count; i++) {
            if (interpreter.input(i).name().equals(key)) {
                return i;
            }
        }
        try {
            int i = Integer.parseInt(key);
            if (i >= 0 && i < count) {
                return i;
            }
        } catch (NumberFormatException ignored) {
            // not an index either: reported below
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(interpreter.input(i).name());
        }
        throw new IllegalArgumentException("--input " + key + ": the model has no such input; inputs are " + names
                + " (or indices 0.." + (count - 1) + ")");
    }

    /** Seeded values spanning the dtype, so that random runs exercise saturation paths too. */
    static TensorData randomData(TensorDetails d, SplittableRandom r) {
        int n = Math.toIntExact(d.elementCount());
        DType t = d.dtype();
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(t.storageBytes(n))).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (t) {
                case FLOAT32 -> b.putFloat(4 * i, (float) (r.nextDouble() * 2 - 1));
                case INT8, UINT8, BOOL -> b.put(i, (byte) r.nextInt(t == DType.BOOL ? 2 : 256));
                case INT16 -> b.putShort(2 * i, (short) r.nextInt(65536));
                case INT32 -> b.putInt(4 * i, r.nextInt(100));
                case INT64 -> b.putLong(8 * i, r.nextInt(100));
                default -> throw new IllegalArgumentException("cannot generate random " + t.displayName()
                        + " input for \"" + d.name() + "\"; give it with --input");
            }
        }
        return TensorData.ofRaw(t, d.shape(), b);
    }

    /** Every non-constant tensor the run kept, plus constants straight from the model. */
    private int dump(Interpreter interpreter, TfliteModel original) throws IOException {
        Files.createDirectories(dumpDir);
        Subgraph g = original.mainSubgraph();
        int written = 0;
        for (Tensor t : g.tensors()) {
            if (!t.dtype().hasFixedSize() || t.dtype().byteSize() == 0) {
                continue;
            }
            ByteBuffer data;
            int[] shape;
            if (t.isConstant()) {
                data = t.data().orElseThrow();
                shape = t.shape();
            } else {
                TensorData d;
                try {
                    d = interpreter.tensor(t.index()).read();
                } catch (IllegalStateException e) {
                    continue; // a tensor TFLite did not keep (e.g. an unused optional state); nothing to write
                }
                data = d.bytes();
                shape = d.shape();
            }
            Npy.write(dumpDir.resolve(fileName(t)), t.dtype(), shape, data);
            written++;
        }
        return written;
    }

    static String fileName(Tensor t) {
        String safe = t.name().replaceAll("[^A-Za-z0-9._-]+", "_");
        if (safe.length() > 80) {
            safe = safe.substring(0, 80);
        }
        return String.format(Locale.ROOT, "%04d_%s.npy", t.index(), safe);
    }

    private void printText(PrintWriter out, Interpreter interpreter, int outputs, List<String> sources, long nanos,
                           int dumped) {
        out.printf("Model    %s%n", model);
        out.printf("Backend  %s, %d thread(s)%n", BackendConverter.name(backend), threads);
        for (int i = 0; i < sources.size(); i++) {
            TensorHandle in = interpreter.input(i);
            out.printf("Input %d  \"%s\" %s%s from %s%n", i, in.name(), in.dtype().displayName(),
                    Arrays.toString(in.shape()), sources.get(i));
        }
        out.printf(Locale.ROOT, "Invoke   %.1f us%n", nanos / 1e3);
        for (int i = 0; i < outputs; i++) {
            TensorHandle o = interpreter.output(i);
            TensorData d = o.read();
            boolean integral = !d.dtype().isFloatingPoint();
            out.printf("Output %d \"%s\" %s%s%n", i, o.name(), o.dtype().displayName(), Arrays.toString(o.shape()));
            out.printf("  raw          %s%n", ValueFormat.summary(ValueFormat.values(d), integral));
            if (o.details().isQuantized()) {
                out.printf("  dequantized  %s  (%s)%n", ValueFormat.summary(toDouble(o.readDequantized()), false),
                        o.quantization());
            }
        }
        if (dumpDir != null) {
            out.printf("Dumped   %d tensors to %s%n", dumped, dumpDir);
        }
    }

    private void printJson(PrintWriter out, Interpreter interpreter, int outputs, List<String> sources, long nanos,
                           int dumped) throws IOException {
        var mapper = InspectCommand.mapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", model.toString());
        root.put("backend", BackendConverter.name(backend));
        root.put("threads", threads);
        root.put("invoke_us", nanos / 1e3);
        ArrayNode ins = root.putArray("inputs");
        for (int i = 0; i < sources.size(); i++) {
            TensorHandle in = interpreter.input(i);
            ObjectNode n = ins.addObject();
            n.put("name", in.name());
            n.put("dtype", in.dtype().displayName());
            n.set("shape", mapper.valueToTree(in.shape()));
            n.put("source", sources.get(i));
        }
        ArrayNode outs = root.putArray("outputs");
        for (int i = 0; i < outputs; i++) {
            TensorHandle o = interpreter.output(i);
            ObjectNode n = outs.addObject();
            n.put("name", o.name());
            n.put("dtype", o.dtype().displayName());
            n.set("shape", mapper.valueToTree(o.shape()));
            double[] raw = ValueFormat.values(o.read());
            ArrayNode values = n.putArray("values");
            for (double v : raw) {
                if (o.dtype().isFloatingPoint()) {
                    values.add(v);
                } else {
                    values.add((long) v);
                }
            }
            if (o.details().isQuantized()) {
                Quantization q = o.quantization();
                n.set("scales", mapper.valueToTree(q.scales()));
                n.set("zero_points", mapper.valueToTree(q.zeroPoints()));
                ArrayNode deq = n.putArray("dequantized");
                for (float v : o.readDequantized()) {
                    deq.add(v);
                }
            }
        }
        if (dumpDir != null) {
            root.put("dump_dir", dumpDir.toString());
            root.put("dumped_tensors", dumped);
        }
        out.println(mapper.writeValueAsString(root));
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
