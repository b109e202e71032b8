package io.litebit.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr, drawn only when the CLI runs on a terminal: logs, pipes and
 * tests get nothing. Redrawn at most ten times a second, because drawing on every step of a
 * sub-microsecond loop would time the terminal.
 *
 * <pre>{@code
 * TerminalProgress p = TerminalProgress.onTerminal(err);
 * for (int i = 0; i < n; i++) {
 *     work(i);
 *     p.show(i + 1, n, "CONV_2D");
 * }
 * p.done();
 * }</pre>
 */
final class TerminalProgress {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean enabled;
    private long lastDraw;
    private boolean shown;

    TerminalProgress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    static TerminalProgress onTerminal(PrintWriter err) {
        return new TerminalProgress(err, System.console() != null);
    }

    /** {@code [#####.....] done/total what}; the last step is always drawn. */
    synchronized void show(int done, int total, String what) {
        long now = System.nanoTime();
        if (!enabled || (now - lastDraw < 100_000_000L && done < total)) {
            return;
        }
        lastDraw = now;
        int filled = (int) ((long) WIDTH * done / Math.max(1, total));
        err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total + " " + what
                + "          ");
        err.flush();
        shown = true;
    }

    /** Replaces the bar with a short message (a phase without steps, such as shrinking). */
    synchronized void note(String what) {
        if (enabled) {
            err.print("\r" + " ".repeat(70) + "\r" + what);
            err.flush();
            shown = true;
        }
    }

    /** Erases whatever was drawn. */
    synchronized void done() {
        if (enabled && shown) {
            err.print("\r" + " ".repeat(70) + "\r");
            err.flush();
            shown = false;
        }
    }
}
