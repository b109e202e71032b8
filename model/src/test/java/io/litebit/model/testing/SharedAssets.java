package io.litebit.model.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the read-only shared assets ({@code ../shared}: real models, goldens, datasets).
 *
 * <p>Outside CI a missing asset skips the test with a message; with {@code CI=true} it fails the
 * test, so that CI never passes by silently skipping the real-model checks.
 */
public final class SharedAssets {
    private SharedAssets() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The shared directory (from -Dlitebit.shared.dir, set by the build, else ../shared upwards). */
    public static Path root() {
        String prop = System.getProperty("litebit.shared.dir");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared").normalize();
            if (Files.isDirectory(candidate.resolve("models"))) {
                return candidate;
            }
        }
        return Path.of(prop == null ? "../shared" : prop).toAbsolutePath().normalize();
    }

    /** A shared file; skips (or fails in CI) when it is absent. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            String msg = "shared asset " + p + " is missing (set -Dlitebit.shared.dir)";
            if (inCi()) {
                throw new AssertionError(msg + "; in CI a missing shared asset is a failure");
            }
            Assumptions.abort(msg);
        }
        return p;
    }

    /** Every {@code .tflite} under {@code models/}, sorted; skips (fails in CI) when there is none. */
    /**
     * The runtime corpus: every {@code .tflite} under {@code models/} except the quantization
     * material of {@code models/quantization/} (float models as inputs of calibration and the
     * quantizer, with arbitrary-valued index inputs), which {@link #quantizationModels()} lists.
     */
    public static List<Path> allModels() {
        Path models = require("models");
        Path quantization = models.resolve("quantization");
        try (Stream<Path> s = Files.walk(models)) {
            List<Path> list = s.filter(p -> p.toString().endsWith(".tflite")).filter(p -> !p.startsWith(quantization))
                    .sorted().toList();
            if (list.isEmpty()) {
                require("models/no-tflite-files-found");
            }
            return list;
        } catch (IOException e) {
            throw new AssertionError("cannot list " + models, e);
        }
    }

    /** Every {@code .tflite} under {@code models/quantization/}. */
    public static List<Path> quantizationModels() {
        Path models = require("models/quantization");
        try (Stream<Path> s = Files.walk(models)) {
            return s.filter(p -> p.toString().endsWith(".tflite")).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + models, e);
        }
    }
}
