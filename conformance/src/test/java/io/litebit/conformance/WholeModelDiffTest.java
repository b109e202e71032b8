package io.litebit.conformance;

import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import io.litebit.trace.TracedTensor;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.DType;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import io.litebit.model.zoo.Zoo;
import io.litebit.reference.InvalidOpException;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.UnsupportedOpException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Whole-model differential test: every shared model ({@link SharedAssets#allModels()}) and every
 * zoo model ({@link Zoo#all()}) on the oracle (TFLITE profile) and native BUILTIN_REF with the same
 * seeded random inputs. A model whose every op the oracle supports must give zero differing
 * elements on every tensor the oracle traces; a model with an op the oracle lacks is reported as
 * {@code pending: op X} (neither skipped silently nor failed); a model with a float LSTM is held to
 * {@link FloatLstmTolerance} on its float tensors instead. Oracle vs native BUILTIN (optimized
 * kernels) is recorded, not asserted. Report: {@code target/conformance/whole-model-report.json}
 * and {@code whole-model-summary.md}.
 *
 * <p>Seeds: {@code -Dlitebit.wholemodel.seeds=N} (default 2) from {@code -Dlitebit.wholemodel.seed=S}
 * (default 1); {@code -Dlitebit.wholemodel.oneSeedOnLarge=true} runs models larger than 1 MB
 * (MobileNetV2, about 1.2 s a seed) on the first seed only.
 */
class WholeModelDiffTest {
    private static final int SEEDS = Integer.getInteger("litebit.wholemodel.seeds", 2);
    private static final long SEED = Long.getLong("litebit.wholemodel.seed", 1L);
    private static final boolean ONE_SEED_ON_LARGE = Boolean.getBoolean("litebit.wholemodel.oneSeedOnLarge");
    private static final long LARGE_BYTES = 1 << 20;

    private static final Map<String, Map<String, Object>> REPORTS = Collections.synchronizedMap(new TreeMap<>());

    @TestFactory
    Stream<DynamicTest> oracleMatchesBuiltinRefOnEveryModel() {
        Map<String, Object> sources = new LinkedHashMap<>();
        Path root = SharedAssets.root().resolve("models");
        for (Path p : SharedAssets.allModels()) {
            sources.put("shared/" + root.relativize(p).toString().replace('\\', '/'), p);
        }
        for (String name : Zoo.all().keySet()) {
            sources.put("zoo/" + name, name);
        }
        return sources.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), load(e.getValue()))));
    }

    private static TfliteModel load(Object source) {
        if (source instanceof Path p) {
            try {
                return TfliteModel.load(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Zoo.all().get((String) source);
    }

    private static void check(String name, TfliteModel model) {
        long t0 = System.nanoTime();
        Map<String, Object> rep = new LinkedHashMap<>();
        REPORTS.put(name, rep);
        int bytes = model.toBytes().length;
        int seeds = bytes > LARGE_BYTES && ONE_SEED_ON_LARGE ? 1 : SEEDS;
        rep.put("operators", model.mainSubgraph().operators().size());
        List<Long> seedList = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            seedList.add(SEED + i);
        }
        rep.put("seeds", seedList);

        Backend.Session oracle;
        try {
            oracle = Backend.reference(NumericsProfile.TFLITE).open(model);
        } catch (UnsupportedOpException e) {
            pending(name, rep, model, e, t0);
            return;
        }
        List<String> failures = new ArrayList<>();
        long compared = 0;
        long differingTensors = 0;
        long differingElements = 0;
        long maxLsb = 0;
        String firstRef = null;
        List<Object> builtinRuns = new ArrayList<>();
        try (oracle;
             Backend.Session ref = Backend.builtinRef().open(model);
             Backend.Session builtin = Backend.builtin().open(model)) {
            for (long seed : seedList) {
                List<byte[]> inputs = randomInputs(model, seed);
                Trace o;
                try {
                    o = oracle.run(inputs);
                } catch (UnsupportedOpException e) {
                    pending(name, rep, model, e, t0);
                    return;
                } catch (InvalidOpException e) {
                    // Random values in a run-time shape input (seanet transpose_conv's int32 output_shape)
                    // describe no valid tensor; TFLite's Prepare would refuse them the same way. Those
                    // models are proven with their real inputs by SeanetGoldenTest instead.
                    invalidInputs(name, rep, e, t0);
                    return;
                }
                Trace r = ref.run(inputs);
                Trace b = builtin.run(inputs);

                TraceDiff d = TraceDiff.compare(model, o, r);
                Set<Integer> inRef = new HashSet<>();
                r.tensors().forEach(t -> inRef.add(t.tensorIndex()));
                List<Integer> absent = o.tensors().stream().map(TracedTensor::tensorIndex).filter(i -> !inRef.contains(i)).toList();
                if (!absent.isEmpty()) {
                    failures.add("seed " + seed + ": BUILTIN_REF has no value for oracle tensors " + absent);
                }
                compared += d.tensors().size();
                rep.put("tensorsPerSeed", d.tensors().size());
                for (TensorDiff t : d.tensors()) {
                    if (!t.identical()) {
                        differingTensors++;
                        differingElements += t.differing();
                        maxLsb = Math.max(maxLsb, t.maxLsb());
                    }
                }
                if (FloatLstmTolerance.applies(model)) {
                    FloatLstmTolerance.check(o, r).forEach(f -> failures.add("seed " + seed + ": " + f));
                } else if (d.firstDivergence().isPresent()) {
                    String f = d.firstDivergence().get().toString();
                    long n = d.tensors().stream().filter(t -> !t.identical()).count();
                    long m = d.tensors().stream().mapToLong(TensorDiff::maxLsb).max().orElse(0);
                    failures.add("seed " + seed + ": " + n + " of " + d.tensors().size() + " tensors differ, max " + m
                            + " LSB; first divergent " + f);
                    if (firstRef == null) {
                        firstRef = f;
                    }
                }

                TraceDiff db = TraceDiff.compare(model, o, b);
                Map<String, Object> br = new LinkedHashMap<>();
                br.put("seed", seed);
                br.put("tensorsCompared", db.tensors().size());
                List<TensorDiff> diff = db.tensors().stream().filter(t -> !t.identical()).toList();
                br.put("differingTensors", diff.size());
                br.put("differingElements", diff.stream().mapToLong(TensorDiff::differing).sum());
                br.put("maxLsb", diff.stream().mapToLong(TensorDiff::maxLsb).max().orElse(0));
                br.put("maxUlp", diff.stream().mapToLong(TensorDiff::maxUlp).max().orElse(0));
                db.firstDivergence().ifPresent(f -> {
                    br.put("firstDivergentOp", f.tensor().opIndex() < 0 ? "input"
                            : "op " + f.tensor().opIndex() + " " + f.tensor().opName());
                    br.put("firstDivergence", f.toString());
                });
                List<Object> outs = new ArrayList<>();
                for (TensorDiff t : db.outputs(model)) {
                    outs.add(t.summary());
                }
                br.put("outputs", outs);
                builtinRuns.add(br);
            }
        }
        rep.put("state", !failures.isEmpty() ? "MISMATCH" : FloatLstmTolerance.applies(model) && differingTensors > 0
                ? "float LSTM within " + FloatLstmTolerance.TOLERANCE + " (integer tensors identical)" : "match");
        rep.put("tensorsCompared", compared);
        rep.put("differingTensors", differingTensors);
        rep.put("differingElements", differingElements);
        rep.put("maxLsb", maxLsb);
        if (firstRef != null) {
            rep.put("firstDivergence", firstRef);
        }
        rep.put("failures", failures);
        rep.put("builtinVsOracle", builtinRuns);
        rep.put("millis", (System.nanoTime() - t0) / 1_000_000);
        System.out.println("[whole-model] " + name + ": " + rep.get("state") + ", " + compared + " tensors compared, "
                + differingTensors + " differ; BUILTIN vs oracle: " + builtinRuns + ", " + rep.get("millis") + " ms");
        assertThat(failures).as(name + ": oracle(TFLITE) vs BUILTIN_REF must be bit-exact on every traced tensor").isEmpty();
    }

    private static void pending(String name, Map<String, Object> rep, TfliteModel model, UnsupportedOpException e, long t0) {
        rep.put("state", "pending");
        rep.put("seeds", List.of());
        rep.put("pending", "op " + e.opName());
        String msg = e.getMessage();
        int cut = msg.indexOf("): ");
        rep.put("pendingReason", cut < 0 ? msg : msg.substring(cut + 3));
        rep.put("pendingOperator", e.operatorIndex());
        rep.put("pendingDetail", e.getMessage());
        rep.put("millis", (System.nanoTime() - t0) / 1_000_000);
        System.out.println("[whole-model] " + name + ": pending: op " + e.opName() + " (" + e.getMessage() + ")");
    }

    private static void invalidInputs(String name, Map<String, Object> rep, InvalidOpException e, long t0) {
        rep.put("state", "random inputs invalid (checked with real inputs by SeanetGoldenTest)");
        rep.put("seeds", List.of());
        rep.put("invalidDetail", e.getMessage());
        rep.put("millis", (System.nanoTime() - t0) / 1_000_000);
        System.out.println("[whole-model] " + name + ": random inputs invalid: " + e.getMessage());
    }

    /** Seeded uniform inputs over each dtype's whole range (float32: uniform in [-1, 1)). */
    static List<byte[]> randomInputs(TfliteModel model, long seed) {
        Subgraph g = model.mainSubgraph();
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + 17);
        List<byte[]> out = new ArrayList<>();
        for (int in : g.inputs()) {
            Tensor t = g.tensor(in);
            int n = Math.toIntExact(t.elementCount());
            DType dt = t.dtype();
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(dt.storageBytes(n))).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                switch (dt) {
                    case INT8, UINT8 -> b.put((byte) rnd.nextInt(256));
                    case BOOL -> b.put((byte) rnd.nextInt(2));
                    case INT16 -> b.putShort((short) rnd.nextInt(65536));
                    case INT32 -> b.putInt(rnd.nextInt(201) - 100);
                    case INT64 -> b.putLong(rnd.nextInt(201) - 100);
                    case FLOAT32 -> b.putFloat(rnd.nextFloat() * 2 - 1);
                    default -> throw new IllegalStateException("no random input for " + dt.displayName());
                }
            }
            out.add(b.array());
        }
        return out;
    }

    private static String shorten(String s) {
        int bracket = s.indexOf(" (it implements");
        return (bracket < 0 ? s : s.substring(0, bracket)).replace('|', '/');
    }

    @AfterAll
    static void writeReport() throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("profile", "TFLITE");
        root.put("seed", SEED);
        root.put("seeds", SEEDS);
        root.put("cpu", CpuInfo.describe());
        root.put("models", new LinkedHashMap<>(REPORTS));
        StringBuilder md = new StringBuilder();
        md.append("Whole-model diff, oracle(TFLITE) vs BUILTIN_REF (asserted) and vs BUILTIN (recorded), seed ")
                .append(SEED).append(", CPU ").append(CpuInfo.describe()).append("\n\n");
        md.append("| model | seeds | state | tensors per seed | differing tensors (REF) | BUILTIN differing tensors | "
                + "BUILTIN max LSB/ULP | BUILTIN first divergent op | ms |\n|---|---|---|---|---|---|---|---|---|\n");
        synchronized (REPORTS) {
            for (Map.Entry<String, Map<String, Object>> e : REPORTS.entrySet()) {
                Map<String, Object> r = e.getValue();
                String state = "pending".equals(r.get("state"))
                        ? "pending: " + r.get("pending") + " (" + shorten(String.valueOf(r.get("pendingReason"))) + ")"
                        : String.valueOf(r.get("state"));
                String bDiff = "-";
                String bMax = "-";
                String bFirst = "-";
                if (r.get("builtinVsOracle") instanceof List<?> runs && !runs.isEmpty()) {
                    List<String> d = new ArrayList<>();
                    List<String> mx = new ArrayList<>();
                    List<String> f = new ArrayList<>();
                    for (Object o : runs) {
                        Map<?, ?> m = (Map<?, ?>) o;
                        d.add(m.get("differingTensors") + "/" + m.get("tensorsCompared"));
                        mx.add(m.get("maxLsb") + "/" + m.get("maxUlp"));
                        f.add(String.valueOf(m.containsKey("firstDivergentOp") ? m.get("firstDivergentOp") : "none"));
                    }
                    bDiff = String.join(", ", d);
                    bMax = String.join(", ", mx);
                    bFirst = String.join(", ", f);
                }
                md.append("| ").append(e.getKey()).append(" | ").append(r.get("seeds")).append(" | ").append(state)
                        .append(" | ").append(r.getOrDefault("tensorsPerSeed", "-"))
                        .append(" | ").append(r.getOrDefault("differingTensors", "-"))
                        .append(" | ").append(bDiff).append(" | ").append(bMax).append(" | ").append(bFirst)
                        .append(" | ").append(r.get("millis")).append(" |\n");
            }
        }
        Path dir = Path.of("target", "conformance");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("whole-model-report.json"), Json.write(root));
        Files.writeString(dir.resolve("whole-model-summary.md"), md.toString());
        System.out.println(md);
        System.out.println("[whole-model] report: " + dir.resolve("whole-model-report.json").toAbsolutePath());
    }
}
