package io.litebit.cli;

import io.litebit.conformance.CpuInfo;
import io.litebit.conformance.Json;
import io.litebit.conformance.harness.HarnessBackend;
import io.litebit.conformance.harness.HarnessPlatform;
import io.litebit.conformance.harness.NativeHarness;
import io.litebit.nativelib.NativeLibrary;
import io.litebit.reference.NumericsProfile;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code litebit platforms}: which backends this machine can run, and for each one it cannot, why
 * (no qemu, no cross compiler, no cmake, no library).
 *
 * <pre>
 * litebit platforms            # table
 * litebit platforms --build    # also builds the native harnesses now (else: on first use)
 * litebit platforms --json
 * </pre>
 *
 * Exit status 0 (a missing backend is information, not an error); 2 when {@code --build} fails.
 */
@Command(name = "platforms", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists the backends available on this machine and why any is missing.",
                "",
                "x86:* and arm64:* run TFLite's C API in the native harness (cmake/harness) against the",
                "preset's linux-x86_64 / linux-arm64 library; arm64 on an x86 host runs under",
                "qemu-aarch64 -L /usr/aarch64-linux-gnu: its results are real, its timings are not.",
                "scripts/setup-arm64.sh installs qemu-user, the aarch64 cross compilers and cmake."})
public final class PlatformsCommand implements Callable<Integer> {
    @Option(names = "--build", description = "build the native harnesses that can be built here now")
    boolean build;

    @Option(names = "--json", description = "print one JSON document instead of the table")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One backend: whether it runs here, how, and why not. */
    record Entry(String backend, boolean available, boolean emulated, String how) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Entry> entries = new ArrayList<>();
        String jni;
        Optional<String> jniMissing;
        try {
            NativeLibrary.load();
            jni = "JNI, preset " + NativeLibrary.platform() + " (TFLite " + NativeLibrary.tfliteVersion() + ")";
            jniMissing = Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            jni = null;
            jniMissing = Optional.of("the JNI library does not load: " + e.getMessage());
        }
        for (String kind : HarnessBackend.KINDS) {
            entries.add(new Entry(kind, jniMissing.isEmpty(), false, jniMissing.orElse(jni)));
        }
        entries.add(new Entry("reference:PROFILE", true, false, "Java oracle, profiles "
                + Arrays.toString(NumericsProfile.values())));
        int status = 0;
        for (HarnessPlatform p : HarnessPlatform.values()) {
            NativeHarness h = NativeHarness.of(p);
            Optional<String> missing = h.availability();
            String how;
            if (missing.isPresent()) {
                how = missing.get();
            } else {
                if (build) {
                    try {
                        h.executable();
                    } catch (RuntimeException e) {
                        err.println("litebit platforms: " + e.getMessage());
                        status = Main.EXIT_USAGE;
                    }
                }
                how = "native harness" + (h.emulated() ? " under qemu-aarch64 -L " + NativeHarness.ARM64_SYSROOT
                        + " (emulated: timings mean nothing)" : ", direct") + "; "
                        + h.builtExecutable().map(e -> "built at " + e).orElse("builds on first use (cmake)");
            }
            for (String kind : HarnessBackend.KINDS) {
                entries.add(new Entry(p.prefix() + ":" + kind, missing.isEmpty(), h.emulated(), how));
            }
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            List<Object> list = new ArrayList<>();
            for (Entry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("backend", e.backend());
                m.put("available", e.available());
                m.put("emulated", e.emulated());
                m.put(e.available() ? "how" : "missing", e.how());
                list.add(m);
            }
            doc.put("backends", list);
            doc.put("cpu", CpuInfo.describe());
            out.println(Json.write(doc));
        } else {
            Map<String, Object> cpu = CpuInfo.describe();
            out.println("Host      " + System.getProperty("os.arch") + ", " + cpu.get("model") + " " + cpu.get("features"));
            TextTable t = new TextTable("backend", "available", "how / why not");
            for (Entry e : entries) {
                t.row(e.backend(), e.available() ? (e.emulated() ? "emulated" : "yes") : "no", e.how());
            }
            t.print(out);
        }
        out.flush();
        return status;
    }
}
