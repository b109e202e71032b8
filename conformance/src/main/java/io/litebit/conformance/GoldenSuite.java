package io.litebit.conformance;

import io.litebit.trace.TracedTensor;
import io.litebit.model.DType;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Golden suites in TFLite Micro's per-layer format: a directory of {@code <name>.tflite} models,
 * each with inputs {@code <name>_input<k>_<dtype>.csv} and the expected first output
 * {@code <name>_golden_<dtype>.csv}, every file one line of comma-separated integers.
 *
 * <pre>{@code
 * for (GoldenSuite.Case c : GoldenSuite.scan(Path.of("shared/models/seanet"))) {
 *     TfliteModel model = c.model();
 *     Trace t = Backend.builtinRef().run(model, c.inputs(model));
 *     boolean ok = TensorDiff.of(c.golden(model), t.output(0)).identical();
 * }
 * }</pre>
 */
public final class GoldenSuite {
    private static final Pattern INPUT = Pattern.compile("(.+)_input(\\d+)_([a-z0-9]+)\\.csv");
    private static final Pattern GOLDEN = Pattern.compile("(.+)_golden_([a-z0-9]+)\\.csv");

    private GoldenSuite() {
    }

    /**
     * One golden case.
     *
     * @param inputs input CSVs by input index, with their dtype names
     */
    public record Case(String name, Path modelFile, List<Path> inputs, Path golden) {
        public Case {
            inputs = List.copyOf(inputs);
        }

        public TfliteModel model() {
            try {
                return TfliteModel.load(modelFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * The inputs as little-endian bytes of the model's input tensors.
         *
         * @throws IllegalArgumentException when a CSV's count or dtype does not match its tensor
         */
        public List<byte[]> inputs(TfliteModel model) {
            Subgraph g = model.mainSubgraph();
            if (inputs.size() != g.inputs().length) {
                throw new IllegalArgumentException(name + ": " + inputs.size() + " input CSVs for a model with "
                        + g.inputs().length + " inputs");
            }
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                out.add(read(inputs.get(i), g.inputTensor(i)));
            }
            return out;
        }

        /** The expected value of output 0, as a traced tensor. */
        public TracedTensor golden(TfliteModel model) {
            Subgraph g = model.mainSubgraph();
            Tensor t = g.outputTensor(0);
            // Attributed to the op that produces the output, so a diff against it names that op.
            int op = g.producerOf(t.index()).map(io.litebit.model.Operator::index).orElse(-1);
            String opName = op < 0 ? "input" : g.operator(op).opcode().displayName();
            return new TracedTensor(t.index(), t.name(), t.dtype(), t.shape(), t.quantization(), op, opName,
                    read(golden, t));
        }
    }

    /** Every case in {@code dir}, sorted by name; a model without a golden or inputs is an error. */
    public static List<Case> scan(Path dir) throws IOException {
        Map<String, TreeMap<Integer, Path>> inputs = new TreeMap<>();
        Map<String, Path> goldens = new TreeMap<>();
        List<String> models = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String f = p.getFileName().toString();
                Matcher m;
                if (f.endsWith(".tflite")) {
                    models.add(f.substring(0, f.length() - ".tflite".length()));
                } else if ((m = INPUT.matcher(f)).matches()) {
                    inputs.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), p);
                } else if ((m = GOLDEN.matcher(f)).matches()) {
                    goldens.put(m.group(1), p);
                }
            }
        }
        List<Case> cases = new ArrayList<>();
        for (String name : models) {
            Path golden = goldens.get(name);
            TreeMap<Integer, Path> in = inputs.getOrDefault(name, new TreeMap<>());
            if (golden == null || in.isEmpty() || in.lastKey() != in.size() - 1) {
                throw new IOException(dir.resolve(name + ".tflite") + ": needs " + name + "_input0..k_<dtype>.csv and "
                        + name + "_golden_<dtype>.csv, found inputs " + in.keySet() + (golden == null ? " and no golden" : ""));
            }
            cases.add(new Case(name, dir.resolve(name + ".tflite"), new ArrayList<>(in.values()), golden));
        }
        return cases;
    }

    /** Reads a one-line integer CSV into the tensor's little-endian layout, checking dtype and count. */
    static byte[] read(Path csv, Tensor t) {
        String f = csv.getFileName().toString();
        String dtypeName = f.substring(f.lastIndexOf('_') + 1, f.length() - ".csv".length()).toUpperCase(Locale.ROOT);
        if (!t.dtype().name().equals(dtypeName)) {
            throw new IllegalArgumentException(csv + " holds " + dtypeName.toLowerCase(Locale.ROOT) + " values, tensor "
                    + t.index() + " \"" + t.name() + "\" is " + t.dtype().displayName());
        }
        String text;
        try {
            text = Files.readString(csv).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] parts = text.isEmpty() ? new String[0] : text.split("\\s*,\\s*");
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Long.parseLong(parts[i]);
        }
        long expected = io.litebit.model.Shapes.elementCount(t.shape());
        if (v.length != expected) {
            throw new IllegalArgumentException(csv + " has " + v.length + " values, tensor " + t.index() + " \"" + t.name()
                    + "\" " + java.util.Arrays.toString(t.shape()) + " needs " + expected);
        }
        return littleEndian(t.dtype(), v);
    }

    static byte[] littleEndian(DType t, long[] v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * t.byteSize()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            switch (t) {
                case INT8, UINT8 -> b.put((byte) x);
                case INT16 -> b.putShort((short) x);
                case INT32 -> b.putInt((int) x);
                case INT64 -> b.putLong(x);
                default -> throw new IllegalArgumentException("golden CSVs hold integers; tensor type is " + t.displayName());
            }
        }
        return b.array();
    }
}
