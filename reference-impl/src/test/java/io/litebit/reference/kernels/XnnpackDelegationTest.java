package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import io.litebit.model.TfliteModel;
import io.litebit.model.build.ModelBuilder;
import io.litebit.model.build.Out;
import io.litebit.model.build.SubgraphBuilder;
import io.litebit.model.build.TensorRef;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import org.junit.jupiter.api.Test;

class XnnpackDelegationTest {

    /** float32 [1,2] -> int8 QUANTIZE, output scale 0.5 zero point 0, its one scale on {@code axis}. */
    private static TfliteModel quantize(int axis) {
        ModelBuilder mb = ModelBuilder.create();
        SubgraphBuilder g = mb.main();
        TensorRef x = g.input("x", DType.FLOAT32, new int[] {1, 2});
        g.output(g.quantize(x, Out.of(DType.INT8, Quantization.perChannel(new float[] {0.5f}, new long[] {0}, axis)).named("y")));
        return mb.build();
    }

    private static int[] run(TfliteModel m, NumericsProfile p) {
        return ReferenceInterpreter.create(m, p).run(TensorValue.ofFloat32(new int[] {1, 2}, 0.25f, -0.75f)).output(0).toIntArray();
    }

    @Test
    void anOperatorWithAOneScaleTensorOffAxisZeroIsComputedAsTfliteUnderTheXnnpackProfile() {
        // 0.25 / 0.5 = 0.5 and -0.75 / 0.5 = -1.5 are ties. TFLite rounds half away from zero: 1, -2.
        // XNNPACK multiplies by 1/0.5 = 2 and rounds half to even: 0, -2.
        assertThat(run(quantize(0), NumericsProfile.TFLITE)).containsExactly(1, -2);
        assertThat(run(quantize(0), NumericsProfile.XNNPACK)).containsExactly(0, -2);
        // quantized_dimension 1: the delegate refuses the node, TFLite's kernel runs.
        assertThat(run(quantize(1), NumericsProfile.XNNPACK)).containsExactly(1, -2);
    }

    @Test
    void theRuleLooksAtEveryEightBitTensorOfTheOperator() {
        TfliteModel onAxis = quantize(0);
        TfliteModel offAxis = quantize(1);
        assertThat(XnnpackDelegation.refuses(onAxis.mainSubgraph(), onAxis.mainSubgraph().operator(0))).isFalse();
        assertThat(XnnpackDelegation.refuses(offAxis.mainSubgraph(), offAxis.mainSubgraph().operator(0))).isTrue();
    }
}
