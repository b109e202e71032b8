package io.litebit.api;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A long-lived child JVM that runs {@link Task}s for this process, so that native code that may
 * crash runs outside this JVM. It is started lazily with the running {@code java} binary and the
 * running class path (so it works from the CLI's fat jar and from a plain Maven dependency with
 * nothing else installed), serves any number of calls, and when it dies (signal, abort, timeout)
 * the call fails with a {@link ChildCrashException} and the next call starts a fresh child.
 *
 * <p>Calls are serialized (one at a time per worker). Tasks are instantiated in the child by class
 * name, once per worker process (a task may keep state between calls, e.g. open interpreters),
 * and must have a no-argument constructor. Code running in a worker child sees the system
 * property {@code litebit.worker=true}: it is already isolated, so litebit's own probe is off there.
 *
 * <pre>{@code
 * try (Worker w = Worker.create("my-campaign")) {
 *     byte[] answer = w.call(MyTask.class, request, Duration.ofMinutes(1));
 * } catch (ChildCrashException e) {
 *     System.out.println("crashed: " + e.signal());
 * }
 * }</pre>
 *
 * <p>Protocol (stdin/stdout of the child, big-endian): a call is {@code int 1, string task class,
 * bytes request}; the child answers any number of {@code int 2, string stage} progress reports,
 * then {@code int 3, bytes result} or {@code int 4, string exception class, string message}. The
 * child's stderr is drained and its tail kept: the JVM writes its crash report there
 * ({@code -XX:+DisplayVMOutputToStderr}), which names the signal and the native frame.
 */
public final class Worker implements AutoCloseable {
    /** Work that runs in the child. */
    public interface Task {
        /**
         * @param request  what the parent sent
         * @param progress where to report the stage about to run (the parent names it if the child dies)
         * @return the answer; an exception is rethrown in the parent with its class and message
         */
        byte[] run(byte[] request, Progress progress) throws Exception;
    }

    /** Stage reports from a task to the parent. */
    public interface Progress {
        void stage(String what);
    }

    static final int CALL = 1;
    static final int PROGRESS = 2;
    static final int RESULT = 3;
    static final int ERROR = 4;
    static final int READY = 0x4c42574b; // "LBWK"

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "litebit-worker-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static final Pattern JVM_SIGNAL = Pattern.compile("#\\s+(SIG[A-Z]+) \\(0x[0-9a-f]+\\)");
    private static final Pattern FRAME = Pattern.compile("# Problematic frame:\\s*\\n#\\s*(.+)");
    private static final int TAIL_BYTES = 32 * 1024;

    private final String name;
    private final List<String> jvmOptions;
    private final ReentrantLock lock = new ReentrantLock();
    private Process process;
    private DataOutputStream toChild;
    private DataInputStream fromChild;
    private StderrTail stderr;
    private Path errorDir;
    private long starts;
    private boolean closed;
    /** What the dying child wrote to stdout instead of a frame (its JVM's crash header). */
    private String garbage = "";

