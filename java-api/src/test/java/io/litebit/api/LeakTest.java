package io.litebit.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Thousands of interpreters created, invoked and closed (and some only dropped) leave resident
 * memory flat: every native object is freed, by close() or by the Cleaner.
 *
 * <p>The module's tests run with a fixed, pre-touched Java heap (see pom.xml), so VmRSS moves
 * with native memory only.
 */
class LeakTest {
    private static final int WARM_UP = 300;
    private static final int CLOSED = Integer.getInteger("litebit.leak.cycles", 3000);
    private static final int DROPPED_BATCHES = 10;
    private static final int DROPPED_PER_BATCH = 100;
    private static final long BOUND_KB = 30 * 1024;

    @Test
    void residentMemoryStaysFlat() throws Exception {
        byte[] modelBytes = new byte[TestModels.helloWorldInt8().size()];
        TestModels.helloWorldInt8().bytes().get(modelBytes);
        Backend[] backends = Backend.values();

        cycle(modelBytes, backends, WARM_UP, true);
        long before = settledRssKb();
        long start = System.nanoTime();
        long[] checkpoints = new long[3];
        for (int third = 0; third < 3; third++) {
            cycle(modelBytes, backends, CLOSED / 3, true);
            checkpoints[third] = settledRssKb();
        }
        long closedNanos = System.nanoTime() - start;
        long afterClosed = checkpoints[2];

        // Never closed: freed by the Cleaner once unreachable. In batches, so that the peak of
        // live interpreters between collections stays small.
        for (int batch = 0; batch < DROPPED_BATCHES; batch++) {
            cycle(modelBytes, backends, DROPPED_PER_BATCH, false);
            awaitAllFreed();
        }
        long afterDropped = settledRssKb();

        System.out.printf("[litebit-api] leak test: VmRSS %d kB after %d warm-up cycles; %d, %d, %d kB after"
                        + " each third of %d more (model load + create + invoke + close, backends rotating;"
                        + " %.0f us per cycle); %d kB after %d interpreters dropped unclosed (Cleaner)%n",
                before, WARM_UP, checkpoints[0], checkpoints[1], checkpoints[2], CLOSED,
                closedNanos / 1e3 / CLOSED, afterDropped, DROPPED_BATCHES * DROPPED_PER_BATCH);
        assertThat(NativeState.LIVE.get()).as("native interpreter states still alive").isZero();
        assertThat(afterClosed - before).as("RSS growth over %d closed interpreters (kB)", CLOSED).isLessThan(BOUND_KB);
        assertThat(afterDropped - before).as("RSS growth after dropped interpreters (kB)").isLessThan(BOUND_KB);
    }

    private static void cycle(byte[] modelBytes, Backend[] backends, int n, boolean close) {
        for (int i = 0; i < n; i++) {
            Model model = Model.fromBytes(modelBytes);
            Interpreter it = Interpreter.create(model, InterpreterOptions.of(backends[i % backends.length]));
            it.input(0).write(new byte[] {(byte) i});
            it.invoke();
            it.output(0).readBytes();
            if (close) {
                it.close();
            }
        }
    }

    private static void awaitAllFreed() throws InterruptedException {
        for (int i = 0; i < 100 && NativeState.LIVE.get() > 0; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(NativeState.LIVE.get()).as("interpreters not yet freed by the Cleaner").isZero();
    }

    /** VmRSS after the garbage collector ran (direct buffers and Cleaner actions are GC-driven). */
    private static long settledRssKb() throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }
}
