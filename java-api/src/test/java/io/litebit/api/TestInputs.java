package io.litebit.api;

import io.litebit.model.DType;
import java.nio.ByteBuffer;
import java.util.Random;

/** Seeded inputs for tests. */
final class TestInputs {
    private TestInputs() {
    }

    /**
     * Fills every input with seeded values: floats uniform in [-1, 1), bools 0/1, integers random
     * over their whole range (raw bytes).
     */
    static void fillAll(Interpreter interpreter, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < interpreter.inputCount(); i++) {
            fill(interpreter.input(i), random);
        }
    }

    static void fill(TensorHandle input, Random random) {
        TensorDetails d = input.details();
        int n = Math.toIntExact(d.elementCount());
        DType t = d.dtype();
        if (t == DType.FLOAT32) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextFloat() * 2 - 1;
            }
            input.write(v);
        } else if (t == DType.BOOL) {
            byte[] v = new byte[n];
            for (int i = 0; i < n; i++) {
                v[i] = (byte) random.nextInt(2);
            }
            input.write(v);
        } else {
            ByteBuffer view = input.buffer();
            byte[] raw = new byte[view.remaining()];
            random.nextBytes(raw);
            view.put(raw);
        }
    }
}
