package io.litebit.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A bounded pool of interpreters of one {@link Model} with one {@link InterpreterOptions}, for
 * services that run a model from many threads: an {@link Interpreter} is single-threaded (its calls
 * are serialised), so N interpreters give N inferences at once. Interpreters are created lazily,
 * up to {@code maxSize}; a caller that finds them all busy waits up to its timeout; an interpreter
 * whose work threw a {@link TfliteException} is closed and replaced by a fresh one on the next
 * borrow, since TFLite's state after a failed invoke is not something to run again.
 *
 * <pre>{@code
 * try (InterpreterPool pool = InterpreterPool.create(Model.load(path), InterpreterOptions.of(Backend.XNNPACK), 4)) {
 *     // from any thread:
 *     List<TensorData> out = pool.run(TensorData.ofFloat32(image, 1, 224, 224, 3));
 *     float best = pool.run(it -> { it.input(0).write(x); it.invoke(); return it.output(0).readFloats()[0]; });
 * }
 * }</pre>
 *
 * <p>Every method is thread-safe. {@link #close()} closes idle interpreters at once and each
 * borrowed one when it comes back; borrowing from a closed pool is an {@link IllegalStateException}.
 */
public final class InterpreterPool implements AutoCloseable {
    /** Counters of a pool, at one moment. */
    public record Stats(int maxSize, int inUse, int idle, long created, long discarded, long waits, long runs) {
    }

    /** Thrown when no interpreter became free within the timeout. */
    public static final class PoolExhaustedException extends RuntimeException {
        PoolExhaustedException(String message) {
            super(message);
        }
    }

    /** A borrowed interpreter; closing the lease gives it back (never close the interpreter itself). */
    public final class Lease implements AutoCloseable {
        private final Interpreter interpreter;
        private final AtomicBoolean returned = new AtomicBoolean();
        private volatile boolean broken;

        private Lease(Interpreter interpreter) {
            this.interpreter = interpreter;
        }

        public Interpreter interpreter() {
            if (returned.get()) {
                throw new IllegalStateException("this lease was returned to the pool; borrow again");
            }
            return interpreter;
        }

        /** Marks the interpreter unfit for reuse: it is closed and replaced instead of given back. */
        public void discard() {
            broken = true;
        }

        @Override
        public void close() {
            if (returned.compareAndSet(false, true)) {
                giveBack(interpreter, broken);
            }
        }
    }

    private final Model model;
    private final InterpreterOptions options;
    private final int maxSize;
    private final Duration defaultTimeout;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Interpreter> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final AtomicLong waits = new AtomicLong();
    private final AtomicLong runs = new AtomicLong();
    private volatile boolean closed;

    private InterpreterPool(Model model, InterpreterOptions options, int maxSize, Duration defaultTimeout) {
        this.model = model;
        this.options = options;
        this.maxSize = maxSize;
        this.defaultTimeout = defaultTimeout;
        this.permits = new Semaphore(maxSize, true);
    }

    /** A pool of at most {@code maxSize} interpreters; {@link #run} waits up to 30 s for one. */
    public static InterpreterPool create(Model model, InterpreterOptions options, int maxSize) {
        return create(model, options, maxSize, Duration.ofSeconds(30));
    }

    /**
     * @param defaultTimeout how long {@link #run} and {@link #borrow()} wait for a free interpreter
     * @throws IllegalArgumentException if {@code maxSize < 1} or the timeout is negative
     */
    public static InterpreterPool create(Model model, InterpreterOptions options, int maxSize, Duration defaultTimeout) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        if (maxSize < 1) {
            throw new IllegalArgumentException("a pool needs at least 1 interpreter, given maxSize " + maxSize);
        }
        if (defaultTimeout.isNegative()) {
            throw new IllegalArgumentException("the timeout must not be negative, given " + defaultTimeout);
        }
        return new InterpreterPool(model, options, maxSize, defaultTimeout);
    }

    /** Borrows an interpreter, waiting up to the pool's default timeout. */
    public Lease borrow() {
        return borrow(defaultTimeout);
    }

    /**
     * Borrows an interpreter (an idle one, or a new one while fewer than {@code maxSize} exist),
     * waiting up to {@code timeout} when all are in use.
     *
     * @throws PoolExhaustedException if none became free in time
     * @throws IllegalStateException  if the pool is closed, or the thread was interrupted while waiting
     * @throws TfliteException        if a new interpreter cannot be created
     */
    public Lease borrow(Duration timeout) {
        checkOpen();
        if (!permits.tryAcquire()) {
            waits.incrementAndGet();
            try {
                if (!permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new PoolExhaustedException("no interpreter became free within " + timeout.toMillis()
                            + " ms: all " + maxSize + " are in use (raise maxSize or the timeout)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an interpreter", e);
            }
        }
        try {
            checkOpen();
            Interpreter it = idle.pollFirst();
            if (it == null) {
                it = Interpreter.create(model, options);
                created.incrementAndGet();
            }
            return new Lease(it);
        } catch (RuntimeException | Error e) {
            permits.release();
            throw e;
        }
    }

    /**
     * Runs {@code work} on a borrowed interpreter and gives it back; an interpreter whose work threw
     * a {@link TfliteException} is discarded.
     */
    public <T> T run(Function<Interpreter, T> work) {
        Objects.requireNonNull(work, "work");
        try (Lease lease = borrow()) {
            try {
                T result = work.apply(lease.interpreter);
                runs.incrementAndGet();
                return result;
            } catch (TfliteException e) {
                lease.discard();
                throw e;
            }
        }
    }

    /** {@link Interpreter#run(TensorData...)} on a borrowed interpreter: inputs in, every output out. */
    public List<TensorData> run(TensorData... inputs) {
        return run(it -> it.run(inputs));
    }

    public Stats stats() {
        int available = permits.availablePermits();
        return new Stats(maxSize, maxSize - available, idle.size(), created.get(), discarded.get(), waits.get(), runs.get());
    }

    /** Closes idle interpreters now and borrowed ones when they come back. Idempotent. */
    @Override
    public void close() {
        closed = true;
        drainIdle();
    }

    private void giveBack(Interpreter it, boolean broken) {
        try {
            if (broken || closed || it.isClosed()) {
                if (broken) {
                    discarded.incrementAndGet();
                }
                it.close();
            } else {
                idle.offerFirst(it);
                // close() may have drained the deque between our check and the offer.
                if (closed) {
                    drainIdle();
                }
            }
        } finally {
            permits.release();
        }
    }

    private void drainIdle() {
        Interpreter it;
        while ((it = idle.pollFirst()) != null) {
            it.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the interpreter pool is closed");
        }
    }
}
