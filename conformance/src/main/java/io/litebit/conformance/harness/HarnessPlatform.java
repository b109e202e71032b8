package io.litebit.conformance.harness;

import java.util.Locale;

/**
 * A CPU architecture the native harness can be built for, with the name its backends carry
 * ({@code x86:builtin}, {@code arm64:xnnpack}) and the JavaCPP platform whose TFLite library it
 * links.
 *
 * <pre>{@code
 * HarnessPlatform p = HarnessPlatform.ARM64;
 * boolean emulated = p != HarnessPlatform.host();   // true on an x86 machine: runs under qemu
 * }</pre>
 */
public enum HarnessPlatform {
    /** x86-64 Linux: the preset's {@code linux-x86_64} library. */
    X86("x86", "linux-x86_64", "x86_64"),
    /** 64-bit ARM Linux: the preset's {@code linux-arm64} library (NEON kernels of XNNPACK, ruy, TFLite). */
    ARM64("arm64", "linux-arm64", "aarch64");

    private final String prefix;
    private final String javacppPlatform;
    private final String gnuArch;

    HarnessPlatform(String prefix, String javacppPlatform, String gnuArch) {
        this.prefix = prefix;
        this.javacppPlatform = javacppPlatform;
        this.gnuArch = gnuArch;
    }

    /** The backend-name prefix: {@code x86} or {@code arm64}. */
    public String prefix() {
        return prefix;
    }

    /** JavaCPP's platform name, the classifier of the preset jar: {@code linux-arm64}. */
    public String javacppPlatform() {
        return javacppPlatform;
    }

    /** The GNU triplet's architecture: {@code aarch64}, {@code x86_64}. */
    public String gnuArch() {
        return gnuArch;
    }

    /** The platform of this JVM's machine, or {@code null} on anything else (32-bit, other OSes). */
    public static HarnessPlatform host() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> X86;
            case "aarch64", "arm64" -> ARM64;
            default -> null;
        };
    }

    /** Whether a harness for this platform runs under an emulator on this machine. */
    public boolean emulatedHere() {
        return host() != this;
    }

    /** Parses {@code x86} / {@code x86_64} / {@code arm64} / {@code aarch64}, case-insensitively. */
    public static HarnessPlatform parse(String s) {
        String p = s.trim().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "x86", "x86_64", "x86-64", "amd64" -> X86;
            case "arm64", "aarch64" -> ARM64;
            default -> throw new IllegalArgumentException("unknown platform \"" + s + "\", expected x86 or arm64");
        };
    }
}
