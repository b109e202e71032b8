package io.litebit.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the benchmarks find ../shared: -Dlitebit.shared.dir, $LITEBIT_SHARED, or ../shared from the working directory. */
public final class SharedModels {
    private SharedModels() {
    }

    /** The ../shared directory itself (models/, datasets/). */
    public static Path root() {
        String dir = System.getProperty("litebit.shared.dir", System.getenv().getOrDefault("LITEBIT_SHARED", "../shared"));
        return Path.of(dir).toAbsolutePath().normalize();
    }

    public static Path model(String relative) {
        Path p = root().resolve("models").resolve(relative).normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("benchmark model " + p + " not found; run from the repository root next to "
                    + "../shared, or pass -jvmArgsAppend -Dlitebit.shared.dir=DIR");
        }
        return p;
    }
}
