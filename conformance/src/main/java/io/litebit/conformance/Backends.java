package io.litebit.conformance;

import io.litebit.conformance.harness.HarnessBackend;
import io.litebit.trace.Backend;
import java.util.Locale;

/**
 * Every backend the conformance suite can name: the in-process ones of {@link Backend#parse}
 * plus the child-process harness backends ({@code x86:KIND}, {@code arm64:KIND}), which need the
 * CMake-built harness and so live here, above the trace module.
 *
 * <pre>{@code
 * Backend arm = Backends.parse("arm64:xnnpack");   // TFLite's linux-arm64 library under qemu-user
 * Backend ref = Backends.parse("builtin-ref");     // same as Backend.builtinRef()
 * }</pre>
 */
public final class Backends {
    private Backends() {
    }

    /**
     * A native harness backend: TFLite of the preset's {@code linux-arm64} or {@code linux-x86_64}
     * library in a child process, emulated where the architecture is not this machine's; see
     * {@link HarnessBackend}.
     *
     * @param platform {@code x86} or {@code arm64}
     * @param kind     {@code xnnpack}, {@code builtin} or {@code builtin-ref}
     */
    public static Backend harness(String platform, String kind) {
        return HarnessBackend.parse(platform + ":" + kind);
    }

    /**
     * Parses what {@link Backend#parse} accepts, or a harness backend {@code x86:KIND} /
     * {@code arm64:KIND} with KIND one of {@code xnnpack}, {@code builtin}, {@code builtin-ref},
     * case-insensitively. Harness backends are only named here: whether this machine can run them
     * is {@code NativeHarness.of(platform).availability()}.
     *
     * @throws IllegalArgumentException for anything else, listing what is accepted
     */
    public static Backend parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        if (colon > 0) {
            String prefix = s.substring(0, colon);
            if (prefix.equals("x86") || prefix.equals("x86_64") || prefix.equals("arm64") || prefix.equals("aarch64")) {
                return HarnessBackend.parse(s);
            }
        }
        try {
            return Backend.parse(spec);
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("unknown numerics profile")) {
                throw e;
            }
            throw new IllegalArgumentException("unknown backend \"" + spec
                    + "\", expected xnnpack, builtin, builtin-ref, reference, reference:PROFILE or "
                    + "x86:KIND / arm64:KIND (KIND xnnpack, builtin, builtin-ref)", e);
        }
    }
}
