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
