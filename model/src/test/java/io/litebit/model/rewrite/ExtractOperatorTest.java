package io.litebit.model.rewrite;

import static io.litebit.model.rewrite.RewriteAssertions.assertNoNewWarnings;
import static io.litebit.model.rewrite.RewriteAssertions.shared;
import static io.litebit.model.rewrite.TinyModel.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.BuiltinOp;
import io.litebit.model.DType;
import io.litebit.model.ModelAssertions;
import io.litebit.model.Operator;
import io.litebit.model.Quantization;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExtractOperatorTest {

    @Test
    void everyMobilenetOperatorStandsAloneWithItsOwnConstants() {
        TfliteModel model = shared("tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite");
        Subgraph g = model.mainSubgraph();
        for (Operator op : g.operators()) {
            String at = "op " + op.index() + " " + op.op();
            TfliteModel one = Rewriters.extractOperator(model, 0, op.index());
            assertSingleOp(at, g, op, one);
            assertNoNewWarnings(at, model, one);
        }
    }

    @Test
    void theQuantizedLstmKeepsOptionalInputsIntermediatesAndState() {
        TfliteModel model = shared("tflite-micro/trained_lstm_int8.tflite");
        Subgraph g = model.mainSubgraph();
        Operator lstm = g.operator(0);
        TfliteModel one = Rewriters.extractOperator(model, 0, 0);
        assertSingleOp("lstm", g, lstm, one);

        Subgraph s = one.mainSubgraph();
        Operator op = s.operator(0);
        for (int k = 0; k < lstm.inputCount(); k++) {
            assertThat(op.input(k) == -1).as("input " + k + " omitted").isEqualTo(lstm.input(k) == -1);
        }
        assertThat(op.intermediates()).hasSize(5);
        for (int k = 0; k < 5; k++) {
            ModelAssertions.assertSameTensor("intermediate " + k, g.tensor(lstm.intermediates()[k]), s.tensor(op.intermediates()[k]));
        }
        // The two state tensors stay variable state; only the sequence is fed from outside.
        assertThat(s.inputs()).containsExactly(op.input(0));
        assertThat(s.tensor(op.input(18)).isVariable()).isTrue();
        assertThat(s.tensor(op.input(19)).isVariable()).isTrue();
        assertThat(s.tensor(op.input(19)).dtype()).isEqualTo(DType.INT16);
    }

    @Test
    void aTensorReadTwiceIsOneInputAndMetadataStaysBehind() {
        TinyModel m = new TinyModel();
        int x = m.activation("x", DType.INT8, shape(1, 4), Quantization.perTensor(0.1f, 2));
        int y = m.activation("y", DType.INT8, shape(1, 4), Quantization.perTensor(0.2f, 0));
        int w = m.int8("w", shape(4, 4), Quantization.perTensor(0.01f, 0), new int[16]);
        int z = m.activation("z", DType.INT8, shape(1, 4), Quantization.perTensor(0.3f, 0));
        m.op(BuiltinOp.ADD, 2, new BuiltinOptions.Add(Activation.NONE, true), new int[] {x, x}, y);
        m.op(BuiltinOp.FULLY_CONNECTED, 4, new BuiltinOptions.FullyConnected(Activation.NONE, false), new int[] {y, w, -1}, z);
        TfliteModel model = m.build(new int[] {x}, new int[] {z});

        TfliteModel add = Rewriters.extractOperator(model, 0, 0);
        assertThat(add.mainSubgraph().tensors()).extracting(Tensor::name).containsExactly("x", "y");
        assertThat(add.mainSubgraph().operator(0).inputs()).containsExactly(0, 0);
        assertThat(add.mainSubgraph().inputs()).containsExactly(0);
        assertThat(add.buffers()).as("only the sentinel").hasSize(1);
        assertThat(add.signatures()).isEmpty();
        assertThat(add.description()).contains("operator 0 (ADD) of subgraph 0");

        TfliteModel fc = Rewriters.extractOperator(model, 0, 1);
        assertThat(fc.mainSubgraph().operator(0).inputs()).containsExactly(0, 1, -1);
        assertThat(fc.mainSubgraph().inputs()).containsExactly(0);
        assertThat(fc.operatorCodes()).singleElement().isEqualTo(model.operatorCodes().get(1));
        assertThat(fc.buffers()).hasSize(2);
    }

    @Test
    void outOfRangeIndicesAndControlFlowAreRefused() {
        TinyModel m = new TinyModel();
        int x = m.activation("x", DType.FLOAT32, shape(1), Quantization.NONE);
        int y = m.activation("y", DType.FLOAT32, shape(1), Quantization.NONE);
        m.op(BuiltinOp.RELU, 1, null, new int[] {x}, y);
        m.op(BuiltinOp.CALL_ONCE, 1, null, new int[0]);
        TfliteModel model = m.build(new int[] {x}, new int[] {y});

        assertThatThrownBy(() -> Rewriters.extractOperator(model, 1, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("subgraphs 0..0");
        assertThatThrownBy(() -> Rewriters.extractOperator(model, 0, 2)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("operators 0..1");
        assertThatThrownBy(() -> Rewriters.extractOperator(model, 0, 1)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("CALL_ONCE");
    }

    /** The one-op model holds exactly the op's tensors, with the original's bytes for constants. */
    private static void assertSingleOp(String at, Subgraph g, Operator op, TfliteModel one) {
        assertThat(one.subgraphs()).as(at).hasSize(1);
        Subgraph s = one.mainSubgraph();
        assertThat(s.operators()).as(at + ": exactly one operator").hasSize(1);
        Operator x = s.operator(0);
        assertThat(x.opcode()).as(at).isEqualTo(op.opcode());
        assertThat(one.operatorCodes()).as(at).containsExactly(op.opcode());
        assertThat(x.options()).as(at).isEqualTo(op.options());

        Set<Integer> used = new LinkedHashSet<>();
        for (int t : op.inputs()) {
            if (t >= 0) {
                used.add(t);
            }
        }
        for (int t : op.outputs()) {
            used.add(t);
        }
        for (int t : op.intermediates()) {
            used.add(t);
        }
        assertThat(s.tensors()).as(at + ": only the op's tensors").hasSize(used.size());
        checkRefs(at + " inputs", g, s, op.inputs(), x.inputs());
        checkRefs(at + " outputs", g, s, op.outputs(), x.outputs());
        checkRefs(at + " intermediates", g, s, op.intermediates(), x.intermediates());

        List<Integer> expectedInputs = new ArrayList<>();
        for (int k = 0; k < op.inputCount(); k++) {
            int t = op.input(k);
            if (t >= 0 && !g.tensor(t).isConstant() && !g.tensor(t).isVariable() && !expectedInputs.contains(x.input(k))) {
                expectedInputs.add(x.input(k));
            }
        }
        assertThat(s.inputs()).as(at + ": non-constant inputs in op order")
                .isEqualTo(expectedInputs.stream().mapToInt(Integer::intValue).toArray());
        assertThat(s.outputs()).as(at).isEqualTo(x.outputs());
        long constants = used.stream().filter(t -> g.tensor(t).isConstant()).map(t -> g.tensor(t).buffer()).distinct().count();
        assertThat(one.buffers()).as(at + ": sentinel plus the op's constant buffers").hasSize(1 + (int) constants);
    }

    private static void checkRefs(String at, Subgraph g, Subgraph s, int[] original, int[] extracted) {
        assertThat(extracted).as(at).hasSameSizeAs(original);
        for (int k = 0; k < original.length; k++) {
            if (original[k] < 0) {
                assertThat(extracted[k]).as(at + "[" + k + "] omitted").isEqualTo(-1);
                continue;
            }
            Tensor a = g.tensor(original[k]);
            Tensor b = s.tensor(extracted[k]);
            // name, type, shape, quantization and, for constants, the exact bytes
            ModelAssertions.assertSameTensor(at + "[" + k + "]", a, b);
            if (a.isConstant()) {
                ByteBuffer da = a.data().orElseThrow();
                assertThat(b.data().orElseThrow().equals(da)).as(at + "[" + k + "] bytes").isTrue();
            }
        }
    }
}
