package io.litebit.conformance.harness;

import io.litebit.conformance.Backends;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.litebit.trace.Backend;
import io.litebit.data.NdArray;
import io.litebit.data.Npy;
import io.litebit.model.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeHarnessTest {
    @Test
    void everyCmakeSourceTravelsInTheJar() throws IOException {
        Path cmake = Path.of("..", "cmake");
        try (Stream<Path> s = Files.walk(cmake)) {
            List<String> files = s.filter(Files::isRegularFile).map(p -> cmake.relativize(p).toString().replace('\\', '/'))
                    .filter(f -> !f.endsWith("README.md")).sorted().toList();
            assertThat(NativeHarness.SOURCES).containsExactlyInAnyOrderElementsOf(files);
        }
    }

    @Test
    void backendNamesParse() {
        for (String name : HarnessBackend.allNames()) {
            assertThat(Backends.parse(name).name()).isEqualTo(name);
        }
        assertThat(Backends.parse("AArch64:Builtin_Ref").name()).isEqualTo("arm64:builtin-ref");
        assertThat(Backends.parse("arm64:xnnpack").emulated()).isEqualTo(HarnessPlatform.host() != HarnessPlatform.ARM64);
        assertThat(Backends.parse("xnnpack").emulated()).isFalse();
        assertThatThrownBy(() -> Backends.parse("arm64:nnapi")).hasMessageContaining("xnnpack");
        assertThatThrownBy(() -> Backends.parse("riscv:builtin")).hasMessageContaining("arm64:KIND");
    }

    @Test
    void npyRoundTrip(@TempDir Path dir) throws IOException {
        byte[] data = {1, 2, 3, 4, 5, 6, 7, 8};
        Npy.write(dir.resolve("a.npy"), DType.INT16, new int[] {2, 2}, ByteBuffer.wrap(data));
        NdArray a = Npy.read(dir.resolve("a.npy"));
        assertThat(Files.readString(dir.resolve("a.npy"), StandardCharsets.ISO_8859_1)).contains("'descr': '<i2'");
        assertThat(a.dtype()).isEqualTo(DType.INT16);
        assertThat(a.shape()).containsExactly(2, 2);
        assertThat(a.bytes()).containsExactly(data);
        assertThat((Files.size(dir.resolve("a.npy")) - data.length) % 64).isZero();
        Npy.write(dir.resolve("b.npy"), DType.INT8, new int[] {3}, ByteBuffer.wrap(new byte[] {-1, 0, 1}));
        assertThat(Npy.read(dir.resolve("b.npy")).shape()).containsExactly(3);
    }

    @Test
    void availabilityNamesWhatIsMissing() {
        for (HarnessPlatform p : HarnessPlatform.values()) {
            NativeHarness.of(p).availability().ifPresent(why -> assertThat(why).isNotBlank());
        }
        assertThat(NativeHarness.of(HarnessPlatform.ARM64).emulated()).isEqualTo(HarnessPlatform.host() != HarnessPlatform.ARM64);
    }
}
