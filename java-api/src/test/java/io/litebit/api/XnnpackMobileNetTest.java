package io.litebit.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.Tensor;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * int8 MobileNetV2 really runs on XNNPACK: every operator is delegated, the convolutions too
 * (the preset's default delegate would leave int8 on the builtin kernels). The same input on
 * the three backends gives outputs that differ in a few LSB, as DESIGN.md measured; the
 * differences are printed.
 */
class XnnpackMobileNetTest {
    static final String MOBILENET = "tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite";

    @Test
    void everyOperatorOfInt8MobileNetV2RunsOnXnnpack() {
        Model model = TestModels.shared(MOBILENET);
        int modelOps = model.view().mainSubgraph().operators().size();
        Map<Backend, byte[]> outputs = new EnumMap<>(Backend.class);
        Map<Backend, Long> invokeMicros = new EnumMap<>(Backend.class);
        for (Backend backend : Backend.values()) {
            try (Interpreter it = Interpreter.create(model, InterpreterOptions.of(backend))) {
                if (backend == Backend.XNNPACK) {
                    assertThat(it.opDetails()).hasSize(modelOps + 1);
                    OpDetails kernel = it.opDetails().get(modelOps);
                    assertThat(kernel.isDelegateKernel()).isTrue();
                    assertThat(kernel.opName()).isEqualTo("DELEGATE TfLiteXNNPackDelegate");
                    assertThat(it.opDetails().subList(0, modelOps)).allSatisfy(op -> {
                        assertThat(op.isDelegated()).as("%s", op).isTrue();
                        assertThat(op.delegatedTo()).isEqualTo(modelOps);
                    });
                    assertThat(it.opDetails()).filteredOn(op -> op.opName().equals("CONV_2D")).hasSize(35)
                            .allMatch(OpDetails::isDelegated);
                    assertThat(it.opDetails()).filteredOn(op -> op.opName().equals("DEPTHWISE_CONV_2D")).hasSize(17)
                            .allMatch(OpDetails::isDelegated);
                    assertThat(it.warnings()).isEmpty();
                } else {
                    assertThat(it.opDetails()).hasSize(modelOps).noneMatch(OpDetails::isDelegated)
                            .allMatch(OpDetails::isExecuted);
                }
                // Details as TFLite reports them agree with the model layer's view of the file.
                TensorDetails in = it.input(0).details();
                Tensor fileIn = model.view().mainSubgraph().inputTensor(0);
                assertThat(in.name()).isEqualTo(fileIn.name());
                assertThat(in.dtype()).isEqualTo(fileIn.dtype());
                assertThat(in.shape()).isEqualTo(fileIn.shape()).containsExactly(1, 3, 224, 224);
                assertThat(in.quantization().scales()).isEqualTo(fileIn.quantization().scales());
                assertThat(in.quantization().zeroPoints()).isEqualTo(fileIn.quantization().zeroPoints());

                TestInputs.fillAll(it, 7);
                it.invoke(); // warm-up
                long start = System.nanoTime();
                it.invoke();
                invokeMicros.put(backend, (System.nanoTime() - start) / 1000);
                outputs.put(backend, it.output(0).readBytes());
            }
        }
        System.out.println("[litebit-api] MobileNetV2 int8, one invoke after warm-up (1 thread, not a benchmark): "
                + invokeMicros + " us");
        for (Backend a : Backend.values()) {
            for (Backend b : Backend.values()) {
                if (a.ordinal() < b.ordinal()) {
                    byte[] x = outputs.get(a);
                    byte[] y = outputs.get(b);
                    int differing = 0;
                    int max = 0;
                    for (int i = 0; i < x.length; i++) {
                        int d = Math.abs(x[i] - y[i]);
                        differing += d == 0 ? 0 : 1;
                        max = Math.max(max, d);
                    }
                    System.out.printf("[litebit-api] MobileNetV2 int8 logits %s vs %s: %d of %d differ, max %d LSB%n",
                            a, b, differing, x.length, max);
                }
            }
        }
    }
}
