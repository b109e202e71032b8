package io.litebit.conformance.harness;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.litebit.model.testing.SharedAssets;
import java.util.Optional;

/** Outside CI a missing tool skips the harness tests with the reason; in CI it fails them. */
final class HarnessAssumptions {
    private HarnessAssumptions() {
    }

    static NativeHarness require(HarnessPlatform platform) {
        NativeHarness h = NativeHarness.of(platform);
        Optional<String> why = h.availability();
        if (why.isPresent()) {
            String msg = platform.prefix() + " harness unavailable: " + why.get();
            if (SharedAssets.inCi()) {
                throw new AssertionError(msg + " (CI=true: .ci/run runs scripts/setup-arm64.sh first)");
            }
            assumeTrue(false, msg);
        }
        return h;
    }
}
