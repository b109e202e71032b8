package io.litebit.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A signature: a named entry point into a subgraph whose inputs and outputs are named.
 *
 * @param key           the signature key, e.g. {@code serving_default}
 * @param subgraphIndex the subgraph it runs
 * @param inputs        input name to tensor index, in file order
 * @param outputs       output name to tensor index, in file order
 */
public record SignatureDef(String key, int subgraphIndex, Map<String, Integer> inputs, Map<String, Integer> outputs) {
    public SignatureDef {
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }
}
