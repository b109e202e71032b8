package io.litebit.quantization.quantizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.conformance.TraceDiff;
import io.litebit.model.TfliteModel;
import io.litebit.model.testing.SharedAssets;
import io.litebit.reference.NumericsProfile;
import io.litebit.trace.Backend;
import io.litebit.trace.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * §2 of the quantizer's contract on every calibrated model TFLite's quantizer tests use: what the
 * quantizer writes loads without warnings, runs on XNNPACK, BUILTIN and BUILTIN_REF, and the
 * oracle equals BUILTIN_REF bit for bit on every tensor.
 */
class QuantizedModelsRunTest {
    static Stream<String> calibrated() throws Exception {
        Path dir = SharedAssets.require(TfliteGoldenTest.DIR);
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".bin") && !n.endsWith("_quantized.bin"))
                    .sorted().toList().stream();
        }
    }

    /** Models TFLite's runtime refuses in float already: nothing to run (their structure is tested elsewhere). */
    static final Map<String, String> NOT_RUNNABLE = Map.of(
            "mixed.bin", "its CustomTestOp has no kernel",
            "svdf_calibrated.bin", "its state is [1, 9] where SVDF needs memory_size * num_filters = 42 (the golden fails Prepare too)",
            "single_conv_no_bias.bin", "its CONV_2D omits the bias, which TFLite 2.19's CONV_2D requires",
            "transpose.bin", "its TRANSPOSE takes a float32 scalar as perm (a schema-2 test file); TFLite refuses that in float too");

    /** Models of TFLite's weight-quantization tests: no calibrated ranges, so a default range stands in. */
    static final Set<String> UNCALIBRATED = Set.of("mobilenet_like_model.bin", "weight_shared_between_convs.bin");

    /** Ops the oracle has no kernel for yet: there the native backends run and the oracle check is skipped. */
    static final Set<String> ORACLE_LACKS = Set.of("LSTM", "MAXIMUM", "MINIMUM", "LOG_SOFTMAX", "PACK", "SPLIT", "UNPACK");

    @ParameterizedTest
    @MethodSource("calibrated")
    void quantizedModelRunsEverywhereAndOracleEqualsBuiltinRef(String name) throws Exception {
        Assumptions.assumeFalse(NOT_RUNNABLE.containsKey(name), () -> name + ": " + NOT_RUNNABLE.get(name));
        TfliteModel calibrated = TfliteGoldenTest.load(name);
        QuantizerOptions options = QuantizerOptions.defaults();
        if (UNCALIBRATED.contains(name)) {
            options = options.withDefaultRange(-6f, 6f);
        }
        Scheme scheme = name.contains("16x8") ? Scheme.INT16X8 : Scheme.INT8;
        QuantizedModel q = Quantizer.quantize(calibrated, options.withScheme(scheme));
        TfliteModel m = q.model();
        assertThat(m.warnings()).isEmpty();
        List<byte[]> in = Inputs.random(m, 5);
        Trace ref = Backend.builtinRef().run(m, in);
        Trace builtin = Backend.builtin().run(m, in);
        Trace xnnpack = Backend.xnnpack().run(m, in);
        for (Trace t : List.of(ref, builtin, xnnpack)) {
            assertThat(t.outputs()).hasSize(m.mainSubgraph().outputs().length);
        }
        java.util.Set<String> lacking = new java.util.TreeSet<>();
        m.mainSubgraph().operators().forEach(o -> {
            if (ORACLE_LACKS.contains(o.opcode().displayName())) {
                lacking.add(o.opcode().displayName());
            }
        });
        if (!lacking.isEmpty()) {
            return;
        }
        Trace oracle = Backend.reference(NumericsProfile.TFLITE).run(m, in);
        TraceDiff d = TraceDiff.compare(m, oracle, ref);
        assertThat(d.identical()).as(name + ": " + d.firstDivergence().map(Object::toString).orElse("")).isTrue();
    }
}
