package io.litebit.conformance.fuzz;

import io.litebit.trace.Backend;
import io.litebit.conformance.TensorDiff;
import io.litebit.trace.Trace;
import io.litebit.conformance.TraceDiff;
import io.litebit.trace.TracedTensor;
import io.litebit.model.DType;
import io.litebit.model.BuiltinOp;
import io.litebit.reference.InvalidOpException;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.UnsupportedOpException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Runs generated single-op cases on the oracle ({@link NumericsProfile#TFLITE}), native
 * BUILTIN_REF and native BUILTIN, and classifies each case.
 *
 * <p>The oracle must match BUILTIN_REF exactly (every traced tensor, zero differing elements);
 * BUILTIN is compared with BUILTIN_REF only to record where TFLite's optimized kernels differ
 * from its own reference kernels — a fact about TFLite, not a failure of litebit.
 *
 * <pre>{@code
 * FuzzRunner runner = new FuzzRunner();
 * FuzzRunner.OpReport r = runner.run(Generators.forOp(BuiltinOp.ADD).orElseThrow(), 200, 1L, true);
 * System.out.println(r.count(FuzzRunner.Status.MISMATCH) + " mismatches in " + r.outcomes().size() + " cases");
 * }</pre>
 */
public final class FuzzRunner {
    /** How one case ended. */
    public enum Status {
        /** Oracle and BUILTIN_REF agree on every tensor. */
        MATCH,
        /** Oracle and BUILTIN_REF disagree: a bug in the oracle (or a reference kernel difference to explain). */
        MISMATCH,
        /** The oracle does not implement this op or dtype path yet ({@link UnsupportedOpException}). */
        PENDING,
        /** BUILTIN_REF ran, the oracle was not asked (op without an oracle kernel yet): only BUILTIN vs REF recorded. */
        NATIVE_ONLY,
        /** Both refuse the model: the generator produced something TFLite rejects. */
        BOTH_REFUSE,
        /** The oracle runs it, TFLite refuses it: the oracle misses a check TFLite's Prepare makes. */
        NATIVE_REFUSED,
        /** TFLite runs it, the oracle refuses it as invalid ({@link InvalidOpException}): an over-strict check. */
        ORACLE_REFUSED
    }

    /**
     * One case's outcome.
     *
     * @param detail a message for anything but MATCH (exception text, or the first divergence)
     * @param differing differing elements over all traced tensors, oracle vs BUILTIN_REF
     * @param maxLsb    the largest difference in LSB, oracle vs BUILTIN_REF
     * @param outputElements quantized output elements BUILTIN_REF computed
     * @param saturated      how many of them sit at the type's minimum or maximum (a suite whose
     *                       outputs all saturate would prove nothing about rounding)
     */
    public record CaseOutcome(OpCase opCase, Status status, String detail, long differing, long maxLsb,
                              BuiltinDifference builtin, long outputElements, long saturated) {
    }

    /**
     * Where BUILTIN's output differs from BUILTIN_REF's on one case (or BUILTIN refused it).
     *
     * @param refused non-null when BUILTIN refused a model BUILTIN_REF ran
     */
    public record BuiltinDifference(long differing, long elements, long maxLsb, Map<Long, Long> histogram, long maxUlp,
                                    String refused) {
    }

    /** All outcomes for one op. */
    public record OpReport(BuiltinOp op, boolean oracleSupported, List<CaseOutcome> outcomes, long millis) {
        public long count(Status s) {
            return outcomes.stream().filter(o -> o.status() == s).count();
        }

        public List<CaseOutcome> withStatus(Status s) {
            return outcomes.stream().filter(o -> o.status() == s).toList();
        }

        public List<CaseOutcome> builtinDifferences() {
            return outcomes.stream().filter(o -> o.builtin() != null).toList();
        }

        /** The fraction of quantized output elements at the type's minimum or maximum, over all cases. */
        public double saturatedFraction() {
            long n = outcomes.stream().mapToLong(CaseOutcome::outputElements).sum();
            return n == 0 ? 0 : (double) outcomes.stream().mapToLong(CaseOutcome::saturated).sum() / n;
        }

        public Map<Status, Long> counts() {
            Map<Status, Long> m = new EnumMap<>(Status.class);
            for (Status s : Status.values()) {
                m.put(s, count(s));
            }
            return m;
        }
    }

    private final Backend oracle = Backend.reference(NumericsProfile.TFLITE);
    private final Backend ref = Backend.builtinRef();
    private final Backend builtin = Backend.builtin();

    /** The seed of case {@code i} of {@code op} in a campaign with {@code baseSeed}: readable, and regenerates the case alone. */
    public static long caseSeed(long baseSeed, BuiltinOp op, int i) {
        return baseSeed * 1_000_000_000L + (long) op.code() * 100_000L + i;
    }

    /**
     * Runs {@code cases} cases of the generator's op (in parallel over the available processors;
     * outcomes are in case order and do not depend on scheduling).
     *
     * @param oracleSupported whether the oracle has a kernel for the op; when not, cases run on the
     *                        native backends only ({@link Status#NATIVE_ONLY})
     */
    public OpReport run(OpGenerator generator, int cases, long baseSeed, boolean oracleSupported) {
        long t0 = System.nanoTime();
        List<CaseOutcome> outcomes = IntStream.range(0, cases).parallel()
                .mapToObj(i -> runCase(generator.generate(caseSeed(baseSeed, generator.op(), i)), oracleSupported))
                .toList();
        return new OpReport(generator.op(), oracleSupported, outcomes, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Runs one case. */
    public CaseOutcome runCase(OpCase c, boolean oracleSupported) {
        Trace o = null;
        String oracleError = null;
        boolean pending = false;
        if (oracleSupported) {
            try {
                o = oracle.run(c.model(), c.inputs());
            } catch (UnsupportedOpException e) {
                pending = true;
                oracleError = e.getMessage();
            } catch (InvalidOpException e) {
                oracleError = e.getMessage();
            }
        }
        Trace r;
        try {
            r = ref.run(c.model(), c.inputs());
        } catch (RuntimeException e) {
            Status s = pending ? Status.PENDING : (oracleError != null || !oracleSupported) ? Status.BOTH_REFUSE
                    : Status.NATIVE_REFUSED;
            return new CaseOutcome(c, s, "BUILTIN_REF: " + e.getMessage() + (oracleError == null ? "" : "; oracle: " + oracleError),
                    0, 0, null, 0, 0);
        }
        BuiltinDifference bd = compareBuiltin(c, r);
        long outElements = 0;
        long saturated = 0;
        for (TracedTensor t : r.outputTensors()) {
            if (t.dtype() == DType.INT8 || t.dtype() == DType.UINT8 || t.dtype() == DType.INT16) {
                long lo = t.dtype() == DType.INT8 ? -128 : t.dtype() == DType.UINT8 ? 0 : -32768;
                long hi = t.dtype() == DType.INT8 ? 127 : t.dtype() == DType.UINT8 ? 255 : 32767;
                for (int i = 0; i < t.elementCount(); i++) {
                    long v = t.integerAt(i);
                    saturated += v == lo || v == hi ? 1 : 0;
                }
                outElements += t.elementCount();
            }
        }
        if (pending) {
            return new CaseOutcome(c, Status.PENDING, oracleError, 0, 0, bd, outElements, saturated);
        }
        if (!oracleSupported) {
            return new CaseOutcome(c, Status.NATIVE_ONLY, null, 0, 0, bd, outElements, saturated);
        }
        if (o == null) {
            return new CaseOutcome(c, Status.ORACLE_REFUSED, oracleError, 0, 0, bd, outElements, saturated);
        }
        TraceDiff d = TraceDiff.compare(c.model(), o, r);
        long differing = 0;
        long maxLsb = 0;
        for (TensorDiff t : d.tensors()) {
            differing += t.differing();
            maxLsb = Math.max(maxLsb, t.maxLsb());
        }
        if (d.identical()) {
            return new CaseOutcome(c, Status.MATCH, null, 0, 0, bd, outElements, saturated);
        }
        String detail = d.firstDivergence().map(Object::toString).orElse("tensors missing: " + d.missing());
        return new CaseOutcome(c, Status.MISMATCH, detail, differing, maxLsb, bd, outElements, saturated);
    }

    private BuiltinDifference compareBuiltin(OpCase c, Trace r) {
        Trace b;
        try {
            b = builtin.run(c.model(), c.inputs());
        } catch (RuntimeException e) {
            return new BuiltinDifference(0, 0, 0, Map.of(), 0, e.getMessage());
        }
        TraceDiff d = TraceDiff.compare(c.model(), r, b);
        if (d.identical()) {
            return null;
        }
        long differing = 0;
        long elements = 0;
        long maxLsb = 0;
        long maxUlp = 0;
        Map<Long, Long> hist = new java.util.TreeMap<>();
        for (TensorDiff t : d.tensors()) {
            if (t.identical()) {
                continue;
            }
            differing += t.differing();
            elements += t.elements();
            maxLsb = Math.max(maxLsb, t.maxLsb());
            maxUlp = Math.max(maxUlp, t.maxUlp());
            t.histogram().forEach((k, v) -> {
                if (k != 0) {
                    hist.merge(k, v, Long::sum);
                }
            });
        }
        return new BuiltinDifference(differing, elements, maxLsb, hist, maxUlp, null);
    }

    /** Summaries for a test report. */
    public static List<String> describe(OpReport r, int maxPerStatus) {
        List<String> lines = new ArrayList<>();
        for (Status s : Status.values()) {
            List<CaseOutcome> l = r.withStatus(s);
            if (s == Status.MATCH || s == Status.NATIVE_ONLY) {
                continue;
            }
            for (int i = 0; i < Math.min(maxPerStatus, l.size()); i++) {
                CaseOutcome o = l.get(i);
                lines.add(s + " " + o.opCase() + (s == Status.MISMATCH ? " differing=" + o.differing() + " maxLsb="
                        + o.maxLsb() : "") + " :: " + o.detail());
            }
        }
        return lines;
    }
}
