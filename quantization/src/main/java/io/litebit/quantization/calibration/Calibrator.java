package io.litebit.quantization.calibration;

import io.litebit.data.Dataset;
import io.litebit.data.DatasetException;
import io.litebit.data.InputSpec;
import io.litebit.data.Record;
import io.litebit.data.RecordChecker;
import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.rewrite.Rewriters;
import io.litebit.trace.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calibration: runs a float model over a representative dataset and records, for every float
 * activation tensor of the main subgraph (every non-constant tensor, model inputs included), the
 * statistics quantization needs ({@link TensorStats}). Then {@link CalibrationResult} turns them
 * into ranges with a {@link CalibrationMethod} and writes them into the model as TFLite's
 * calibrator and ONE's record-minmax do.
 *
 * <p>The float model runs on native TFLite's builtin kernels with {@code preserve_all_tensors}
 * by default (fast, every tensor), or on the oracle ({@code Backend.reference(...)}) where native
 * cannot show a tensor. With {@code threads(n)} each of {@code n} interpreters takes a contiguous
 * shard of the records, and the shards' statistics are merged exactly, so the result is the same
 * for any {@code n}.
 *
 * <p>Every record is held to the model's inputs first ({@link RecordChecker}: a wrong dtype,
 * shape or input count is an error naming the record). A record with NaN or ±Inf in an input is
 * skipped and reported ({@link CalibrationStats#skipped()}), or an error with {@code strict(true)};
 * it never reaches a range.
 *
 * <pre>{@code
 * TfliteModel model = TfliteModel.load(Path.of("conv_fc_mnist.tflite"));
 * try (Dataset data = Datasets.open("mnist:../shared/datasets/mnist:train:1000", DatasetOptions.forModel(model))) {
 *     CalibrationStats stats = Calibrator.builder().threads(2).build().record(model, data);
 *     CalibrationResult result = CalibrationResult.of(model, stats, CalibrationMethod.MINMAX);
 *     Files.write(Path.of("calibrated.tflite"), result.calibratedModel().toBytes());
 * }
 * }</pre>
 */
public final class Calibrator {
    /** Told how many records are done, from any worker thread. */
    @FunctionalInterface
    public interface Progress {
        void recordsDone(int done, int total);
    }

    private final Backend backend;
    private final int threads;
    private final boolean strict;
    private final Progress progress;
    private final boolean histograms;

    private Calibrator(Builder b) {
        this.histograms = b.histograms;
        this.backend = b.backend;
        this.threads = b.threads;
        this.strict = b.strict;
        this.progress = b.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Backend backend() {
        return backend;
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs the model over every record of {@code data} and returns what was recorded.
     *
     * @throws DatasetException         for a record that does not fit the model, or (strict) has NaN/Inf
     * @throws IllegalArgumentException when the model has no float activation tensor to calibrate
     * @throws RuntimeException         what the backend throws when it refuses the model
     */
    public CalibrationStats record(TfliteModel floatModel, Dataset data) {
        // Tensor indices of the statistics refer to this model; CalibrationResult applies the same rewrite.
        TfliteModel model = Rewriters.withLstmIntermediates(floatModel);
        Map<Integer, String> activations = activations(model);
        if (activations.isEmpty()) {
            throw new IllegalArgumentException("the model has no float32 activation tensor to calibrate: calibration runs "
                    + "a float model (this one is already quantized, or computes in other types)");
        }
        RecordChecker check = new RecordChecker(InputSpec.of(model));
        int n = data.size();
        int shards = Math.max(1, Math.min(threads, n));
        AtomicInteger done = new AtomicInteger();
        if (shards == 1) {
            return shard(model, data, check, activations, 0, n, done, n);
        }
        ExecutorService pool = Executors.newFixedThreadPool(shards, r -> {
            Thread t = new Thread(r, "litebit-calibrate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CalibrationStats>> parts = new ArrayList<>();
            for (int k = 0; k < shards; k++) {
                int from = (int) ((long) k * n / shards);
                int to = (int) ((long) (k + 1) * n / shards);
                parts.add(pool.submit(() -> shard(model, data, check, activations, from, to, done, n)));
            }
            CalibrationStats all = null;
            for (Future<CalibrationStats> f : parts) {
                CalibrationStats s = join(f);
                all = all == null ? s : all.merge(s);
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static CalibrationStats join(Future<CalibrationStats> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("calibration interrupted", e);
        }
    }

    /** The tensors calibration records: non-constant float32 tensors of the main subgraph. */
    static Map<Integer, String> activations(TfliteModel model) {
        Map<Integer, String> out = new java.util.TreeMap<>();
        for (Tensor t : model.mainSubgraph().tensors()) {
            if (!t.isConstant() && t.dtype() == DType.FLOAT32) {
                out.put(t.index(), t.name());
            }
        }
        return out;
    }

    private CalibrationStats shard(TfliteModel model, Dataset data, RecordChecker check, Map<Integer, String> activations,
            int from, int to, AtomicInteger done, int total) {
        // By tensor index: the visitor looks a recorder up for every tensor of every record.
        TensorRecorder[] recorders = new TensorRecorder[model.mainSubgraph().tensors().size()];
        activations.forEach((i, name) -> recorders[i] = new TensorRecorder(i, name, histograms));
        List<LstmRecorder> lstms = LstmRecorder.of(model);
        List<CalibrationStats.Skipped> skipped = new ArrayList<>();
        try (Backend.Session session = backend.open(model)) {
            for (int r = from; r < to; r++) {
                Record rec = check.fit(data.record(r));
                Optional<String> bad = RecordChecker.nonFinite(rec);
                if (bad.isPresent()) {
                    if (strict) {
                        throw new DatasetException(rec.source() + " (record " + r + ") has " + bad.get()
                                + "; calibration never folds NaN or Inf into a range (without --strict such records "
                                + "are skipped and reported)");
                    }
                    skipped.add(new CalibrationStats.Skipped(r, rec.source(), bad.get()));
                } else {
                    int record = r;
                    session.visit(rec.bytes(), (tensor, opIndex, dtype, shape, bytes) -> {
                        TensorRecorder t = tensor < recorders.length ? recorders[tensor] : null;
                        if (t != null && dtype == DType.FLOAT32) {
                            t.add(record, bytes.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN));
                        }
                        for (LstmRecorder l : lstms) {
                            if (l.inputTensor() == tensor && dtype == DType.FLOAT32) {
                                l.input(bytes.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN));
                            }
                        }
                    });
                    for (LstmRecorder l : lstms) {
                        l.record(record, recorders);
                    }
                }
                int d = done.incrementAndGet();
                if (progress != null) {
                    progress.recordsDone(d, total);
                }
            }
        }
        List<TensorStats> stats = new ArrayList<>();
        for (TensorRecorder t : recorders) {
            if (t != null) {
                stats.add(t.stats());
            }
        }
        return new CalibrationStats(stats, to - from, skipped);
    }

    /** Options of a {@link Calibrator}. */
    public static final class Builder {
        private Backend backend = Backend.builtin();
        private int threads = 1;
        private boolean strict;
        private Progress progress;
        private boolean histograms = true;

        /**
         * Whether to build each tensor's histogram (default true). The histogram is most of the
         * recording's cost; the minmax, moving-average and percentile methods do not read it
         * ({@link CalibrationMethod#needsHistogram()}), so {@code histograms(method.needsHistogram())}
         * is the fast choice when the method is known.
         */
        public Builder histograms(boolean value) {
            this.histograms = value;
            return this;
        }

        /** The runtime of the float model: {@code Backend.builtin()} (default) or {@code Backend.reference(...)}. */
        public Builder backend(Backend value) {
            this.backend = Objects.requireNonNull(value, "backend");
            return this;
        }

        /** Interpreters running shards of the records at once (default 1); the result is the same for any. */
        public Builder threads(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("threads must be at least 1, given " + value);
            }
            this.threads = value;
            return this;
        }

        /** Whether a record with NaN/Inf is an error instead of skipped. */
        public Builder strict(boolean value) {
            this.strict = value;
            return this;
        }

        public Builder progress(Progress value) {
            this.progress = value;
            return this;
        }

        public Calibrator build() {
            return new Calibrator(this);
        }
    }
}
