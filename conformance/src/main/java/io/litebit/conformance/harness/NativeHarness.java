package io.litebit.conformance.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The native conformance harness ({@code cmake/harness/litebit_harness.c}) built for one
 * {@link HarnessPlatform} against that platform's {@code libjnitensorflowlite.so} from the
 * {@code org.bytedeco:tensorflow-lite} preset, and how to run it on this machine: directly on its
 * own architecture, under {@code qemu-aarch64 -L /usr/aarch64-linux-gnu} for arm64 on x86.
 *
 * <p>The harness sources travel inside this module's jar; the library is taken from the
 * classpath (this module depends on the preset's {@code linux-x86_64} and {@code linux-arm64}
 * jars, so Maven resolves both into {@code ~/.m2}) or else from the local Maven repository. The
 * build (CMake, with {@code cmake/toolchains/aarch64-linux-gnu.cmake} for a cross build) lands in
 * a cache keyed by the hash of sources and library, {@code ~/.cache/litebit/harness/} unless the
 * system property {@code litebit.harness.cache} or the environment variable
 * {@code LITEBIT_HARNESS_CACHE} names another directory; it is built once, under a file lock.
 *
 * <pre>{@code
 * NativeHarness h = NativeHarness.of(HarnessPlatform.ARM64);
 * if (h.availability().isPresent()) {
 *     System.out.println("arm64 unavailable: " + h.availability().get());
 * } else {
 *     List<String> cmd = h.command();   // [qemu-aarch64, -L, /usr/aarch64-linux-gnu, .../litebit_harness]
 * }
 * }</pre>
 */
public final class NativeHarness {
    /** The preset the harness links: the same TFLite the Java API runs. */
    public static final String PRESET_VERSION = "2.19.0-1.5.12";
    /** The sysroot qemu-user and the cross compiler use for arm64 (Debian's libc6-*-arm64-cross). */
    public static final String ARM64_SYSROOT = "/usr/aarch64-linux-gnu";

    /** Every file of cmake/ the harness build needs (checked against the directory by a test). */
    static final List<String> SOURCES = List.of("CMakeLists.txt", "include/litebit_tflite_c.h",
            "common/litebit_runtime.h", "common/litebit_runtime.c", "common/litebit_ref_resolver.h",
            "common/litebit_ref_resolver.cc", "common/litebit_ref_kernels.def", "baseline/CMakeLists.txt",
            "baseline/litebit_bench.c", "harness/CMakeLists.txt", "harness/litebit_harness.c",
            "toolchains/aarch64-linux-gnu.cmake");
    private static final String RESOURCE_ROOT = "/io/litebit/conformance/harness/cmake/";
    private static final Map<HarnessPlatform, NativeHarness> INSTANCES = new EnumMap<>(HarnessPlatform.class);

    private final HarnessPlatform platform;
    private Path executable; // guarded by this
    private Path cacheDir; // guarded by this

    private NativeHarness(HarnessPlatform platform) {
        this.platform = platform;
    }

    /** The harness of a platform (one per JVM, so it is built at most once). */
    public static synchronized NativeHarness of(HarnessPlatform platform) {
        return INSTANCES.computeIfAbsent(platform, NativeHarness::new);
    }

    public HarnessPlatform platform() {
        return platform;
    }

    /** Whether runs are emulated on this machine (arm64 on x86): their timings mean nothing. */
    public boolean emulated() {
        return platform.emulatedHere();
    }

