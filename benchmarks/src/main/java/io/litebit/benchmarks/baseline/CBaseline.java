package io.litebit.benchmarks.baseline;

import io.litebit.api.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.bytedeco.javacpp.Loader;

/**
 * The C baseline ({@code cmake/baseline/litebit_bench.c}): builds it with CMake against the very
 * TFLite library the Java API runs (the preset's {@code libjnitensorflowlite.so}, extracted from
 * its platform jar) and runs it.
 *
 * <pre>{@code
 * CBaseline c = CBaseline.build(Path.of("benchmarks/target/cbaseline"));
 * CBaseline.Result r = c.run(Path.of("hello_world_int8.tflite"), Backend.XNNPACK, 1, true, 1000, 30, 0, 1);
 * double ns = r.latency().medianNs();
 * }</pre>
 *
 * Needs {@code cmake} and C and C++ compilers on the PATH (Debian: {@code cmake gcc g++}; the runtime library has a C++ part, the reference op resolver).
 */
public final class CBaseline {
    /** The preset version whose library the C API header is pinned to. */
    public static final String PRESET_VERSION = "2.19.0-1.5.12";

    private final Path executable;
    private final Path library;
    private final String librarySource;

    private CBaseline(Path executable, Path library, String librarySource) {
        this.executable = executable;
        this.library = library;
        this.librarySource = librarySource;
    }

    /** The built {@code litebit_bench}. */
    public Path executable() {
        return executable;
    }

    /** The extracted TFLite library it links. */
    public Path library() {
        return library;
    }

    /** Where the library was extracted from (jar URL). */
    public String librarySource() {
        return librarySource;
    }

    /** One run of litebit_bench. */
    public record Result(Latency latency, int xnnpackFlags, String json) {
    }

    /**
     * Extracts the library into {@code workDir/lib}, configures {@code cmake/} into
     * {@code workDir/build} and builds it (incrementally: a second call only relinks what changed).
     *
     * @throws IllegalStateException if cmake or the compiler fail, with their output
     */
    public static CBaseline build(Path workDir) {
        try {
            Path sources = findCmakeSources();
            Path libDir = Files.createDirectories(workDir.resolve("lib"));
            Path lib = libDir.resolve("libjnitensorflowlite.so");
            String source = extractLibrary(lib);
            Path buildDir = workDir.resolve("build");
            exec(List.of("cmake", "-S", sources.toString(), "-B", buildDir.toString(), "-DCMAKE_BUILD_TYPE=Release",
                    "-DLITEBIT_TFLITE_LIBRARY=" + lib.toAbsolutePath()), 300);
            exec(List.of("cmake", "--build", buildDir.toString(), "--target", "litebit_bench"), 300);
            Path exe = buildDir.resolve("baseline").resolve("litebit_bench");
            if (!Files.isExecutable(exe)) {
                throw new IllegalStateException("cmake built nothing at " + exe);
            }
            return new CBaseline(exe, lib, source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when {@code cmake} can be started (tests skip locally without it and fail in CI). */
    public static boolean cmakeAvailable() {
        try {
            exec(List.of("cmake", "--version"), 30);
            return true;
        } catch (RuntimeException | IOException e) {
            return false;
        }
    }

    /**
     * Runs litebit_bench on a model.
     *
     * @param full    write every input, invoke, read every output (else invoke only)
     * @param batch   inferences per sample, 0 to let the program choose (~2 ms per sample)
     */
    public Result run(Path model, Backend backend, int threads, boolean full, int warmup, int samples, long batch, long seed) {
        if (backend == Backend.BUILTIN_REF) {
            throw new IllegalArgumentException("the C baseline has xnnpack and builtin, not " + backend);
        }
        List<String> cmd = List.of(executable.toString(), model.toString(), "--backend",
                backend.name().toLowerCase(Locale.ROOT), "--threads", Integer.toString(threads), "--mode",
                full ? "full" : "invoke", "--warmup", Integer.toString(warmup), "--samples", Integer.toString(samples),
                "--batch", Long.toString(batch), "--seed", Long.toString(seed));
        try {
            String out = exec(cmd, 3600);
            String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("litebit_bench printed no result: " + out));
            Latency latency = new Latency(number(json, "median_ns"), number(json, "p90_ns"), number(json, "min_ns"),
                    number(json, "mean_ns"), (long) number(json, "batch"), (int) number(json, "samples"));
            return new Result(latency, (int) number(json, "xnnpack_flags"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": (-?[0-9.eE+-]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("litebit_bench output lacks " + key + ": " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    /**
     * {@code cmake/} of this checkout: {@code -Dlitebit.cmake.dir}, else the first {@code cmake/}
     * with a CMakeLists.txt found from the working directory upwards (the runner is started from
     * the repository root, the tests from {@code benchmarks/}).
     */
    static Path findCmakeSources() {
        String configured = System.getProperty("litebit.cmake.dir");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path c = d.resolve("cmake");
            if (Files.isRegularFile(c.resolve("CMakeLists.txt")) && Files.isDirectory(c.resolve("baseline"))) {
                return c;
            }
        }
        throw new IllegalStateException("cannot find litebit's cmake/ directory from " + Path.of("").toAbsolutePath()
                + "; run from the repository or pass -Dlitebit.cmake.dir=DIR");
    }

    /**
     * Copies the preset's library for this platform out of its jar: the jar on the class path
     * (in a Maven build that is the preset's jar in the local repository; in benchmarks.jar it
     * was shaded in), else the jar in the local Maven repository.
     */
    static String extractLibrary(Path target) throws IOException {
        String platform = Loader.getPlatform();
        String entry = "org/bytedeco/tensorflowlite/" + platform + "/libjnitensorflowlite.so";
        URL url = CBaseline.class.getClassLoader().getResource(entry);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        if (url != null) {
            try (InputStream in = url.openStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            replaceIfChanged(tmp, target);
            return url.toString();
        }
        Path repo = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
        Path jar = repo.resolve("org/bytedeco/tensorflow-lite/" + PRESET_VERSION + "/tensorflow-lite-" + PRESET_VERSION + "-"
                + platform + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the TFLite library for " + platform + " is neither on the class path nor in "
                    + jar + " (build the project with Maven first)");
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null) {
                throw new IllegalStateException(jar + " has no " + entry);
            }
            try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        replaceIfChanged(tmp, target);
        return jar.toUri() + "!/" + entry;
    }

    /** Keeps the old file (and its time stamp) when the bytes are the same, so make does not relink. */
    private static void replaceIfChanged(Path tmp, Path target) throws IOException {
        if (Files.isRegularFile(target) && Files.mismatch(tmp, target) == -1) {
            Files.delete(tmp);
            return;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String exec(List<String> cmd, long timeoutSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        Path errFile = Files.createTempFile("litebit-cbaseline", ".err");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + ": timed out after " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        String err = Files.readString(errFile);
        Files.deleteIfExists(errFile);
        if (p.exitValue() != 0) {
            List<String> lines = new ArrayList<>(out.lines().toList());
            lines.addAll(err.lines().toList());
            throw new IllegalStateException(String.join(" ", cmd) + " exited with " + p.exitValue() + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
        return out;
    }
}
