package io.litebit.model.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.ModelWarning;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Shared checks and cached shared models for the rewriter tests. */
final class RewriteAssertions {
    private static final Map<String, TfliteModel> CACHE = new ConcurrentHashMap<>();

    private RewriteAssertions() {
    }

    /** A model under shared/models (loaded once per test run); skips or fails per SharedAssets. */
    static TfliteModel shared(String relative) {
        Path p = SharedAssets.require("models/" + relative);
        return CACHE.computeIfAbsent(relative, r -> {
            try {
                return TfliteModel.load(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Every .tflite under shared/models, as paths relative to models/. */
    static List<String> allShared() {
        Path root = SharedAssets.require("models");
        return SharedAssets.allModels().stream().map(p -> root.relativize(p).toString()).toList();
    }

    /** A rewrite may carry the input's findings over, never add its own. */
    static void assertNoNewWarnings(String what, TfliteModel input, TfliteModel output) {
        List<String> before = input.warnings().stream().map(ModelWarning::message).toList();
        assertThat(output.warnings()).as(what + ": warnings of the rewritten model")
                .allSatisfy(w -> assertThat(before).as(what + ": new warning " + w).contains(w.message()));
    }

    /** The result must be exactly what a reader sees: the model re-read from its own bytes. */
    static void assertRereads(String what, TfliteModel output) {
        TfliteModel again = TfliteModel.fromBytes(output.toBytes());
        io.litebit.model.ModelAssertions.assertSameModel(what + " re-read", output, again);
    }
}
