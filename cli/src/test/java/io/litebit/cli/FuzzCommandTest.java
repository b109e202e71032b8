package io.litebit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.litebit.cli.InspectCommandTest.Run;
import io.litebit.trace.Backend;
import io.litebit.conformance.TraceDiff;
import io.litebit.model.TfliteModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FuzzCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Run run(String... args) {
        return InspectCommandTest.run(args);
    }

    private static JsonNode pathNode(JsonNode root, String op, String path) {
        for (JsonNode o : root.get("ops")) {
            if (o.get("op").asText().equals(op)) {
                return o.get("paths").get(path);
            }
        }
        throw new AssertionError("no op " + op);
    }

    @Test
    void theOracleAgreesWithBuiltinRefOnEveryCaseAndTheExpectationHolds() throws Exception {
        Run r = run("fuzz", "--op", "add,softmax", "--cases", "30", "--seed", "4", "--backends", "builtin-ref,reference",
                "--expect", "builtin-ref==reference:TFLITE", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("expectations").get(0).get("met").asBoolean()).isTrue();
        assertThat(root.get("ops")).hasSize(2);
        JsonNode int8 = pathNode(root, "ADD", "int8");
        assertThat(int8.get("cases").asInt()).isPositive();
        JsonNode pair = int8.get("pairs").get(0);
        assertThat(pair.get("differing_cases").asInt()).isZero();
        assertThat(pair.get("cases").asInt()).isEqualTo(int8.get("cases").asInt());
        assertThat(pair.get("elements").asLong()).isPositive();
        assertThat(int8.get("agreeing_groups").get(0)).hasSize(2);
    }

    @Test
    void aDisagreementIsShrunkToAReproducerThatStillDisagreesAndTheExpectationFailsWithStatusOne(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("repro");
        Path md = dir.resolve("conformance.md");
        Files.writeString(md, "# Matrix\n\nhand-written intro\n\n" + FuzzMarkdown.BEGIN + "\nold\n" + FuzzMarkdown.END
                + "\n\nhand-written causes\n");
        Run r = run("fuzz", "--op", "CONV_2D", "--cases", "30", "--seed", "1", "--backends", "xnnpack,builtin-ref",
                "--expect", "xnnpack==builtin-ref", "--shrink-attempts", "150", "--out", out.toString(),
                "--markdown", md.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("litebit fuzz: expectation xnnpack==builtin-ref not met: CONV_2D int8: ");
        assertThat(r.out()).contains("CONV_2D: 30 cases, seed 1").contains("xnnpack vs builtin-ref: ");
        Path repro = out.resolve("conv_2d-int8-1");
        assertThat(repro.resolve("README.txt")).exists();
        String readme = Files.readString(repro.resolve("README.txt"));
        assertThat(readme).contains("op:         CONV_2D (dtype path int8)").contains("xnnpack vs builtin-ref: ")
                .contains("litebit conform model.tflite --inputs . --backends xnnpack,builtin-ref");
        // The files alone reproduce the disagreement, independently of the campaign.
        TfliteModel model = TfliteModel.load(repro.resolve("model.tflite"));
        List<byte[]> inputs = ConformCommand.readInputSets(repro, model).get(0);
        TraceDiff d = TraceDiff.compare(model, Backend.xnnpack().run(model, inputs), Backend.builtinRef().run(model, inputs));
        assertThat(d.identical()).isFalse();
        // The markdown kept the hand-written text and links the reproducer.
        String text = Files.readString(md);
        assertThat(text).startsWith("# Matrix\n\nhand-written intro\n\n").endsWith("\n\nhand-written causes\n")
                .doesNotContain("\nold\n").contains("| CONV_2D | int8 |").contains("(repro/conv_2d-int8-1/README.txt)");
    }

    @Test
    void usageErrorsExitWithTwo() {
        Run noOp = run("fuzz", "--cases", "3");
        assertThat(noOp.status()).isEqualTo(2);
        assertThat(noOp.err()).contains("--op is required");
        Run unknown = run("fuzz", "--op", "NOT_AN_OP");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("--op NOT_AN_OP: not a builtin op name; ops with a generator: [");
        Run noGenerator = run("fuzz", "--op", "GATHER");
        assertThat(noGenerator.status()).isEqualTo(2);
        assertThat(noGenerator.err()).contains("no generator for GATHER");
        Run one = run("fuzz", "--op", "ADD", "--backends", "xnnpack");
        assertThat(one.status()).isEqualTo(2);
        assertThat(one.err()).contains("give at least two");
        Run mdWithoutOut = run("fuzz", "--op", "ADD", "--markdown", "x.md");
        assertThat(mdWithoutOut.status()).isEqualTo(2);
        assertThat(mdWithoutOut.err()).contains("--markdown needs --out");
        Run list = run("fuzz", "--list-ops");
        assertThat(list.status()).isZero();
        assertThat(list.out().lines()).contains("CONV_2D", "FULLY_CONNECTED", "STRIDED_SLICE");
    }
}
