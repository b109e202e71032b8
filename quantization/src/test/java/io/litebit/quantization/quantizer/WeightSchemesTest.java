package io.litebit.quantization.quantizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Operator;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import io.litebit.trace.Backend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The weight-only schemes on conv_fc_mnist: what is stored, and that TFLite runs it close to the float model. */
class WeightSchemesTest {
    static TfliteModel floatModel() throws Exception {
        return TfliteModel.load(SharedAssets.require("models/quantization/aeq/conv_fc_mnist.tflite"));
    }

    static float[] run(TfliteModel m, List<byte[]> in) {
        ByteBuffer b = ByteBuffer.wrap(Backend.builtin().run(m, in).output(0).data()).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }

    static List<byte[]> input(TfliteModel m) {
        ByteBuffer b = ByteBuffer.allocate(4 * 784).order(ByteOrder.LITTLE_ENDIAN);
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 784; i++) {
            b.putFloat((float) r.nextDouble());
        }
        return List.of(b.array());
    }

    @Test
    void dynamicStoresLargeWeightsAsInt8AndSkipsSmallOnes() throws Exception {
        TfliteModel f = floatModel();
        QuantizedModel q = Quantizer.quantize(f, QuantizerOptions.defaults().withScheme(Scheme.DYNAMIC));
        TfliteModel m = q.model();
        assertThat(m.warnings()).isEmpty();
        for (Operator op : m.mainSubgraph().operators()) {
            if (op.op() == BuiltinOp.CONV_2D || op.op() == BuiltinOp.FULLY_CONNECTED) {
                Tensor w = m.mainSubgraph().tensor(op.input(1));
                assertThat(w.dtype()).as(w.name()).isEqualTo(w.elementCount() >= 1024 ? DType.INT8 : DType.FLOAT32);
                assertThat(m.mainSubgraph().tensor(op.input(0)).dtype()).isEqualTo(DType.FLOAT32);
            }
        }
        assertThat(m.toBytes().length).isLessThan(f.toBytes().length / 3);
        float[] a = run(f, input(f));
        float[] b = run(m, input(f));
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).isCloseTo(a[i], org.assertj.core.api.Assertions.within(0.05f));
        }
    }

    @Test
    void float16StoresHalvesWidenedByDequantize() throws Exception {
        TfliteModel f = floatModel();
        TfliteModel m = Quantizer.quantize(f, QuantizerOptions.defaults().withScheme(Scheme.FLOAT16)).model();
        assertThat(m.warnings()).isEmpty();
        assertThat(m.mainSubgraph().tensors()).filteredOn(Tensor::isConstant)
                .allSatisfy(t -> assertThat(t.dtype()).isIn(DType.FLOAT16, DType.INT32));
        long dequantizes = m.mainSubgraph().operators().stream().filter(o -> o.op() == BuiltinOp.DEQUANTIZE).count();
        assertThat(dequantizes).isPositive();
        // Half precision: 0.5 = 0x3800, 1/3 rounds to nearest even 0x3555.
        assertThat(TfliteMath.toHalf(0.5f)).isEqualTo((short) 0x3800);
        assertThat(TfliteMath.toHalf(1f / 3f)).isEqualTo((short) 0x3555);
        assertThat(TfliteMath.toHalf(65504f)).isEqualTo((short) 0x7bff);
        float[] a = run(f, input(f));
        float[] b = run(m, input(f));
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).isCloseTo(a[i], org.assertj.core.api.Assertions.within(0.01f));
        }
    }
}
