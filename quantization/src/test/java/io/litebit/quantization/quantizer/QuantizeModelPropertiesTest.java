package io.litebit.quantization.quantizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * What TFLite's {@code quantize_model_test.cc} asserts, on the same calibrated models, with the
 * expected values taken from that test (hand-derived there: e.g. (5 - 0) / 255).
 */
class QuantizeModelPropertiesTest {
    static QuantizedModel quantize(String model, QuantizerOptions o) throws Exception {
        return Quantizer.quantize(TfliteGoldenTest.load(model), o);
    }

    static List<BuiltinOp> ops(TfliteModel m) {
        return m.mainSubgraph().operators().stream().map(Operator::op).toList();
    }

    /** EXPECT_FLOAT_EQ: within 4 units in the last place. */
    static void assertFloatEq(float actual, double expected) {
        assertThat((double) actual).isCloseTo(expected, within(4.0 * Math.ulp((float) expected)));
    }

    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"INT8", "INT16X8"})
    void concatRequantizesTheInputWithTheOtherScale(Scheme scheme) throws Exception {
        // AddRequantBeforeConcat: input0 in [0, 5], input1 in [0, 10]; the output keeps its own
        // range, input0 gets a QUANTIZE to it.
        TfliteModel m = quantize("concat.bin", QuantizerOptions.defaults().withScheme(scheme).withIo(IoType.INT8)).model();
        Subgraph g = m.mainSubgraph();
        assertThat(ops(m)).containsExactly(BuiltinOp.QUANTIZE, BuiltinOp.CONCATENATION);
        boolean int8 = scheme == Scheme.INT8;
        DType t = int8 ? DType.INT8 : DType.INT16;
        long zp = int8 ? -128 : 0;
        double s0 = int8 ? 0.019607844 : 0.00015259254;
        double s1 = int8 ? 0.039215688 : 0.00030518509;
        assertThat(g.tensors()).extracting(Tensor::name).containsExactly("input0", "input1", "output", "input0_requantized");
        double[] scales = {s0, s1, s1, s1};
        for (int i = 0; i < 4; i++) {
            assertThat(g.tensor(i).dtype()).isEqualTo(t);
            assertFloatEq(g.tensor(i).quantization().scale(0), scales[i]);
            assertThat(g.tensor(i).quantization().zeroPoint(0)).isEqualTo(zp);
        }
        assertThat(g.operator(0).inputs()).containsExactly(0);
        assertThat(g.operator(0).outputs()).containsExactly(3);
        assertThat(g.operator(1).inputs()).containsExactly(3, 1);
        assertThat(g.operator(1).outputs()).containsExactly(2);
        assertThat(g.operator(0).opcode().version()).isEqualTo(int8 ? 2 : 2);
    }

    @Test
    void convWithUnitRangesGetsUnitScales() throws Exception {
        // VerifyConvQuantizationWithUnitScale: weights in [-127, 127] with both ends in every
        // channel, activations in [-128, 127]: every scale is 1, biases are the float biases.
        TfliteModel calibrated = TfliteGoldenTest.load("single_conv_weights_min_minus_127_max_plus_127.bin");
        TfliteModel m = Quantizer.quantize(calibrated, QuantizerOptions.defaults().withIo(IoType.INT8)).model();
        Subgraph g = m.mainSubgraph();
        Operator conv = g.operator(0);
        assertThat(conv.op()).isEqualTo(BuiltinOp.CONV_2D);
        assertThat(conv.opcode().version()).isEqualTo(3);
        Tensor in = g.tensor(conv.input(0));
        Tensor w = g.tensor(conv.input(1));
        Tensor b = g.tensor(conv.input(2));
        Tensor out = g.tensor(conv.output(0));
        assertThat(w.dtype()).isEqualTo(DType.INT8);
        assertThat(b.dtype()).isEqualTo(DType.INT32);
        int channels = w.dim(0);
        assertThat(w.quantization().scales()).hasSize(channels).containsOnly(1f);
        assertThat(w.quantization().zeroPoints()).hasSize(channels).containsOnly(0L);
        assertThat(b.quantization().scales()).hasSize(channels).containsOnly(1f);
        assertThat(in.quantization().scale(0)).isEqualTo(1f);
        assertThat(out.quantization().scale(0)).isEqualTo(1f);
        Tensor fb = calibrated.mainSubgraph().tensor(b.name()).orElseThrow();
        ByteBuffer q = b.data().orElseThrow();
        ByteBuffer f = fb.data().orElseThrow();
        for (int i = 0; i < channels; i++) {
            assertThat((double) q.getInt(4 * i)).isCloseTo(f.getFloat(4 * i), within(0.5 + 1e-7));
        }
        Tensor fw = calibrated.mainSubgraph().tensor(w.name()).orElseThrow();
        ByteBuffer qw = w.data().orElseThrow();
        ByteBuffer fww = fw.data().orElseThrow();
        for (int i = 0; i < w.elementCount(); i++) {
            assertThat((float) qw.get(i)).isEqualTo(fww.getFloat(4 * i));
        }
    }

    @Test
    void softmaxOutputIsFixedAtOneOver256() throws Exception {
        TfliteModel m = quantize("single_softmax_min_minus_5_max_plus_5.bin", QuantizerOptions.defaults().withIo(IoType.INT8)).model();
        Operator op = m.mainSubgraph().operator(0);
        assertThat(op.op()).isEqualTo(BuiltinOp.SOFTMAX);
        assertThat(op.opcode().version()).isEqualTo(2);
        Tensor out = m.mainSubgraph().tensor(op.output(0));
        assertThat(out.dtype()).isEqualTo(DType.INT8);
        assertThat(out.quantization().scale(0)).isEqualTo(1.0f / 256.0f);
        assertThat(out.quantization().zeroPoint(0)).isEqualTo(-128);
    }

    @Test
    void averagePoolKeepsItsInputsScale() throws Exception {
        TfliteModel m = quantize("single_avg_pool_min_minus_5_max_plus_5.bin", QuantizerOptions.defaults().withIo(IoType.INT8)).model();
        Operator op = m.mainSubgraph().operator(0);
        assertThat(op.op()).isEqualTo(BuiltinOp.AVERAGE_POOL_2D);
        assertThat(op.opcode().version()).isEqualTo(2);
        Tensor in = m.mainSubgraph().tensor(op.input(0));
        Tensor out = m.mainSubgraph().tensor(op.output(0));
        assertThat(out.quantization().scales()).isEqualTo(in.quantization().scales());
        assertThat(out.quantization().zeroPoints()).isEqualTo(in.quantization().zeroPoints());
    }

    @Test
    void splitOutputsKeepTheInputsScale() throws Exception {
        TfliteModel m = quantize("split.bin", QuantizerOptions.defaults().withIo(IoType.INT8)).model();
        Subgraph g = m.mainSubgraph();
        Operator split = g.operators().stream().filter(o -> o.op() == BuiltinOp.SPLIT).findFirst().orElseThrow();
        Tensor in = g.tensor(split.input(1));
        for (int o : split.outputs()) {
            assertThat(g.tensor(o).dtype()).isEqualTo(DType.INT8);
            assertThat(g.tensor(o).quantization().scales()).isEqualTo(in.quantization().scales());
            assertThat(g.tensor(o).quantization().zeroPoints()).isEqualTo(in.quantization().zeroPoints());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"INT8", "INT16X8"})
    void customOpStaysFloatBetweenDequantizeAndQuantize(Scheme scheme) throws Exception {
        // VerifyMixedQuantization: reshape -> custom -> custom -> squeeze becomes
        // reshape -> dequantize -> custom -> custom -> quantize -> squeeze: one float island.
        QuantizedModel q = quantize("mixed.bin", QuantizerOptions.defaults().withScheme(scheme).withIo(IoType.INT8));
        TfliteModel m = q.model();
        assertThat(ops(m)).containsExactly(BuiltinOp.RESHAPE, BuiltinOp.DEQUANTIZE, BuiltinOp.CUSTOM, BuiltinOp.CUSTOM,
                BuiltinOp.QUANTIZE, BuiltinOp.SQUEEZE);
        DType t = scheme == Scheme.INT8 ? DType.INT8 : DType.INT16;
        List<DType> in = m.mainSubgraph().operators().stream().map(o -> m.mainSubgraph().tensor(o.input(0)).dtype()).toList();
        assertThat(in).containsExactly(t, t, DType.FLOAT32, DType.FLOAT32, DType.FLOAT32, t);
        assertThat(q.ops()).filteredOn(r -> r.op().startsWith("CUSTOM"))
                .allSatisfy(r -> assertThat(r.reason()).startsWith("TFLite has no quantized kernel for CUSTOM"));
    }

    @Test
    void logSoftmaxHasNo16x8KernelAndStaysFloat() throws Exception {
        // VerifyMixedQuantization16x8: conv_2d -> log_softmax becomes conv_2d -> dequantize -> log_softmax.
        QuantizedModel q = quantize("mixed16x8.bin", QuantizerOptions.defaults().withScheme(Scheme.INT16X8));
        TfliteModel m = q.model();
        assertThat(ops(m)).containsExactly(BuiltinOp.QUANTIZE, BuiltinOp.CONV_2D, BuiltinOp.DEQUANTIZE, BuiltinOp.LOG_SOFTMAX);
        List<DType> in = m.mainSubgraph().operators().stream().map(o -> m.mainSubgraph().tensor(o.input(0)).dtype()).toList();
        assertThat(in).containsExactly(DType.FLOAT32, DType.INT16, DType.INT16, DType.FLOAT32);
        // 16x8: int64 bias with TFLite's quantized_bias_type recorded, weights int8.
        Operator conv = m.mainSubgraph().operator(1);
        assertThat(m.mainSubgraph().tensor(conv.input(1)).dtype()).isEqualTo(DType.INT8);
        assertThat(m.mainSubgraph().tensor(conv.input(2)).dtype()).isEqualTo(DType.INT64);
        assertThat(q.ops().get(1).reason()).isEqualTo("TFLite has no 16x8 kernel for LOG_SOFTMAX");
    }

    @Test
    void uint8EdgesKeepTheScaleWithZeroPointPlus128() throws Exception {
        // Uint8InputAndOutput: a QUANTIZE from the uint8 input, one to the uint8 output.
        TfliteModel int8 = quantize("single_conv_weights_min_0_max_plus_10.bin", QuantizerOptions.defaults().withIo(IoType.INT8)).model();
        TfliteModel u8 = quantize("single_conv_weights_min_0_max_plus_10.bin", QuantizerOptions.defaults().withIo(IoType.UINT8)).model();
        assertThat(ops(u8)).containsExactly(BuiltinOp.QUANTIZE, BuiltinOp.CONV_2D, BuiltinOp.QUANTIZE);
        Tensor in8 = int8.mainSubgraph().inputTensor(0);
        Tensor inU = u8.mainSubgraph().inputTensor(0);
        assertThat(inU.dtype()).isEqualTo(DType.UINT8);
        assertThat(inU.name()).isEqualTo(in8.name());
        assertThat(inU.quantization().scale(0)).isEqualTo(in8.quantization().scale(0));
        assertThat(inU.quantization().zeroPoint(0)).isEqualTo(in8.quantization().zeroPoint(0) + 128);
        Tensor outU = u8.mainSubgraph().outputTensor(0);
        Tensor out8 = int8.mainSubgraph().outputTensor(0);
        assertThat(outU.dtype()).isEqualTo(DType.UINT8);
        assertThat(outU.quantization().zeroPoint(0)).isEqualTo(out8.quantization().zeroPoint(0) + 128);
        // FloatInputAndOutput: float edges renamed originals with _int8 inside.
        TfliteModel f = quantize("single_conv_weights_min_0_max_plus_10.bin", QuantizerOptions.defaults()).model();
        assertThat(ops(f)).containsExactly(BuiltinOp.QUANTIZE, BuiltinOp.CONV_2D, BuiltinOp.DEQUANTIZE);
        assertThat(f.mainSubgraph().inputTensor(0).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(f.mainSubgraph().inputTensor(0).name()).isEqualTo(in8.name());
        assertThat(f.mainSubgraph().tensor(in8.name() + "_int8")).isPresent();
    }

    @Test
    void perTensorGivesOneWeightScale() throws Exception {
        TfliteModel m = quantize("single_conv_weights_min_0_max_plus_10.bin",
                QuantizerOptions.defaults().withIo(IoType.INT8).withPerTensor(true)).model();
        Operator conv = m.mainSubgraph().operator(0);
        Tensor w = m.mainSubgraph().tensor(conv.input(1));
        Tensor b = m.mainSubgraph().tensor(conv.input(2));
        assertThat(w.quantization().scales()).hasSize(1);
        // max |w| = 10 over the whole tensor (weights are integers in [0, 10]): 10 / 127.
        assertThat(w.quantization().scale(0)).isEqualTo(10f / 127f);
        assertThat(b.quantization().scale(0))
                .isEqualTo(m.mainSubgraph().tensor(conv.input(0)).quantization().scale(0) * (10f / 127f));
    }

    @Test
    void denylistedOpAndNodeStayFloat() throws Exception {
        TfliteModel calibrated = TfliteGoldenTest.load("multi_input_add_reshape.bin");
        QuantizedModel byOp = Quantizer.quantize(calibrated, QuantizerOptions.defaults().withDenylistOps(Set.of(BuiltinOp.ADD)));
        List<BuiltinOp> ops = ops(byOp.model());
        assertThat(ops).contains(BuiltinOp.ADD, BuiltinOp.RESHAPE);
        Operator add = byOp.model().mainSubgraph().operators().stream().filter(o -> o.op() == BuiltinOp.ADD).findFirst().orElseThrow();
        assertThat(byOp.model().mainSubgraph().tensor(add.output(0)).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(byOp.ops()).filteredOn(r -> r.op().equals("ADD")).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo("denylisted op ADD"));
        String node = byOp.ops().stream().filter(r -> r.op().equals("ADD")).findFirst().orElseThrow().node();
        QuantizedModel byNode = Quantizer.quantize(calibrated, QuantizerOptions.defaults().withDenylistNodes(Set.of(node)));
        assertThat(ops(byNode.model())).isEqualTo(ops);
    }

    @Test
    void alreadyQuantizedModelIsRefusedNamingTheTensor() throws Exception {
        assertThatThrownBy(() -> quantize("lstm_quantized.bin", QuantizerOptions.defaults()))
                .isInstanceOf(QuantizationException.class)
                .hasMessageContaining("\"input0_int8\"").hasMessageContaining("already quantized");
    }

    @Test
    void missingRangeIsAnErrorUnlessADefaultRangeIsGiven() throws Exception {
        assertThatThrownBy(() -> quantize("weight_shared_between_convs.bin", QuantizerOptions.defaults()))
                .isInstanceOf(QuantizationException.class)
                .hasMessageContaining("has no calibrated min/max").hasMessageContaining("--default-range");
        TfliteModel m = quantize("weight_shared_between_convs.bin", QuantizerOptions.defaults().withDefaultRange(-6, 6)).model();
        // "out_1" had no range, so [-6, 6] stands in: scale 12/255 in float (0.047058824f);
        // -6 / 0.047058824f = -127.4999988 rounds to the float -127.5, so the zero point is
        // round(-128 + 127.5) = round(-0.5) = -1 (half away from zero).
        Tensor in = m.mainSubgraph().tensor("out_1_int8").orElseThrow();
        assertThat(in.quantization().scale(0)).isEqualTo(12f / 255f);
        assertThat(in.quantization().zeroPoint(0)).isEqualTo(-1);
    }
}
