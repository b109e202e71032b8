package io.litebit.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.ModelFormatException;
import io.litebit.model.testing.SharedAssets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The seeded native mutation campaign of issue 14, bounded for {@code mvn verify}: every shared
 * model, mutated (1-8 random bytes, or one int32 overwritten with a random, boundary or small
 * value), loaded with {@link Model#fromBytes}, then {@link Interpreter#create} on a backend
 * (rotating), random input bytes, {@code invoke()}. This JVM must survive every case, and every
 * failure must be one of the documented exceptions with a message: {@link ModelFormatException},
 * {@link TfliteException} (with {@link ChildCrashException} when the probe's child died),
 * {@link IllegalArgumentException}, {@link IllegalStateException}.
 *
 * <p>Sized by {@code -Dlitebit.mutation.cases} (default 2000; the long campaign in the README
 * runs 100,000) and {@code -Dlitebit.mutation.seed}. Models over 1 MB get one case per backend
 * per run only (they cost 100x a small model on BUILTIN_REF).
 */
class MutationTest {
    private static final int CASES = Integer.getInteger("litebit.mutation.cases", 2000);
    private static final long SEED = Long.getLong("litebit.mutation.seed", 14);

    @Test
    void noMutatedModelCrashesTheJvmAndEveryFailureIsDocumented() throws Exception {
        List<Path> paths = SharedAssets.allModels();
        List<byte[]> models = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path p : paths) {
            models.add(Files.readAllBytes(p));
            names.add(SharedAssets.root().resolve("models").relativize(p).toString());
        }
        Backend[] backends = Backend.values();
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> crashes = new ArrayList<>();
        List<String> undocumented = new ArrayList<>();
        int[] bigCases = new int[models.size()];
        long t0 = System.nanoTime();
        int ran = 0;
        for (int i = 0; ran < CASES && i < CASES * 4; i++) {
            int m = i % models.size();
            Backend backend = backends[(i / models.size()) % backends.length];
            byte[] original = models.get(m);
            if (original.length > 1 << 20 && bigCases[m]++ >= backends.length) {
                continue;
            }
            ran++;
            Random r = new Random(SEED * 1_000_003L + i);
            byte[] mutated = mutate(original, r);
            String outcome;
            try {
                outcome = runCase(mutated, backend, r);
            } catch (ChildCrashException e) {
                outcome = "crash refused (" + e.signal() + ")";
                crashes.add("case " + i + " " + names.get(m) + " on " + backend + ": " + e.getMessage());
                assertThat(e.getMessage()).isNotBlank();
            } catch (ModelFormatException | TfliteException | IllegalArgumentException | IllegalStateException e) {
                outcome = e.getClass().getSimpleName();
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    undocumented.add("case " + i + " " + names.get(m) + ": " + e.getClass().getName() + " without a message");
                }
            } catch (RuntimeException e) {
                outcome = "UNDOCUMENTED " + e.getClass().getSimpleName();
                StringBuilder where = new StringBuilder();
                for (StackTraceElement s : e.getStackTrace()) {
                    if (s.getClassName().startsWith("io.litebit")) {
                        where.append(" at ").append(s);
                        break;
                    }
                }
                undocumented.add("case " + i + " " + names.get(m) + " on " + backend + ": " + e + where);
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[litebit-api] mutation campaign: %d cases over %d shared models, seed %d, %d ms"
                + " (%.1f ms per case): %s%n", ran, models.size(), SEED, ms, (double) ms / ran, outcomes);
        crashes.stream().limit(20).forEach(c -> System.out.println("[litebit-api]   " + c));
        assertThat(undocumented).as("failures that are not documented exception types with a message").isEmpty();
    }

    /** Load, create, write random inputs, invoke: the user's path. Returns how it ended. */
    private static String runCase(byte[] bytes, Backend backend, Random r) {
        Model model = Model.fromBytes(bytes);
        try (Interpreter it = Interpreter.create(model, InterpreterOptions.of(backend))) {
            for (int k = 0; k < it.inputCount(); k++) {
                TensorHandle in = it.input(k);
                long size = in.details().byteSize();
                if (size > 64L << 20) {
                    return "input too large to fill";
                }
                byte[] data = new byte[(int) size];
                r.nextBytes(data);
                it.writeRaw(in.index(), data);
            }
            it.invoke();
            for (int k = 0; k < it.outputCount(); k++) {
                it.output(k).details();
            }
            return "ran";
        }
    }

    /** 1-8 random bytes, or one aligned int32 set to a random, boundary or small value. */
    static byte[] mutate(byte[] original, Random r) {
        byte[] b = original.clone();
        if (r.nextBoolean()) {
            int n = 1 + r.nextInt(8);
            for (int k = 0; k < n; k++) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
        } else {
            int at = r.nextInt(b.length / 4) * 4;
            int[] specials = {0, 1, -1, 2, 3, 255, 256, 65535, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30};
            int v = r.nextInt(3) == 0 ? r.nextInt() : specials[r.nextInt(specials.length)];
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
        }
        return b;
    }
}