    private Worker(String name, List<String> jvmOptions) {
        this.name = name;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** A worker whose child is started on the first call. */
    public static Worker create(String name) {
        return new Worker(Objects.requireNonNull(name, "name"), List.of());
    }

    /** A worker whose child JVM gets extra options (e.g. {@code -Xmx2g}). */
    public static Worker create(String name, List<String> jvmOptions) {
        return new Worker(Objects.requireNonNull(name, "name"), jvmOptions);
    }

    /** Whether this code runs inside a litebit worker child. */
    public static boolean inWorker() {
        return Boolean.getBoolean("litebit.worker");
    }

    /** How many child processes this worker has started so far (1 + restarts after deaths). */
    public long starts() {
        lock.lock();
        try {
            return starts;
        } finally {
            lock.unlock();
        }
    }

    /** The running child's process id, or -1 when none runs (not started yet, or died). */
    public long pid() {
        lock.lock();
        try {
            return process != null && process.isAlive() ? process.pid() : -1;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs a task in the child and returns its answer.
     *
     * @throws ChildCrashException if the child died or exceeded {@code timeout}
     * @throws RuntimeException    what the task threw in the child: same class (when it is a
     *                             runtime exception with a message constructor) and message
     */
    public byte[] call(Class<? extends Task> task, byte[] request, Duration timeout) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(timeout, "timeout");
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("worker " + name + " is closed");
            }
            String stage = "starting";
            AtomicBoolean timedOut = new AtomicBoolean();
            ScheduledFuture<?> watchdog = null;
            try {
                ensureStarted();
                Process p = process;
                watchdog = WATCHDOG.schedule(() -> {
                    timedOut.set(true);
                    p.destroyForcibly();
                }, timeout.toMillis(), TimeUnit.MILLISECONDS);
                stage = "running " + task.getSimpleName();
                toChild.writeInt(CALL);
                writeString(toChild, task.getName());
                writeBytes(toChild, request);
                toChild.flush();
                while (true) {
                    int kind = fromChild.readInt();
                    if (kind == PROGRESS) {
                        stage = readString(fromChild);
                    } else if (kind == RESULT) {
                        return readBytes(fromChild);
                    } else if (kind == ERROR) {
                        String cls = readString(fromChild);
                        String message = readString(fromChild);
                        throw remote(cls, message);
                    } else {
                        // Not a frame: the JVM writes its fatal-error header to stdout (whatever
                        // DisplayVMOutputToStderr says), so the child is dying. Keep what it says.
                        garbage = drain(kind);
                        throw new IOException("unexpected output from the worker");
                    }
                }
            } catch (IOException e) {
                throw died(stage, timedOut.get(), timeout, e);
            } finally {
                if (watchdog != null) {
                    watchdog.cancel(false);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the child (if running); idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            stop();
        } finally {
            lock.unlock();
        }
    }

    /** Kills the child now, e.g. to free its memory; the next call starts a new one. */
    public void stop() {
        lock.lock();
        try {
            if (process != null) {
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                process = null;
            }
            deleteErrorDir();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Worker[" + name + ", " + starts + " starts]";
    }

    // ------------------------------------------------------------------ internals

    private void ensureStarted() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        stop();
        errorDir = Files.createTempDirectory("litebit-worker-");
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.add("-cp");
        cmd.add(System.getProperty("litebit.worker.classpath", System.getProperty("java.class.path")));
        // Fast start and small footprint: the child runs native code, its Java part is glue.
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        // Crash reports: to stderr (the parent parses the signal and frame), no core files.
        cmd.add("-XX:-CreateCoredumpOnCrash");
        cmd.add("-XX:+DisplayVMOutputToStderr");
        cmd.add("-XX:ErrorFile=" + errorDir.resolve("hs_err_pid%p.log"));
        cmd.add("-Dlitebit.worker=true");
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("org.bytedeco.") || (key.startsWith("litebit.") && !key.startsWith("litebit.worker"))) {
                cmd.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        cmd.addAll(jvmOptions);
        cmd.add(WorkerMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        process = pb.start();
        starts++;
        stderr = new StderrTail(process.getErrorStream(), name);
        toChild = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
        fromChild = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
        int hello = fromChild.readInt();
        if (hello != READY) {
            throw new IOException("the worker answered " + Integer.toHexString(hello) + " instead of its greeting");
        }
    }

    private static String javaBinary() {
        String home = System.getProperty("java.home");
        Path candidate = Path.of(home, "bin", "java");
        if (Files.isExecutable(candidate)) {
            return candidate.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The child is gone: find out how it died and say so. */
    private ChildCrashException died(String stage, boolean timedOut, Duration timeout, IOException cause) {
        Process p = process;
        process = null;
        int exit = -1;
        if (p != null) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
                exit = p.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IllegalThreadStateException e) {
                exit = -1;
            }
        }
        String tail = garbage + "\n" + (stderr == null ? "" : stderr.await());
        garbage = "";
        String signal;
        Matcher m = JVM_SIGNAL.matcher(tail);
        if (timedOut) {
            signal = "timeout";
        } else if (m.find()) {
            signal = m.group(1);
        } else if (exit > 128) {
            signal = signalName(exit - 128);
        } else if (exit >= 0) {
            signal = "exit " + exit;
        } else {
            signal = "lost (" + cause.getMessage() + ")";
        }
        Matcher f = FRAME.matcher(tail);
        String frame = f.find() ? f.group(1).trim().replaceFirst("^[CJjVv]\\s+", "").replaceAll("\\s+", " ") : null;
        List<String> lines = new ArrayList<>();
        for (String line : tail.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#") && lines.size() < 20) {
                lines.add(l);
            }
        }
        if (frame == null && signal.equals("SIGABRT")) {
            // libc's own report, e.g. "free(): invalid pointer", is the best frame there is.
            for (String l : lines) {
                if (l.contains("()") || l.contains("corrupted") || l.contains("Assertion")) {
                    frame = l;
                    break;
                }
            }
        }
        if (timedOut) {
            stage = stage + " for more than " + timeout.toSeconds() + " s";
        }
        deleteErrorDir();
        String message = "litebit's worker child \"" + name + "\" died of " + signal + " while " + stage
                + (frame == null ? "" : " (in " + frame + ")");
        return new ChildCrashException(message, stage, signal, exit, stage, frame, lines);
    }

    private String drain(int first) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(first >>> 24);
        b.write(first >>> 16);
        b.write(first >>> 8);
        b.write(first);
        byte[] buf = new byte[4096];
        try {
            int n;
            while (b.size() < TAIL_BYTES && (n = fromChild.read(buf)) > 0) {
                b.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the pipe broke: that is all there is
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    static String signalName(int n) {
        return switch (n) {
            case 4 -> "SIGILL";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> "signal " + n;
        };
    }

    private void deleteErrorDir() {
        if (errorDir == null) {
            return;
        }
        try (var files = Files.list(errorDir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(errorDir);
        } catch (IOException e) {
            // A leftover temp file is harmless.
        }
        errorDir = null;
    }

    /** The child's exception, as close to its own class as this JVM can make it. */
    static RuntimeException remote(String cls, String message) {
        if (cls.equals(TfliteException.class.getName()) || cls.equals(ChildCrashException.class.getName())) {
            return new TfliteException(message, "run in a worker child", -1, List.of());
        }
        try {
            Class<?> c = Class.forName(cls, false, Worker.class.getClassLoader());
            if (RuntimeException.class.isAssignableFrom(c)) {
                Constructor<?> ctor = c.getConstructor(String.class);
                return (RuntimeException) ctor.newInstance(message);
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            // fall through
        }
        return new TfliteException(cls + ": " + message, "run in a worker child", -1, List.of());
    }

    static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative frame length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, (s == null ? "" : s).getBytes(StandardCharsets.UTF_8));
    }

    static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    /** Drains the child's stderr so it never blocks, keeping the last bytes for the post-mortem. */
    private static final class StderrTail {
        private final byte[] ring = new byte[TAIL_BYTES];
        private long written;
        private final Thread thread;

        StderrTail(InputStream in, String name) {
            thread = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (in) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        synchronized (this) {
                            for (int i = 0; i < n; i++) {
                                ring[(int) (written++ % TAIL_BYTES)] = buf[i];
                            }
                        }
                        if (Boolean.getBoolean("litebit.worker.echo")) {
                            System.err.write(buf, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the child is gone
                }
            }, "litebit-worker-stderr-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Waits (briefly) for the child's stderr to end, then returns its tail. */
        String await() {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                int n = (int) Math.min(written, TAIL_BYTES);
                byte[] out = new byte[n];
                long start = written - n;
                for (int i = 0; i < n; i++) {
                    out[i] = ring[(int) ((start + i) % TAIL_BYTES)];
                }
                return new String(out, StandardCharsets.ISO_8859_1);
            }
        }
    }

}
