package io.litebit.model.zoo;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.options.Padding;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small, deterministic zoo of generated models for tests, examples and the CLI's default.
 *
 * <p>Weights come from a fixed-seed {@link SplittableRandom}, so every call returns a model with
 * the same bytes. Quantized models are quantized as TFLite's converter does it: int8 weights
 * symmetric (zero point 0), per output channel for convolutions and per tensor for
 * fully-connected layers, int32 biases with scale {@code input_scale *
 * weight_scale[c]} and zero point 0, activations asymmetric int8 with ranges from a static
 * estimate of each layer's output distribution (mean ± 3 standard deviations of the
 * pre-activation, given the input statistics), ReLU outputs with zero point -128, and SOFTMAX
 * outputs with TFLite's fixed scale 1/256 and zero point -128. Each quantized model has a float
 * twin with the same topology whose weights are exactly the dequantized int8 weights, so the two
 * can be compared directly.
 *
 * <pre>{@code
 * TfliteModel cnn = Zoo.tinyCnnInt8();
 * for (Map.Entry<String, TfliteModel> e : Zoo.all().entrySet()) {
 *     System.out.println(e.getKey() + ": " + e.getValue().mainSubgraph().operators().size() + " ops");
 * }
 * }</pre>
 */
public final class Zoo {
    /** Seed of every zoo model's weights. */
    public static final long SEED = 20240501L;

    private static final Quantization IMAGE_INT8 = Quantization.perTensor(1f / 255, -128);
    private static final Quantization SOFTMAX_INT8 = Quantization.perTensor(1f / 256, -128);

    /** Name of {@link #defaultModel()} in {@link #all()}. */
    public static final String DEFAULT_NAME = "tiny_cnn_int8";

    private Zoo() {
    }

    /** Every zoo model by name, in a fixed order. */
    public static Map<String, TfliteModel> all() {
        Map<String, TfliteModel> m = new LinkedHashMap<>();
        m.put(DEFAULT_NAME, tinyCnnInt8());
        m.put("tiny_cnn_float", tinyCnnFloat());
        m.put("mnist_mlp_uint8", mnistMlpUint8());
        m.put("mnist_mlp_float", mnistMlpFloat());
        return m;
    }

    /** The model {@code litebit inspect} shows when given none: {@link #tinyCnnInt8()}. */
    public static TfliteModel defaultModel() {
        return tinyCnnInt8();
    }

    /**
     * A tiny int8 image classifier: input int8 {@code [1, 16, 16, 3]} (an image in [0, 1], scale
     * 1/255, zero point -128) → CONV_2D 3x3/2 SAME + RELU {@code [1, 8, 8, 8]} → DEPTHWISE_CONV_2D
     * 3x3 SAME + RELU6 {@code [1, 8, 8, 8]} → AVERAGE_POOL_2D 2x2/2 {@code [1, 4, 4, 8]} →
     * FULLY_CONNECTED {@code [1, 10]} → SOFTMAX int8 {@code [1, 10]}.
     */
    public static TfliteModel tinyCnnInt8() {
        return tinyCnn(true);
    }

    /** The float twin of {@link #tinyCnnInt8()}: same topology, float32, dequantized weights. */
    public static TfliteModel tinyCnnFloat() {
        return tinyCnn(false);
    }

    /**
     * An MNIST-style MLP as users reproduce it by hand: input uint8 {@code [1, 784]} (raw pixels,
     * scale 1/255, zero point 0) → QUANTIZE to int8 (1/255, -128) → FULLY_CONNECTED 784→128 +
     * RELU → FULLY_CONNECTED 128→10 → SOFTMAX int8 (1/256, -128).
     */
    public static TfliteModel mnistMlpUint8() {
        return mnistMlp(true);
    }

    /** The float twin of {@link #mnistMlpUint8()}: float32 input in [0, 1], dequantized weights. */
    public static TfliteModel mnistMlpFloat() {
        return mnistMlp(false);
    }

