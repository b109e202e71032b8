package io.litebit.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The probe: the first time this process meets a model (by SHA-256) it runs TFLite's verifier and
 * InterpreterBuilder on it in a child process, and the first time the model meets a backend
 * (with given threads and preserve-all-tensors setting) it builds, allocates and invokes it there
 * with three seeded input sets (zeros, random bytes, alternating extremes of each input's dtype).
 * Only when the child survives does the work run in this JVM.
 *
 * <p>Verdicts are kept in memory per key, and in a directory when the system property
 * {@code litebit.probe.cacheDir} (or the environment variable {@code LITEBIT_PROBE_CACHE}) names
 * one, so that a service pays the probe once per model, not once per start. A clean refusal in the
 * child (TFLite returned an error) counts as safe: the same call in this JVM fails the same clean
 * way. Probes are skipped for trusted models and options, and inside a worker child (which is the
 * isolation already).
 *
 * <p>All probes of the process share one long-lived child (the JVM starts once, ~0.5 s); each
 * probe then costs what the model's build and three invokes cost, plus copying the model.
 */
final class Probe {
    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("litebit.probe.timeoutSeconds", 300));
    private static final Worker WORKER = Worker.create("probe");
    private static final ConcurrentHashMap<String, CompletableFuture<Verdict>> VERDICTS = new ConcurrentHashMap<>();
    /** How many probes actually ran a child call (not answered from a cache): for tests and figures. */
    static final java.util.concurrent.atomic.AtomicLong RUNS = new java.util.concurrent.atomic.AtomicLong();

    private Probe() {
    }

    /** A probe's outcome: safe, or the crash. */
    record Verdict(ChildCrashException crash) {
        boolean safe() {
            return crash == null;
        }
    }

    static Worker worker() {
        return WORKER;
    }

    /** Forgets every in-memory verdict (tests, figures). */
    static void clearMemory() {
        VERDICTS.clear();
    }

    /** Load-time probe: TFLite's verifier and builder. */
    static void checkLoad(Model model) {
        if (Worker.inWorker()) {
            return;
        }
        Verdict v = verdict(model.sha256() + "-load", model, null, true);
        if (!v.safe()) {
            throw v.crash().reworded("TFLite 2.19 crashed a litebit child process with " + v.crash().what()
                            + " while verifying and building the model: it was not loaded in this JVM. The file is"
                            + " damaged or hits a TFLite defect; file it upstream with the model"
                            + " (https://github.com/google-ai-edge/LiteRT/issues)",
                    "load the model (probe in a child process)");
        }
    }

    /** Interpreter probe; throws the crash verdict as a one-sentence {@link ChildCrashException}. */
    static void check(Model model, InterpreterOptions options, boolean staticChecks) {
        if (Worker.inWorker() || model.isTrusted() || options.trustedModel()) {
            return;
        }
        String key = model.sha256() + "-" + options.backend() + "-t" + options.threads()
                + (options.preserveAllTensors() ? "-all" : "") + (staticChecks ? "" : "-raw");
        Verdict v = verdict(key, model, options, staticChecks);
        if (!v.safe()) {
            throw v.crash().reworded("TFLite 2.19 crashed a litebit child process with " + v.crash().what()
                            + " on " + options.backend() + ": the model was not run in this JVM. " + advice(options.backend()),
                    "create the interpreter on " + options.backend() + " (probe in a child process)");
        }
    }

    static String advice(Backend backend) {
        return (backend == Backend.BUILTIN_REF ? "Try Backend.XNNPACK or Backend.BUILTIN"
                : "Try Backend.BUILTIN_REF (TFLite's reference kernels)" + (backend == Backend.XNNPACK
                ? " or Backend.BUILTIN" : " or Backend.XNNPACK"))
                + ", or file the model upstream (https://github.com/google-ai-edge/LiteRT/issues)";
    }

    private static Verdict verdict(String key, Model model, InterpreterOptions options, boolean staticChecks) {
        CompletableFuture<Verdict> mine = new CompletableFuture<>();
        CompletableFuture<Verdict> existing = VERDICTS.putIfAbsent(key, mine);
        if (existing != null) {
            try {
                return existing.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            Verdict v = fromDisk(key);
            if (v == null) {
                v = run(model, options, staticChecks);
                toDisk(key, v);
            }
            mine.complete(v);
            return v;
        } catch (RuntimeException | Error e) {
            VERDICTS.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private static Verdict run(Model model, InterpreterOptions options, boolean staticChecks) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(model.size() + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(options != null);
            if (options != null) {
                out.writeUTF(options.backend().name());
                out.writeInt(options.threads());
                out.writeBoolean(options.preserveAllTensors());
                out.writeBoolean(staticChecks);
            }
            ByteBuffer b = model.bytes();
            byte[] raw = new byte[b.remaining()];
            b.get(raw);
            Worker.writeBytes(out, raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RUNS.incrementAndGet();
        try {
            WORKER.call(ProbeTask.class, bytes.toByteArray(), TIMEOUT);
            return new Verdict(null);
        } catch (ChildCrashException e) {
            if (e.signal().startsWith("exit") || e.signal().startsWith("lost")) {
                // Not a verdict on the model: the child could not start or exited by itself.
                throw new TfliteException("litebit could not probe the model in a child process (" + e.getMessage()
                        + "); the model was not run. Check that this JVM may start processes, or pass"
                        + " InterpreterOptions.builder().trustedModel(true) / Model.trusted(...) for models you vouch"
                        + " for", "probe the model", -1, e.tfliteMessages());
            }
            return new Verdict(e);
        }
    }

    // ------------------------------------------------------------------ disk cache

    private static Path cacheDir() {
        String dir = System.getProperty("litebit.probe.cacheDir", System.getenv("LITEBIT_PROBE_CACHE"));
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    private static Verdict fromDisk(String key) {
        Path dir = cacheDir();
        if (dir == null) {
            return null;
        }
        Path f = dir.resolve(key + ".verdict");
        try {
            if (!Files.exists(f)) {
                return null;
            }
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return null;
            }
            if (lines.get(0).equals("safe")) {
                return new Verdict(null);
            }
            String[] p = lines.get(0).split("\t", -1);
            if (p.length == 5 && p[0].equals("crashed")) {
                return new Verdict(new ChildCrashException(lines.size() > 1 ? lines.get(1) : "", "probe", p[1],
                        Integer.parseInt(p[2]), p[3], p[4].isEmpty() ? null : p[4], List.of()));
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // an unreadable cache entry is probed again
        }
    }

    private static void toDisk(String key, Verdict v) {
        Path dir = cacheDir();
        if (dir == null) {
            return;
        }
        String text;
        if (v.safe()) {
            text = "safe\n";
        } else {
            ChildCrashException c = v.crash();
            text = String.join("\t", "crashed", c.signal(), Integer.toString(c.exitCode()), clean(c.stage()),
                    clean(c.nativeFrame().orElse(""))) + "\n" + clean(c.getMessage()) + "\n";
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, key, ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(key + ".verdict"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // The in-memory verdict stands; the disk cache is an optimization.
        }
    }

    private static String clean(String s) {
        return s == null ? "" : s.replace('\t', ' ').replace('\n', ' ');
    }

    // ------------------------------------------------------------------ the child's side

    /** Runs in the probe child: load, build, allocate, invoke with the three input sets. */
    static final class ProbeTask implements Worker.Task {
        @Override
        public byte[] run(byte[] request, Worker.Progress progress) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(request));
            boolean interpreter = in.readBoolean();
            InterpreterOptions options = null;
            boolean staticChecks = true;
            if (interpreter) {
                options = InterpreterOptions.builder().backend(Backend.valueOf(in.readUTF())).threads(in.readInt())
                        .preserveAllTensors(in.readBoolean()).trustedModel(true).build();
                staticChecks = in.readBoolean();
            }
            byte[] modelBytes = Worker.readBytes(in);
            try {
                progress.stage("verifying and building the model");
                Model model = Model.trusted(modelBytes);
                if (!interpreter) {
                    return ok();
                }
                progress.stage("building the interpreter and allocating its tensors");
                try (Interpreter it = staticChecks ? Interpreter.create(model, options)
                        : Interpreter.createUnchecked(model, options)) {
                    Random random = new Random(14);
                    for (String set : List.of("zeros", "random", "extremes")) {
                        for (int i = 0; i < it.inputCount(); i++) {
                            TensorHandle h = it.input(i);
                            byte[] data = new byte[(int) Math.min(Integer.MAX_VALUE - 16, h.details().byteSize())];
                            fill(set, h.dtype(), data, random);
                            it.writeRaw(h.index(), data);
                        }
                        progress.stage("invoking with " + set + " inputs");
                        it.invoke();
                    }
                }
                return ok();
            } catch (RuntimeException e) {
                // TFLite (or litebit) refused cleanly: the same call in the parent fails the same way.
                return ("refused: " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
            }
        }

        private static byte[] ok() {
            return "ok".getBytes(StandardCharsets.UTF_8);
        }

        static void fill(String set, io.litebit.model.DType dtype, byte[] data, Random random) {
            switch (set) {
                case "zeros" -> java.util.Arrays.fill(data, (byte) 0);
                case "random" -> random.nextBytes(data);
                default -> {
                    int w = Math.max(1, dtype.byteSize());
                    ByteBuffer b = ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    for (int e = 0; (e + 1) * w <= data.length; e++) {
                        boolean high = e % 2 == 0;
                        switch (dtype) {
                            case FLOAT32 -> b.putFloat(e * 4, high ? Float.MAX_VALUE : -Float.MAX_VALUE);
                            case FLOAT16 -> b.putShort(e * 2, (short) (high ? 0x7bff : 0xfbff));
                            case FLOAT64 -> b.putDouble(e * 8, high ? Double.MAX_VALUE : -Double.MAX_VALUE);
                            case BOOL -> data[e] = (byte) (high ? 1 : 0);
                            case UINT8, UINT16, UINT32, UINT64 -> {
                                for (int k = 0; k < w; k++) {
                                    data[e * w + k] = (byte) (high ? 0xff : 0);
                                }
                            }
                            default -> {
                                // signed: max is 0x7f..ff, min is 0x80..00 (little-endian, sign in the last byte)
                                for (int k = 0; k < w; k++) {
                                    boolean last = k == w - 1;
                                    data[e * w + k] = (byte) (high ? (last ? 0x7f : 0xff) : (last ? 0x80 : 0));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
