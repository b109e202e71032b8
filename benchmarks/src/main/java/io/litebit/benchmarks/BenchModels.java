package io.litebit.benchmarks;

import io.litebit.api.Model;
import io.litebit.model.TfliteModel;
import io.litebit.model.rewrite.Rewriters;
import io.litebit.model.zoo.Zoo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models the benchmarks run, by short name, as files (the C baseline needs a path): the
 * ../shared models, the zoo's generated CNN, and the float twin of any of them with the suffix
 * {@value #FLOAT_TWIN} (e.g. {@code mobilenet_v2_int8+float_twin}).
 *
 * <pre>{@code
 * Path p = BenchModels.path("hello_world_int8");              // ../shared/models/tflite-micro/...
 * Model twin = BenchModels.model("zoo_cnn_int8+float_twin");  // written to a temporary file once
 * }</pre>
 */
public final class BenchModels {
    /** Suffix that asks for the float twin (Rewriters.floatTwin) of a model. */
    public static final String FLOAT_TWIN = "+float_twin";

    /** Shared models by name: path under ../shared/models. */
    public static final Map<String, String> SHARED;

    /** Generated models by name. */
    public static final List<String> ZOO = List.of("zoo_cnn_int8", "zoo_cnn_float");

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mobilenet_v2_int8", "tflite-micro/mobilenet_v2_quantized_1x3x224x224.tflite");
        m.put("lstm_float", "tflite-micro/trained_lstm.tflite");
        m.put("lstm_int8", "tflite-micro/trained_lstm_int8.tflite");
        m.put("hello_world_float", "tflite-micro/hello_world_float.tflite");
        m.put("hello_world_int8", "tflite-micro/hello_world_int8.tflite");
        m.put("conv_fc_mnist", "quantization/aeq/conv_fc_mnist.tflite");
        SHARED = Map.copyOf(m);
    }

    private static final Map<String, Path> GENERATED = new LinkedHashMap<>();

    private BenchModels() {
    }

    /** The model file for a name (generated models are written once per JVM to a temporary directory). */
    public static synchronized Path path(String name) {
        String shared = SHARED.get(name);
        if (shared != null) {
            return SharedModels.model(shared);
        }
        Path p = GENERATED.get(name);
        if (p != null) {
            return p;
        }
        TfliteModel model;
        if (name.endsWith(FLOAT_TWIN)) {
            String base = name.substring(0, name.length() - FLOAT_TWIN.length());
            model = Rewriters.floatTwin(view(base));
        } else if (name.equals("zoo_cnn_int8")) {
            model = Zoo.tinyCnnInt8();
        } else if (name.equals("zoo_cnn_float")) {
            model = Zoo.tinyCnnFloat();
        } else {
            throw new IllegalArgumentException("unknown benchmark model \"" + name + "\"; known: " + SHARED.keySet() + ", "
                    + ZOO + ", and any of them + \"" + FLOAT_TWIN + "\"");
        }
        try {
            Path dir = Files.createTempDirectory("litebit-bench-models");
            dir.toFile().deleteOnExit();
            p = dir.resolve(name.replace('+', '_') + ".tflite");
            Files.write(p, model.toBytes());
            p.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GENERATED.put(name, p);
        return p;
    }

    /** The model for a name, loaded through the Java API. */
    public static Model model(String name) {
        try {
            return Model.load(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TfliteModel view(String name) {
        try {
            return TfliteModel.load(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