    /**
     * Why the harness cannot be built or run here (a missing emulator, cross compiler, CMake or
     * library), or empty when it can. Cheap: looks at {@code PATH} and files, builds nothing.
     */
    public Optional<String> availability() {
        List<String> missing = new ArrayList<>();
        HarnessPlatform host = HarnessPlatform.host();
        if (host == null) {
            return Optional.of("this machine is neither x86-64 nor arm64 Linux (os.name "
                    + System.getProperty("os.name") + ", os.arch " + System.getProperty("os.arch") + ")");
        }
        if (!onPath("cmake")) {
            missing.add("cmake (apt-get install cmake)");
        }
        if (platform == host) {
            if (!onPath("cc") && !onPath("gcc")) {
                missing.add("a C compiler (apt-get install gcc)");
            }
            if (!onPath("c++") && !onPath("g++")) {
                missing.add("a C++ compiler (apt-get install g++)");
            }
        } else if (platform == HarnessPlatform.ARM64) {
            if (!onPath("aarch64-linux-gnu-gcc") || !onPath("aarch64-linux-gnu-g++")) {
                missing.add("the aarch64 cross compiler (apt-get install gcc-aarch64-linux-gnu g++-aarch64-linux-gnu)");
            }
            if (!Files.isDirectory(Path.of(ARM64_SYSROOT, "lib"))) {
                missing.add("the arm64 C library in " + ARM64_SYSROOT + " (apt-get install libc6-dev-arm64-cross)");
            }
            if (!onPath("qemu-aarch64")) {
                missing.add("qemu-aarch64 (apt-get install qemu-user)");
            }
        } else {
            return Optional.of(platform.prefix() + " backends run only on an x86-64 host (this is " + host.gnuArch() + ")");
        }
        if (libraryLocation().isEmpty()) {
            missing.add("the preset's " + platform.javacppPlatform() + " library (org.bytedeco:tensorflow-lite:"
                    + PRESET_VERSION + ":jar:" + platform.javacppPlatform() + " neither on the classpath nor in "
                    + mavenRepository() + ")");
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("missing " + String.join(", ", missing) + "; scripts/setup-arm64.sh installs the tools");
    }

    /** The harness executable if it is already built (this JVM or an earlier one), without building. */
    public Optional<Path> builtExecutable() {
        try {
            Path dir = cacheDir();
            Path exe = dir.resolve("build/harness/litebit_harness");
            return Files.isExecutable(exe) ? Optional.of(exe) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The command prefix that runs the harness here, building it first if needed: the executable,
     * behind {@code qemu-aarch64 -L /usr/aarch64-linux-gnu} when emulated.
     *
     * @throws HarnessException when it is unavailable or the build fails (with CMake's output)
     */
    public List<String> command() {
        Path exe = executable();
        List<String> cmd = new ArrayList<>();
        if (emulated()) {
            cmd.add("qemu-aarch64");
            cmd.add("-L");
            cmd.add(ARM64_SYSROOT);
        }
        cmd.add(exe.toString());
        return cmd;
    }

    /** Builds the harness if it is not built yet; returns the executable. */
    public synchronized Path executable() {
        if (executable != null) {
            return executable;
        }
        Optional<String> why = availability();
        if (why.isPresent()) {
            throw new HarnessException(platform.prefix() + " harness unavailable: " + why.get());
        }
        try {
            Path dir = cacheDir();
            Files.createDirectories(dir.getParent());
            Path exe = dir.resolve("build/harness/litebit_harness");
            try (FileChannel ch = FileChannel.open(dir.getParent().resolve(dir.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                if (!Files.isExecutable(exe)) {
                    build(dir);
                }
            }
            executable = exe;
            return exe;
        } catch (IOException e) {
            throw new HarnessException("cannot build the " + platform.prefix() + " harness: " + e.getMessage(), e);
        }
    }

    private void build(Path dir) throws IOException {
        Path src = dir.resolve("src");
        Path lib = dir.resolve("lib/libjnitensorflowlite.so");
        for (String s : SOURCES) {
            Path to = src.resolve(s);
            Files.createDirectories(to.getParent());
            Files.write(to, source(s));
        }
        Files.createDirectories(lib.getParent());
        Files.write(lib, library());
        Path build = dir.resolve("build");
        List<String> configure = new ArrayList<>(List.of("cmake", "-S", src.toString(), "-B", build.toString(),
                "-DCMAKE_BUILD_TYPE=Release", "-DLITEBIT_TFLITE_LIBRARY=" + lib));
        if (platform != HarnessPlatform.host()) {
            configure.add("-DCMAKE_TOOLCHAIN_FILE=" + src.resolve("toolchains/aarch64-linux-gnu.cmake"));
        }
        exec(configure, dir, 300);
        exec(List.of("cmake", "--build", build.toString(), "--target", "litebit_harness"), dir, 600);
        if (!Files.isExecutable(build.resolve("harness/litebit_harness"))) {
            throw new HarnessException("the " + platform.prefix() + " harness build produced no executable in " + build);
        }
    }

    private static void exec(List<String> cmd, Path dir, int timeoutSeconds) throws IOException {
        Path log = Files.createTempFile(dir, "build", ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            if (!done || p.exitValue() != 0) {
                String out = Files.readString(log, StandardCharsets.UTF_8);
                throw new HarnessException("harness build failed" + (done ? " (exit " + p.exitValue() + ")" : " (timed out)")
                        + ": " + String.join(" ", cmd) + "\n" + tail(out, 4000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("interrupted while building the harness", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static String tail(String s, int max) {
        return s.length() <= max ? s : "..." + s.substring(s.length() - max);
    }

    private synchronized Path cacheDir() throws IOException {
        if (cacheDir != null) {
            return cacheDir;
        }
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String s : SOURCES) {
            md.update(s.getBytes(StandardCharsets.UTF_8));
            md.update(source(s));
        }
        // The library's bytes, not its location: the CLI's fat jar and ~/.m2 hold the same file.
        md.update(library());
        String key = HexFormat.of().formatHex(md.digest()).substring(0, 16);
        cacheDir = cacheRoot().resolve(platform.prefix() + "-" + key);
        return cacheDir;
    }

    /** Where built harnesses are kept. */
    public static Path cacheRoot() {
        String p = System.getProperty("litebit.harness.cache");
        if (p == null || p.isBlank()) {
            p = System.getenv("LITEBIT_HARNESS_CACHE");
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "litebit", "harness");
    }

    private static byte[] source(String name) {
        try (InputStream in = NativeHarness.class.getResourceAsStream(RESOURCE_ROOT + name)) {
            if (in == null) {
                throw new HarnessException("harness source " + name + " is missing from the classpath ("
                        + RESOURCE_ROOT + "); rebuild litebit-conformance");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String entryName() {
        return "org/bytedeco/tensorflowlite/" + platform.javacppPlatform() + "/libjnitensorflowlite.so";
    }

    /** A description of where the library comes from: a classpath URL or a jar in ~/.m2; empty if nowhere. */
    Optional<String> libraryLocation() {
        URL url = NativeHarness.class.getClassLoader().getResource(entryName());
        if (url != null) {
            return Optional.of(url.toString());
        }
        Path jar = mavenJar();
        return Files.isRegularFile(jar) ? Optional.of(jar.toString()) : Optional.empty();
    }

    private byte[] library() throws IOException {
        URL url = NativeHarness.class.getClassLoader().getResource(entryName());
        if (url != null) {
            try (InputStream in = url.openStream()) {
                return in.readAllBytes();
            }
        }
        try (ZipFile zip = new ZipFile(mavenJar().toFile())) {
            ZipEntry e = zip.getEntry(entryName());
            if (e == null) {
                throw new HarnessException(mavenJar() + " has no " + entryName());
            }
            try (InputStream in = zip.getInputStream(e)) {
                return in.readAllBytes();
            }
        }
    }

    private Path mavenJar() {
        return mavenRepository().resolve("org/bytedeco/tensorflow-lite/" + PRESET_VERSION + "/tensorflow-lite-"
                + PRESET_VERSION + "-" + platform.javacppPlatform() + ".jar");
    }

    private static Path mavenRepository() {
        String local = System.getProperty("maven.repo.local");
        return local != null && !local.isBlank() ? Path.of(local)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
