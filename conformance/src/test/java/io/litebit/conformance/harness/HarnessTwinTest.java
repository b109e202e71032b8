package io.litebit.conformance.harness;

import io.litebit.conformance.Backends;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.trace.Backend;
import io.litebit.conformance.InputSets;
import io.litebit.trace.Trace;
import io.litebit.conformance.TraceDiff;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The x86 harness (C API, separate process, all-outputs rewrite) and the JNI backends (Java API,
 * preserve_all_tensors on builtin) must be the same TFLite: bit for bit on every traced tensor of
 * every shared model, for every kernel family. This is what makes an arm64 column trustworthy:
 * whatever differs there is the platform, not the harness.
 */
class HarnessTwinTest {
    @BeforeAll
    static void harness() {
        HarnessAssumptions.require(HarnessPlatform.X86).executable();
    }

    @Test
    void x86HarnessEqualsJniOnEverySharedModelAndBackend() throws IOException {
        List<String> checked = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Path p : SharedAssets.allModels()) {
            TfliteModel model = TfliteModel.load(p);
            List<byte[]> inputs = InputSets.random(model, 1);
            for (String kind : HarnessBackend.KINDS) {
                Trace jni;
                try {
                    jni = Backends.parse(kind).run(model, inputs);
                } catch (RuntimeException e) {
                    // TFLite refuses it through JNI (a seanet TRANSPOSE_CONV on XNNPACK): the harness must too.
                    assertThatThrownBy(() -> Backends.parse("x86:" + kind).run(model, inputs))
                            .as("%s on %s: JNI failed with %s", kind, p.getFileName(), e.getMessage())
                            .isInstanceOf(HarnessException.class).hasMessageContaining("x86:" + kind);
                    refused.add(p.getFileName() + " " + kind);
                    continue;
                }
                Trace harness = Backends.parse("x86:" + kind).run(model, inputs);
                TraceDiff d = TraceDiff.compare(model, jni, harness);
                assertThat(harness.tensors()).as("%s on %s: traced tensors", kind, p.getFileName())
                        .hasSameSizeAs(jni.tensors());
                assertThat(d.identical()).as("%s: x86:%s vs %s: %s", p.getFileName(), kind, kind,
                        d.firstDivergence().map(Object::toString).orElse("missing " + d.missing())).isTrue();
                assertThat(harness.notes()).as("notes").isEqualTo(jni.notes());
                checked.add(p.getFileName() + " " + kind);
            }
        }
        System.out.println("HarnessTwinTest: x86 harness == JNI on " + checked.size() + " model/backend pairs; refused by both: "
                + refused);
        assertThat(checked).hasSizeGreaterThanOrEqualTo(3 * 6);
    }
}
