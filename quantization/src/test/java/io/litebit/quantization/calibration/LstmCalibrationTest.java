package io.litebit.quantization.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.api.Backend;
import io.litebit.api.Interpreter;
import io.litebit.api.InterpreterOptions;
import io.litebit.api.Model;
import io.litebit.data.Dataset;
import io.litebit.data.DatasetOptions;
import io.litebit.data.Datasets;
import io.litebit.data.Record;
import io.litebit.model.Operator;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import org.junit.jupiter.api.Test;

/**
 * The float LSTM of {@code trained_lstm.tflite}: its cell state is only visible at the end of an
 * invoke, so calibration replays every step; the range it records must be the range of the cell
 * state over every step, which native TFLite shows independently when the sequence is cut after
 * step t (input resized to [1, t, 28]: the state tensor then holds step t's cell state).
 */
class LstmCalibrationTest {
    private static final int CELL_STATE = 19;
    private static final int OUTPUT_STATE = 18;

    @Test
    void theCellStateRangeCoversEveryStepAsNativeTfliteComputesThem() throws Exception {
        TfliteModel model = TfliteModel.load(SharedAssets.require("models/tflite-micro/trained_lstm.tflite"));
        String mnist = "mnist:" + SharedAssets.require("datasets/mnist") + ":test:12";
        Operator lstm = model.mainSubgraph().operator(0);
        int cell = lstm.inputs()[CELL_STATE];
        int hidden = lstm.inputs()[OUTPUT_STATE];
        CalibrationStats stats;
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        double lastStepLo = Double.MAX_VALUE;
        double lastStepHi = -Double.MAX_VALUE;
        try (Dataset data = Datasets.open(mnist, DatasetOptions.forModel(model))) {
            stats = Calibrator.builder().build().record(model, data);
            // The LSTM alone, so that its time axis can be resized (the RESHAPE after it cannot).
            TfliteModel alone = io.litebit.model.rewrite.Rewriters.extractOperator(model, 0, 0);
            Operator op = alone.mainSubgraph().operator(0);
            int cellAlone = op.inputs()[CELL_STATE];
            int hiddenAlone = op.inputs()[OUTPUT_STATE];
            for (int t = 1; t <= 28; t++) {
                try (Interpreter it = Interpreter.create(Model.fromBytes(alone.toBytes()),
                        InterpreterOptions.of(Backend.BUILTIN))) {
                    it.resizeInput(0, 1, t, 28);
                    it.allocateTensors();
                    for (Record r : data) {
                        float[] x = r.input(0).toFloats();
                        it.tensor(cellAlone).write(new float[20]);
                        it.tensor(hiddenAlone).write(new float[20]);
                        it.input(0).write(java.util.Arrays.copyOf(x, t * 28));
                        it.invoke();
                        for (float v : it.tensor(cellAlone).readFloats()) {
                            lo = Math.min(lo, v);
                            hi = Math.max(hi, v);
                            if (t == 28) {
                                lastStepLo = Math.min(lastStepLo, v);
                                lastStepHi = Math.max(lastStepHi, v);
                            }
                        }
                    }
                }
            }
        }
        TensorStats c = stats.tensor(cell).orElseThrow();
        // Oracle float vs TFLite's float kernels: the same operations, summation order may differ.
        assertThat(c.min()).isCloseTo(lo, org.assertj.core.api.Assertions.within(1e-4 * Math.abs(lo)));
        assertThat(c.max()).isCloseTo(hi, org.assertj.core.api.Assertions.within(1e-4 * Math.abs(hi)));
        assertThat(c.count()).isEqualTo(12L * 28 * 20);
        // The point of replaying: the last step alone (what the state tensor shows) is narrower here.
        assertThat(lastStepHi - lastStepLo).isLessThan(hi - lo);

        // The five intermediates TFLite's quantizer needs were added and calibrated.
        CalibrationResult result = CalibrationResult.of(model, stats, CalibrationMethod.MINMAX);
        int[] inter = result.calibratedModel().mainSubgraph().operator(0).intermediates();
        assertThat(inter).hasSize(5);
        for (int i : inter) {
            assertThat(result.ranges()).containsKey(i);
        }
        // The hidden intermediate is the output state: the same values, so the same range.
        assertThat(result.ranges().get(inter[4])).isEqualTo(result.ranges().get(hidden));

        // What the quantizer makes of it runs on every backend, and the oracle proves it bit for bit.
        TfliteModel q = io.litebit.quantization.quantizer.Quantizer.quantize(result.calibratedModel(),
                io.litebit.quantization.quantizer.QuantizerOptions.defaults()).model();
        assertThat(q.warnings()).isEmpty();
        java.util.List<byte[]> in;
        try (Dataset data = Datasets.open(mnist, DatasetOptions.forModel(model))) {
            in = data.record(3).bytes();
        }
        io.litebit.trace.Trace ref = io.litebit.trace.Backend.builtinRef().run(q, in);
        io.litebit.trace.Backend.xnnpack().run(q, in);
        io.litebit.trace.Backend.builtin().run(q, in);
        io.litebit.trace.Trace oracle = io.litebit.trace.Backend.reference(io.litebit.reference.NumericsProfile.TFLITE).run(q, in);
        io.litebit.conformance.TraceDiff d = io.litebit.conformance.TraceDiff.compare(q, oracle, ref);
        assertThat(d.identical()).as(d.firstDivergence().map(Object::toString).orElse("")).isTrue();
    }
}
