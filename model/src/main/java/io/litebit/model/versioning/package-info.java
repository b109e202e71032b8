/**
 * Operator versions as TFLite's converter assigns them ({@code GetBuiltinOperatorVersion}), one
 * rule table shared by the model builder and the rewriters.
 *
 * <pre>{@code
 * int v = OpVersions.of(subgraph, operator);                       // what the converter writes
 * OptionalInt rule = OpVersions.find(op, options, inputs, outputs); // empty for CUSTOM ops
 * }</pre>
 *
 * <p>Entry point: {@link io.litebit.model.versioning.OpVersions}.
 */
package io.litebit.model.versioning;
