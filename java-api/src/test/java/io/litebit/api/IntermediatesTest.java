package io.litebit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Any tensor by index or name after invoke: intermediates with preserve-all-tensors, a clear
 * exception without it, and a clear exception for tensors inside an XNNPACK partition.
 */
class IntermediatesTest {
    // x = [1, 2, 3, 4], w[o][i] = o + i, b = {0.5, -0.5, 0}:
    // fc = relu(x @ w^T + b) = {0+2+6+12 + 0.5, 1+4+9+16 - 0.5, 2+6+12+20 + 0} = {20.5, 29.5, 40}; y = fc + 1
    static final float[] X = {1, 2, 3, 4};
    static final float[] FC = {20.5f, 29.5f, 40f};
    static final float[] Y = {21.5f, 30.5f, 41f};

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"BUILTIN", "BUILTIN_REF"})
    void preservedIntermediatesAreReadableByNameAndIndexAfterInvoke(Backend backend) {
        InterpreterOptions options = InterpreterOptions.builder().backend(backend).preserveAllTensors(true).build();
        try (Interpreter it = Interpreter.create(TestModels.fcFloat(), options)) {
            TensorHandle fc = it.tensor("fc");
            assertThatThrownBy(fc::readFloats).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has not been computed since the tensors were allocated: call invoke() first");
            it.input(0).write(X);
            it.invoke();
            assertThat(fc.readFloats()).containsExactly(FC);
            assertThat(it.tensor(fc.index()).read()).isEqualTo(TensorData.ofFloat32(FC, 1, 3));
            assertThat(it.output(0).readFloats()).containsExactly(Y);
            assertThat(fc.details().shape()).containsExactly(1, 3);
            assertThat(it.tensorDetails()).extracting(TensorDetails::name).contains("x", "w", "b", "fc", "one", "y");
        }
    }

    @Test
    void readIntoCopiesTheSameBytesWithoutAllocatingAndRefusesASmallBuffer() {
        InterpreterOptions options = InterpreterOptions.builder().backend(Backend.BUILTIN).preserveAllTensors(true).build();
        try (Interpreter it = Interpreter.create(TestModels.fcFloat(), options)) {
            it.input(0).write(X);
            it.invoke();
            java.nio.ByteBuffer dst = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.nativeOrder());
            dst.position(4);
            assertThat(it.tensor("fc").readInto(dst)).isEqualTo(12);
            assertThat(dst.position()).isEqualTo(16);
            assertThat(new float[] {dst.getFloat(4), dst.getFloat(8), dst.getFloat(12)}).containsExactly(FC);
            assertThatThrownBy(() -> it.tensor("fc").readInto(java.nio.ByteBuffer.allocate(8)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"fc\"").hasMessageContaining("holds 12 bytes, the destination has 8 remaining");
        }
    }

    @Test
    void withoutPreserveAllTensorsAnIntermediateIsRefusedWithTheFix() {
        try (Interpreter it = Interpreter.create(TestModels.fcFloat(), InterpreterOptions.of(Backend.BUILTIN))) {
            it.input(0).write(X);
            it.invoke();
            assertThat(it.output(0).readFloats()).containsExactly(Y);
            assertThat(it.tensor("w").readFloats()).hasSize(12); // constants are always readable
            assertThatThrownBy(() -> it.tensor("fc").readFloats()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("tensor 3 \"fc\" is an intermediate tensor: TFLite reuses its memory while invoking,"
                            + " so its data is not kept. Create the interpreter with"
                            + " InterpreterOptions.builder().preserveAllTensors(true) to read it after invoke().");
        }
    }

    @Test
    void aTensorInsideAnXnnpackPartitionHasNoData() {
        try (Interpreter it = Interpreter.create(TestModels.fcFloat())) {
            // One partition: FULLY_CONNECTED and ADD both run inside delegate node 2.
            assertThat(it.opDetails()).hasSize(3);
            OpDetails kernel = it.opDetails().get(2);
            assertThat(kernel.isDelegateKernel()).isTrue();
            assertThat(kernel.opName()).isEqualTo("DELEGATE TfLiteXNNPackDelegate");
            assertThat(it.opDetails().subList(0, 2)).allSatisfy(op -> {
                assertThat(op.isDelegated()).isTrue();
                assertThat(op.delegatedTo()).isEqualTo(2);
                assertThat(op.isExecuted()).isFalse();
            });
            it.input(0).write(X);
            it.invoke();
            assertThat(it.output(0).readFloats()).containsExactly(Y);
            assertThatThrownBy(() -> it.tensor("fc").readFloats()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("tensor 3 \"fc\" is computed inside delegate node 2 (DELEGATE TfLiteXNNPackDelegate);"
                            + " TFLite never materializes it, so it has no data. Run on Backend.BUILTIN or"
                            + " Backend.BUILTIN_REF to read it.");
        }
    }

    /**
     * With preserve-all-tensors, TFLite 2.19 hands XNNPACK one operator per partition, so the
     * tensors between operators exist and are readable on XNNPACK too.
     */
    @Test
    void withPreserveAllTensorsXnnpackGetsOnePartitionPerOperator() {
        InterpreterOptions options = InterpreterOptions.builder().preserveAllTensors(true).build();
        try (Interpreter it = Interpreter.create(TestModels.fcFloat(), options)) {
            assertThat(it.opDetails()).extracting(OpDetails::opName).containsExactly("FULLY_CONNECTED", "ADD",
                    "DELEGATE TfLiteXNNPackDelegate", "DELEGATE TfLiteXNNPackDelegate");
            assertThat(it.opDetails().get(0).delegatedTo()).isEqualTo(2);
            assertThat(it.opDetails().get(1).delegatedTo()).isEqualTo(3);
            it.input(0).write(X);
            it.invoke();
            assertThat(it.tensor("fc").readFloats()).containsExactly(FC);
            assertThat(it.output(0).readFloats()).containsExactly(Y);
        }
    }
}
