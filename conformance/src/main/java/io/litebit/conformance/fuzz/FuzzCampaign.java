package io.litebit.conformance.fuzz;

import io.litebit.trace.Backend;
import io.litebit.conformance.BackendMatrix;
import io.litebit.conformance.MatrixResult;
import io.litebit.model.BuiltinOp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Fuzzes one op on any set of backends: generates seeded single-op cases, runs each on every
 * backend, diffs every pair of backends on every tensor, aggregates per dtype path and pair, and
 * shrinks the first disagreement of each pair to a minimal reproducer.
 *
 * <p>Unlike {@link FuzzRunner}, which checks the oracle against BUILTIN_REF, a campaign takes no
 * side: it reports which backends agree with which. Deterministic for a seed: cases run in
 * parallel but results are in case order, and shrinking is sequential.
 *
 * <pre>{@code
 * FuzzCampaign.Options o = new FuzzCampaign.Options(
 *         List.of(Backend.xnnpack(), Backend.builtinRef(), Backend.reference(NumericsProfile.XNNPACK)),
 *         200, 1L, 300);
 * FuzzCampaign.OpResult r = FuzzCampaign.run(Generators.forOp(BuiltinOp.CONV_2D).orElseThrow(), o, done -> { });
 * for (FuzzCampaign.PairSummary p : r.pairs()) {
 *     System.out.println(p.path() + " " + p.label() + ": " + p.differingCases() + "/" + p.cases() + " cases differ");
 * }
 * }</pre>
 */
public final class FuzzCampaign {
    private FuzzCampaign() {
    }

    /**
     * What to run.
     *
     * @param backends       at least two backends with distinct names
     * @param cases          cases per op
     * @param seed           the campaign seed; case {@code i} uses {@link FuzzRunner#caseSeed}
     * @param shrinkAttempts candidates the shrinker may test per reproducer; 0 turns shrinking off
     */
    public record Options(List<Backend> backends, int cases, long seed, int shrinkAttempts) {
        public Options {
            backends = List.copyOf(backends);
            if (backends.size() < 2) {
                throw new IllegalArgumentException("fuzzing compares backends: give at least two, given " + backends.size());
            }
            if (cases < 1) {
                throw new IllegalArgumentException("cases must be at least 1, given " + cases);
            }
            if (shrinkAttempts < 0) {
                throw new IllegalArgumentException("shrink attempts must not be negative, given " + shrinkAttempts);
            }
        }

        List<String> names() {
            return backends.stream().map(Backend::name).toList();
        }

        /** Every pair of backends as indices {@code {i, j}}, {@code i < j}, in the order results list them. */
        List<int[]> pairs() {
            List<int[]> out = new ArrayList<>();
            for (int i = 0; i < backends.size(); i++) {
                for (int j = i + 1; j < backends.size(); j++) {
                    out.add(new int[] {i, j});
                }
            }
            return out;
        }
    }

    /**
     * One pair of backends on one dtype path, over the cases both ran.
     *
     * @param cases             cases both backends ran
     * @param differingCases    cases with at least one differing element in any tensor
     * @param elements          elements compared (every traced tensor)
     * @param differingElements elements that differ
     * @param maxLsb            the largest difference over integer tensors, in LSB
     * @param maxUlp            the largest difference over float32 tensors, in ULP
     * @param firstSeed         the seed of the first differing case, or -1
     * @param firstDivergence   that case's first divergent tensor, or null
     */
    public record PairSummary(String path, String a, String b, int cases, int differingCases, long elements,
                              long differingElements, long maxLsb, long maxUlp, long firstSeed, String firstDivergence) {
        public String label() {
            return a + " vs " + b;
        }

        public boolean identical() {
            return cases > 0 && differingCases == 0;
        }
    }

    /**
     * One backend on one dtype path.
     *
     * @param unsupported cases it lacks an op or dtype path for (the oracle)
     * @param failed      cases it refused or failed
     * @param firstError  the first refusal's message, or null
     */
    public record BackendSummary(String path, String backend, int ok, int unsupported, int failed, String firstError) {
    }

    /**
     * A minimal reproducer: the shrunk case and what every backend did on it.
     *
     * @param pairs  the pair labels ({@code a vs b}) it shows a difference for
     * @param result the full matrix on the minimal case
     */
    public record Reproducer(String path, List<String> pairs, OpCase original, OpCase minimal, MatrixResult result,
                             int attempts, long millis) {
    }

