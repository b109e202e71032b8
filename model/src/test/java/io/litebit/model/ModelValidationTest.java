package io.litebit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.model.io.ModelWriter;
import io.litebit.model.options.Activation;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.model.testing.SharedAssets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each kind of malformed file gets a ModelFormatException that names the problem and where it
 * is; semantic problems become warnings worded like TFLite's own checks.
 */
class ModelValidationTest {

    /** A fully connected layer int8 [1,4] x [3,4] weights + int32 bias, assembled from parts. */
    private static final class Parts {
        DType weightType = DType.INT8;
        int weightBuffer = 1;
        int[] weightShape = {3, 4};
        byte[] weightBytes = new byte[12];
        Quantization weightQuant = Quantization.perTensor(0.5f, 0);
        int opcodeIndex = 0;
        int builtinCode = BuiltinOp.FULLY_CONNECTED.code();
        int[] opInputs = {0, 1, -1};
        int[] graphOutputs = {2};
        int signatureTensor = 0;

        TfliteModel assemble() {
            List<ByteBuffer> buffers = new ArrayList<>();
            buffers.add(null);
            buffers.add(ByteBuffer.wrap(weightBytes).order(ByteOrder.LITTLE_ENDIAN));
            Tensor in = new Tensor(0, "in", DType.INT8, new int[] {1, 4}, null, 0, null,
                    Quantization.perTensor(0.1f, 3), false, false);
            Tensor w = new Tensor(1, "w", weightType, weightShape, null, weightBuffer, buffers.get(1), weightQuant,
                    false, false);
            Tensor out = new Tensor(2, "out", DType.INT8, new int[] {1, 3}, null, 0, null,
                    Quantization.perTensor(0.2f, -1), false, false);
            OperatorCode code = new OperatorCode(builtinCode, BuiltinOp.fromCode(builtinCode), null, 1);
            Operator op = new Operator(0, opcodeIndex, code, opInputs, new int[] {2}, null,
                    new BuiltinOptions.FullyConnected(Activation.NONE, false), null);
            Subgraph g = new Subgraph(0, "main", List.of(in, w, out), new int[] {0}, graphOutputs, List.of(op));
            SignatureDef sig = new SignatureDef("serving_default", 0,
                    java.util.Map.of("x", signatureTensor), java.util.Map.of("y", 2));
            return new TfliteModel(3, "test", List.of(code), List.of(g), buffers, List.of(), List.of(sig), List.of(),
                    null);
        }

        byte[] bytes() {
            return ModelWriter.toArray(ModelWriter.write(assemble()));
        }
    }

    @Test
    void aSoundAssembledModelLoadsWithoutWarnings() {
        TfliteModel m = TfliteModel.fromBytes(new Parts().bytes());
        assertThat(m.warnings()).isEmpty();
        assertThat(m.mainSubgraph().operator(0).input(2)).isEqualTo(-1);
        assertThat(m.signatures().get(0).inputs()).containsEntry("x", 0);
    }

    @Test
    void textIsNotAModel() {
        byte[] text = "hello, this is not a model at all".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> TfliteModel.fromBytes(text)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("file identifier").hasMessageContaining("expected \"TFL3\"");
        assertThatThrownBy(() -> TfliteModel.fromBytes(new byte[3])).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("shorter than a FlatBuffer header");
    }

