package io.litebit.model.options;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuiltinOptionsTest {

    @Test
    void emptyConstantsAreTheSchemasTables() {
        assertThat(BuiltinOptions.Empty.ALL).extracting(BuiltinOptions.Empty::typeName).containsExactly("PadOptions",
                "TransposeOptions", "DequantizeOptions", "PadV2Options", "QuantizeOptions", "HardSwishOptions");
        for (BuiltinOptions.Empty e : BuiltinOptions.Empty.ALL) {
            assertThat(org.tensorflow.lite.schema.BuiltinOptions.name(e.unionType())).as(e.toString())
                    .isEqualTo(e.typeName());
            assertThat(BuiltinOptions.Empty.forUnionType(e.unionType())).containsSame(e);
        }
        assertThat(BuiltinOptions.Empty.forUnionType(1)).as("Conv2DOptions has a record").isEmpty();
        assertThat(BuiltinOptions.Empty.forUnionType(0)).isEmpty();
    }
}
