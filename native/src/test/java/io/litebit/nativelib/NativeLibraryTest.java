package io.litebit.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class NativeLibraryTest {

    @Test
    void loadsAndBindsToThePinnedTfliteVersion() {
        NativeLibrary.load();
        NativeLibrary.load(); // idempotent
        assertThat(NativeLibrary.tfliteVersion()).isEqualTo(NativeLibrary.PINNED_TFLITE_VERSION);
        assertThat(NativeLibrary.tfliteLibraryPath().getFileName().toString())
                .isEqualTo("libjnitensorflowlite.so");
        assertThat(Files.isRegularFile(NativeLibrary.tfliteLibraryPath())).isTrue();
        assertThat(NativeLibrary.platform()).isIn("linux-x86_64", "linux-arm64");
        assertThat(NativeLibrary.hasSymbol("TfLiteXNNPackDelegateCreate")).isTrue();
        assertThat(NativeLibrary.hasSymbol("TfLiteXNNPackDelegateGetFlags")).isTrue();
        assertThat(NativeLibrary.hasSymbol("no_such_symbol_litebit")).isFalse();
    }

    @Test
    void everyListedReferenceKernelIsExported() {
        for (ReferenceKernel kernel : ReferenceKernel.values()) {
            assertThat(NativeLibrary.hasSymbol(kernel.mangledSymbol()))
                    .as(kernel.qualifiedFunction()).isTrue();
            assertThat(ReferenceOpResolver.kernelRegistration(kernel).isNull())
                    .as(kernel.qualifiedFunction()).isFalse();
        }
        assertThat(ReferenceKernel.CONV_2D.mangledSymbol())
                .isEqualTo("_ZN6tflite3ops7builtin24Register_CONVOLUTION_REFEv");
    }

    /** The enum lists exactly the Register_*_REF functions the library exports (needs nm). */
    @Test
    void referenceKernelListMatchesTheLibrarysDynamicSymbols() throws Exception {
        Process nm;
        try {
            nm = new ProcessBuilder("nm", "-D", "--defined-only",
                    NativeLibrary.tfliteLibraryPath().toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("nm (binutils) not available: " + e.getMessage());
            return;
        }
        Pattern ref = Pattern.compile("_ZN6tflite3ops(\\d+)(builtin|custom)(\\d+)(Register_\\w+_REF)Ev$");
        Set<String> exported = new TreeSet<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(nm.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                Matcher m = ref.matcher(line.trim());
                if (m.find()) {
                    exported.add(m.group(2) + "::" + m.group(4));
                }
            }
        }
        assertThat(nm.waitFor()).isZero();
        Set<String> listed = Arrays.stream(ReferenceKernel.values())
                .map(k -> k.namespace() + "::" + k.function())
                .collect(Collectors.toCollection(TreeSet::new));
        System.out.println("[litebit-native] Register_*_REF exported (" + exported.size() + "): "
                + exported);
        assertThat(listed).isEqualTo(exported);
        assertThat(exported).hasSize(50);
    }
}
