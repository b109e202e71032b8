package io.litebit.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CPU a report was made on: XNNPACK and ruy choose kernels by CPU features at run time, so
 * every conformance result names the CPU model and its relevant features.
 *
 * <pre>{@code
 * Map<String, Object> cpu = CpuInfo.describe();   // {"model": "...", "arch": "amd64", "features": ["avx2", ...]}
 * }</pre>
 */
public final class CpuInfo {
    private static final Set<String> RELEVANT = Set.of("avx2", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "amx_int8",
            "amx_tile", "fma", "f16c", "asimd", "asimddp", "i8mm", "sve");

    private CpuInfo() {
    }

    /**
     * Whether this is an x86-64 CPU with AVX, the condition on which TFLite's optimized kernels
     * dispatch their int8 GEMMs to ruy's AVX/AVX2/AVX-512 kernels (whose rounding the {@code
     * BUILTIN_X86} profile reproduces); without AVX ruy runs its portable path.
     */
    public static boolean isX86WithAvx() {
        String arch = System.getProperty("os.arch");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return false;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")).contains("avx");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Model name, architecture and the relevant feature flags ({@code /proc/cpuinfo} on Linux). */
    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        String model = "unknown";
        List<String> features = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (model.equals("unknown") && (key.equals("model name") || key.equals("CPU part"))) {
                    model = value;
                }
                if (features.isEmpty() && (key.equals("flags") || key.equals("Features"))) {
                    for (String f : value.split("\\s+")) {
                        if (RELEVANT.contains(f)) {
                            features.add(f);
                        }
                    }
                }
            }
        } catch (IOException e) {
            model = "unknown (" + e.getMessage() + ")";
        }
        m.put("model", model);
        m.put("arch", System.getProperty("os.arch"));
        m.put("features", features);
        return m;
    }
}
