package io.litebit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.cli.data.Npy;
import io.litebit.conformance.Backend;
import io.litebit.conformance.CpuInfo;
import io.litebit.conformance.BackendMatrix;
import io.litebit.conformance.MatrixResult;
import io.litebit.model.TfliteModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The reproducers published with docs/conformance.md still show, on this build and this machine
 * kind, exactly what their README.txt says: every pair listed as identical is identical, every
 * pair listed with differing elements differs by that many elements and that many LSB.
 *
 * <p>XNNPACK and TFLite's optimized kernels pick code paths by CPU features, so on a CPU other
 * than the one in the README's {@code cpu:} line only the claims between CPU-independent
 * backends (BUILTIN_REF and the oracle) are checked.
 */
class PublishedReproducersTest {
    private static final Path DIR = Path.of("..", "docs", "reproducers");
    private static final Pattern PAIR = Pattern.compile(
            "^  (\\S+) vs (\\S+): (identical|(\\d+) differing elements, max (\\d+) LSB.*)$");

    @Test
    void theMatrixPublishesReproducers() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            assertThat(s.filter(Files::isDirectory).count()).isGreaterThanOrEqualTo(10);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyReproducerShowsWhatItsReadmeSays() throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(DIR)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        return dirs.stream().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> check(d)));
    }

    private static boolean cpuIndependent(String backend) {
        return backend.equals("builtin-ref") || backend.startsWith("reference:");
    }

    private static void check(Path dir) throws IOException {
        TfliteModel model = TfliteModel.load(dir.resolve("model.tflite"));
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; Files.exists(dir.resolve("input" + i + ".npy")); i++) {
            Npy.Array a = Npy.read(dir.resolve("input" + i + ".npy"));
            byte[] b = new byte[a.data().remaining()];
            a.data().get(b);
            inputs.add(b);
        }
        List<String[]> claims = new ArrayList<>();
        List<String> backends = new ArrayList<>();
        String cpu = null;
        for (String line : Files.readAllLines(dir.resolve("README.txt"))) {
            if (line.startsWith("cpu:")) {
                cpu = line.substring("cpu:".length()).strip();
            }
        }
        boolean sameCpu = String.valueOf(CpuInfo.describe()).equals(cpu);
        for (String line : Files.readAllLines(dir.resolve("README.txt"))) {
            Matcher m = PAIR.matcher(line);
            if (m.matches() && (sameCpu || cpuIndependent(m.group(1)) && cpuIndependent(m.group(2)))) {
                claims.add(new String[] {m.group(1), m.group(2), m.group(4), m.group(5)});
                for (String b : new String[] {m.group(1), m.group(2)}) {
                    if (!backends.contains(b)) {
                        backends.add(b);
                    }
                }
            }
        }
        assertThat(cpu).as(dir + ": cpu line in README.txt").isNotNull();
        if (sameCpu) {
            assertThat(claims).as(dir + ": pairs in README.txt").isNotEmpty();
        }
        if (claims.isEmpty()) {
            return;
        }
        MatrixResult r = BackendMatrix.run(dir.toString(), model, backends.stream().map(Backend::parse).toList(), List.of(inputs));
        for (String[] c : claims) {
            MatrixResult.Pair p = r.pair(c[0], c[1]).orElseThrow();
            if (c[2] == null) {
                assertThat(p.identical()).as(dir + ": " + c[0] + " vs " + c[1] + " identical").isTrue();
            } else {
                assertThat(p.differingElements()).as(dir + ": " + c[0] + " vs " + c[1] + " differing elements")
                        .isEqualTo(Long.parseLong(c[2]));
                assertThat(p.maxLsb()).as(dir + ": " + c[0] + " vs " + c[1] + " max LSB").isEqualTo(Long.parseLong(c[3]));
            }
        }
    }
}