    /** All of one op's campaign. */
    public record OpResult(BuiltinOp op, List<String> backends, int cases, long seed, Map<String, Integer> casesByPath,
                           List<BackendSummary> backendSummaries, List<PairSummary> pairs, List<Reproducer> reproducers,
                           long millis) {
        /** Pairs that differ on at least one case. */
        public List<PairSummary> differingPairs() {
            return pairs.stream().filter(p -> p.differingCases() > 0).toList();
        }

        /** The pairs on one dtype path. */
        public List<PairSummary> pairs(String path) {
            return pairs.stream().filter(p -> p.path().equals(path)).toList();
        }

        /** The backends on one dtype path. */
        public List<BackendSummary> backends(String path) {
            return backendSummaries.stream().filter(b -> b.path().equals(path)).toList();
        }

        /**
         * The backends that ran on {@code path}, grouped by agreement: two backends are in one
         * group when they agreed on every case both ran (bit-identical integer tensors, identical
         * float bits). Groups and members keep the backends' order.
         */
        public List<List<String>> agreeingGroups(String path) {
            List<String> ran = backends(path).stream().filter(b -> b.ok() > 0).map(BackendSummary::backend).toList();
            int[] parent = new int[ran.size()];
            for (int i = 0; i < parent.length; i++) {
                parent[i] = i;
            }
            for (PairSummary p : pairs(path)) {
                int a = ran.indexOf(p.a());
                int b = ran.indexOf(p.b());
                if (a >= 0 && b >= 0 && p.identical()) {
                    parent[root(parent, b)] = root(parent, a);
                }
            }
            Map<Integer, List<String>> groups = new LinkedHashMap<>();
            for (int i = 0; i < ran.size(); i++) {
                groups.computeIfAbsent(root(parent, i), k -> new ArrayList<>()).add(ran.get(i));
            }
            return List.copyOf(groups.values());
        }

        private static int root(int[] parent, int i) {
            while (parent[i] != i) {
                i = parent[i];
            }
            return i;
        }
    }

    /** What one case showed, kept compact so thousands of cases fit. */
    private record CaseRecord(OpCase opCase, String path, List<MatrixResult.BackendRun> runs, List<PairRecord> pairs) {
    }

    /** @param divergence the first divergence when the pair was compared and is not identical, else null */
    private record PairRecord(boolean compared, long elements, long differing, long maxLsb, long maxUlp, String divergence) {
        boolean differs() {
            return divergence != null;
        }
    }

