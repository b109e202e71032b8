package io.litebit.conformance.fuzz;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.options.Padding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The op generators: for each op, random single-op models over its parameter space (shapes,
 * strides, padding, dilation, scales log-uniform over 1e-6..1e2, zero points across the range,
 * per-channel weights, broadcasting, every fused activation the kernel accepts, dtype paths) and
 * random inputs over the input type's full range.
 *
 * <p>Output scales are derived from the inputs' so that results are spread over the output range
 * with a random factor of up to 4 either way: some cases saturate, most do not (a suite whose
 * outputs are all clamped to qmin/qmax would prove nothing about rounding).
 *
 * <pre>{@code
 * for (Map.Entry<BuiltinOp, OpGenerator> e : Generators.all().entrySet()) {
 *     OpCase c = e.getValue().generate(1234);
 *     System.out.println(c);                 // e.g. ADD seed=1234 int8 [3,1,4]+[4] ...
 * }
 * }</pre>
 */
public final class Generators {
    private static final Map<BuiltinOp, OpGenerator> ALL = new EnumMap<>(BuiltinOp.class);

    /** Fused activations TFLite's quantized kernels accept (TANH and SIGN_BIT are not). */
    private static final Activation[] ACTIVATIONS = {Activation.NONE, Activation.RELU, Activation.RELU_N1_TO_1, Activation.RELU6};

    static {
        add(BuiltinOp.QUANTIZE, Generators::quantize);
        add(BuiltinOp.DEQUANTIZE, Generators::dequantize);
        add(BuiltinOp.FULLY_CONNECTED, Generators::fullyConnected);
        add(BuiltinOp.ADD, (gen, g) -> binary(gen, g, BuiltinOp.ADD));
        add(BuiltinOp.SUB, (gen, g) -> binary(gen, g, BuiltinOp.SUB));
        add(BuiltinOp.MUL, (gen, g) -> binary(gen, g, BuiltinOp.MUL));
        add(BuiltinOp.CONV_2D, Generators::conv2d);
        add(BuiltinOp.DEPTHWISE_CONV_2D, Generators::depthwiseConv2d);
        add(BuiltinOp.TRANSPOSE_CONV, Generators::transposeConv);
        add(BuiltinOp.AVERAGE_POOL_2D, (gen, g) -> pool(gen, g, true));
        add(BuiltinOp.MAX_POOL_2D, (gen, g) -> pool(gen, g, false));
        add(BuiltinOp.MEAN, Generators::mean);
        add(BuiltinOp.SOFTMAX, Generators::softmax);
        add(BuiltinOp.LOGISTIC, (gen, g) -> fixedOutputActivation(gen, g, BuiltinOp.LOGISTIC));
        add(BuiltinOp.TANH, (gen, g) -> fixedOutputActivation(gen, g, BuiltinOp.TANH));
        add(BuiltinOp.RELU, (gen, g) -> activation(gen, g, BuiltinOp.RELU));
        add(BuiltinOp.RELU6, (gen, g) -> activation(gen, g, BuiltinOp.RELU6));
        add(BuiltinOp.RELU_N1_TO_1, (gen, g) -> activation(gen, g, BuiltinOp.RELU_N1_TO_1));
        add(BuiltinOp.LEAKY_RELU, (gen, g) -> activation(gen, g, BuiltinOp.LEAKY_RELU));
        add(BuiltinOp.HARD_SWISH, (gen, g) -> activation(gen, g, BuiltinOp.HARD_SWISH));
        add(BuiltinOp.BATCH_MATMUL, Generators::batchMatMul);
        add(BuiltinOp.PAD, (gen, g) -> pad(gen, g, false));
        add(BuiltinOp.PADV2, (gen, g) -> pad(gen, g, true));
        add(BuiltinOp.CONCATENATION, Generators::concatenation);
        add(BuiltinOp.RESHAPE, (gen, g) -> shapeOp(gen, g, BuiltinOp.RESHAPE));
        add(BuiltinOp.SQUEEZE, (gen, g) -> shapeOp(gen, g, BuiltinOp.SQUEEZE));
        add(BuiltinOp.TRANSPOSE, (gen, g) -> shapeOp(gen, g, BuiltinOp.TRANSPOSE));
        add(BuiltinOp.STRIDED_SLICE, Generators::stridedSlice);
    }

    private Generators() {
    }

    /** Every generator, by op. */
    public static Map<BuiltinOp, OpGenerator> all() {
        return Collections.unmodifiableMap(ALL);
    }

    public static Optional<OpGenerator> forOp(BuiltinOp op) {
        return Optional.ofNullable(ALL.get(op));
    }

    /** What a generator body fills in: the inputs and the parameter description; the builder is given. */
    private static final class Build {
        final List<byte[]> inputs = new ArrayList<>();
        final StringBuilder params = new StringBuilder();

        Build p(Object... parts) {
            for (Object o : parts) {
                if (params.length() > 0) {
                    params.append(' ');
                }
                params.append(o);
            }
            return this;
        }
    }

    private interface Body {
        void build(Gen gen, Ctx ctx);
    }

    /** The builder, the subgraph and the case's inputs and description. */
    private static final class Ctx {
        final ModelBuilder mb = ModelBuilder.create().description("litebit fuzz case");
        final SubgraphBuilder g = mb.main();
        final Build b = new Build();

        TensorRef input(String name, DType t, int[] shape, Quantization q, byte[] data) {
            b.inputs.add(data);
            return g.input(name, t, shape, q);
        }
    }

