package io.litebit.conformance.fuzz;

import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Shrinks a failing generated case to a small one that still fails, by editing the {@link Choices}
 * that made it and replaying them through the op's generator: fewer elements, fewer channels,
 * simpler parameters, simpler data, without knowing anything about the op. Every accepted step
 * makes the choice sequence strictly simpler ({@link Choices#weight()}), so shrinking ends; it is
 * deterministic, so the same failing case always shrinks to the same reproducer.
 *
 * <p>Passes, cheapest wins first, repeated while one of them makes progress and the budget lasts:
 * <ol>
 *   <li>each main choice alone to its simplest value: dimensions, channel counts, flags, options;</li>
 *   <li>each main choice to a smaller value by bisection (a dimension just large enough to keep
 *       the element that differs);</li>
 *   <li>blocks of each data array zeroed, halving the block size: simpler input and weight data;</li>
 *   <li>each main choice rounded to a coarse grid (1/2, 1/4 ... 1/64): round scales;</li>
 *   <li>only when all of those are stuck: each main choice to its simplest value with fresh data
 *       (a few seeded draws): a difference that hangs on one element far from the origin often
 *       reappears in a smaller shape with other values.</li>
 * </ol>
 * Only candidates that replay to a simpler case than the current one are run, and only those
 * count against the budget.
 *
 * <pre>{@code
 * Predicate<OpCase> differs = c -> !TraceDiff.compare(c.model(), a.run(c.model(), c.inputs()),
 *                                                      b.run(c.model(), c.inputs())).identical();
 * Shrinker.Result r = Shrinker.shrink(gen, failing, differs, 500);
 * Files.write(Path.of("min.tflite"), r.minimal().model().toBytes());
 * }</pre>
 */
public final class Shrinker {
    private final OpGenerator gen;
    private final Predicate<OpCase> fails;
    private final int maxAttempts;
    private final long seed;
    private OpCase current;
    private int attempts;
    private int accepted;

    private Shrinker(OpGenerator gen, OpCase failing, Predicate<OpCase> fails, int maxAttempts) {
        this.gen = gen;
        this.fails = fails;
        this.maxAttempts = maxAttempts;
        this.seed = failing.seed();
        this.current = failing;
    }

    /**
     * The outcome.
     *
     * @param minimal  the smallest failing case found (the original when nothing smaller failed)
     * @param attempts how many candidates were generated and tested
     * @param accepted how many of them still failed and were taken
     */
    public record Result(OpCase original, OpCase minimal, int attempts, int accepted, long millis) {
    }

    /**
     * Shrinks {@code failing}, which {@code fails} must accept.
     *
     * @param fails       whether a case still shows the failure; an exception it throws counts as "no"
     * @param maxAttempts at most this many candidates are tested
     */
    public static Result shrink(OpGenerator gen, OpCase failing, Predicate<OpCase> fails, int maxAttempts) {
        long t0 = System.nanoTime();
        Shrinker s = new Shrinker(gen, failing, fails, maxAttempts);
        s.run();
        return new Result(failing, s.current, s.attempts, s.accepted, (System.nanoTime() - t0) / 1_000_000);
    }

    private void run() {
        boolean progress = true;
        while (progress && budgetLeft()) {
            progress = false;
            progress |= zeroEach();
            progress |= bisectEach();
            progress |= blocks();
            progress |= coarsen();
            if (!progress) {
                progress = resampleEach();
            }
        }
    }

    private boolean budgetLeft() {
        return attempts < maxAttempts;
    }

    private boolean zeroEach() {
        boolean progress = false;
        for (int i = 0; i < current.choices().size() && budgetLeft(); i++) {
            progress |= tryChoices(current.choices().with(i, 0.0));
        }
        return progress;
    }

    /** The smallest value in {@code (0, v)} found in a few halvings that still fails. */
    private boolean bisectEach() {
        boolean progress = false;
        for (int i = 0; i < current.choices().size() && budgetLeft(); i++) {
            double lo = 0;
            double hi = current.choices().get(i);
            for (int step = 0; step < 6 && budgetLeft() && i < current.choices().size(); step++) {
                double mid = (lo + hi) / 2;
                if (tryChoices(current.choices().with(i, mid))) {
                    progress = true;
                    hi = i < current.choices().size() ? Math.min(mid, current.choices().get(i)) : mid;
                } else {
                    lo = mid;
                }
            }
        }
        return progress;
    }

    private boolean blocks() {
        boolean progress = false;
        for (int k = 0; k < current.choices().arrayCount() && budgetLeft(); k++) {
            int length = current.choices().arrayLength(k);
            for (int size = Integer.highestOneBit(Math.max(1, length)); size >= 1 && budgetLeft(); size /= 2) {
                for (int from = 0; from < current.choices().arrayLength(k) && budgetLeft(); from += size) {
                    if (!current.choices().zeroInArray(k, from, from + size)) {
                        progress |= tryChoices(current.choices().zeroedInArray(k, from, from + size));
                    }
                }
            }
        }
        return progress;
    }

    private static final int RESAMPLES = 16;

    private boolean resampleEach() {
        for (int i = 0; i < current.choices().size() && budgetLeft(); i++) {
            if (current.choices().get(i) == 0) {
                continue;
            }
            for (int r = 0; r < RESAMPLES && budgetLeft(); r++) {
                SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + i * 31L + r);
                Choices c = current.choices().with(i, 0.0);
                for (int k = 0; k < c.arrayCount(); k++) {
                    double[] fresh = new double[c.arrayLength(k)];
                    for (int e = 0; e < fresh.length; e++) {
                        fresh[e] = rnd.nextDouble();
                    }
                    c = c.withArray(k, fresh);
                }
                if (tryChoices(c, true)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean coarsen() {
        boolean progress = false;
        for (int i = 0; i < current.choices().size() && budgetLeft(); i++) {
            for (int grid = 2; grid <= 64 && budgetLeft() && i < current.choices().size(); grid *= 2) {
                double v = current.choices().get(i);
                double g = Math.floor(v * grid) / grid;
                if (g == v) {
                    break;
                }
                if (tryChoices(current.choices().with(i, g))) {
                    progress = true;
                    break;
                }
            }
        }
        return progress;
    }

    private boolean tryChoices(Choices candidate) {
        return tryChoices(candidate, false);
    }

    /**
     * Replays the candidate; takes it when it still fails and is simpler than the current case:
     * lighter ({@link Choices#weight()}), or with {@code fewerElements}, holding fewer data
     * elements whatever their values (fresh data weighs more than shrunk data).
     */
    private boolean tryChoices(Choices candidate, boolean fewerElements) {
        if (candidate.equals(current.choices())) {
            return false;
        }
        OpCase c;
        try {
            c = gen.replay(candidate, seed);
        } catch (RuntimeException e) {
            return false;
        }
        boolean simpler = fewerElements ? c.choices().dataElements() < current.choices().dataElements()
                : c.choices().weight() < current.choices().weight();
        if (!simpler) {
            return false;
        }
        attempts++;
        boolean still;
        try {
            still = fails.test(c);
        } catch (RuntimeException e) {
            still = false;
        }
        if (still) {
            current = c;
            accepted++;
        }
        return still;
    }
}