    @Test
    void wrongIdentifierIsNamed() {
        byte[] b = new Parts().bytes();
        b[4] = 'X';
        assertThatThrownBy(() -> TfliteModel.fromBytes(b)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("\"XFL3\"");
    }

    @Test
    void truncatedFileIsReportedAsSuch() throws Exception {
        byte[] full = Files.readAllBytes(SharedAssets.require("models/tflite-micro/hello_world_int8.tflite"));
        byte[] half = Arrays.copyOf(full, full.length / 2);
        assertThatThrownBy(() -> TfliteModel.fromBytes(half)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void bufferIndexOutOfRange() {
        Parts p = new Parts();
        p.weightBuffer = 7;
        assertThatThrownBy(() -> TfliteModel.fromBytes(p.bytes())).isInstanceOf(ModelFormatException.class)
                .hasMessage("subgraph 0, tensor 1 \"w\": buffer index 7 out of range, the model has 2 buffers");
    }

    @Test
    void tensorIndexOutOfRangeInOperatorAndOutputs() {
        Parts p = new Parts();
        p.opInputs = new int[] {0, 5, -1};
        assertThatThrownBy(() -> TfliteModel.fromBytes(p.bytes())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("subgraph 0, operator 0 (FULLY_CONNECTED) inputs[1]: tensor index 5 out of range");
        Parts q = new Parts();
        q.graphOutputs = new int[] {-1};
        assertThatThrownBy(() -> TfliteModel.fromBytes(q.bytes())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("subgraph 0 outputs[0]: tensor index -1 out of range");
        Parts r = new Parts();
        r.signatureTensor = 3;
        assertThatThrownBy(() -> TfliteModel.fromBytes(r.bytes())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("signature 0 \"serving_default\" inputs \"x\": tensor index 3 out of range");
    }

    @Test
    void opcodeIndexOutOfRange() {
        Parts p = new Parts();
        p.opcodeIndex = 4;
        assertThatThrownBy(() -> TfliteModel.fromBytes(p.bytes())).isInstanceOf(ModelFormatException.class)
                .hasMessage("subgraph 0, operator 0: opcode index 4 out of range, the model has 1 operator codes");
    }

    @Test
    void constantSizeMustMatchShapeTimesDtype() {
        Parts p = new Parts();
        p.weightShape = new int[] {3, 5};
        assertThatThrownBy(() -> TfliteModel.fromBytes(p.bytes())).isInstanceOf(ModelFormatException.class)
                .hasMessage("subgraph 0, tensor 1 \"w\": constant buffer 1 holds 12 bytes, expected 15 for shape [3, 5] of int8");
        Parts q = new Parts();
        q.weightType = DType.INT16; // 12 elements of int16 need 24 bytes
        assertThatThrownBy(() -> TfliteModel.fromBytes(q.bytes())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("holds 12 bytes, expected 24");
    }

    @Test
    void quantizationArraysOfInconsistentLength() {
        Parts p = new Parts();
        p.weightQuant = new Quantization(new float[] {0.5f, 0.25f, 0.1f}, new long[] {0, 0}, 0, new float[0], new float[0]);
        assertThatThrownBy(() -> TfliteModel.fromBytes(p.bytes())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("tensor 1 \"w\" quantization: QuantizationParam has 2 zero_point values and 3 scale values");
        Parts q = new Parts();
        q.weightQuant = new Quantization(new float[] {0.5f}, new long[] {0}, 0, new float[] {-1, -2}, new float[] {1});
        assertThatThrownBy(() -> TfliteModel.fromBytes(q.bytes())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("2 min values but 1 max values");
    }

    @Test
    void negativeOperatorCodeIsRejectedAndAFutureOneIsShownAsUnknown() {
        Parts p = new Parts();
        p.builtinCode = -5;
        assertThatThrownBy(() -> TfliteModel.fromBytes(p.bytes())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("operator code 0: invalid builtin operator code");
        Parts q = new Parts();
        q.builtinCode = 250;
        TfliteModel m = TfliteModel.fromBytes(q.bytes());
        assertThat(m.mainSubgraph().operator(0).opcode().displayName()).isEqualTo("unknown (code 250)");
        assertThat(m.warnings()).extracting(ModelWarning::message).anyMatch(s -> s.contains("code 250"));
    }

    @Test
    void quantizedDimensionOutsideRankIsAWarningWithTflitesSentence() {
        // As in TFLite Micro's person_detect: per-channel rank-1 bias with quantized_dimension 3.
        Parts p = new Parts();
        p.weightShape = new int[] {12};
        p.weightQuant = Quantization.perChannel(new float[12], new long[12], 3);
        Arrays.fill(p.weightBytes, (byte) 1);
        TfliteModel m = TfliteModel.fromBytes(p.bytes());
        assertThat(m.warnings()).extracting(ModelWarning::toString)
                .contains("subgraph 0, tensor 1 \"w\": quantized_dimension must be in range [0, 1). Was 3.");
    }

    @Test
    void scaleCountNotMatchingTheChannelDimensionIsAWarning() {
        Parts p = new Parts();
        float[] scales = {0.1f, 0.2f};
        p.weightQuant = Quantization.perChannel(scales, new long[2], 0);
        TfliteModel m = TfliteModel.fromBytes(p.bytes());
        assertThat(m.warnings()).extracting(ModelWarning::message).contains(
                "num_scales must be 1 for per-layer quantization, or 3 for per-axis quantization, but got 2.");
    }

    @Test
    void loadingDoesNotCopyConstantData() {
        byte[] bytes = new Parts().bytes();
        TfliteModel m = TfliteModel.fromBytes(bytes);
        ByteBuffer w = m.mainSubgraph().tensor(1).data().orElseThrow();
        // Change the source array: the view must see it, because it is a view, not a copy.
        int offset = indexOf(bytes, w);
        bytes[offset] = 42;
        assertThat(m.mainSubgraph().tensor(1).data().orElseThrow().get(0)).isEqualTo((byte) 42);
        assertThat(w.isReadOnly()).isTrue();
    }

    private static int indexOf(byte[] bytes, ByteBuffer w) {
        // the weights are all zero; find the buffer by writing a marker through a fresh model
        for (int i = 0; i + 12 <= bytes.length; i++) {
            boolean zeros = true;
            for (int k = 0; k < 12 && zeros; k++) {
                zeros = bytes[i + k] == 0;
            }
            if (zeros && i % 16 == 0 && bytes[i - 4] == 12 && bytes[i - 3] == 0) {
                return i;
            }
        }
        throw new AssertionError("weights not found");
    }
}
