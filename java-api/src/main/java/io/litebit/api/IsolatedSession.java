package io.litebit.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child-process half of an interpreter with {@link Isolation#PROCESS}: a twin interpreter of
 * the same model and options in the shared isolation {@link Worker}. The parent keeps its own
 * interpreter for everything but running kernels (tensor details, op details, views); allocation
 * happens in the child first (a shape that crashes Prepare crashes the child only), and every
 * invoke ships the inputs and variable tensors there and the outputs and variables back.
 *
 * <p>After the child died, the next call opens the session again in a fresh child; since the
 * variable tensors are sent with every invoke, the model's state survives the restart.
 *
 * <p>Never refers to its {@link Interpreter} (it is closed by the interpreter's cleaner action).
 */
final class IsolatedSession {
    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("litebit.isolation.timeoutSeconds", 600));
    private static final Worker WORKER = Worker.create("isolation");
    private static final AtomicLong IDS = new AtomicLong();

    private static final int OPEN = 1;
    private static final int ALLOCATE = 2;
    private static final int INVOKE = 3;
    private static final int CLOSE = 4;

    private final long id = IDS.incrementAndGet();
    private final Model model;
    private final InterpreterOptions options;
    /** The worker start count the session was opened in; another count means it must be reopened. */
    private long openedIn = -1;
    private boolean closed;

    IsolatedSession(Model model, InterpreterOptions options) {
        this.model = model;
        this.options = options;
    }

    static Worker worker() {
        return WORKER;
    }

    /** Resizes (where the shapes differ) and allocates the child's twin. */
    synchronized void allocate(int subgraph, int[] inputs, int[][] shapes) {
        call(out -> {
            out.writeInt(ALLOCATE);
            out.writeLong(id);
            out.writeInt(subgraph);
            out.writeInt(inputs.length);
            for (int i = 0; i < inputs.length; i++) {
                out.writeInt(inputs[i]);
                writeInts(out, shapes[i]);
            }
        }, "allocating tensors");
    }

    /**
     * Invokes in the child.
     *
     * @param send tensors to copy to the child (inputs, variables): index to bytes
     * @param want tensors to copy back (outputs, variables)
     * @return the bytes of each wanted tensor, by index
     */
    synchronized Map<Integer, byte[]> invoke(int subgraph, Map<Integer, byte[]> send, int[] want) {
        byte[] answer = call(out -> {
            out.writeInt(INVOKE);
            out.writeLong(id);
            out.writeInt(subgraph);
            out.writeInt(send.size());
            for (Map.Entry<Integer, byte[]> e : send.entrySet()) {
                out.writeInt(e.getKey());
                Worker.writeBytes(out, e.getValue());
            }
            writeInts(out, want);
        }, "invoking");
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(answer));
            int n = in.readInt();
            Map<Integer, byte[]> result = new HashMap<>();
            for (int i = 0; i < n; i++) {
                int t = in.readInt();
                result.put(t, Worker.readBytes(in));
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Frees the child's twin; never throws (it runs in the interpreter's cleaner). */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (openedIn != WORKER.starts() || WORKER.pid() < 0) {
            return; // that child is gone, and the twin with it
        }
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(b);
            out.writeInt(CLOSE);
            out.writeLong(id);
            WORKER.call(Task.class, b.toByteArray(), TIMEOUT);
        } catch (RuntimeException | IOException e) {
            // The child died meanwhile: nothing is left to free.
        }
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private byte[] call(Body body, String what) {
        if (closed) {
            throw new IllegalStateException("the interpreter is closed");
        }
        try {
            if (openedIn != WORKER.starts() || WORKER.pid() < 0) {
                ByteArrayOutputStream b = new ByteArrayOutputStream(model.size() + 64);
                DataOutputStream out = new DataOutputStream(b);
                out.writeInt(OPEN);
                out.writeLong(id);
                out.writeUTF(options.backend().name());
                out.writeInt(options.threads());
                out.writeBoolean(options.preserveAllTensors());
                ByteBuffer mb = model.bytes();
                byte[] raw = new byte[mb.remaining()];
                mb.get(raw);
                Worker.writeBytes(out, raw);
                out.flush();
                WORKER.call(Task.class, b.toByteArray(), TIMEOUT);
                openedIn = WORKER.starts();
            }
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(b);
            body.write(out);
            out.flush();
            return WORKER.call(Task.class, b.toByteArray(), TIMEOUT);
        } catch (ChildCrashException e) {
            openedIn = -1;
            throw e.reworded("TFLite 2.19 crashed the isolated interpreter's child process with " + e.what() + " on "
                    + options.backend() + ": this JVM is unaffected, and the next call starts a new child"
                    + " (variable tensors are kept). " + Probe.advice(options.backend()), what + " (isolated)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeInts(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int v : a) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 20) {
            throw new IOException("bad int array length " + n);
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    /** The child's side: twins by session id. */
    static final class Task implements Worker.Task {
        private final Map<Long, Interpreter> twins = new HashMap<>();

        @Override
        public byte[] run(byte[] request, Worker.Progress progress) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(request));
            int op = in.readInt();
            long id = in.readLong();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(b);
            switch (op) {
                case OPEN -> {
                    InterpreterOptions o = InterpreterOptions.builder().backend(Backend.valueOf(in.readUTF()))
                            .threads(in.readInt()).preserveAllTensors(in.readBoolean()).trustedModel(true).build();
                    byte[] modelBytes = Worker.readBytes(in);
                    progress.stage("building the interpreter and allocating its tensors");
                    Interpreter old = twins.put(id, Interpreter.create(Model.trusted(modelBytes), o));
                    if (old != null) {
                        old.close();
                    }
                }
                case ALLOCATE -> {
                    Interpreter it = twin(id);
                    int subgraph = in.readInt();
                    int n = in.readInt();
                    for (int i = 0; i < n; i++) {
                        int t = in.readInt();
                        int[] shape = readInts(in);
                        it.resizeIfDifferent(subgraph, t, shape);
                    }
                    progress.stage("allocating tensors");
                    it.allocateSubgraph(subgraph);
                }
                case INVOKE -> {
                    Interpreter it = twin(id);
                    int subgraph = in.readInt();
                    int n = in.readInt();
                    for (int i = 0; i < n; i++) {
                        int t = in.readInt();
                        it.writeRaw(subgraph, t, Worker.readBytes(in));
                    }
                    int[] want = readInts(in);
                    progress.stage("invoking");
                    it.invokeSubgraph(subgraph);
                    out.writeInt(want.length);
                    for (int t : want) {
                        out.writeInt(t);
                        Worker.writeBytes(out, it.readRaw(subgraph, t));
                    }
                }
                case CLOSE -> {
                    Interpreter it = twins.remove(id);
                    if (it != null) {
                        it.close();
                    }
                }
                default -> throw new IllegalArgumentException("unknown isolated-session request " + op);
            }
            out.flush();
            return b.toByteArray();
        }

        private Interpreter twin(long id) {
            Interpreter it = twins.get(id);
            if (it == null) {
                throw new IllegalStateException("no isolated session " + id + " in this child");
            }
            return it;
        }
    }
}
