package io.litebit.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

/** Field-by-field equality of two model views, with messages that say where they differ. */
public final class ModelAssertions {
    private ModelAssertions() {
    }

    public static void assertSameModel(String what, TfliteModel a, TfliteModel b) {
        assertThat(b.version()).as(what + " version").isEqualTo(a.version());
        assertThat(b.description()).as(what + " description").isEqualTo(a.description());
        assertThat(b.operatorCodes()).as(what + " operator codes").isEqualTo(a.operatorCodes());
        assertThat(b.subgraphs()).as(what + " subgraph count").hasSameSizeAs(a.subgraphs());
        for (int s = 0; s < a.subgraphs().size(); s++) {
            Subgraph ga = a.subgraphs().get(s);
            Subgraph gb = b.subgraphs().get(s);
            String at = what + " subgraph " + s;
            assertThat(gb.name()).as(at + " name").isEqualTo(ga.name());
            assertThat(gb.inputs()).as(at + " inputs").isEqualTo(ga.inputs());
            assertThat(gb.outputs()).as(at + " outputs").isEqualTo(ga.outputs());
            assertThat(gb.tensors()).as(at + " tensor count").hasSameSizeAs(ga.tensors());
            for (int t = 0; t < ga.tensors().size(); t++) {
                assertSameTensor(at + " tensor " + t, ga.tensor(t), gb.tensor(t));
            }
            assertThat(gb.operators()).as(at + " operator count").hasSameSizeAs(ga.operators());
            for (int o = 0; o < ga.operators().size(); o++) {
                Operator oa = ga.operator(o);
                Operator ob = gb.operator(o);
                String ot = at + " operator " + o;
                assertThat(ob.opcode()).as(ot + " opcode").isEqualTo(oa.opcode());
                assertThat(ob.inputs()).as(ot + " inputs").isEqualTo(oa.inputs());
                assertThat(ob.outputs()).as(ot + " outputs").isEqualTo(oa.outputs());
                assertThat(ob.intermediates()).as(ot + " intermediates").isEqualTo(oa.intermediates());
                assertThat(ob.options()).as(ot + " options").isEqualTo(oa.options());
                assertThat(ob.customOptions()).as(ot + " custom options").isEqualTo(oa.customOptions());
            }
        }
        assertThat(b.signatures()).as(what + " signatures").isEqualTo(a.signatures());
        assertThat(b.metadata().stream().map(MetadataEntry::name).toList()).as(what + " metadata")
                .isEqualTo(a.metadata().stream().map(MetadataEntry::name).toList());
        for (int i = 0; i < a.metadata().size(); i++) {
            assertThat(b.metadata().get(i).data()).as(what + " metadata " + i).isEqualTo(a.metadata().get(i).data());
        }
    }

    public static void assertSameTensor(String at, Tensor ta, Tensor tb) {
        assertThat(tb.name()).as(at + " name").isEqualTo(ta.name());
        assertThat(tb.dtype()).as(at + " dtype").isEqualTo(ta.dtype());
        assertThat(tb.shape()).as(at + " shape").isEqualTo(ta.shape());
        assertThat(tb.shapeSignature()).as(at + " shape signature").isEqualTo(ta.shapeSignature());
        assertThat(tb.quantization()).as(at + " quantization").isEqualTo(ta.quantization());
        assertThat(tb.isVariable()).as(at + " variable").isEqualTo(ta.isVariable());
        assertThat(tb.isConstant()).as(at + " constant").isEqualTo(ta.isConstant());
        if (ta.isConstant()) {
            ByteBuffer da = ta.data().orElseThrow();
            ByteBuffer db = tb.data().orElseThrow();
            assertThat(db.equals(da)).as(at + " data bytes equal").isTrue();
        }
    }
}
