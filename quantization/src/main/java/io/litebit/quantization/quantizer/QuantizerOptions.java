package io.litebit.quantization.quantizer;

import io.litebit.model.BuiltinOp;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Options of {@link Quantizer#quantize}: an immutable value, changed with the {@code with*}
 * methods.
 *
 * <pre>{@code
 * QuantizerOptions o = QuantizerOptions.defaults()
 *         .withIo(IoType.INT8)
 *         .withDenylistOps(Set.of(BuiltinOp.SOFTMAX))
 *         .withDefaultRange(-6f, 6f);
 * }</pre>
 *
 * @param scheme         the target scheme (default {@link Scheme#INT8})
 * @param io             the edge type (default {@link IoType#FLOAT})
 * @param perTensor      weights per tensor instead of per channel
 * @param denylistOps    op types that stay float
 * @param denylistNodes  ops that stay float, named by their first output tensor (TFLite's convention)
 * @param defaultRange   {min, max} for activations without a calibrated range, or null: then such
 *                       a tensor is an error
 */
public record QuantizerOptions(Scheme scheme, IoType io, boolean perTensor, Set<BuiltinOp> denylistOps,
                               Set<String> denylistNodes, float[] defaultRange) {
    public QuantizerOptions {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(io, "io");
        denylistOps = Set.copyOf(denylistOps);
        denylistNodes = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(denylistNodes));
        if (defaultRange != null) {
            if (defaultRange.length != 2 || !(defaultRange[0] <= defaultRange[1])) {
                throw new IllegalArgumentException("default range must be MIN,MAX with MIN <= MAX, given "
                        + Arrays.toString(defaultRange));
            }
            defaultRange = defaultRange.clone();
        }
    }

    /** int8, float I/O, per channel, nothing denylisted, no default range. */
    public static QuantizerOptions defaults() {
        return new QuantizerOptions(Scheme.INT8, IoType.FLOAT, false, Set.of(), Set.of(), null);
    }

    @Override
    public float[] defaultRange() {
        return defaultRange == null ? null : defaultRange.clone();
    }

    public QuantizerOptions withScheme(Scheme s) {
        return new QuantizerOptions(s, io, perTensor, denylistOps, denylistNodes, defaultRange);
    }

    public QuantizerOptions withIo(IoType t) {
        return new QuantizerOptions(scheme, t, perTensor, denylistOps, denylistNodes, defaultRange);
    }

    public QuantizerOptions withPerTensor(boolean p) {
        return new QuantizerOptions(scheme, io, p, denylistOps, denylistNodes, defaultRange);
    }

    public QuantizerOptions withDenylistOps(Set<BuiltinOp> ops) {
        return new QuantizerOptions(scheme, io, perTensor, ops, denylistNodes, defaultRange);
    }

    public QuantizerOptions withDenylistNodes(Set<String> nodes) {
        return new QuantizerOptions(scheme, io, perTensor, denylistOps, nodes, defaultRange);
    }

    public QuantizerOptions withDefaultRange(float min, float max) {
        return new QuantizerOptions(scheme, io, perTensor, denylistOps, denylistNodes, new float[] {min, max});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantizerOptions q && scheme == q.scheme && io == q.io && perTensor == q.perTensor
                && denylistOps.equals(q.denylistOps) && denylistNodes.equals(q.denylistNodes)
                && Arrays.equals(defaultRange, q.defaultRange);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, io, perTensor, denylistOps, denylistNodes) * 31 + Arrays.hashCode(defaultRange);
    }
}