    private static void add(BuiltinOp op, Body body) {
        ALL.put(op, new OpGenerator() {
            @Override
            public BuiltinOp op() {
                return op;
            }

            @Override
            public OpCase generate(long seed) {
                return make(new Gen(seed), seed);
            }

            @Override
            public OpCase replay(Choices choices, long seed) {
                return make(new Gen(choices), seed);
            }

            private OpCase make(Gen gen, long seed) {
                Ctx ctx = new Ctx();
                body.build(gen, ctx);
                return new OpCase(op, seed, ctx.b.params.toString(), ctx.mb.build(), ctx.b.inputs, gen.choices());
            }

            @Override
            public String toString() {
                return op + " generator";
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    /**
     * An output scale for a dot product of {@code k} terms whose quantized operands have typical
     * magnitudes {@code sx} and {@code sw} (standard deviations of the centred integers): about
     * four standard deviations of the accumulator fill the output range, times a random factor of
     * 1/4..4.
     */
    private static float dotOutputScale(Gen gen, double inScale, double wScale, int k, double sx, double sw, DType out) {
        double accStd = Math.sqrt(k) * sx * sw;
        double range = Gen.qmax(out) - Gen.qmin(out);
        return (float) (inScale * wScale * accStd * 8 / range * gen.logUniform(0.25, 4));
    }

    /** Standard deviation of integers uniform over a type's range. */
    private static double std(DType t) {
        return (Gen.qmax(t) - Gen.qmin(t) + 1) / Math.sqrt(12);
    }

    private static Activation act(Gen gen) {
        return gen.pick(ACTIVATIONS);
    }

    /** Int8 weights, symmetric (zero point 0), per-tensor or per channel along {@code axis}. */
    private static Quantization weightQuant(Gen gen, boolean perChannel, int channels, int axis) {
        float base = gen.scale();
        if (!perChannel) {
            return Quantization.perTensor(base, 0);
        }
        float[] s = new float[channels];
        for (int i = 0; i < channels; i++) {
            s[i] = (float) (base * gen.logUniform(0.1, 10));
        }
        return Quantization.perChannel(s, new long[channels], axis);
    }

    private static float maxScale(Quantization q) {
        float m = 0;
        for (float s : q.scales()) {
            m = Math.max(m, s);
        }
        return m;
    }

    /** A bias of {@code n} values of the accumulator's magnitude (int32, or int64 for 16x8). */
    private static TensorRef bias(Gen gen, Ctx c, int n, Quantization inQ, Quantization wQ, double accStd, boolean int64) {
        Quantization bq = SubgraphBuilder.biasQuantization(inQ, wQ);
        long bound = (long) Math.max(1, Math.min(accStd * 2, Integer.MAX_VALUE / 4.0));
        long[] v = gen.ints(n, -bound, bound);
        if (int64) {
            return c.g.constant("bias", new int[] {n}, v, bq);
        }
        return c.g.constant("bias", new int[] {n}, Gen.ints(v), bq);
    }

    private static DType quantType(Gen gen) {
        return gen.pick(DType.INT8, DType.INT8, DType.UINT8, DType.INT16);
    }

    // ------------------------------------------------------------------ (de)quantization

    private static void quantize(Gen gen, Ctx c) {
        int[] shape = gen.shape(gen.between(1, 4), 6);
        int n = Gen.count(shape);
        boolean fromFloat = gen.chance(0.5);
        if (fromFloat) {
            DType out = gen.pick(DType.INT8, DType.UINT8, DType.INT16);
            Quantization oq;
            if (out == DType.INT8 && shape.length > 1 && gen.chance(0.2)) {
                int axis = gen.between(0, shape.length - 1);
                float[] s = new float[shape[axis]];
                long[] z = new long[shape[axis]];
                for (int i = 0; i < s.length; i++) {
                    s[i] = gen.scale();
                    z[i] = gen.zeroPoint(out);
                }
                oq = Quantization.perChannel(s, z, axis);
            } else {
                oq = gen.perTensor(out);
            }
            // Real values over 1.2x the representable range (some saturate), half of them exact ties
            // (k + 0.5) * scale, where round-half-away and round-half-even differ.
            float s0 = oq.scale(0);
            long z0 = oq.zeroPoint(0);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                double q = Gen.qmin(out) - 0.1 * (Gen.qmax(out) - Gen.qmin(out))
                        + gen.unit() * 1.2 * (Gen.qmax(out) - Gen.qmin(out));
                if (gen.chance(0.5)) {
                    q = Math.floor(q) + 0.5;
                }
                x[i] = (float) ((q - z0) * s0);
            }
            TensorRef in = c.input("x", DType.FLOAT32, shape, Quantization.NONE, Gen.le(x));
            c.g.output(c.g.quantize(in, Out.of(out, oq).named("y")));
            c.b.p("float32->" + out.displayName(), Gen.s(shape), "out", Gen.q(oq));
            return;
        }
        DType in = gen.pick(DType.INT8, DType.UINT8, DType.INT16);
        DType out = switch (in) {
            case INT16 -> gen.pick(DType.INT8, DType.INT16);
            default -> gen.pick(DType.INT8, DType.UINT8);
        };
        Quantization iq = gen.perTensor(in);
        // A requantization multiplier in_scale/out_scale spanning 1e-3..2: both sides of 1 (QuantizeMultiplier's
        // two branches) without the mostly saturated outputs that larger multipliers give.
        Quantization oq = Quantization.perTensor((float) (iq.scale(0) * gen.logUniform(0.5, 1e3)), gen.zeroPoint(out));
        TensorRef x = c.input("x", in, shape, iq, gen.values(in, n));
        c.g.output(c.g.quantize(x, Out.of(out, oq).named("y")));
        c.b.p(in.displayName() + "->" + out.displayName(), Gen.s(shape), "in", Gen.q(iq), "out", Gen.q(oq));
    }

    private static void dequantize(Gen gen, Ctx c) {
        int[] shape = gen.shape(gen.between(1, 4), 6);
        DType in = gen.pick(DType.INT8, DType.UINT8, DType.INT16);
        Quantization q;
        if (in != DType.INT16 && shape.length > 1 && gen.chance(0.3)) {
            int axis = gen.between(0, shape.length - 1);
            float[] s = new float[shape[axis]];
            long[] z = new long[shape[axis]];
            for (int i = 0; i < s.length; i++) {
                s[i] = gen.scale();
                z[i] = gen.zeroPoint(in);
            }
            q = Quantization.perChannel(s, z, axis);
        } else {
            q = gen.perTensor(in);
        }
        TensorRef x = c.input("x", in, shape, q, gen.values(in, Gen.count(shape)));
        c.g.output(c.g.dequantize(x, Out.float32().named("y")));
        c.b.p(in.displayName() + "->float32", Gen.s(shape), Gen.q(q));
    }

    // ------------------------------------------------------------------ matmuls and convolutions

    private static void fullyConnected(Gen gen, Ctx c) {
        // int8 (per-tensor or per-channel weights), uint8, and int16 activations with int8 weights (16x8).
        DType t = gen.pick(DType.INT8, DType.INT8, DType.UINT8, DType.INT16);
        int k = gen.between(1, 64);
        int units = gen.between(1, 24);
        int rank = gen.between(1, 3);
        int[] shape = new int[rank];
        for (int i = 0; i < rank - 1; i++) {
            shape[i] = gen.between(1, 4);
        }
        shape[rank - 1] = k;
        boolean keep = rank > 1 && gen.chance(0.3);
        DType wt = t == DType.UINT8 ? DType.UINT8 : DType.INT8;
        boolean perChannel = wt == DType.INT8 && gen.chance(0.4);
        Quantization iq = gen.perTensor(t);
        Quantization wq = wt == DType.UINT8 ? Quantization.perTensor(gen.scale(), gen.zeroPoint(DType.UINT8))
                : weightQuant(gen, perChannel, units, 0);
        float outScale = dotOutputScale(gen, iq.scale(0), maxScale(wq), k, std(t), std(wt), t);
        Quantization oq = Quantization.perTensor(outScale, gen.zeroPoint(t));
        Activation a = act(gen);
        TensorRef x = c.input("x", t, shape, iq, gen.values(t, Gen.count(shape)));
        TensorRef w = c.g.constant("w", wt, new int[] {units, k}, gen.values(wt, units * k), wq);
        boolean withBias = t == DType.UINT8 || gen.chance(0.8);
        double accStd = Math.sqrt(k) * std(t) * std(wt);
        TensorRef b = withBias ? bias(gen, c, units, iq, wq, accStd, t == DType.INT16 && gen.chance(0.5)) : null;
        // 16x8 reads an int32 bias as int32 only when the options say so (else as int64).
        DType biasType = t == DType.INT16 && b != null && b.dtype() == DType.INT32 ? DType.INT32 : null;
        c.g.output(c.g.fullyConnected(x, w, b, new BuiltinOptions.FullyConnected(a, keep).withQuantizedBiasType(biasType),
                Out.of(t, oq).named("y")));
        c.b.p(t.displayName(), "x" + Gen.s(shape), "units=" + units, "in", Gen.q(iq), "w", Gen.q(wq), "out", Gen.q(oq),
                a, keep ? "keep_num_dims" : "", withBias ? "bias(" + b.dtype().displayName() + ")" : "no-bias",
                biasType != null ? "quantized_bias_type=INT32" : "");
    }

    private static void conv2d(Gen gen, Ctx c) {
        DType t = gen.pick(DType.INT8, DType.INT8, DType.UINT8, DType.INT16);
        int h = gen.between(1, 9);
        int w = gen.between(1, 9);
        int cin = gen.between(1, 6);
        int cout = gen.between(1, 6);
        int fh = gen.between(1, Math.min(3, h));
        int fw = gen.between(1, Math.min(3, w));
        int dil = gen.chance(0.2) ? 2 : 1;
        if ((fh - 1) * dil + 1 > h || (fw - 1) * dil + 1 > w) {
            dil = 1;
        }
        Padding pad = gen.pick(Padding.SAME, Padding.VALID);
        int stride = gen.between(1, 2);
        Activation a = act(gen);
        DType wt = t == DType.UINT8 ? DType.UINT8 : DType.INT8;
        boolean perChannel = wt == DType.INT8 && gen.chance(0.6);
        Quantization iq = gen.perTensor(t);
        Quantization wq = wt == DType.UINT8 ? Quantization.perTensor(gen.scale(), gen.zeroPoint(DType.UINT8))
                : weightQuant(gen, perChannel, cout, 0);
        int k = fh * fw * cin;
        Quantization oq = Quantization.perTensor(dotOutputScale(gen, iq.scale(0), maxScale(wq), k, std(t), std(wt), t),
                gen.zeroPoint(t));
        int[] shape = {gen.between(1, 2), h, w, cin};
        TensorRef x = c.input("x", t, shape, iq, gen.values(t, Gen.count(shape)));
        TensorRef f = c.g.constant("filter", wt, new int[] {cout, fh, fw, cin}, gen.values(wt, cout * k), wq);
        TensorRef b = bias(gen, c, cout, iq, wq, Math.sqrt(k) * std(t) * std(wt), t == DType.INT16 && gen.chance(0.5));
        // 16x8 reads an int32 bias as int32 only when the options say so (else as int64); o.summary() shows it.
        BuiltinOptions.Conv2D o = new BuiltinOptions.Conv2D(pad, stride, stride, a, dil, dil,
                t == DType.INT16 && b.dtype() == DType.INT32 ? DType.INT32 : null);
        c.g.output(c.g.conv2d(x, f, b, o, Out.of(t, oq).named("y")));
        c.b.p(t.displayName(), "x" + Gen.s(shape), "filter" + Gen.s(new int[] {cout, fh, fw, cin}), o.summary(),
                "in", Gen.q(iq), "w", Gen.q(wq), "out", Gen.q(oq), "bias(" + b.dtype().displayName() + ")");
    }

    private static void depthwiseConv2d(Gen gen, Ctx c) {
        DType t = gen.pick(DType.INT8, DType.INT8, DType.UINT8, DType.INT16);
        int h = gen.between(1, 9);
        int w = gen.between(1, 9);
        int cin = gen.between(1, 6);
        int mult = gen.between(1, 3);
        int cout = cin * mult;
        int fh = gen.between(1, Math.min(3, h));
        int fw = gen.between(1, Math.min(3, w));
        Padding pad = gen.pick(Padding.SAME, Padding.VALID);
        int stride = gen.between(1, 2);
        int dil = gen.chance(0.2) && (fh - 1) * 2 + 1 <= h && (fw - 1) * 2 + 1 <= w ? 2 : 1;
        Activation a = act(gen);
        DType wt = t == DType.UINT8 ? DType.UINT8 : DType.INT8;
        boolean perChannel = wt == DType.INT8 && gen.chance(0.6);
        Quantization iq = gen.perTensor(t);
        Quantization wq = wt == DType.UINT8 ? Quantization.perTensor(gen.scale(), gen.zeroPoint(DType.UINT8))
                : weightQuant(gen, perChannel, cout, 3);
        int k = fh * fw;
        Quantization oq = Quantization.perTensor(dotOutputScale(gen, iq.scale(0), maxScale(wq), k, std(t), std(wt), t),
                gen.zeroPoint(t));
        int[] shape = {gen.between(1, 2), h, w, cin};
        TensorRef x = c.input("x", t, shape, iq, gen.values(t, Gen.count(shape)));
        TensorRef f = c.g.constant("filter", wt, new int[] {1, fh, fw, cout}, gen.values(wt, cout * k), wq);
        // The optimized kernels need a bias (see SubgraphBuilder#depthwiseConv2d): always give one;
        // int16 depthwise takes an int64 bias only (depthwise_conv.cc: bias->type == kTfLiteInt64).
        TensorRef b = bias(gen, c, cout, iq, wq, Math.sqrt(k) * std(t) * std(wt), t == DType.INT16);
        BuiltinOptions.DepthwiseConv2D o = new BuiltinOptions.DepthwiseConv2D(pad, stride, stride, mult, a, dil, dil);
        c.g.output(c.g.depthwiseConv2d(x, f, b, o, Out.of(t, oq).named("y")));
        c.b.p(t.displayName(), "x" + Gen.s(shape), "filter" + Gen.s(new int[] {1, fh, fw, cout}), o.summary(),
                "in", Gen.q(iq), "w", Gen.q(wq), "out", Gen.q(oq));
    }

    private static void transposeConv(Gen gen, Ctx c) {
        DType t = gen.pick(DType.INT8, DType.INT8, DType.UINT8, DType.INT16);
        int h = gen.between(1, 6);
        int w = gen.between(1, 6);
        int cin = gen.between(1, 5);
        int cout = gen.between(1, 5);
        int fh = gen.between(1, 3);
        int fw = gen.between(1, 3);
        int stride = gen.between(1, 2);
        Padding pad = gen.pick(Padding.SAME, Padding.VALID);
        DType wt = t == DType.UINT8 ? DType.UINT8 : DType.INT8;
        boolean perChannel = wt == DType.INT8 && gen.chance(0.6);
        Quantization iq = gen.perTensor(t);
        Quantization wq = wt == DType.UINT8 ? Quantization.perTensor(gen.scale(), gen.zeroPoint(DType.UINT8))
                : weightQuant(gen, perChannel, cout, 0);
        int k = Math.max(1, fh * fw * cin / (stride * stride));
        Quantization oq = Quantization.perTensor(dotOutputScale(gen, iq.scale(0), maxScale(wq), k, std(t), std(wt), t),
                gen.zeroPoint(t));
        int[] shape = {1, h, w, cin};
        TensorRef x = c.input("x", t, shape, iq, gen.values(t, Gen.count(shape)));
        TensorRef f = c.g.constant("filter", wt, new int[] {cout, fh, fw, cin}, gen.values(wt, cout * fh * fw * cin), wq);
        boolean withBias = gen.chance(0.7);
        TensorRef b = withBias ? bias(gen, c, cout, iq, wq, Math.sqrt(k) * std(t) * std(wt),
                t == DType.INT16 && gen.chance(0.5)) : null;
        // 16x8 reads an int32 bias as int32 only when the options say so (else as int64).
        DType biasType = t == DType.INT16 && b != null && b.dtype() == DType.INT32 ? DType.INT32 : null;
        BuiltinOptions.TransposeConv o = new BuiltinOptions.TransposeConv(pad, stride, stride, Activation.NONE, biasType);
        c.g.output(c.g.transposeConv(x, f, b, o, Out.of(t, oq).named("y")));
        c.b.p(t.displayName(), "x" + Gen.s(shape), "filter" + Gen.s(new int[] {cout, fh, fw, cin}), pad, "stride=" + stride,
                "in", Gen.q(iq), "w", Gen.q(wq), "out", Gen.q(oq), withBias ? "bias(" + b.dtype().displayName() + ")" : "no-bias",
                biasType != null ? "quantized_bias_type=INT32" : "");
    }

    private static void batchMatMul(Gen gen, Ctx c) {
        DType t = gen.pick(DType.INT8, DType.INT8, DType.INT16);
        int m = gen.between(1, 6);
        int k = gen.between(1, 16);
        int n = gen.between(1, 6);
        boolean adjX = gen.chance(0.3);
        boolean adjY = gen.chance(0.3);
        int batch = gen.between(1, 3);
        boolean broadcast = gen.chance(0.3);
        int[] xs = adjX ? new int[] {batch, k, m} : new int[] {batch, m, k};
        int[] ys = adjY ? new int[] {n, k} : new int[] {k, n};
        if (!broadcast) {
            ys = adjY ? new int[] {batch, n, k} : new int[] {batch, k, n};
        }
        Quantization xq = gen.perTensor(t);
        Quantization yq = Quantization.perTensor(gen.scale(), 0);
        Quantization oq = Quantization.perTensor(dotOutputScale(gen, xq.scale(0), yq.scale(0), k, std(t), std(t), t),
                gen.zeroPoint(t));
        TensorRef x = c.input("x", t, xs, xq, gen.values(t, Gen.count(xs)));
        TensorRef y = c.input("y", t, ys, yq, gen.values(t, Gen.count(ys)));
        c.g.output(c.g.batchMatMul(x, y, new BuiltinOptions.BatchMatMul(adjX, adjY, false), Out.of(t, oq).named("z")));
        c.b.p(t.displayName(), "x" + Gen.s(xs), "y" + Gen.s(ys), adjX ? "adj_x" : "", adjY ? "adj_y" : "",
                "x", Gen.q(xq), "y", Gen.q(yq), "out", Gen.q(oq));
    }

    // ------------------------------------------------------------------ elementwise

    /** Two shapes that broadcast: a base shape, and a copy with some dimensions set to 1 or dropped from the front. */
    private static int[][] broadcastShapes(Gen gen) {
        int[] a = gen.shape(gen.between(1, 4), 5);
        int[] b = a.clone();
        if (gen.chance(0.6)) {
            for (int i = 0; i < b.length; i++) {
                if (gen.chance(0.4)) {
                    b[i] = 1;
                }
            }
            if (gen.chance(0.4) && b.length > 1) {
                b = Arrays.copyOfRange(b, gen.between(1, b.length - 1), b.length);
            }
        }
        return gen.chance(0.5) ? new int[][] {a, b} : new int[][] {b, a};
    }

    private static void binary(Gen gen, Ctx c, BuiltinOp op) {
        DType t = quantType(gen);
        if (t == DType.INT16 && op != BuiltinOp.MUL && gen.chance(0.3)) {
            binaryPowerOfTwoInt16(gen, c, op);
            return;
        }
        int[][] s = broadcastShapes(gen);
        Quantization q1 = gen.perTensor(t);
        Quantization q2 = Quantization.perTensor((float) (q1.scale(0) * gen.logUniform(1e-2, 1e2)), gen.zeroPoint(t));
        Quantization oq;
        if (op == BuiltinOp.MUL) {
            double prod = q1.scale(0) * q2.scale(0) * std(t) * std(t);
            oq = Quantization.perTensor((float) (prod * 8 / (Gen.qmax(t) - Gen.qmin(t)) * gen.logUniform(0.25, 4)),
                    gen.zeroPoint(t));
        } else {
            double big = Math.max(q1.scale(0), q2.scale(0));
            oq = Quantization.perTensor((float) (big * gen.logUniform(0.25, 4)), gen.zeroPoint(t));
        }
        Activation a = act(gen);
        TensorRef x = c.input("a", t, s[0], q1, gen.values(t, Gen.count(s[0])));
        TensorRef y = c.input("b", t, s[1], q2, gen.values(t, Gen.count(s[1])));
        Out out = Out.of(t, oq).named("y");
        TensorRef r = switch (op) {
            case ADD -> c.g.add(x, y, a, out);
            case SUB -> c.g.sub(x, y, a, out);
            case MUL -> c.g.mul(x, y, a, out);
            default -> throw new AssertionError(op);
        };
        c.g.output(r);
        c.b.p(t.displayName(), Gen.s(s[0]) + "," + Gen.s(s[1]), "a", Gen.q(q1), "b", Gen.q(q2), "out", Gen.q(oq), a);
    }

    /**
     * ADD/SUB with {@code pot_scale_int16 = true}: TFLite's other int16 path, for power-of-two
     * scales with zero points 0, element-wise; the output scale is the larger input scale so that
     * one input shift is 0 and the other non-positive, as that path requires. The builder's add()
     * and sub() always write {@code false}, hence the raw op.
     */
    private static void binaryPowerOfTwoInt16(Gen gen, Ctx c, BuiltinOp op) {
        int[] shape = gen.shape(gen.between(1, 4), 5);
        float s1 = (float) Math.scalb(1.0, -gen.between(6, 15));
        float s2 = (float) Math.scalb(1.0, -gen.between(6, 15));
        Quantization q1 = Quantization.perTensor(s1, 0);
        Quantization q2 = Quantization.perTensor(s2, 0);
        Quantization oq = Quantization.perTensor(Math.max(s1, s2), 0);
        Activation a = act(gen);
        TensorRef x = c.input("a", DType.INT16, shape, q1, gen.values(DType.INT16, Gen.count(shape)));
        TensorRef y = c.input("b", DType.INT16, shape, q2, gen.values(DType.INT16, Gen.count(shape)));
        TensorRef out = c.g.tensor("y", DType.INT16, shape, oq);
        BuiltinOptions o = op == BuiltinOp.ADD ? new BuiltinOptions.Add(a, true) : new BuiltinOptions.Sub(a, true);
        c.g.op(op, o, List.of(x, y), List.of(out));
        c.g.output(out);
        c.b.p("int16(pot)", Gen.s(shape), "a", Gen.q(q1), "b", Gen.q(q2), "out", Gen.q(oq), a);
    }

    private static void pool(Gen gen, Ctx c, boolean average) {
        DType t = quantType(gen);
        int h = gen.between(1, 9);
        int w = gen.between(1, 9);
        int[] shape = {gen.between(1, 2), h, w, gen.between(1, 5)};
        int fh = gen.between(1, Math.min(3, h));
        int fw = gen.between(1, Math.min(3, w));
        int stride = gen.between(1, 3);
        Padding pad = gen.pick(Padding.SAME, Padding.VALID);
        Activation a = act(gen);
        Quantization q = gen.perTensor(t);
        TensorRef x = c.input("x", t, shape, q, gen.values(t, Gen.count(shape)));
        BuiltinOptions.Pool2D o = new BuiltinOptions.Pool2D(pad, stride, stride, fw, fh, a);
        // TFLite's quantized pools do not rescale: the output keeps the input's scale and zero point.
        Out out = Out.of(t, q).named("y");
        c.g.output(average ? c.g.averagePool2d(x, o, out) : c.g.maxPool2d(x, o, out));
        c.b.p(t.displayName(), "x" + Gen.s(shape), o.summary(), Gen.q(q));
    }

    private static void mean(Gen gen, Ctx c) {
        DType t = quantType(gen);
        int[] shape = gen.shape(gen.between(1, 4), 6);
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            if (gen.chance(0.5)) {
                axes.add(gen.chance(0.2) ? i - shape.length : i);
            }
        }
        if (axes.isEmpty()) {
            axes.add(gen.between(0, shape.length - 1));
        }
        int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
        boolean keep = gen.chance(0.5);
        Quantization q = gen.perTensor(t);
        // Half the cases keep the input's parameters (TFLite's fast path), half rescale.
        Quantization oq = gen.chance(0.5) ? q
                : Quantization.perTensor((float) (q.scale(0) * gen.logUniform(0.1, 2)), gen.zeroPoint(t));
        byte[] values = gen.values(t, Gen.count(shape));
        // Drawn last so that the cases above stay what they were: for int8 and uint8, some cases become
        // TFLite's optimized 4-D spatial mean (keep_dims, axes exactly [1, 2] or [2, 1]), which the draws
        // above hit in about 0.5% of cases; depths above 16 reach arm64's 16-channel NEON loop.
        if (t != DType.INT16 && gen.chance(0.3)) {
            shape = new int[] {gen.between(1, 2), gen.between(1, 9), gen.between(1, 9), gen.between(1, 40)};
            ax = gen.chance(0.5) ? new int[] {1, 2} : new int[] {2, 1};
            keep = true;
            values = gen.values(t, Gen.count(shape));
        }
        TensorRef x = c.input("x", t, shape, q, values);
        c.g.output(c.g.mean(x, ax, keep, Out.of(t, oq).named("y")));
        c.b.p(t.displayName(), "x" + Gen.s(shape), "axes=" + Arrays.toString(ax).replace(" ", ""),
                keep ? "keep_dims" : "", "in", Gen.q(q), "out", Gen.q(oq));
    }

    private static void softmax(Gen gen, Ctx c) {
        DType t = quantType(gen);
        int[] shape = gen.shape(gen.between(1, 4), 8);
        // Realistic logit scales: the whole input range spans about 0.5..20 in real units (wider, and
        // almost every probability rounds to 0, i.e. saturates at the output's minimum).
        Quantization q = Quantization.perTensor((float) (gen.logUniform(0.5, 20) / (Gen.qmax(t) - Gen.qmin(t))),
                gen.zeroPoint(t));
        float beta = (float) gen.logUniform(0.1, 2);
        DType outT = t == DType.INT8 && gen.chance(0.2) ? DType.INT16 : t;
        TensorRef x = c.input("x", t, shape, q, gen.values(t, Gen.count(shape)));
        if (outT == DType.INT16 && t == DType.INT8) {
            // TFLite's softmax Prepare wants int8 -> int16 outputs at (1/65536, -32768); the builder's
            // softmax() insists on (1/32768, 0) there (right for int16 -> int16 only), and with those
            // BUILTIN and BUILTIN_REF disagree wildly. So: the raw op with the parameters TFLite checks.
            TensorRef y = c.g.tensor("y", DType.INT16, shape, Quantization.perTensor(1f / 65536, -32768));
            c.g.op(BuiltinOp.SOFTMAX, new BuiltinOptions.Softmax(beta), List.of(x), List.of(y));
            c.g.output(y);
        } else {
            c.g.output(c.g.softmax(x, beta, Out.of(outT).named("y")));
        }
        c.b.p(t.displayName() + "->" + outT.displayName(), "x" + Gen.s(shape), "beta=" + beta, "in", Gen.q(q));
    }

    private static void fixedOutputActivation(Gen gen, Ctx c, BuiltinOp op) {
        DType t = quantType(gen);
        int[] shape = gen.shape(gen.between(1, 4), 8);
        // The input range spans about 1..40 in real units: around the function's interesting part.
        Quantization q = Quantization.perTensor((float) (gen.logUniform(1, 40) / (Gen.qmax(t) - Gen.qmin(t))),
                gen.zeroPoint(t));
        TensorRef x = c.input("x", t, shape, q, gen.values(t, Gen.count(shape)));
        Out out = Out.of(t).named("y");
        c.g.output(op == BuiltinOp.LOGISTIC ? c.g.logistic(x, out) : c.g.tanh(x, out));
        c.b.p(t.displayName(), "x" + Gen.s(shape), "in", Gen.q(q));
    }

    private static void activation(Gen gen, Ctx c, BuiltinOp op) {
        // TFLite 2.19's RELU_N1_TO_1 and HARD_SWISH have no int16 kernels ("Only float32, uint8, int8").
        DType t = op == BuiltinOp.RELU_N1_TO_1 || op == BuiltinOp.HARD_SWISH ? gen.pick(DType.INT8, DType.UINT8) : quantType(gen);
        int[] shape = gen.shape(gen.between(1, 4), 8);
        Quantization q = gen.perTensor(t);
        Quantization oq = Quantization.perTensor((float) (q.scale(0) * gen.logUniform(0.25, 4)), gen.zeroPoint(t));
        if (op == BuiltinOp.RELU6 || op == BuiltinOp.RELU_N1_TO_1) {
            // Real input range about 1..20 so that the clamps at 6 and +-1 are inside it.
            q = Quantization.perTensor((float) (gen.logUniform(1, 20) / (Gen.qmax(t) - Gen.qmin(t))), gen.zeroPoint(t));
            oq = Quantization.perTensor((float) (q.scale(0) * gen.logUniform(0.25, 4)), gen.zeroPoint(t));
        }
        TensorRef x = c.input("x", t, shape, q, gen.values(t, Gen.count(shape)));
        Out out = Out.of(t, oq).named("y");
        String extra = "";
        TensorRef y;
        switch (op) {
            case RELU -> y = c.g.relu(x, out);
            case RELU6 -> y = c.g.relu6(x, out);
            case LEAKY_RELU -> {
                float alpha = gen.pick(0.01f, 0.1f, 0.2f, 0.3f, (float) gen.unit());
                extra = "alpha=" + alpha;
                y = c.g.leakyRelu(x, alpha, out);
            }
            case HARD_SWISH -> y = c.g.hardSwish(x, out);
            case RELU_N1_TO_1 -> {
                // No builder shorthand: the raw op with a prepared output tensor.
                y = c.g.tensor("y", t, shape, oq);
                c.g.op(BuiltinOp.RELU_N1_TO_1, BuiltinOptions.None.INSTANCE, List.of(x), List.of(y));
            }
            default -> throw new AssertionError(op);
        }
        c.g.output(y);
        c.b.p(t.displayName(), "x" + Gen.s(shape), "in", Gen.q(q), "out", Gen.q(oq), extra);
    }

    // ------------------------------------------------------------------ data movement

    /** A data-movement op's input type: quantized types and float32 (shape ops are type-agnostic copies). */
    private static DType anyType(Gen gen) {
        return gen.pick(DType.INT8, DType.UINT8, DType.INT16, DType.FLOAT32);
    }

    private static TensorRef anyInput(Gen gen, Ctx c, String name, DType t, int[] shape, Quantization q) {
        int n = Gen.count(shape);
        byte[] data = t == DType.FLOAT32 ? Gen.le(gen.floats(n, -100, 100)) : gen.values(t, n);
        return c.input(name, t, shape, t == DType.FLOAT32 ? Quantization.NONE : q, data);
    }

    private static void pad(Gen gen, Ctx c, boolean v2) {
        DType t = anyType(gen);
        int[] shape = gen.shape(gen.between(1, 4), 5);
        int[][] p = new int[shape.length][2];
        for (int[] row : p) {
            row[0] = gen.between(0, 2);
            row[1] = gen.between(0, 2);
        }
        Quantization q = t == DType.FLOAT32 ? Quantization.NONE : gen.perTensor(t);
        TensorRef x = anyInput(gen, c, "x", t, shape, q);
        StringBuilder ps = new StringBuilder();
        for (int[] row : p) {
            ps.append(row[0]).append(':').append(row[1]).append(' ');
        }
        if (v2) {
            TensorRef value;
            if (t == DType.FLOAT32) {
                value = c.g.constant("value", new int[] {1}, new float[] {(float) gen.unit() * 10});
            } else {
                value = c.g.constant("value", t, new int[] {1}, gen.values(t, 1), q);
            }
            c.g.output(c.g.padV2(x, p, value, Out.of(t, q).named("y")));
        } else {
            c.g.output(c.g.pad(x, p, Out.of(t, q).named("y")));
        }
        c.b.p(t.displayName(), "x" + Gen.s(shape), "paddings=" + ps.toString().trim(), Gen.q(q));
    }

    private static void concatenation(Gen gen, Ctx c) {
        DType t = anyType(gen);
        int rank = gen.between(1, 4);
        int[] base = gen.shape(rank, 4);
        int axis = gen.between(0, rank - 1);
        int count = gen.between(1, 4);
        Quantization oq = t == DType.FLOAT32 ? Quantization.NONE : gen.perTensor(t);
        // int8/int16 concatenation does not rescale: equal parameters. uint8 does: let them differ.
        boolean rescale = t == DType.UINT8 && gen.chance(0.5);
        List<TensorRef> ins = new ArrayList<>();
        StringBuilder desc = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int[] s = base.clone();
            s[axis] = gen.between(1, 4);
            Quantization q = rescale ? gen.perTensor(t) : oq;
            ins.add(anyInput(gen, c, "x" + i, t, s, q));
            desc.append(Gen.s(s)).append(Gen.q(q)).append(' ');
        }
        Activation a = t == DType.FLOAT32 ? Activation.NONE : Activation.NONE;
        c.g.output(c.g.concatenation(ins, gen.chance(0.2) ? axis - rank : axis, a, Out.of(t, oq).named("y")));
        c.b.p(t.displayName(), "axis=" + axis, desc.toString().trim(), "out", Gen.q(oq));
    }

    private static void shapeOp(Gen gen, Ctx c, BuiltinOp op) {
        DType t = anyType(gen);
        Quantization q = t == DType.FLOAT32 ? Quantization.NONE : gen.perTensor(t);
        switch (op) {
            case RESHAPE -> {
                int[] shape = gen.shape(gen.between(1, 4), 5);
                int n = Gen.count(shape);
                List<Integer> dims = new ArrayList<>();
                int left = n;
                while (left > 1 && dims.size() < 3) {
                    int d = gen.between(1, left);
                    while (left % d != 0) {
                        d--;
                    }
                    dims.add(d);
                    left /= d;
                }
                dims.add(left);
                int[] ns = dims.stream().mapToInt(Integer::intValue).toArray();
                if (gen.chance(0.3)) {
                    ns[gen.between(0, ns.length - 1)] = -1;
                }
                TensorRef x = anyInput(gen, c, "x", t, shape, q);
                c.g.output(c.g.reshape(x, ns, Out.of(t, q).named("y")));
                c.b.p(t.displayName(), "x" + Gen.s(shape), "new_shape=" + Gen.s(ns));
            }
            case SQUEEZE -> {
                int[] shape = gen.shape(gen.between(1, 5), 4);
                List<Integer> ones = new ArrayList<>();
                for (int i = 0; i < shape.length; i++) {
                    if (gen.chance(0.4)) {
                        shape[i] = 1;
                    }
                    if (shape[i] == 1 && gen.chance(0.7)) {
                        ones.add(i);
                    }
                }
                int[] dims = gen.chance(0.3) ? new int[0] : ones.stream().mapToInt(Integer::intValue).toArray();
                TensorRef x = anyInput(gen, c, "x", t, shape, q);
                c.g.output(c.g.squeeze(x, dims, Out.of(t, q).named("y")));
                c.b.p(t.displayName(), "x" + Gen.s(shape), "squeeze_dims=" + Gen.s(dims));
            }
            case TRANSPOSE -> {
                int rank = gen.between(1, 5);
                int[] shape = gen.shape(rank, 4);
                List<Integer> perm = new ArrayList<>();
                for (int i = 0; i < rank; i++) {
                    perm.add(i);
                }
                for (int i = rank - 1; i > 0; i--) {
                    Collections.swap(perm, i, gen.between(0, i));
                }
                int[] p = perm.stream().mapToInt(Integer::intValue).toArray();
                TensorRef x = anyInput(gen, c, "x", t, shape, q);
                c.g.output(c.g.transpose(x, p, Out.of(t, q).named("y")));
                c.b.p(t.displayName(), "x" + Gen.s(shape), "perm=" + Gen.s(p));
            }
            default -> throw new AssertionError(op);
        }
    }

    private static void stridedSlice(Gen gen, Ctx c) {
        DType t = anyType(gen);
        Quantization q = t == DType.FLOAT32 ? Quantization.NONE : gen.perTensor(t);
        int rank = gen.between(1, 4);
        int[] shape = gen.shape(rank, 6);
        int[] begin = new int[rank];
        int[] end = new int[rank];
        int[] strides = new int[rank];
        for (int i = 0; i < rank; i++) {
            boolean reverse = gen.chance(0.15);
            strides[i] = (reverse ? -1 : 1) * gen.between(1, 2);
            int a = gen.between(0, shape[i] - 1);
            int b = gen.between(a + 1, shape[i]);
            if (reverse) {
                begin[i] = b - 1;
                end[i] = a - 1 < 0 ? -shape[i] - 1 : a - 1;
            } else {
                begin[i] = gen.chance(0.2) ? a - shape[i] : a;
                end[i] = b;
            }
        }
        int beginMask = gen.chance(0.3) ? gen.between(0, (1 << rank) - 1) : 0;
        int endMask = gen.chance(0.3) ? gen.between(0, (1 << rank) - 1) : 0;
        int shrink = 0;
        if (gen.chance(0.3)) {
            int d = gen.between(0, rank - 1);
            // shrink_axis needs a one-element slice starting at begin.
            if (strides[d] > 0 && (beginMask & (1 << d)) == 0 && (endMask & (1 << d)) == 0) {
                shrink = 1 << d;
                end[d] = begin[d] + 1 == 0 ? shape[d] : begin[d] + 1;
                strides[d] = 1;
            }
        }
        BuiltinOptions.StridedSlice o = new BuiltinOptions.StridedSlice(beginMask, endMask, 0, 0, shrink, false);
        TensorRef x = anyInput(gen, c, "x", t, shape, q);
        c.g.output(c.g.stridedSlice(x, begin, end, strides, o, Out.of(t, q).named("y")));
        c.b.p(t.displayName(), "x" + Gen.s(shape), "begin=" + Gen.s(begin), "end=" + Gen.s(end), "strides=" + Gen.s(strides),
                o.summary());
    }

}
