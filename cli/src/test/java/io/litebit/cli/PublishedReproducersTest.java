package io.litebit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.litebit.trace.Backend;
import io.litebit.conformance.CpuInfo;
import io.litebit.conformance.BackendMatrix;
import io.litebit.conformance.Backends;
import io.litebit.conformance.MatrixResult;
import io.litebit.conformance.harness.HarnessPlatform;
import io.litebit.conformance.harness.NativeHarness;
import io.litebit.model.testing.SharedAssets;
import io.litebit.model.TfliteModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * backends (BUILTIN_REF, the oracle, the emulated arm64 backends) are checked.
 */
class PublishedReproducersTest {
    private static final Path DIR = Path.of("..", "docs", "reproducers");
    private static final Path ARM64_DIR = Path.of("..", "docs", "reproducers-arm64");
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
        List<Path> dirs = new ArrayList<>();
        for (Path root : List.of(DIR, ARM64_DIR)) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.list(root)) {
                    dirs.addAll(s.filter(Files::isDirectory).sorted().toList());
                }
            }
        }
        return dirs.stream().map(d -> DynamicTest.dynamicTest(d.getParent().getFileName() + "/" + d.getFileName(), () -> check(d)));
    }

    /**
     * The arm64 backends need qemu and the cross toolchain: outside CI a reproducer using them is
     * skipped with the reason when they are missing; in CI (which installs them) it must run.
     */
    private static void requireHarnessFor(List<String> backends) {
        for (String b : backends) {
            if (!b.startsWith("arm64:") && !b.startsWith("x86:")) {
                continue;
            }
            NativeHarness h = NativeHarness.of(HarnessPlatform.parse(b.substring(0, b.indexOf(':'))));
            Optional<String> why = h.availability();
            if (why.isPresent()) {
                if (SharedAssets.inCi()) {
                    throw new AssertionError(b + " unavailable in CI: " + why.get());
                }
                assumeTrue(false, b + " unavailable: " + why.get());
            }
        }
    }

    /** BUILTIN_REF, the oracle and the emulated arm64 backends (qemu's CPU model, not the host's) do not depend on the host CPU. */
    private static boolean cpuIndependent(String backend) {
        return backend.equals("builtin-ref") || backend.startsWith("reference:") || backend.startsWith("arm64:");
    }

    private static void check(Path dir) throws IOException {
        TfliteModel model = TfliteModel.load(dir.resolve("model.tflite"));
        // Read the way the README's `litebit conform model.tflite --inputs .` reads them.
        List<byte[]> inputs = ConformCommand.readInputSets(dir, model).get(0);
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
        requireHarnessFor(backends);
        MatrixResult r = BackendMatrix.run(dir.toString(), model, backends.stream().map(Backends::parse).toList(), List.of(inputs));
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
