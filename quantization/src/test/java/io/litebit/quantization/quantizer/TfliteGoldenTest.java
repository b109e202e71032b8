package io.litebit.quantization.quantizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bit-exact against TFLite's own quantizer: the golden pairs of LiteRT's
 * {@code tflite/tools/optimize/testdata} (a calibrated float model and what {@code QuantizeModel}
 * wrote for it). Every tensor, matched by name, must agree in dtype, shape, scales, zero points,
 * quantized dimension and constant bytes.
 */
class TfliteGoldenTest {
    static final String DIR = "models/quantization/litert-calibrated/";

    static TfliteModel load(String name) throws Exception {
        return TfliteModel.load(SharedAssets.require(DIR + name));
    }

    /** Every difference between two models' tensors, matched by name; empty when they agree. */
    static List<String> tensorDiffs(TfliteModel expected, TfliteModel actual) {
        List<String> diffs = new ArrayList<>();
        Subgraph e = expected.mainSubgraph();
        Subgraph a = actual.mainSubgraph();
        if (e.tensors().size() != a.tensors().size()) {
            diffs.add("tensor count: expected " + e.tensors().size() + ", got " + a.tensors().size());
        }
        for (Tensor te : e.tensors()) {
            Tensor ta = a.tensor(te.name()).orElse(null);
            if (ta == null) {
                diffs.add("\"" + te.name() + "\": missing");
                continue;
            }
            String n = "\"" + te.name() + "\": ";
            if (te.dtype() != ta.dtype()) {
                diffs.add(n + "dtype expected " + te.dtype() + ", got " + ta.dtype());
            }
            if (!Arrays.equals(te.shape(), ta.shape())) {
                diffs.add(n + "shape expected " + Arrays.toString(te.shape()) + ", got " + Arrays.toString(ta.shape()));
            }
            if (!Arrays.equals(te.quantization().scales(), ta.quantization().scales())) {
                diffs.add(n + "scales expected " + Arrays.toString(te.quantization().scales()) + ", got "
                        + Arrays.toString(ta.quantization().scales()));
            }
            if (!Arrays.equals(te.quantization().zeroPoints(), ta.quantization().zeroPoints())) {
                diffs.add(n + "zero points expected " + Arrays.toString(te.quantization().zeroPoints()) + ", got "
                        + Arrays.toString(ta.quantization().zeroPoints()));
            }
            if (te.quantization().channelCount() > 1
                    && te.quantization().quantizedDimension() != ta.quantization().quantizedDimension()) {
                diffs.add(n + "quantized dimension expected " + te.quantization().quantizedDimension() + ", got "
                        + ta.quantization().quantizedDimension());
            }
            if (te.isConstant() != ta.isConstant()) {
                diffs.add(n + "constant expected " + te.isConstant() + ", got " + ta.isConstant());
            } else if (te.isConstant()) {
                ByteBuffer be = te.data().orElseThrow();
                ByteBuffer ba = ta.data().orElseThrow();
                if (!be.equals(ba)) {
                    int differing = 0;
                    for (int i = 0; i < Math.min(be.remaining(), ba.remaining()); i++) {
                        if (be.get(i) != ba.get(i)) {
                            differing++;
                        }
                    }
                    diffs.add(n + "data differs in " + differing + " of " + be.remaining() + " bytes (got "
                            + ba.remaining() + " bytes)");
                }
            }
        }
        return diffs;
    }

    @Test
    void lstmMatchesTflitesQuantizerTensorForTensor() throws Exception {
        QuantizedModel q = Quantizer.quantize(load("lstm_calibrated.bin"), QuantizerOptions.defaults());
        TfliteModel golden = load("lstm_quantized.bin");
        assertThat(tensorDiffs(golden, q.model())).isEmpty();
        assertThat(q.model().warnings()).isEmpty();
        // Same graph: QUANTIZE, LSTM, DEQUANTIZE on the same tensor names.
        assertThat(q.model().mainSubgraph().operators()).hasSameSizeAs(golden.mainSubgraph().operators());
        for (int i = 0; i < golden.mainSubgraph().operators().size(); i++) {
            var eo = golden.mainSubgraph().operator(i);
            var ao = q.model().mainSubgraph().operator(i);
            assertThat(ao.op()).isEqualTo(eo.op());
            assertThat(names(q.model(), ao.inputs())).isEqualTo(names(golden, eo.inputs()));
            assertThat(names(q.model(), ao.intermediates())).isEqualTo(names(golden, eo.intermediates()));
        }
    }

    @Test
    void lstmGivesTheGoldensOutputsNatively() throws Exception {
        TfliteModel ours = Quantizer.quantize(load("lstm_calibrated.bin"), QuantizerOptions.defaults()).model();
        TfliteModel golden = load("lstm_quantized.bin");
        for (long seed = 1; seed <= 3; seed++) {
            java.util.List<byte[]> in = Inputs.random(golden, seed);
            byte[] a = io.litebit.trace.Backend.builtinRef().run(golden, in).output(0).data();
            byte[] b = io.litebit.trace.Backend.builtinRef().run(ours, in).output(0).data();
            assertThat(b).isEqualTo(a);
        }
    }

    @Test
    void svdfMatchesTflitesQuantizerTensorForTensor() throws Exception {
        // The golden was written with int8 inputs and outputs (no QUANTIZE/DEQUANTIZE).
        QuantizedModel q = Quantizer.quantize(load("svdf_calibrated.bin"), QuantizerOptions.defaults().withIo(IoType.INT8));
        TfliteModel golden = load("svdf_quantized.bin");
        assertThat(tensorDiffs(golden, q.model())).isEmpty();
        assertThat(q.model().warnings()).isEmpty();
    }

    static List<String> names(TfliteModel m, int[] idx) {
        List<String> out = new ArrayList<>();
        for (int i : idx) {
            out.add(i < 0 ? "-" : m.mainSubgraph().tensor(i).name());
        }
        return out;
    }
}
