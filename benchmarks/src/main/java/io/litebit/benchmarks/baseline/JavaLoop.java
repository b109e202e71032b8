package io.litebit.benchmarks.baseline;

import io.litebit.api.Interpreter;
import io.litebit.api.TensorHandle;
import io.litebit.model.DType;
import java.nio.ByteBuffer;

/**
 * The Java API's side of the Java-vs-C comparison: the same loop as litebit_bench, through
 * {@link Interpreter} and its zero-copy {@link TensorHandle#buffer()} views (the fastest a Java
 * caller can write and read tensors, as direct memcpy is for the C caller). The inputs are
 * filled with litebit_bench's generator and seed.
 *
 * <p>Two loops, no lambdas: a shared loop calling a functional interface would turn megamorphic
 * and add an indirect call to every inference, which is a visible share of hello_world's time.
 */
public final class JavaLoop {
    private final Interpreter interpreter;
    private final ByteBuffer[] inputs;
    private final byte[][] inputSources;
    private final ByteBuffer[] outputs;
    private final byte[][] outputCopies;
    private int counter;
    /** Read by nobody; keeps the JIT from dropping the output reads. */
    public volatile byte sink;

    /** Fills every input as litebit_bench does with {@code seed}. */
    public JavaLoop(Interpreter interpreter, long seed) {
        this.interpreter = interpreter;
        int n = interpreter.inputCount();
        inputs = new ByteBuffer[n];
        inputSources = new byte[n][];
        long[] state = {seed};
        for (int i = 0; i < n; i++) {
            TensorHandle h = interpreter.input(i);
            inputs[i] = h.buffer();
            inputSources[i] = new byte[inputs[i].capacity()];
            fill(inputSources[i], h.dtype(), state);
            inputs[i].put(0, inputSources[i]);
        }
        int m = interpreter.outputCount();
        outputs = new ByteBuffer[m];
        outputCopies = new byte[m][];
        for (int i = 0; i < m; i++) {
            outputs[i] = interpreter.output(i).buffer();
            outputCopies[i] = new byte[outputs[i].capacity()];
        }
    }

    /** SplitMix64, as litebit_bench. */
    static long next(long[] state) {
        long z = (state[0] += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** float32 uniform in [-1, 1) (no NaNs or subnormals to slow float kernels down), else random bytes. */
    static void fill(byte[] data, DType dtype, long[] state) {
        if (dtype == DType.FLOAT32) {
            ByteBuffer b = ByteBuffer.wrap(data).order(java.nio.ByteOrder.nativeOrder());
            for (int i = 0; i + 4 <= data.length; i += 4) {
                b.putFloat(i, (float) ((next(state) >>> 11) * 0x1.0p-53 * 2.0 - 1.0));
            }
        } else {
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) next(state);
            }
        }
    }

    /** Writes every input, invokes, reads every output: one full inference. */
    public void fullInference() {
        for (int i = 0; i < inputs.length; i++) {
            inputSources[i][0] = (byte) counter;
            inputs[i].put(0, inputSources[i]);
        }
        counter++;
        interpreter.invoke();
        for (int i = 0; i < outputs.length; i++) {
            outputs[i].get(0, outputCopies[i]);
        }
        sink = outputCopies[0][0];
    }

    /**
     * Measures like litebit_bench: {@code warmup} inferences, then {@code samples} batches of
     * {@code batch} inferences ({@code batch} 0: sized to ~2 ms from a ~20 ms calibration).
     */
    public Latency measure(boolean full, int warmup, int samples, long batch) {
        for (int i = 0; i < warmup; i++) {
            step(full);
        }
        if (batch == 0) {
            long t0 = System.nanoTime();
            long n = 0;
            while (System.nanoTime() - t0 < 20_000_000L && n < 1_000_000) {
                step(full);
                n++;
            }
            double each = (double) (System.nanoTime() - t0) / n;
            batch = Math.max(1, (long) (2e6 / each));
        }
        double[] perInference = new double[samples];
        for (int s = 0; s < samples; s++) {
            long t0 = System.nanoTime();
            if (full) {
                for (long k = 0; k < batch; k++) {
                    fullInference();
                }
            } else {
                for (long k = 0; k < batch; k++) {
                    interpreter.invoke();
                }
            }
            perInference[s] = (double) (System.nanoTime() - t0) / batch;
        }
        return Latency.of(perInference, batch);
    }

    private void step(boolean full) {
        if (full) {
            fullInference();
        } else {
            interpreter.invoke();
        }
    }
}
