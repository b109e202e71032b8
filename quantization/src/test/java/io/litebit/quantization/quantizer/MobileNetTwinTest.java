package io.litebit.quantization.quantizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.api.Backend;
import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.api.Model;
import io.litebit.api.OpDetails;
import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.rewrite.FloatTwin;
import io.litebit.model.rewrite.Rewriters;
import io.litebit.model.testing.SharedAssets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MobileNetV2's float twin, "calibrated" with the ranges the original int8 model's own
 * quantization stands for ({@code [s(-128 - zp), s(127 - zp)]}): quantizing it must give back the
 * original's activation scales and zero points (an independent check: those came from TFLite's
 * converter), every op int8, and one XNNPACK partition for the whole graph.
 */
class MobileNetTwinTest {
    static TfliteModel original;
    static TfliteModel calibratedTwin;
    static FloatTwin twin;

    @BeforeAll
    static void load() throws Exception {
        original = TfliteModel.load(SharedAssets.require("models/tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite"));
        twin = Rewriters.floatTwinWithMapping(original);
        calibratedTwin = withOriginalRanges(original, twin);
    }

    /** The twin with min/max on every activation, from the original's (scale, zero point). */
    static TfliteModel withOriginalRanges(TfliteModel original, FloatTwin twin) {
        Subgraph o = original.mainSubgraph();
        Subgraph t = twin.model().mainSubgraph();
        Quantization[] ranges = new Quantization[t.tensors().size()];
        for (Tensor ot : o.tensors()) {
            int ti = twin.twinTensor(0, ot.index());
            if (ti < 0 || ot.isConstant() || !ot.isQuantized()) {
                continue;
            }
            double s = ot.quantization().scale(0);
            long zp = ot.quantization().zeroPoint(0);
            ranges[ti] = Quantization.NONE.withMinMax(new float[] {(float) (s * (-128 - zp))},
                    new float[] {(float) (s * (127 - zp))});
        }
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor x : t.tensors()) {
            tensors.add(ranges[x.index()] == null ? x : x.withType(x.dtype(), ranges[x.index()]));
        }
        Subgraph g = new Subgraph(0, t.name(), tensors, t.inputs(), t.outputs(), t.operators());
        TfliteModel m = twin.model();
        return TfliteModel.fromBuffer(new TfliteModel(m.version(), m.description(), m.operatorCodes(), List.of(g),
                m.buffers(), m.metadata(), m.signatures(), List.of(), null).write());
    }

    @Test
    void quantizingTheTwinWithTheOriginalsRangesGivesBackTheOriginalsActivationQuantization() {
        QuantizedModel q = Quantizer.quantize(calibratedTwin, QuantizerOptions.defaults().withIo(IoType.INT8));
        Subgraph o = original.mainSubgraph();
        Subgraph n = q.model().mainSubgraph();
        int compared = 0;
        int scaleDiffs = 0;
        int zpDiffs = 0;
        List<String> examples = new ArrayList<>();
        for (Tensor ot : o.tensors()) {
            if (ot.isConstant() || !ot.isQuantized()) {
                continue;
            }
            Tensor nt = n.tensor(ot.name()).orElseThrow(() -> new AssertionError("no tensor " + ot.name()));
            compared++;
            float so = ot.quantization().scale(0);
            float sn = nt.quantization().scale(0);
            // (max - min) / 255 in float32 can land one ulp away from the original's scale.
            if (Math.abs(so - sn) > Math.ulp(so)) {
                scaleDiffs++;
                examples.add(ot.name() + " " + so + " vs " + sn);
            }
            if (ot.quantization().zeroPoint(0) != nt.quantization().zeroPoint(0)) {
                zpDiffs++;
                examples.add(ot.name() + " zp " + ot.quantization().zeroPoint(0) + " vs " + nt.quantization().zeroPoint(0));
            }
        }
        assertThat(compared).isEqualTo(85);   // the input and the 84 op outputs
        assertThat(scaleDiffs).as(examples.toString()).isZero();
        assertThat(zpDiffs).as(examples.toString()).isZero();
        assertThat(q.ops()).allSatisfy(r -> assertThat(r.quantized()).as(r.toString()).isTrue());
        for (var op : n.operators()) {
            for (int i : op.inputs()) {
                if (i >= 0 && op.op() != BuiltinOp.PAD && op.op() != BuiltinOp.RESHAPE && op.op() != BuiltinOp.TRANSPOSE
                        && op.op() != BuiltinOp.MEAN) {
                    assertThat(n.tensor(i).dtype()).as(op + " input " + i).isIn(DType.INT8, DType.INT32);
                }
            }
        }
    }

    @Test
    void everyOpIsInt8AndXnnpackTakesTheWholeGraph() throws Exception {
        // Three runs, the best reported: the first pays for class loading and JIT warm-up.
        QuantizedModel q = null;
        double seconds = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            q = Quantizer.quantize(calibratedTwin, QuantizerOptions.defaults());
            seconds = Math.min(seconds, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf(java.util.Locale.ROOT, "quantize MobileNetV2 float twin (calibrated): %.3f s best of 3%n", seconds);
        assertThat(q.model().warnings()).isEmpty();
        for (var op : q.model().mainSubgraph().operators()) {
            for (int o : op.outputs()) {
                DType t = q.model().mainSubgraph().tensor(o).dtype();
                if (op.op() == BuiltinOp.DEQUANTIZE) {
                    assertThat(t).isEqualTo(DType.FLOAT32);
                } else {
                    assertThat(t).as(op.toString()).isEqualTo(DType.INT8);
                }
            }
        }
        Model m = Model.fromBytes(q.model().toBytes());
        try (Interpreter it = Interpreter.create(m, InterpreterOptions.of(Backend.XNNPACK))) {
            List<OpDetails> d = it.opDetails();
            assertThat(d.stream().filter(OpDetails::isDelegateKernel).count()).as(d.toString()).isEqualTo(1);
            assertThat(d.stream().filter(x -> !x.isDelegateKernel())).allSatisfy(x -> assertThat(x.isDelegated()).as(x.toString()).isTrue());
        }
        // Generous: the benchmark measures it properly; this only catches an accidental blow-up.
        assertThat(seconds).isLessThan(10);
    }
}
