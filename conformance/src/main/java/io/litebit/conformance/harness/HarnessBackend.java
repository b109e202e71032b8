package io.litebit.conformance.harness;

import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import io.litebit.trace.TracedTensor;
import io.litebit.data.NdArray;
import io.litebit.data.Npy;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.rewrite.Rewriters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@link Backend} that runs TFLite through the native harness of a {@link HarnessPlatform}
 * ({@code cmake/harness}) in a child process: {@code arm64:builtin}, {@code arm64:builtin-ref},
 * {@code arm64:xnnpack} (emulated with qemu on an x86 machine, direct on an arm64 one) and their
 * {@code x86:} twins, which must equal the JNI backends {@code builtin}, {@code builtin-ref} and
 * {@code xnnpack} bit for bit.
 *
 * <p>Intermediates come from the all-outputs rewrite ({@code Rewriters.allTensorsAsOutputs}) on
 * every kernel family, since the C API has no {@code preserve_all_tensors}; on {@code xnnpack} the
 * uninstrumented model also runs and a final output that differs from the rewrite's is a
 * {@link Trace#notes() note}, as for the JNI backend. A failing harness is a
 * {@link HarnessException} naming the backend, the command and the harness's stderr.
 *
 * <pre>{@code
 * Backend arm = Backends.parse("arm64:xnnpack");
 * Trace t = arm.run(TfliteModel.load(Path.of("model.tflite")), List.of(inputBytes));
 * }</pre>
 */
public final class HarnessBackend implements Backend {
    /** The kernel families the harness runs, as the suffixes of the backend names. */
    public static final List<String> KINDS = List.of("xnnpack", "builtin", "builtin-ref");

    private static final long TIMEOUT_SECONDS = Long.getLong("litebit.harness.timeoutSeconds", 900);

    private final HarnessPlatform platform;
    private final String kind;

    /**
     * @param kind {@code xnnpack}, {@code builtin} or {@code builtin-ref}
     */
    public HarnessBackend(HarnessPlatform platform, String kind) {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown harness backend \"" + kind + "\", expected one of " + KINDS);
        }
        this.platform = platform;
        this.kind = kind;
    }

    /**
     * Parses {@code PLATFORM:KIND} ({@code arm64:xnnpack}, {@code x86:builtin-ref}; {@code aarch64}
     * and {@code builtin_ref} are accepted too), case-insensitively.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static HarnessBackend parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected PLATFORM:KIND, given \"" + spec + "\"");
        }
        String kind = s.substring(colon + 1).replace('_', '-');
        return new HarnessBackend(HarnessPlatform.parse(s.substring(0, colon)), kind);
    }

    /** Every harness backend name: {@code x86:xnnpack, x86:builtin, ..., arm64:builtin-ref}. */
    public static List<String> allNames() {
        List<String> out = new ArrayList<>();
        for (HarnessPlatform p : HarnessPlatform.values()) {
            for (String k : KINDS) {
                out.add(p.prefix() + ":" + k);
            }
        }
        return out;
    }

    @Override
    public String name() {
        return platform.prefix() + ":" + kind;
    }

    public HarnessPlatform platform() {
        return platform;
    }

    /** {@code xnnpack}, {@code builtin} or {@code builtin-ref}. */
    public String kind() {
        return kind;
    }

    @Override
    public boolean emulated() {
        return platform.emulatedHere();
    }

    @Override
    public Session open(TfliteModel model) {
        NativeHarness harness = NativeHarness.of(platform);
        List<String> command = harness.command();
        Subgraph g = model.mainSubgraph();
        TfliteModel instrumented = Rewriters.allTensorsAsOutputs(model);
        int[] outs = instrumented.mainSubgraph().outputs();
        Map<Integer, Integer> outputOf = new HashMap<>();
        for (int k = 0; k < outs.length; k++) {
            outputOf.putIfAbsent(outs[k], k);
        }
        // The traced tensors, in NativeBackend's order: inputs, then every op's outputs as they run.
        List<int[]> traced = new ArrayList<>(); // {tensor, op}
        for (int in : g.inputs()) {
            traced.add(new int[] {in, -1});
        }
        for (int opIndex : g.executionOrder()) {
            for (int t : g.operator(opIndex).outputs()) {
                if (t >= 0) {
                    traced.add(new int[] {t, opIndex});
                }
            }
        }
        StringBuilder write = new StringBuilder();
        for (int[] t : traced) {
            write.append(write.length() == 0 ? "" : ",").append(outputOf.get(t[0]));
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("litebit-" + platform.prefix() + "-" + kind + "-");
            Files.write(dir.resolve("instrumented.tflite"), instrumented.toBytes());
            if (kind.equals("xnnpack")) {
                Files.write(dir.resolve("model.tflite"), model.toBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Session() {
            private int runs;

            @Override
            public Trace run(List<byte[]> inputs) {
                checkInputs(model, inputs);
                Path in = dir.resolve("in" + runs);
                Path out = dir.resolve("out" + runs);
                Path plainOut = dir.resolve("plain" + runs);
                runs++;
                try {
                    Files.createDirectories(in);
                    Files.createDirectories(out);
                    int[] ins = g.inputs();
                    for (int i = 0; i < ins.length; i++) {
                        Tensor t = g.tensor(ins[i]);
                        Npy.write(in.resolve("input" + i + ".npy"), t.dtype(), t.shape(), ByteBuffer.wrap(inputs.get(i)));
                    }
                    exec(command, dir.resolve("instrumented.tflite"), write.toString(), in, out);
                    List<String> notes = new ArrayList<>();
                    List<TracedTensor> tensors = new ArrayList<>();
                    for (int[] tr : traced) {
                        Tensor t = g.tensor(tr[0]);
                        Path f = out.resolve("output" + outputOf.get(tr[0]) + ".npy");
                        if (!Files.exists(f)) {
                            notes.add("tensor " + tr[0] + " \"" + t.name() + "\" has no data");
                            continue;
                        }
                        String opName = tr[1] < 0 ? "input" : g.operator(tr[1]).opcode().displayName();
                        tensors.add(traced(t, tr[1], opName, f));
                    }
                    if (kind.equals("xnnpack")) {
                        Files.createDirectories(plainOut);
                        exec(command, dir.resolve("model.tflite"), null, in, plainOut);
                        int[] modelOuts = g.outputs();
                        for (int i = 0; i < modelOuts.length; i++) {
                            byte[] original = Npy.read(plainOut.resolve("output" + i + ".npy")).bytes();
                            for (TracedTensor t : tensors) {
                                if (t.tensorIndex() == modelOuts[i] && !Arrays.equals(original, t.data())) {
                                    notes.add("output " + i + " (tensor " + modelOuts[i] + " \"" + t.name() + "\") differs "
                                            + "between the uninstrumented model and the all-outputs rewrite: "
                                            + "instrumentation changed the kernels");
                                }
                            }
                        }
                    }
                    return new Trace(name(), tensors, g.outputs(), notes);
                } catch (IOException e) {
                    throw new HarnessException(name() + ": cannot exchange files with the harness in " + dir + ": " + e, e);
                } finally {
                    deleteTree(in);
                    deleteTree(out);
                    deleteTree(plainOut);
                }
            }

            @Override
            public void close() {
                deleteTree(dir);
            }
        };
    }

    private TracedTensor traced(Tensor t, int opIndex, String opName, Path file) throws IOException {
        NdArray a = Npy.read(file);
        if (a.dtype() != t.dtype()) {
            throw new HarnessException(name() + ": tensor " + t.index() + " \"" + t.name() + "\" is "
                    + t.dtype().displayName() + " but the harness wrote " + a.dtype().displayName());
        }
        return new TracedTensor(t.index(), t.name(), t.dtype(), a.shape(), t.quantization(), opIndex, opName, a.bytes());
    }

    private void exec(List<String> command, Path model, String write, Path in, Path out) throws IOException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("--backend", kind, "--model", model.toString(), "--threads", "1"));
        if (write != null) {
            cmd.add("--write");
            cmd.add(write);
        }
        cmd.add(in.toString());
        cmd.add(out.toString());
        Path stdout = out.resolveSibling(out.getFileName() + ".stdout");
        Path stderr = out.resolveSibling(out.getFileName() + ".stderr");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (!done || p.exitValue() != 0) {
                String err = Files.readString(stderr, StandardCharsets.UTF_8).strip();
                throw new HarnessException(name() + ": harness " + (done ? "exited " + p.exitValue() : "timed out after "
                        + TIMEOUT_SECONDS + " s") + ": " + shorten(String.join(" ", cmd)) + "\n"
                        + NativeHarness.tail(err, 4000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException(name() + ": interrupted while the harness ran", e);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static String shorten(String cmd) {
        int w = cmd.indexOf("--write ");
        if (w < 0) {
            return cmd;
        }
        int end = cmd.indexOf(' ', w + 8);
        String list = cmd.substring(w + 8, end < 0 ? cmd.length() : end);
        return list.length() <= 60 ? cmd : cmd.substring(0, w + 8) + list.substring(0, 40) + "...(" + list.split(",").length
                + " outputs)" + (end < 0 ? "" : cmd.substring(end));
    }

    private static void checkInputs(TfliteModel model, List<byte[]> inputs) {
        int[] ins = model.mainSubgraph().inputs();
        if (inputs.size() != ins.length) {
            throw new IllegalArgumentException("the model has " + ins.length + " inputs, given " + inputs.size());
        }
        for (int i = 0; i < ins.length; i++) {
            Tensor t = model.mainSubgraph().tensor(ins[i]);
            long n = 1;
            for (int d : t.shape()) {
                n *= d;
            }
            long expected = t.dtype().storageBytes(n);
            if (inputs.get(i).length != expected) {
                throw new IllegalArgumentException("input " + i + " \"" + t.name() + "\" is " + t.dtype().displayName()
                        + Arrays.toString(t.shape()) + " (" + expected + " bytes), given " + inputs.get(i).length + " bytes");
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temp file left behind is not worth failing a run for
                }
            });
        } catch (IOException ignored) {
            // same
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
