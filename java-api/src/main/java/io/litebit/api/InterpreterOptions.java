package io.litebit.api;

import java.util.Objects;

/**
 * Immutable options of an {@link Interpreter}: backend, thread count and whether every tensor is
 * preserved for inspection after invoke.
 *
 * <pre>{@code
 * InterpreterOptions options = InterpreterOptions.builder()
 *         .backend(Backend.BUILTIN_REF)
 *         .threads(2)
 *         .preserveAllTensors(true)
 *         .build();
 * InterpreterOptions fast = InterpreterOptions.defaults();       // XNNPACK, 1 thread
 * InterpreterOptions ref = fast.withBackend(Backend.BUILTIN_REF);
 * InterpreterOptions untrusted = InterpreterOptions.builder().isolation(Isolation.PROCESS).build();
 * InterpreterOptions mine = InterpreterOptions.builder().trustedModel(true).build();  // no probe
 * }</pre>
 */
public final class InterpreterOptions {
    private static final InterpreterOptions DEFAULTS = new Builder().build();

    private final Backend backend;
    private final int threads;
    private final boolean preserveAllTensors;
    private final boolean trustedModel;
    private final Isolation isolation;

    private InterpreterOptions(Builder b) {
        this.backend = b.backend;
        this.threads = b.threads;
        this.preserveAllTensors = b.preserveAllTensors;
        this.trustedModel = b.trustedModel;
        this.isolation = b.isolation;
    }

    /** XNNPACK, one thread, intermediates not preserved. */
    public static InterpreterOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default options with another backend. */
    public static InterpreterOptions of(Backend backend) {
        return builder().backend(backend).build();
    }

    public Backend backend() {
        return backend;
    }

    /** Threads for TFLite's kernels and for the XNNPACK delegate's thread pool. */
    public int threads() {
        return threads;
    }

    /**
     * Whether TFLite keeps every intermediate tensor after invoke (TFLite's
     * {@code experimental_preserve_all_tensors}): the memory planner stops reusing their memory,
     * so they can be read by index or name.
     *
     * <p>On XNNPACK, TFLite 2.19 then gives the delegate one operator per partition (measured:
     * MobileNetV2 int8 becomes 84 delegate kernels instead of 1), so the tensors between
     * operators exist and are readable too, at some cost in speed. Without this option, a
     * tensor inside a multi-operator XNNPACK partition has no data at all.
     */
    public boolean preserveAllTensors() {
        return preserveAllTensors;
    }

    /**
     * Whether the caller vouches for the model, so that {@link Interpreter#create} skips the
     * probe in a child process: a model that crashes TFLite then crashes this JVM. See
     * {@link Builder#trustedModel(boolean)}.
     */
    public boolean trustedModel() {
        return trustedModel;
    }

    /** Where invoke runs: in this JVM (default) or in a child process; see {@link Isolation}. */
    public Isolation isolation() {
        return isolation;
    }

    public InterpreterOptions withTrustedModel(boolean trusted) {
        return toBuilder().trustedModel(trusted).build();
    }

    public InterpreterOptions withIsolation(Isolation newIsolation) {
        return toBuilder().isolation(newIsolation).build();
    }

    public InterpreterOptions withBackend(Backend newBackend) {
        return toBuilder().backend(newBackend).build();
    }

    public InterpreterOptions withThreads(int newThreads) {
        return toBuilder().threads(newThreads).build();
    }

    public InterpreterOptions withPreserveAllTensors(boolean preserve) {
        return toBuilder().preserveAllTensors(preserve).build();
    }

    public Builder toBuilder() {
        return new Builder().backend(backend).threads(threads).preserveAllTensors(preserveAllTensors)
                .trustedModel(trustedModel).isolation(isolation);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InterpreterOptions other && backend == other.backend
                && threads == other.threads && preserveAllTensors == other.preserveAllTensors
                && trustedModel == other.trustedModel && isolation == other.isolation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(backend, threads, preserveAllTensors, trustedModel, isolation);
    }

    @Override
    public String toString() {
        return "InterpreterOptions[backend=" + backend + ", threads=" + threads
                + ", preserveAllTensors=" + preserveAllTensors + (trustedModel ? ", trustedModel" : "")
                + (isolation == Isolation.IN_PROCESS ? "" : ", isolation=" + isolation) + "]";
    }

    /** Builds {@link InterpreterOptions}; starts from the defaults. */
    public static final class Builder {
        private Backend backend = Backend.XNNPACK;
        private int threads = 1;
        private boolean preserveAllTensors;
        private boolean trustedModel;
        private Isolation isolation = Isolation.IN_PROCESS;

        private Builder() {
        }

        public Builder backend(Backend value) {
            this.backend = Objects.requireNonNull(value, "backend");
            return this;
        }

        /**
         * @param value threads, 1 or more
         * @throws IllegalArgumentException if {@code value < 1}
         */
        public Builder threads(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("threads must be >= 1, given " + value);
            }
            this.threads = value;
            return this;
        }

        public Builder preserveAllTensors(boolean value) {
            this.preserveAllTensors = value;
            return this;
        }

        /**
         * {@code true} skips the probe: by default, the first time a model (by SHA-256 of its
         * bytes) meets a backend (with these threads and preserve-all-tensors setting), litebit
         * builds, allocates and invokes it in a child process with seeded inputs (zeros, random,
         * extremes) and refuses it with a {@link ChildCrashException} if the child dies. Set this
         * only for models you produced or vetted yourself: one that crashes TFLite then takes
         * this JVM down. Models loaded with {@link Model#trusted(byte[])} are trusted already.
         */
        public Builder trustedModel(boolean value) {
            this.trustedModel = value;
            return this;
        }

        /** Where invoke runs; see {@link Isolation}. */
        public Builder isolation(Isolation value) {
            this.isolation = Objects.requireNonNull(value, "isolation");
            return this;
        }

        public InterpreterOptions build() {
            return new InterpreterOptions(this);
        }
    }
}