    private static TfliteModel tinyCnn(boolean quantized) {
        SplittableRandom rnd = new SplittableRandom(SEED);
        ModelBuilder mb = ModelBuilder.create().description("litebit zoo: tiny " + (quantized ? "int8" : "float")
                + " CNN (conv, depthwise conv, average pool, fully connected, softmax), seed " + SEED);
        SubgraphBuilder g = mb.main();
        // Inputs are images in [0, 1]: mean 1/2, variance 1/12.
        Stats inStats = new Stats(0.5, 1.0 / 12);
        TensorRef x = quantized ? g.input("image", DType.INT8, new int[] {1, 16, 16, 3}, IMAGE_INT8)
                : g.input("image", DType.FLOAT32, new int[] {1, 16, 16, 3});

        Layer conv = Layer.random(rnd, 8, 3 * 3 * 3, new int[] {8, 3, 3, 3}, 0, true, inStats, Activation.RELU);
        TensorRef c1 = weighted(g, quantized, "conv", x, IMAGE_INT8, conv, (in, w, b, out) -> g.conv2d(in, w, b,
                new BuiltinOptions.Conv2D(Padding.SAME, 2, 2, Activation.RELU, 1, 1), out));

        Layer dw = Layer.random(rnd, 8, 3 * 3, new int[] {1, 3, 3, 8}, 3, true, conv.outStats(), Activation.RELU6);
        TensorRef c2 = weighted(g, quantized, "depthwise", c1, conv.outputQuantization(), dw, (in, w, b, out) -> g.depthwiseConv2d(in, w, b,
                new BuiltinOptions.DepthwiseConv2D(Padding.SAME, 1, 1, 1, Activation.RELU6, 1, 1), out));

        // Average pooling keeps the range, so it keeps the quantization, as the converter writes it.
        TensorRef pooled = g.averagePool2d(c2, new BuiltinOptions.Pool2D(Padding.VALID, 2, 2, 2, 2, Activation.NONE),
                Out.like(c2).named("pool"));

        Layer fc = Layer.random(rnd, 10, 4 * 4 * 8, new int[] {10, 4 * 4 * 8}, 0, false, dw.outStats(), Activation.NONE);
        TensorRef logits = weighted(g, quantized, "logits", pooled, dw.outputQuantization(), fc, (in, w, b, out) -> g.fullyConnected(in, w, b,
                new BuiltinOptions.FullyConnected(Activation.NONE, false), out));

        TensorRef probs = g.softmax(logits, 1f, quantized ? Out.of(DType.INT8).named("probabilities")
                : Out.float32().named("probabilities"));
        g.output(probs);
        mb.signature("serving_default", g);
        return mb.build();
    }

    private static TfliteModel mnistMlp(boolean quantized) {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        ModelBuilder mb = ModelBuilder.create().description("litebit zoo: MNIST-style " + (quantized
                ? "MLP, uint8 input quantized to int8" : "float MLP") + " (784-128-10), seed " + SEED);
        SubgraphBuilder g = mb.main();
        // MNIST pixels scaled to [0, 1]: mean 0.1307, standard deviation 0.3081.
        Stats inStats = new Stats(0.1307, 0.3081 * 0.3081);
        TensorRef x;
        if (quantized) {
            TensorRef pixels = g.input("pixels", DType.UINT8, new int[] {1, 784}, Quantization.perTensor(1f / 255, 0));
            x = g.quantize(pixels, Out.of(DType.INT8, IMAGE_INT8).named("pixels_int8"));
        } else {
            x = g.input("pixels", DType.FLOAT32, new int[] {1, 784});
        }
        Layer hidden = Layer.random(rnd, 128, 784, new int[] {128, 784}, 0, false, inStats, Activation.RELU);
        TensorRef h = weighted(g, quantized, "hidden", x, IMAGE_INT8, hidden, (in, w, b, out) -> g.fullyConnected(in, w, b,
                new BuiltinOptions.FullyConnected(Activation.RELU, false), out));
        Layer output = Layer.random(rnd, 10, 128, new int[] {10, 128}, 0, false, hidden.outStats(), Activation.NONE);
        TensorRef logits = weighted(g, quantized, "logits", h, hidden.outputQuantization(), output, (in, w, b, out) -> g.fullyConnected(in, w, b,
                new BuiltinOptions.FullyConnected(Activation.NONE, false), out));
        TensorRef probs = g.softmax(logits, 1f, quantized ? Out.of(DType.INT8, SOFTMAX_INT8).named("probabilities")
                : Out.float32().named("probabilities"));
        g.output(probs);
        mb.signature("serving_default", g);
        return mb.build();
    }

    @FunctionalInterface
    private interface WeightedOp {
        TensorRef apply(TensorRef input, TensorRef weights, TensorRef bias, Out out);
    }

    /**
     * Adds a layer's constants (quantized, or exactly their dequantization for the float twin)
     * and the op itself. {@code inQ} is the int8 model's quantization of the layer's input, which
     * fixes the bias scale in both twins.
     */
    private static TensorRef weighted(SubgraphBuilder g, boolean quantized, String name, TensorRef input,
                                      Quantization inQ, Layer layer, WeightedOp op) {
        Quantization wq = layer.weightQuantization();
        Quantization bq = SubgraphBuilder.biasQuantization(inQ, wq);
        int[] qb = layer.quantizedBias(bq);
        if (!quantized) {
            float[] fb = new float[qb.length];
            for (int c = 0; c < qb.length; c++) {
                fb[c] = bq.scale(bq.isPerTensor() ? 0 : c) * qb[c];
            }
            TensorRef w = g.constant(name + "/weights", layer.shape, layer.dequantizedWeights());
            TensorRef b = g.constant(name + "/bias", new int[] {layer.channels}, fb);
            return op.apply(input, w, b, Out.float32().named(name));
        }
        TensorRef w = g.constant(name + "/weights", DType.INT8, layer.shape, layer.q, wq);
        TensorRef b = g.constant(name + "/bias", new int[] {layer.channels}, qb, bq);
        return op.apply(input, w, b, Out.of(DType.INT8, layer.outputQuantization()).named(name));
    }