    /**
     * Runs {@code options.cases()} cases of the generator's op.
     *
     * @param progress called with the number of cases done so far (from worker threads)
     */
    public static OpResult run(OpGenerator gen, Options options, IntConsumer progress) {
        long t0 = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        List<CaseRecord> records = IntStream.range(0, options.cases()).parallel()
                .mapToObj(i -> {
                    CaseRecord r = runCase(gen.generate(FuzzRunner.caseSeed(options.seed(), gen.op(), i)), options);
                    progress.accept(done.incrementAndGet());
                    return r;
                })
                .toList();
        List<String> names = options.names();
        Map<String, Integer> byPath = new TreeMap<>();
        records.forEach(r -> byPath.merge(r.path(), 1, Integer::sum));

        List<BackendSummary> backends = new ArrayList<>();
        List<PairSummary> pairs = new ArrayList<>();
        for (String path : byPath.keySet()) {
            List<CaseRecord> rs = records.stream().filter(r -> r.path().equals(path)).toList();
            for (int i = 0; i < names.size(); i++) {
                int ok = 0;
                int unsupported = 0;
                int failed = 0;
                String firstError = null;
                for (CaseRecord r : rs) {
                    MatrixResult.BackendRun run = r.runs().get(i);
                    switch (run.state()) {
                        case OK -> ok++;
                        case UNSUPPORTED -> unsupported++;
                        case FAILED -> failed++;
                    }
                    if (!run.ok() && firstError == null) {
                        firstError = run.error();
                    }
                }
                backends.add(new BackendSummary(path, names.get(i), ok, unsupported, failed, firstError));
            }
            List<int[]> indices = options.pairs();
            for (int k = 0; k < indices.size(); k++) {
                pairs.add(summarize(path, names.get(indices.get(k)[0]), names.get(indices.get(k)[1]), rs, k));
            }
        }
        List<Reproducer> reproducers = options.shrinkAttempts() == 0 ? List.of() : shrinkAll(gen, options, records, pairs);
        return new OpResult(gen.op(), names, options.cases(), options.seed(), byPath, backends, pairs, reproducers,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static PairSummary summarize(String path, String a, String b, List<CaseRecord> rs, int k) {
        int cases = 0;
        int differingCases = 0;
        long elements = 0;
        long differing = 0;
        long maxLsb = 0;
        long maxUlp = 0;
        long firstSeed = -1;
        String first = null;
        for (CaseRecord r : rs) {
            PairRecord p = r.pairs().get(k);
            if (!p.compared()) {
                continue;
            }
            cases++;
            elements += p.elements();
            differing += p.differing();
            maxLsb = Math.max(maxLsb, p.maxLsb());
            maxUlp = Math.max(maxUlp, p.maxUlp());
            if (p.differs()) {
                differingCases++;
                if (firstSeed < 0) {
                    firstSeed = r.opCase().seed();
                    first = p.divergence();
                }
            }
        }
        return new PairSummary(path, a, b, cases, differingCases, elements, differing, maxLsb, maxUlp, firstSeed, first);
    }

    private static CaseRecord runCase(OpCase c, Options options) {
        MatrixResult m = BackendMatrix.run(c.toString(), c.model(), options.backends(), List.of(c.inputs()));
        List<PairRecord> pairs = new ArrayList<>();
        List<String> names = options.names();
        for (int[] ij : options.pairs()) {
            MatrixResult.Pair p = m.pair(names.get(ij[0]), names.get(ij[1])).orElseThrow();
            if (!p.compared()) {
                pairs.add(new PairRecord(false, 0, 0, 0, 0, null));
                continue;
            }
            long elements = p.tensors().stream().mapToLong(t -> t.elements()).sum();
            String divergence = p.identical() ? null
                    : p.firstDivergence().map(Object::toString).orElse("tensors traced by one backend only: " + p.missing());
            pairs.add(new PairRecord(true, elements, p.differingElements(), p.maxLsb(), p.maxUlp(), divergence));
        }
        return new CaseRecord(c, c.path(), m.backends(), pairs);
    }

    /**
     * Shrinks the first differing case of every differing pair, per dtype path; a pair that an
     * earlier reproducer of the same path already shows is not shrunk again. When the first case
     * differs by at most 1 LSB but another differs by more (not a rounding difference: XNNPACK's
     * padding wrap, say), that worst case is shrunk too, keeping a difference above 1 LSB.
     */
    private static List<Reproducer> shrinkAll(OpGenerator gen, Options options, List<CaseRecord> records,
                                              List<PairSummary> pairs) {
        List<Reproducer> out = new ArrayList<>();
        Map<String, List<String>> covered = new LinkedHashMap<>();
        Map<String, List<String>> coveredLarge = new LinkedHashMap<>();
        for (PairSummary s : pairs) {
            if (s.differingCases() == 0) {
                continue;
            }
            int k = pairIndex(options, s.a(), s.b());
            List<CaseRecord> differing = records.stream()
                    .filter(r -> r.path().equals(s.path()) && r.pairs().get(k).differs())
                    .toList();
            List<String> done = covered.computeIfAbsent(s.path(), p -> new ArrayList<>());
            List<String> doneLarge = coveredLarge.computeIfAbsent(s.path(), p -> new ArrayList<>());
            if (!done.contains(s.label())) {
                Reproducer r = shrinkOne(gen, options, s, differing.get(0), 0);
                done.addAll(r.pairs());
                done.add(s.label());
                recordLarge(r, doneLarge);
                out.add(r);
            }
            CaseRecord worst = differing.stream().max((x, y) -> Long.compare(x.pairs().get(k).maxLsb(), y.pairs().get(k).maxLsb()))
                    .orElseThrow();
            if (worst.pairs().get(k).maxLsb() > 1 && !doneLarge.contains(s.label())) {
                Reproducer r = shrinkOne(gen, options, s, worst, 1);
                recordLarge(r, doneLarge);
                doneLarge.add(s.label());
                out.add(r);
            }
        }
        return out;
    }

    private static void recordLarge(Reproducer r, List<String> doneLarge) {
        for (MatrixResult.Pair p : r.result().pairs()) {
            if (p.compared() && p.maxLsb() > 1) {
                doneLarge.add(p.label());
            }
        }
    }

    /** Shrinks {@code start} while the pair still differs by more than {@code aboveLsb} LSB somewhere. */
    private static Reproducer shrinkOne(OpGenerator gen, Options options, PairSummary s, CaseRecord start, long aboveLsb) {
        List<String> names = options.names();
        List<Backend> two = List.of(options.backends().get(names.indexOf(s.a())), options.backends().get(names.indexOf(s.b())));
        Shrinker.Result shrunk = Shrinker.shrink(gen, start.opCase(),
                c -> c.path().equals(s.path()) && differs(c, two, s.a(), s.b(), aboveLsb), options.shrinkAttempts());
        OpCase min = shrunk.minimal();
        MatrixResult m = BackendMatrix.run(min.toString(), min.model(), options.backends(), List.of(min.inputs()));
        List<String> shows = m.pairs().stream().filter(p -> p.compared() && !p.identical()).map(MatrixResult.Pair::label).toList();
        return new Reproducer(s.path(), shows, start.opCase(), min, m, shrunk.attempts(), shrunk.millis());
    }

    private static boolean differs(OpCase c, List<Backend> two, String a, String b, long aboveLsb) {
        MatrixResult m = BackendMatrix.run(c.toString(), c.model(), two, List.of(c.inputs()));
        MatrixResult.Pair p = m.pair(a, b).orElseThrow();
        return p.compared() && !p.identical() && (aboveLsb == 0 || p.maxLsb() > aboveLsb);
    }

    private static int pairIndex(Options options, String a, String b) {
        List<String> names = options.names();
        List<int[]> indices = options.pairs();
        for (int k = 0; k < indices.size(); k++) {
            if (names.get(indices.get(k)[0]).equals(a) && names.get(indices.get(k)[1]).equals(b)) {
                return k;
            }
        }
        throw new IllegalArgumentException(a + " vs " + b);
    }
}
