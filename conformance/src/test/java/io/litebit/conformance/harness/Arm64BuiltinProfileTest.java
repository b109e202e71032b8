package io.litebit.conformance.harness;

import io.litebit.conformance.Backends;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import io.litebit.conformance.TraceDiff;
import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proof of {@link NumericsProfile#BUILTIN_ARM64} on QUANTIZE, DEQUANTIZE and 8-bit SOFTMAX,
 * kept to seconds of emulation: {@code reference:BUILTIN_ARM64} must equal the emulated {@code
 * arm64:builtin} bit for bit (a) on hand-built cases that put ties and halves into the NEON blocks
 * and the scalar tails of each optimized path (where {@code reference:TFLITE} must differ, or the
 * case would prove nothing); the seeded fuzz cases of every op are {@link Arm64FuzzTest}'s. Outside
 * CI a missing qemu skips it; in CI it fails.
 */
class Arm64BuiltinProfileTest {

    @BeforeAll
    static void harness() {
        HarnessAssumptions.require(HarnessPlatform.ARM64).executable();
    }

    private record Case(String name, TfliteModel model, byte[] input) {
    }

    @Test
    void handBuiltCasesOnEveryOptimizedPath() {
        Backend arm64 = Backends.parse("arm64:builtin");
        Backend profile = Backend.reference(NumericsProfile.BUILTIN_ARM64);
        Backend tflite = Backend.reference(NumericsProfile.TFLITE);
        List<String> problems = new ArrayList<>();
        for (Case c : cases()) {
            Trace a = arm64.run(c.model(), List.of(c.input()));
            TraceDiff modelled = TraceDiff.compare(c.model(), a, profile.run(c.model(), List.of(c.input())));
            TraceDiff reference = TraceDiff.compare(c.model(), a, tflite.run(c.model(), List.of(c.input())));
            System.out.println("[arm64-builtin-profile] " + c.name() + ": vs BUILTIN_ARM64 " + summary(modelled) + "; vs TFLITE "
                    + summary(reference));
            if (!modelled.identical() || !modelled.missing().isEmpty()) {
                problems.add(c.name() + ": arm64:builtin vs reference:BUILTIN_ARM64: " + summary(modelled));
            }
            if (reference.identical()) {
                problems.add(c.name() + ": arm64:builtin equals reference:TFLITE, so the case does not reach the optimized path");
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * Optimized int8 DEPTHWISE_CONV_2D on aarch64: 16 channels take the 3x3 kernel (ties up on every
     * channel), 12 channels the general one (ties up on channels 0-7, reference on 8-11); random
     * input sets, no activation, so that negative ties survive. Each must equal the profile on every
     * set and part from the reference on some.
     */
    @Test
    void depthwiseOnThe3x3KernelAndTheGeneralOne() {
        Backend arm64 = Backends.parse("arm64:builtin");
        Backend profile = Backend.reference(NumericsProfile.BUILTIN_ARM64);
        Backend tflite = Backend.reference(NumericsProfile.TFLITE);
        for (int channels : new int[] {16, 12}) {
            TfliteModel model = depthwise3x3(channels);
            long modelled = 0;
            long reference = 0;
            for (List<byte[]> inputs : io.litebit.conformance.InputSets.random(model, 10, 0)) {
                Trace a = arm64.run(model, inputs);
                modelled += TraceDiff.compare(model, a, profile.run(model, inputs)).tensors().stream()
                        .mapToLong(t -> t.differing()).sum();
                reference += TraceDiff.compare(model, a, tflite.run(model, inputs)).tensors().stream()
                        .mapToLong(t -> t.differing()).sum();
            }
            System.out.println("[arm64-builtin-profile] depthwise 3x3, " + channels + " channels, 10 input sets: "
                    + modelled + " elements apart from BUILTIN_ARM64, " + reference + " from TFLITE");
            assertThat(modelled).as(channels + " channels: arm64:builtin vs reference:BUILTIN_ARM64").isZero();
            assertThat(reference).as(channels + " channels: the cases reach the NEON rounding").isPositive();
        }
    }

    /** int8 [1, 6, 6, c] depthwise 3x3, SAME, stride 1, per-channel weights, fixed seeded values. */
    private static TfliteModel depthwise3x3(int c) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.INT8, new int[] {1, 6, 6, c}, Quantization.perTensor(0.02f, 3));
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        byte[] w = new byte[9 * c];
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) (r.nextInt(255) - 127);
        }
        float[] scales = new float[c];
        float[] biasScales = new float[c];
        int[] bias = new int[c];
        for (int i = 0; i < c; i++) {
            scales[i] = 0.001f * (1 + i);
            biasScales[i] = 0.02f * scales[i];
            bias[i] = r.nextInt(2001) - 1000;
        }
        TensorRef f = g.constant("w", DType.INT8, new int[] {1, 3, 3, c}, w, Quantization.perChannel(scales, new long[c], 3));
        TensorRef b = g.constant("b", new int[] {c}, bias, Quantization.perChannel(biasScales, new long[c], 0));
        g.output(g.depthwiseConv2d(x, f, b, new BuiltinOptions.DepthwiseConv2D(io.litebit.model.options.Padding.SAME, 1, 1, 1,
                io.litebit.model.options.Activation.NONE, 1, 1), Out.int8(0.0004f, -5).named("y")));
        return mb.build();
    }

    private static String summary(TraceDiff d) {
        long differing = d.tensors().stream().mapToLong(t -> t.differing()).sum();
        long lsb = d.tensors().stream().mapToLong(t -> t.maxLsb()).max().orElse(0);
        long ulp = d.tensors().stream().mapToLong(t -> t.maxUlp()).max().orElse(0);
        return differing + " differing elements (max " + lsb + " LSB / " + ulp + " ULP)";
    }

    /** One case per optimized arm64 path; the values are those of reference-impl's OptimizedKernelsTest. */
    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // QUANTIZE float -> int8: 8 elements in the NEON loop (ties to even), 2 in the scalar tail (away from zero).
        cases.add(new Case("QUANTIZE float32->int8, NEON block and tail",
                quantize(DType.FLOAT32, 10, Quantization.NONE, Out.int8(0.5f, 1)),
                floats(1.25f, -1.25f, 0.75f, -0.75f, 1.75f, 100f, 0.25f, -0.25f, 1.25f, -0.25f)));
        // float -> uint8 and int16: 16 NEON elements and a tail of 5 (for int16, four of them vectorized in double).
        float[] ties = new float[21];
        for (int i = 0; i < ties.length; i++) {
            ties[i] = (i % 2 == 0 ? 1 : -1) * (i + 0.5f) * 0.5f;
        }
        cases.add(new Case("QUANTIZE float32->uint8, NEON blocks and tail",
                quantize(DType.FLOAT32, 21, Quantization.NONE, Out.uint8(0.5f, 128)), floats(ties)));
        cases.add(new Case("QUANTIZE float32->int16, NEON blocks and tail",
                quantize(DType.FLOAT32, 21, Quantization.NONE, Out.int16(0.5f, 3)), floats(ties)));
        // QUANTIZE uint8 -> uint8 at 0.25: halves in the 16-element NEON block and in the tail.
        byte[] u8 = new byte[18];
        int[] centred = {-2, -6, 2, -3, 6, -1, -10, 10, -14, 14, -2, -6, -3, -5, -7, -9, -2, -6};
        for (int i = 0; i < u8.length; i++) {
            u8[i] = (byte) (128 + centred[i]);
        }
        cases.add(new Case("QUANTIZE uint8->uint8, NEON block and tail",
                quantize(DType.UINT8, 18, Quantization.perTensor(0.25f, 128), Out.uint8(1f, 128)), u8));
        // int8 -> int8 likewise (every 8-bit pair takes MultiplyByQuantizedMultiplier4Rows).
        byte[] s8 = new byte[18];
        for (int i = 0; i < s8.length; i++) {
            s8[i] = (byte) (centred[i] - 5);
        }
        cases.add(new Case("QUANTIZE int8->int8, NEON block and tail",
                quantize(DType.INT8, 18, Quantization.perTensor(0.25f, -5), Out.int8(1f, 0)), s8));
        // DEQUANTIZE uint8 at (0.1, 3): the fused multiply-add on the first 8, the reference on the tail.
        cases.add(new Case("DEQUANTIZE uint8->float32, NEON block and tail", dequantize(DType.UINT8, 10, Quantization.perTensor(0.1f, 3)),
                new byte[] {3, 4, 3, 4, 3, 4, 3, 4, 3, 4}));
        cases.add(new Case("DEQUANTIZE int8->float32, NEON block and tail", dequantize(DType.INT8, 10, Quantization.perTensor(0.1f, 3)),
                new byte[] {3, 4, 3, 4, 3, 4, 3, 4, 3, 4}));
        // SOFTMAX int8 -> int16: docs/reproducers-arm64/softmax-int8-to-int16-1 (the float table gives 1 LSB less).
        cases.add(new Case("SOFTMAX int8->int16 (reproducer softmax-int8-to-int16-1)",
                softmax(DType.INT8, DType.INT16, 3, 0.15240547f, Quantization.perTensor(0.0047830567f, -128),
                        Quantization.perTensor(1f / 65536, -32768)), new byte[] {124, 92, 22}));
        // SOFTMAX uint8 -> uint8 at output (1/64, 10): aarch64 rounds and adds the zero point.
        cases.add(new Case("SOFTMAX uint8->uint8, output (1/64, 10)",
                softmax(DType.UINT8, DType.UINT8, 3, 1f, Quantization.perTensor(1f, 0), Quantization.perTensor(1f / 64, 10)),
                new byte[] {(byte) 200, (byte) 200, 0}));
        return cases;
    }

    private static TfliteModel quantize(DType in, int n, Quantization inQ, Out out) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", in, new int[] {n}, inQ);
        g.output(g.quantize(x, out.named("y")));
        return mb.build();
    }

    private static TfliteModel dequantize(DType in, int n, Quantization inQ) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", in, new int[] {n}, inQ);
        g.output(g.dequantize(x, Out.float32().named("y")));
        return mb.build();
    }

    private static TfliteModel softmax(DType in, DType out, int n, float beta, Quantization qi, Quantization qo) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", in, new int[] {n}, qi);
        TensorRef y = g.tensor("y", out, new int[] {n}, qo);
        g.op(BuiltinOp.SOFTMAX, new BuiltinOptions.Softmax(beta), List.of(x), List.of(y));
        g.output(y);
        return mb.build();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }
}
