package io.litebit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pool under contention, exhaustion, a failing interpreter and close. */
class InterpreterPoolTest {
    /** hello_world int8 on 64 inputs, one interpreter, one thread: what every pooled run must give. */
    private static byte[][] expected(Model model, byte[][] inputs) {
        byte[][] out = new byte[inputs.length][];
        try (Interpreter it = Interpreter.create(model, InterpreterOptions.of(Backend.BUILTIN))) {
            for (int i = 0; i < inputs.length; i++) {
                it.input(0).write(inputs[i]);
                it.invoke();
                out[i] = it.output(0).readBytes();
            }
        }
        return out;
    }

    @Test
    void sixteenThreadsShareFourInterpretersForAHundredThousandRunsWithSingleThreadedResults() throws Exception {
        Model model = TestModels.helloWorldInt8();
        byte[][] inputs = new byte[64][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = new byte[] {(byte) (i * 4 - 128)};
        }
        byte[][] want = expected(model, inputs);
        int threads = 16;
        int perThread = 100_000 / threads;
        AtomicInteger wrong = new AtomicInteger();
        List<Interpreter> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        try (InterpreterPool pool = InterpreterPool.create(model, InterpreterOptions.of(Backend.BUILTIN), 4)) {
            ExecutorService exec = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int seed = t;
                    fs.add(exec.submit(() -> {
                        for (int k = 0; k < perThread; k++) {
                            int i = (seed * 31 + k) & 63;
                            boolean firstRun = k == 0;
                            byte[] got = pool.run(it -> {
                                if (firstRun) {
                                    seen.add(it);
                                }
                                it.input(0).write(inputs[i]);
                                it.invoke();
                                return it.output(0).readBytes();
                            });
                            if (!java.util.Arrays.equals(got, want[i])) {
                                wrong.incrementAndGet();
                            }
                        }
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            } finally {
                exec.shutdown();
            }
            InterpreterPool.Stats s = pool.stats();
            assertThat(wrong.get()).as("runs whose output differs from the single-threaded run").isZero();
            assertThat(s.runs()).isEqualTo((long) threads * perThread);
            assertThat(s.created()).isBetween(1L, 4L);
            assertThat(s.inUse()).isZero();
            assertThat(s.idle()).isEqualTo((int) s.created());
            assertThat(s.waits()).isPositive();
        }
        // Closing the pool closed every interpreter it made.
        assertThat(seen).isNotEmpty().allMatch(Interpreter::isClosed);
    }

    @Test
    void aCallerWaitsUpToItsTimeoutThenGetsAClearError() {
        try (InterpreterPool pool = InterpreterPool.create(TestModels.helloWorldInt8(), InterpreterOptions.of(Backend.BUILTIN), 1);
             InterpreterPool.Lease held = pool.borrow()) {
            assertThatThrownBy(() -> pool.borrow(Duration.ofMillis(50)))
                    .isInstanceOf(InterpreterPool.PoolExhaustedException.class)
                    .hasMessage("no interpreter became free within 50 ms: all 1 are in use (raise maxSize or the timeout)");
            assertThat(pool.stats().inUse()).isEqualTo(1);
            assertThat(held.interpreter().isClosed()).isFalse();
        }
    }

    @Test
    void anInterpreterWhoseWorkFailedInTfliteIsReplaced() {
        try (InterpreterPool pool = InterpreterPool.create(TestModels.helloWorldInt8(), InterpreterOptions.of(Backend.BUILTIN), 2)) {
            Interpreter[] first = new Interpreter[1];
            assertThatThrownBy(() -> pool.run(it -> {
                first[0] = it;
                throw new TfliteException("invoke", 1, List.of("simulated kernel failure"));
            })).isInstanceOf(TfliteException.class);
            assertThat(first[0].isClosed()).isTrue();
            assertThat(pool.stats().discarded()).isEqualTo(1);
            Interpreter second = pool.run(it -> it);
            assertThat(second).isNotSameAs(first[0]);
            assertThat(pool.stats().created()).isEqualTo(2);
            // Other exceptions are the caller's: the interpreter goes back.
            assertThatThrownBy(() -> pool.run(it -> {
                throw new IllegalArgumentException("caller bug");
            })).isInstanceOf(IllegalArgumentException.class);
            assertThat(pool.stats().discarded()).isEqualTo(1);
            assertThat(pool.stats().idle()).isEqualTo(1);
        }
    }

    @Test
    void aClosedPoolRefusesAndClosesWhatComesBack() {
        InterpreterPool pool = InterpreterPool.create(TestModels.helloWorldInt8(), InterpreterOptions.of(Backend.BUILTIN), 2);
        InterpreterPool.Lease lease = pool.borrow();
        Interpreter it = lease.interpreter();
        pool.close();
        assertThat(it.isClosed()).isFalse();
        lease.close();
        assertThat(it.isClosed()).isTrue();
        assertThatThrownBy(lease::interpreter).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(pool::borrow).isInstanceOf(IllegalStateException.class).hasMessage("the interpreter pool is closed");
        assertThatThrownBy(() -> InterpreterPool.create(TestModels.helloWorldInt8(), InterpreterOptions.of(Backend.BUILTIN), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("given maxSize 0");
    }
}
