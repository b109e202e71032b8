package io.litebit.cli;

import io.litebit.api.TfliteException;
import io.litebit.model.ModelFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;

/**
 * The CLI's one rule for errors: one line on stderr naming what went wrong, exit status 2, and
 * the stack trace only with {@code --verbose}.
 */
final class Failures {
    private Failures() {
    }

    static int report(String command, Throwable e, boolean verbose, PrintWriter err) {
        err.println("litebit " + command + ": " + describe(e));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return Main.EXIT_USAGE;
    }

    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException) {
            return "no such file: " + e.getMessage();
        }
        if (e instanceof ModelFormatException) {
            return "invalid model: " + e.getMessage();
        }
        if (e instanceof TfliteException) {
            return "TFLite: " + e.getMessage().replace('\n', ' ');
        }
        if (e instanceof io.litebit.data.DatasetException) {
            return "dataset: " + e.getMessage();
        }
        if (e instanceof IOException || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        return e.toString();
    }
}
