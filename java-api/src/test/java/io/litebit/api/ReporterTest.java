package io.litebit.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The native error reporter keeps what TFLite reports, one report per line, bounded. */
class ReporterTest {
    @Test
    void reportsAreKeptOnePerLineAndCleared() {
        CapturingReporter r = CapturingReporter.create();
        try {
            assertThat(r.messages()).isEmpty();
            r.report("Didn't find op for builtin opcode 'FOO' version '9'.");
            r.report("Node number 3 (CONV_2D) failed to prepare.\n");
            r.report("100% sure: %d is not formatted twice");
            assertThat(r.lines()).containsExactly("Didn't find op for builtin opcode 'FOO' version '9'.",
                    "Node number 3 (CONV_2D) failed to prepare.", "100% sure: %d is not formatted twice");
            r.clear();
            assertThat(r.lines()).isEmpty();
        } finally {
            r.delete();
            r.delete();
        }
        assertThat(r.messages()).isEmpty();
    }

    @Test
    void aReporterNobodyReadsStaysBounded() {
        CapturingReporter r = CapturingReporter.create();
        try {
            String line = "x".repeat(1000);
            for (int i = 0; i < 1000; i++) {
                r.report(line);
            }
            assertThat(r.messages().length()).isLessThan(70 * 1024);
            assertThat(r.lines()).last().isEqualTo("... (further TFLite messages dropped)");
        } finally {
            r.delete();
        }
    }
}
