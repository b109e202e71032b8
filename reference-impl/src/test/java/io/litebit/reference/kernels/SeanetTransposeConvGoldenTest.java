package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import io.litebit.reference.ReferenceInterpreter;
import io.litebit.reference.TensorValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TFLite Micro seanet TRANSPOSE_CONV goldens: input 0 is the int32 output shape given at
 * run time (a dynamic output), input 1 the int16 data, with int8 weights and an int64 bias
 * (16x8). Every output element must match.
 */
class SeanetTransposeConvGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"transpose_conv0", "transpose_conv1", "transpose_conv2"})
    void matchesTheGoldenElementForElement(String name) throws IOException {
        TfliteModel model = TfliteModel.load(SharedAssets.require("models/seanet/" + name + ".tflite"));
        ReferenceInterpreter interpreter = ReferenceInterpreter.create(model);
        int[] inputIndices = interpreter.subgraph().inputs();
        assertThat(inputIndices).hasSize(2);
        TensorValue[] inputs = new TensorValue[2];
        String[] types = {"int32", "int16"};
        for (int k = 0; k < 2; k++) {
            Tensor t = interpreter.subgraph().tensor(inputIndices[k]);
            int[] values = readCsv(SharedAssets.require("models/seanet/" + name + "_input" + k + "_" + types[k] + ".csv"));
            inputs[k] = TensorValue.fromInts(t.dtype(), t.shape(), values);
        }
        assertThat(inputs[0].dtype()).isEqualTo(DType.INT32);
        assertThat(model.mainSubgraph().tensor(inputIndices[0]).isConstant()).isFalse();
        int[] expected = readCsv(SharedAssets.require("models/seanet/" + name + "_golden_int16.csv"));
        TensorValue y = interpreter.run(inputs).output(0);
        assertThat(y.dtype()).isEqualTo(DType.INT16);
        assertThat(y.shape()).containsExactly(inputs[0].toIntArray());
        int[] actual = y.toIntArray();
        assertThat(actual).hasSize(expected.length);
        int differing = 0;
        for (int i = 0; i < expected.length; i++) {
            if (actual[i] != expected[i]) {
                differing++;
            }
        }
        assertThat(differing).as("differing elements of %d", expected.length).isZero();
    }

    private static int[] readCsv(Path file) throws IOException {
        String line = Files.readString(file).trim();
        return Arrays.stream(line.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }
}