    /** Mean and variance of the elements of a layer's input. */
    private record Stats(double mean, double variance) {
    }

    /** One weighted layer: seeded float weights, their int8 quantization, bias, output range. */
    private static final class Layer {
        final int channels;
        final int[] shape;
        final int axis;
        final int inner;
        final float[] scales;
        final byte[] q;
        final float[] bias;
        final double lo;
        final double hi;

        private Layer(int channels, int[] shape, int axis, int inner, float[] scales, byte[] q, float[] bias,
                      double lo, double hi) {
            this.channels = channels;
            this.shape = shape;
            this.axis = axis;
            this.inner = inner;
            this.scales = scales;
            this.q = q;
            this.bias = bias;
            this.lo = lo;
            this.hi = hi;
        }

        /**
         * Glorot-uniform weights, quantized symmetrically to int8 (scale = max|w| / 127) per output
         * channel along {@code axis} (as the converter does for convolutions) or per tensor (as it
         * does for fully-connected weights); the output range is estimated from the dequantized
         * weights and the input statistics.
         */
        static Layer random(SplittableRandom rnd, int channels, int fanIn, int[] shape, int axis, boolean perChannel,
                            Stats in, Activation act) {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            int inner = 1;
            for (int i = axis + 1; i < shape.length; i++) {
                inner *= shape[i];
            }
            double limit = Math.sqrt(6.0 / (fanIn + channels));
            float[] w = new float[n];
            for (int i = 0; i < n; i++) {
                w[i] = (float) rnd.nextDouble(-limit, limit);
            }
            float[] bias = new float[channels];
            for (int c = 0; c < channels; c++) {
                bias[c] = (float) rnd.nextDouble(-0.1, 0.1);
            }
            float[] maxAbs = new float[perChannel ? channels : 1];
            for (int i = 0; i < n; i++) {
                int c = perChannel ? (i / inner) % channels : 0;
                maxAbs[c] = Math.max(maxAbs[c], Math.abs(w[i]));
            }
            float[] scales = new float[maxAbs.length];
            for (int c = 0; c < scales.length; c++) {
                scales[c] = maxAbs[c] / 127f;
            }
            byte[] q = new byte[n];
            double[] sum = new double[channels];
            double[] sumSq = new double[channels];
            for (int i = 0; i < n; i++) {
                int oc = (i / inner) % channels;
                float s = scales[perChannel ? oc : 0];
                int v = (int) Math.max(-127, Math.min(127, Math.round(w[i] / s)));
                q[i] = (byte) v;
                double dq = (double) s * v;
                sum[oc] += dq;
                sumSq[oc] += dq * dq;
            }
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < channels; c++) {
                double mean = in.mean() * sum[c] + bias[c];
                double sd = Math.sqrt(in.variance() * sumSq[c]);
                lo = Math.min(lo, mean - 3 * sd);
                hi = Math.max(hi, mean + 3 * sd);
            }
            if (act == Activation.RELU || act == Activation.RELU6) {
                lo = 0;
                hi = act == Activation.RELU6 ? Math.min(6, Math.max(hi, 1e-3)) : Math.max(hi, 1e-3);
            }
            return new Layer(channels, shape, axis, inner, scales, q, bias, Math.min(lo, 0), Math.max(hi, 0));
        }

        Quantization weightQuantization() {
            return scales.length == 1 ? Quantization.perTensor(scales[0], 0)
                    : Quantization.perChannel(scales, new long[scales.length], axis);
        }

        float[] dequantizedWeights() {
            float[] w = new float[q.length];
            for (int i = 0; i < q.length; i++) {
                w[i] = scales[scales.length == 1 ? 0 : (i / inner) % channels] * q[i];
            }
            return w;
        }

        int[] quantizedBias(Quantization bq) {
            int[] b = new int[channels];
            for (int c = 0; c < channels; c++) {
                b[c] = (int) Math.round(bias[c] / (double) bq.scale(bq.isPerTensor() ? 0 : c));
            }
            return b;
        }

        /**
         * Asymmetric int8 over [lo, hi] with zero exactly representable: scale = (hi - lo) / 255,
         * zero point = -128 - round(lo / scale), as TFLite's converter nudges it.
         */
        Quantization outputQuantization() {
            double scale = (hi - lo) / 255.0;
            long zp = Math.round(-128 - lo / scale);
            zp = Math.max(-128, Math.min(127, zp));
            return Quantization.perTensor((float) scale, zp);
        }

        /** Statistics of the layer's (activated) output, as the next layer's input. */
        Stats outStats() {
            double range = hi - lo;
            return new Stats(lo + range / 4, range * range / 16);
        }
    }
}
