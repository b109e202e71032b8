package io.litebit.api;

import io.litebit.model.testing.SharedAssets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The TFLite Micro seanet per-layer goldens: model, input CSVs, golden CSV. */
record Seanet(String name, Path model, List<Path> inputs, Path golden) {
    private static final Pattern INPUT = Pattern.compile("(.+)_input(\\d+)_(int\\d+)\\.csv");

    @Override
    public String toString() {
        return name;
    }

    static List<Seanet> all() {
        Path dir = SharedAssets.require("models/seanet");
        try (Stream<Path> s = Files.list(dir)) {
            List<Seanet> cases = new ArrayList<>();
            for (Path model : s.filter(p -> p.toString().endsWith(".tflite")).sorted().toList()) {
                String name = model.getFileName().toString().replace(".tflite", "");
                cases.add(new Seanet(name, model, inputsOf(dir, name), goldenOf(dir, name)));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Input CSVs of a seanet model, by input position, or empty if it is not a seanet model. */
    static List<Path> inputsOf(Path dir, String name) throws IOException {
        Path[] byIndex = new Path[8];
        int count = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Matcher m = INPUT.matcher(p.getFileName().toString());
                if (m.matches() && m.group(1).equals(name)) {
                    byIndex[Integer.parseInt(m.group(2))] = p;
                    count++;
                }
            }
        }
        return Arrays.asList(Arrays.copyOf(byIndex, count));
    }

    private static Path goldenOf(Path dir, String name) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(name + "_golden_")).findFirst()
                    .orElseThrow(() -> new AssertionError("no golden for " + name));
        }
    }

    static long[] csv(Path p) {
        try {
            String text = Files.readString(p).strip();
            return Arrays.stream(text.split(",")).map(String::strip).mapToLong(Long::parseLong).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one CSV into an input, as the input's own integer dtype. */
    static void write(TensorHandle input, Path csv) {
        long[] v = csv(csv);
        switch (input.dtype()) {
            case INT8, UINT8 -> {
                byte[] b = new byte[v.length];
                for (int i = 0; i < v.length; i++) {
                    b[i] = (byte) v[i];
                }
                input.write(b);
            }
            case INT16 -> {
                short[] s = new short[v.length];
                for (int i = 0; i < v.length; i++) {
                    s[i] = (short) v[i];
                }
                input.write(s);
            }
            case INT32 -> input.write(Arrays.stream(v).mapToInt(x -> (int) x).toArray());
            case INT64 -> input.write(v);
            default -> throw new AssertionError("seanet input of dtype " + input.dtype());
        }
    }

    /** An integer tensor's values, widened to long. */
    static long[] readIntegers(TensorHandle t) {
        return switch (t.dtype()) {
            case INT8 -> {
                byte[] b = t.readBytes();
                long[] out = new long[b.length];
                for (int i = 0; i < b.length; i++) {
                    out[i] = b[i];
                }
                yield out;
            }
            case INT16 -> {
                short[] s = t.readShorts();
                long[] out = new long[s.length];
                for (int i = 0; i < s.length; i++) {
                    out[i] = s[i];
                }
                yield out;
            }
            case INT32 -> Arrays.stream(t.readInts()).asLongStream().toArray();
            case INT64 -> t.readLongs();
            default -> throw new AssertionError("not an integer tensor: " + t.dtype());
        };
    }
}
