package io.litebit.conformance.harness;

import io.litebit.conformance.Backends;
import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import io.litebit.conformance.TraceDiff;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cases that only the aarch64 rules of {@code XNNPACK_ARM64} get right, which the fuzz campaigns
 * never hit: XNNPACK's config gives aarch64's uint8 GEMMs the NEON {@code rndnu} kernels (the exact
 * product rounded half up) where x86 rounds {@code float(acc) * scale} half to even; and the
 * aarch64 library quantizes fused activation bounds with one fused multiply-add. The seeded campaigns ({@link Arm64FuzzTest}, {@link Arm64ModelsTest}) cover the rest of the
 * {@code XNNPACK_ARM64} profile. Outside CI a missing qemu skips it; in CI it fails.
 */
class XnnpackArm64ProfileTest {

    @BeforeAll
    static void harness() {
        HarnessAssumptions.require(HarnessPlatform.ARM64).executable();
    }

    @Test
    void uint8FullyConnectedTiesRoundUpOnArm64() {
        // uint8 FC 8 -> 4, input (0.5, 128), weights (1.0, 128) with unit u reading input u once,
        // output (1.0, 100): acc_u = x_u - 128 = 5, 3, 1, 7, times 0.5 = 2.5, 1.5, 0.5, 3.5.
        // Half up (rndnu): 103, 102, 101, 104. Half to even (x86 fp32): 102, 102, 100, 104.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.UINT8, new int[] {1, 8}, Quantization.perTensor(0.5f, 128));
        byte[] w = new byte[32];
        for (int u = 0; u < 4; u++) {
            for (int i = 0; i < 8; i++) {
                w[u * 8 + i] = (byte) (128 + (u == i ? 1 : 0));
            }
        }
        TensorRef weights = g.constant("w", DType.UINT8, new int[] {4, 8}, w, Quantization.perTensor(1.0f, 128));
        TensorRef bias = g.constant("b", new int[] {4}, new int[4], Quantization.perTensor(0.5f, 0));
        g.output(g.fullyConnected(x, weights, bias, new BuiltinOptions.FullyConnected(Activation.NONE, false),
                Out.uint8(1.0f, 100).named("y")));
        TfliteModel model = mb.build();
        List<byte[]> inputs = List.of(new byte[] {(byte) 133, (byte) 131, (byte) 129, (byte) 135, (byte) 128, (byte) 128,
                (byte) 128, (byte) 128});

        Trace arm = Backends.parse("arm64:xnnpack").run(model, inputs);
        assertThat(arm.tensor(3).orElseThrow().data()).containsExactly((byte) 103, (byte) 102, (byte) 101, (byte) 104);
        TraceDiff profile = TraceDiff.compare(model, arm, Backend.reference(NumericsProfile.XNNPACK_ARM64).run(model, inputs));
        TraceDiff x86 = TraceDiff.compare(model, arm, Backend.reference(NumericsProfile.XNNPACK).run(model, inputs));
        assertThat(profile.identical()).as("arm64:xnnpack vs reference:XNNPACK_ARM64").isTrue();
        assertThat(x86.tensors().stream().mapToLong(t -> t.differing()).sum()).as("vs x86's rule").isEqualTo(2);
    }

    @Test
    void fusedActivationBoundIsOneFusedMultiplyAddOnArm64() {
        // int8 FC 2 -> 2 (identity weights, scales 1), RELU6, output (0x1.ab68a2p-4, -24): the upper
        // bound is 6 / scale + zp = 57.4999962 - 24 = 33.4999962 -> 33 on x86 (division, then add), and
        // fma(6, 1 / scale, -24) = 33.5 -> 34 (ties to even) on aarch64. Input 100 saturates to it.
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.INT8, new int[] {1, 2}, Quantization.perTensor(1.0f, 0));
        TensorRef weights = g.constant("w", DType.INT8, new int[] {2, 2}, new byte[] {1, 0, 0, 1},
                Quantization.perTensor(1.0f, 0));
        TensorRef bias = g.constant("b", new int[] {2}, new int[2], Quantization.perTensor(1.0f, 0));
        g.output(g.fullyConnected(x, weights, bias, new BuiltinOptions.FullyConnected(Activation.RELU6, false),
                Out.int8(0x1.ab68a2p-4f, -24).named("y")));
        TfliteModel model = mb.build();
        List<byte[]> inputs = List.of(new byte[] {100, 3});

        Trace arm = Backends.parse("arm64:xnnpack").run(model, inputs);
        assertThat(arm.tensor(3).orElseThrow().data()[0]).isEqualTo((byte) 34);
        TraceDiff profile = TraceDiff.compare(model, arm, Backend.reference(NumericsProfile.XNNPACK_ARM64).run(model, inputs));
        TraceDiff x86 = TraceDiff.compare(model, arm, Backend.reference(NumericsProfile.XNNPACK).run(model, inputs));
        assertThat(profile.identical()).as("arm64:xnnpack vs reference:XNNPACK_ARM64").isTrue();
        assertThat(x86.tensors().stream().mapToLong(t -> t.differing()).sum()).as("vs x86's rule").isEqualTo(1);
    }
}
