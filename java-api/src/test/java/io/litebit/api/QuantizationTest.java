package io.litebit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Explicit quantization at the model's edge, with expected values derived by hand in the comments:
 * q = clamp(round_half_away(x / scale) + zero_point), the division in float32.
 */
class QuantizationTest {
    static final Quantization Q = Quantization.perTensor(0.5f, -3);
    static final float[] REALS = {1.25f, -1.25f, 0.74f, 0.76f, 1000f, -1000f, 63.5f, 65.5f};
    // 1.25/0.5 = 2.5 -> 3 (half away from zero), + -3 = 0
    // -1.25/0.5 = -2.5 -> -3, + -3 = -6        (Math.round would give -2, i.e. -5)
    // 0.74/0.5 = 1.48 -> 1, -2;  0.76/0.5 = 1.52 -> 2, -1
    // 1000/0.5 - 3 = 1997 -> saturates to 127; -2003 -> -128 (never wraps)
    // 63.5/0.5 = 127 -> 124;  65.5/0.5 = 131 -> 128 -> saturates to 127
    static final byte[] QUANTIZED = {0, -6, -2, -1, 127, -128, 124, 127};
    // (q - -3) * 0.5
    static final float[] DEQUANTIZED = {1.5f, -1.5f, 0.5f, 1.0f, 65f, -62.5f, 63.5f, 65f};

    /** Per channel along dimension 1 of [2, 3]: scales 0.1, 0.2, 0.5; zero points 0, 1, -1. */
    static final Quantization PER_CHANNEL = Quantization.perChannel(new float[] {0.1f, 0.2f, 0.5f},
            new long[] {0, 1, -1}, 1);
    static final float[] PC_REALS = {0.25f, 0.25f, 0.25f, -0.25f, 1.0f, 100f};
    // channel 0: 0.25f / 0.1f is 2.5f in float32 (exactly 2.49999996 in double) -> 3, + 0 = 3
    // channel 1: 0.25/0.2 = 1.25 -> 1, + 1 = 2;  channel 2: 0.25/0.5 = 0.5 -> 1, + -1 = 0
    // -0.25f/0.1f = -2.5f -> -3;  1.0f/0.2f = 5.0f -> 5, + 1 = 6;  100/0.5 = 200, - 1 = 199 -> 127
    static final byte[] PC_QUANTIZED = {3, 2, 0, -3, 6, 127};
    // 0.1f*3 = 0.3f, 0.2f*(2-1), 0.5f*(0+1), 0.1f*-3, 0.2f*(6-1) = 1.0f, 0.5f*(127+1) = 64
    static final float[] PC_DEQUANTIZED = {0.3f, 0.2f, 0.5f, -0.3f, 1.0f, 64f};

