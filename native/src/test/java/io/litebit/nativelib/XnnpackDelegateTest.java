package io.litebit.nativelib;

import io.litebit.model.testing.SharedAssets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteBuiltinConv2d;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteBuiltinDepthwiseConv2d;

import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.junit.jupiter.api.Test;

class XnnpackDelegateTest {

    @Test
    void int8DelegateReportsFlagsQs8Qu8() {
        try (XnnpackDelegate delegate = XnnpackDelegate.createInt8(1)) {
            assertThat(delegate.flags()).isEqualTo(3);
            assertThat(delegate.readFlags()).isEqualTo(3);
            assertThat(delegate.requestedFlags()).isEqualTo(XnnpackDelegate.FLAGS_INT8);
            assertThat(delegate.numThreads()).isEqualTo(1);
            assertThat(delegate.int8Enabled()).isTrue();
            assertThat(delegate.delegate().isNull()).isFalse();
        }
    }

    @Test
    void flagsAndThreadsAreReadBackAsGiven() {
        try (XnnpackDelegate plain = XnnpackDelegate.create(2, 0);
             XnnpackDelegate qs8 = XnnpackDelegate.create(0, XnnpackDelegate.FLAG_QS8)) {
            assertThat(plain.flags()).isZero();
            assertThat(plain.numThreads()).isEqualTo(2);
            assertThat(plain.int8Enabled()).isFalse();
            assertThat(qs8.flags()).isEqualTo(1);
            assertThat(qs8.numThreads()).isZero();
        }
    }

    /**
     * Pins the options layout: the library's TfLiteXNNPackDelegateOptionsDefault writes exactly
     * the 32 bytes of the 2.19 struct the shim declares. A newer TFLite with runtime_flags or
     * the weight-cache fields would write more, and this test would say so.
     */
    @Test
    void optionsLayoutIsPinnedTo219() {
        NativeLibrary.load();
        assertThat(Shim.litebit_xnnpack_options_size()).isEqualTo(32);
        assertThat(Shim.litebit_xnnpack_default_options_extent()).isEqualTo(32);
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFails() {
        XnnpackDelegate delegate = XnnpackDelegate.createInt8(1);
        delegate.close();
        delegate.close();
        assertThat(delegate.isClosed()).isTrue();
        assertThatThrownBy(delegate::delegate).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> XnnpackDelegate.create(-1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * MobileNetV2 int8: with QS8|QU8 the int8 convolutions leave the execution plan (replaced by
     * XNNPACK delegate kernels); with flags 0 (the preset's default) they all stay.
     */
    @Test
    void int8ConvolutionsOfMobileNetV2GoToXnnpack() {
        FlatBufferModel model = Native.loadModel(SharedAssets.require("models/tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite"));
        BuiltinOpResolverWithoutDefaultDelegates builtin = new BuiltinOpResolverWithoutDefaultDelegates();
        try {
            ExecutionPlan undelegated;
            Interpreter interpreter = Native.build(model, builtin, 1);
            try {
                Native.check(interpreter.AllocateTensors(), "AllocateTensors");
                undelegated = ExecutionPlan.of(interpreter);
            } finally {
                interpreter.close();
            }

            // The preset's own path: BuiltinOpResolver applies its default XNNPACK delegate
            // lazily in AllocateTensors, with flags 0.
            ExecutionPlan presetDefault;
            BuiltinOpResolver withDefaultDelegates = new BuiltinOpResolver();
            try {
                Interpreter preset = Native.build(model, withDefaultDelegates, 1);
                try {
                    Native.check(preset.AllocateTensors(), "AllocateTensors");
                    presetDefault = ExecutionPlan.of(preset);
                } finally {
                    preset.close();
                }
            } finally {
                withDefaultDelegates.close();
            }

            ExecutionPlan flags0 = planWith(model, builtin, 0);
            ExecutionPlan int8 = planWith(model, builtin, XnnpackDelegate.FLAGS_INT8);

            System.out.println("[litebit-native] MobileNetV2 int8 execution plan: no delegate "
                    + undelegated.size() + " nodes " + undelegated.opCounts());
            System.out.println("[litebit-native]   preset default (BuiltinOpResolver): "
                    + presetDefault.size() + " nodes, " + presetDefault.delegateKernelCount()
                    + " delegate kernels " + presetDefault.opCounts());
            System.out.println("[litebit-native]   XNNPACK flags=0: " + flags0.size() + " nodes, "
                    + flags0.delegateKernelCount() + " delegate kernels " + flags0.opCounts());
            System.out.println("[litebit-native]   XNNPACK flags=3: " + int8.size() + " nodes, "
                    + int8.delegateKernelCount() + " delegate kernels " + int8.opCounts());

            int convs = undelegated.count(kTfLiteBuiltinConv2d);
            int depthwise = undelegated.count(kTfLiteBuiltinDepthwiseConv2d);
            assertThat(convs).isGreaterThanOrEqualTo(30);
            assertThat(depthwise).isGreaterThanOrEqualTo(15);
            assertThat(undelegated.delegateKernelCount()).isZero();

            // flags 0, and the preset's default delegate: every int8 conv stays on the builtin kernels.
            assertThat(presetDefault.count(kTfLiteBuiltinConv2d)).isEqualTo(convs);
            assertThat(presetDefault.count(kTfLiteBuiltinDepthwiseConv2d)).isEqualTo(depthwise);
            assertThat(flags0.count(kTfLiteBuiltinConv2d)).isEqualTo(convs);
            assertThat(flags0.count(kTfLiteBuiltinDepthwiseConv2d)).isEqualTo(depthwise);

            // flags QS8|QU8: no conv is left; the plan collapses to a few delegate kernels.
            assertThat(int8.count(kTfLiteBuiltinConv2d)).isZero();
            assertThat(int8.count(kTfLiteBuiltinDepthwiseConv2d)).isZero();
            assertThat(int8.delegateKernelCount()).isGreaterThanOrEqualTo(1);
            assertThat(int8.size()).isLessThanOrEqualTo(undelegated.size() / 10);
            assertThat(int8.nodes()).filteredOn(ExecutionPlan.Node::isDelegateKernel)
                    .allSatisfy(n -> assertThat(n.customName()).isEqualTo(XnnpackDelegate.KERNEL_NAME));
            assertThat(int8.totalNodes()).isGreaterThan(undelegated.size());
        } finally {
            builtin.close();
            model.close();
        }
    }

    /** Builds, delegates with the given flags, allocates, invokes once and returns the plan. */
    private static ExecutionPlan planWith(FlatBufferModel model,
                                          BuiltinOpResolverWithoutDefaultDelegates resolver,
                                          int flags) {
        XnnpackDelegate delegate = XnnpackDelegate.create(1, flags);
        try {
            Interpreter interpreter = Native.build(model, resolver, 1);
            try {
                Native.check(interpreter.ModifyGraphWithDelegate(delegate.delegate()),
                        "ModifyGraphWithDelegate");
                Native.check(interpreter.AllocateTensors(), "AllocateTensors");
                Native.fillRandom(interpreter, interpreter.inputs().get(0), 7);
                Native.check(interpreter.Invoke(), "Invoke");
                return ExecutionPlan.of(interpreter);
            } finally {
                interpreter.close(); // before the delegate
            }
        } finally {
            delegate.close();
        }
    }
}
