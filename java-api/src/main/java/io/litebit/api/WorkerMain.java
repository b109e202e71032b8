package io.litebit.api;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.HashMap;
import java.util.Map;

/**
 * The main class of a {@link Worker} child: answers calls on stdin/stdout until stdin closes.
 * Not for direct use. Anything the child's code prints goes to stderr, so that stdout carries
 * only the protocol.
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(System.err);
        out.writeInt(Worker.READY);
        out.flush();
        Map<String, Worker.Task> tasks = new HashMap<>();
        while (true) {
            int kind;
            try {
                kind = in.readInt();
            } catch (EOFException e) {
                return; // the parent closed the pipe or exited
            }
            if (kind != Worker.CALL) {
                throw new IOException("unexpected frame " + kind + " from the parent");
            }
            String cls = Worker.readString(in);
            byte[] request = Worker.readBytes(in);
            byte[] result;
            try {
                Worker.Task task = tasks.get(cls);
                if (task == null) {
                    task = instantiate(cls);
                    tasks.put(cls, task);
                }
                result = task.run(request, what -> {
                    try {
                        out.writeInt(Worker.PROGRESS);
                        Worker.writeString(out, what);
                        out.flush(); // before the risky part runs: the parent must know it
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            } catch (Throwable t) {
                out.writeInt(Worker.ERROR);
                Worker.writeString(out, t.getClass().getName());
                String m = t.getMessage() == null ? t.toString() : t.getMessage();
                Worker.writeString(out, m);
                out.flush();
                if (t instanceof OutOfMemoryError) {
                    return;
                }
                continue;
            }
            out.writeInt(Worker.RESULT);
            Worker.writeBytes(out, result);
            out.flush();
        }
    }

    private static Worker.Task instantiate(String cls) throws ReflectiveOperationException {
        Class<?> c = Class.forName(cls);
        if (!Worker.Task.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException(cls + " is not a Worker.Task");
        }
        Constructor<?> ctor = c.getDeclaredConstructor();
        ctor.setAccessible(true);
        return (Worker.Task) ctor.newInstance();
    }
}