    @Test
    void scalarQuantizeRoundsHalfAwayFromZeroAndSaturates() {
        for (int i = 0; i < REALS.length; i++) {
            assertThat(Quantizer.quantize(REALS[i], 0.5f, -3, DType.INT8)).as("quantize %s", REALS[i])
                    .isEqualTo(QUANTIZED[i]);
        }
        assertThat(Quantizer.quantize(Float.POSITIVE_INFINITY, 0.5f, -3, DType.INT8)).isEqualTo(127);
        assertThat(Quantizer.quantize(Float.NEGATIVE_INFINITY, 0.5f, -3, DType.INT8)).isEqualTo(-128);
        // uint8, scale 0.25, zero point 128: 0.125/0.25 = 0.5 -> 1 -> 129; -0.5 -> -1 -> 127; 160 + 128 -> 255; -160 + 128 -> 0
        assertThat(Quantizer.quantize(0.125f, 0.25f, 128, DType.UINT8)).isEqualTo(129);
        assertThat(Quantizer.quantize(-0.125f, 0.25f, 128, DType.UINT8)).isEqualTo(127);
        assertThat(Quantizer.quantize(40f, 0.25f, 128, DType.UINT8)).isEqualTo(255);
        assertThat(Quantizer.quantize(-40f, 0.25f, 128, DType.UINT8)).isEqualTo(0);
        // int16, scale 2^-10: 1.0 -> 1024; 2^-11 -> 0.5 -> 1; -32 -> -32768; 32 -> 32768 -> 32767
        assertThat(Quantizer.quantize(1f, 0x1p-10f, 0, DType.INT16)).isEqualTo(1024);
        assertThat(Quantizer.quantize(0x1p-11f, 0x1p-10f, 0, DType.INT16)).isEqualTo(1);
        assertThat(Quantizer.quantize(-0x1p-11f, 0x1p-10f, 0, DType.INT16)).isEqualTo(-1);
        assertThat(Quantizer.quantize(-32f, 0x1p-10f, 0, DType.INT16)).isEqualTo(-32768);
        assertThat(Quantizer.quantize(32f, 0x1p-10f, 0, DType.INT16)).isEqualTo(32767);
        assertThatThrownBy(() -> Quantizer.quantize(Float.NaN, 0.5f, 0, DType.INT8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quantizer.quantize(1f, 0.5f, 0, DType.FLOAT32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not hold quantized values");
    }

    @Test
    void arrayQuantizeAndDequantizePerTensorAndPerChannel() {
        TensorData q = Quantizer.quantize(REALS, new int[] {2, 4}, DType.INT8, Q);
        assertThat(q.toByteArray()).containsExactly(QUANTIZED);
        assertThat(Quantizer.dequantize(q, Q)).containsExactly(DEQUANTIZED);

        TensorData pc = Quantizer.quantize(PC_REALS, new int[] {2, 3}, DType.INT8, PER_CHANNEL);
        assertThat(pc.toByteArray()).containsExactly(PC_QUANTIZED);
        assertThat(Quantizer.dequantize(pc, PER_CHANNEL)).containsExactly(PC_DEQUANTIZED);

        // The quantization must fit the shape: 3 scales along dimension 1 of [3, 2] do not.
        assertThatThrownBy(() -> Quantizer.quantize(PC_REALS, new int[] {3, 2}, DType.INT8, PER_CHANNEL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("per-channel quantization has 3 scales, expected 2 (dimension 1 of shape [3, 2])");
    }

    /** int8 [8] input (scale 0.5, zero point -3) -> DEQUANTIZE -> float32. */
    static Model dequantizeModel() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        g.output(g.dequantize(g.input("q", DType.INT8, new int[] {8}, Q)));
        return TestModels.of(mb.build());
    }

    /** float32 [2, 3] -> QUANTIZE -> int8 per channel along dimension 1. */
    static Model perChannelQuantizeModel() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        g.output(g.quantize(g.input("x", DType.FLOAT32, new int[] {2, 3}), Out.of(DType.INT8, PER_CHANNEL)));
        return TestModels.of(mb.build());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void writeQuantizedFeedsTheHandDerivedIntegersAndTfliteDequantizesThemAsReadDequantizedDoes(Backend backend) {
        try (Interpreter it = Interpreter.create(dequantizeModel(), InterpreterOptions.of(backend))) {
            TensorHandle in = it.input(0);
            in.writeQuantized(REALS);
            assertThat(in.readBytes()).containsExactly(QUANTIZED);
            assertThat(in.readDequantized()).containsExactly(DEQUANTIZED);
            it.invoke();
            assertThat(it.output(0).readFloats()).as("TFLite's DEQUANTIZE on %s", backend).containsExactly(DEQUANTIZED);
            // A raw write is raw: these bytes go in unchanged.
            in.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            assertThat(in.readBytes()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"BUILTIN", "BUILTIN_REF"})
    void tflitesPerChannelQuantizeAgreesWithTheHandDerivedValues(Backend backend) {
        try (Interpreter it = Interpreter.create(perChannelQuantizeModel(), InterpreterOptions.of(backend))) {
            TensorDetails out = it.output(0).details();
            assertThat(out.quantization().scales()).containsExactly(0.1f, 0.2f, 0.5f);
            assertThat(out.quantization().zeroPoints()).containsExactly(0, 1, -1);
            assertThat(out.quantization().quantizedDimension()).isEqualTo(1);
            it.input(0).write(PC_REALS);
            it.invoke();
            assertThat(it.output(0).readBytes()).as("TFLite's QUANTIZE on %s", backend).containsExactly(PC_QUANTIZED);
            assertThat(it.output(0).readDequantized()).containsExactly(PC_DEQUANTIZED);
        }
    }

    /**
     * TFLite's QUANTIZE kernels round half away from zero; XNNPACK's (which takes the op on the
     * XNNPACK backend) rounds half to even: on the two ties here (2.5 and -2.5) it gives one LSB
     * less in magnitude. writeQuantized() always applies TFLite's rule, whatever the backend.
     */
    @Test
    void xnnpacksQuantizeRoundsTiesToEvenWhereTflitesRoundsAwayFromZero() {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        g.output(g.quantize(g.input("x", DType.FLOAT32, new int[] {8}), Out.of(DType.INT8, Q)));
        Model model = TestModels.of(mb.build());
        for (Backend b : Backend.values()) {
            try (Interpreter it = Interpreter.create(model, InterpreterOptions.of(b))) {
                it.input(0).write(REALS);
                it.invoke();
                byte[] q = it.output(0).readBytes();
                System.out.println("[litebit-api] QUANTIZE float->int8 (scale 0.5, zero point -3) of "
                        + java.util.Arrays.toString(REALS) + " on " + b + (it.hasDelegatedOps() ? " (delegated)" : "")
                        + ": " + java.util.Arrays.toString(q));
                if (b == Backend.XNNPACK && it.hasDelegatedOps()) {
                    // 2.5 -> 2 and -2.5 -> -2 (ties to even), the rest as TFLite.
                    assertThat(q).containsExactly(-1, -5, -2, -1, 127, -128, 124, 127);
                } else {
                    assertThat(q).containsExactly(QUANTIZED);
                }
            }
        }
    }
}
