package io.litebit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.BuiltinOp;
import io.litebit.nativelib.ReferenceOpResolver;
import io.litebit.reference.kernels.Kernels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The oracle accepts exactly the op versions TFLite 2.19 registers: the highest version of each
 * oracle op must equal what the native library's builtin resolver registers (read from the
 * library itself, an independent source), so the oracle neither refuses a version TFLite runs nor
 * runs one TFLite would refuse.
 */
class KernelVersionsTest {

    @Test
    void oracleMaxVersionsEqualTheNativeResolversRegistrations() {
        List<String> mismatches = new ArrayList<>();
        try (ReferenceOpResolver resolver = ReferenceOpResolver.create()) {
            for (BuiltinOp op : Kernels.supportedOps()) {
                List<Integer> versions = resolver.ops().stream()
                        .filter(r -> !r.custom() && r.builtinCode() == op.code())
                        .findFirst().orElseThrow(() -> new AssertionError(op + " is not registered natively"))
                        .versions();
                int nativeMax = Collections.max(versions);
                if (nativeMax != Kernels.maxVersion(op)) {
                    mismatches.add(op + ": oracle " + Kernels.maxVersion(op) + ", TFLite 2.19 " + nativeMax);
                }
            }
        }
        assertThat(mismatches).as("max op versions differing from TFLite's registrations").isEmpty();
    }
}
