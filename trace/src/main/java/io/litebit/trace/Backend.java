package io.litebit.trace;

import io.litebit.model.TfliteModel;
import io.litebit.reference.NumericsProfile;
import java.util.List;

/**
 * Something that runs a model on given inputs and shows every tensor it computed: native TFLite
 * with XNNPACK, its optimized builtin kernels or its C++ reference kernels (through litebit's
 * Java API), or the Java oracle under a {@link NumericsProfile}.
 *
 * <p>Inputs are raw values in TFLite's buffer layout (little-endian, row-major), one byte array
 * per subgraph input, exactly as many bytes as the input's dtype and shape need: quantization at
 * the model's edge is the caller's explicit business, never the backend's.
 *
 * <p>How intermediates are exposed:
 * <ul>
 *   <li>{@link #builtin()} and {@link #builtinRef()}: TFLite's {@code preserve_all_tensors}.</li>
 *   <li>{@link #xnnpack()}: inside a delegate partition intermediates do not exist, so the model is
 *       first rewritten to make every tensor an output ({@code Rewriters.allTensorsAsOutputs}); the
 *       final outputs are also taken from the uninstrumented model and any difference between the
 *       two is written to {@link Trace#notes()} (instrumentation can change what XNNPACK fuses).</li>
 *   <li>{@link #reference(NumericsProfile)}: the oracle keeps every tensor anyway.</li>
 * </ul>
 * Constant tensors are not traced: every backend reads them from the same file.
 *
 * <pre>{@code
 * TfliteModel model = TfliteModel.load(Path.of("fc.tflite"));
 * List<byte[]> inputs = List.of(new byte[784]);
 * Trace ref = Backend.builtinRef().run(model, inputs);
 * Trace oracle = Backend.reference(NumericsProfile.TFLITE).run(model, inputs);
 * TraceDiff diff = TraceDiff.compare(model, oracle, ref);
 * System.out.println(diff.identical() ? "bit-exact" : diff.firstDivergence().orElseThrow());
 * }</pre>
 */
public interface Backend {
    /**
     * A short stable name: {@code xnnpack}, {@code builtin}, {@code builtin-ref},
     * {@code reference:TFLITE}, {@code arm64:xnnpack}.
     */
    String name();

    /**
     * Whether this backend runs under an emulator on this machine ({@code arm64:*} on x86 runs
     * under qemu-user): its results are real, its timings mean nothing.
     */
    default boolean emulated() {
        return false;
    }

    /**
     * Runs the model's main subgraph once.
     *
     * @param inputs one little-endian byte array per subgraph input, in input order
     * @throws IllegalArgumentException when the input count or a byte count does not match the model
     * @throws RuntimeException         what the backend throws when it refuses the model (TFLite's
     *                                  {@code TfliteException}, the oracle's {@code UnsupportedOpException} ...)
     */
    default Trace run(TfliteModel model, List<byte[]> inputs) {
        try (Session s = open(model)) {
            return s.run(inputs);
        }
    }

    /**
     * Prepares the model once for many runs (one native interpreter, or one prepared oracle):
     * what a dataset-sized campaign needs.
     *
     * <pre>{@code
     * try (Backend.Session s = Backend.builtinRef().open(model)) {
     *     for (byte[] image : images) {
     *         byte[] out = s.run(List.of(image)).output(0).data();
     *     }
     * }
     * }</pre>
     *
     * @throws RuntimeException what the backend throws when it refuses the model
     */
    Session open(TfliteModel model);

    /** A model prepared on a backend; not thread-safe; close it to free native memory at once. */
    interface Session extends AutoCloseable {
        /**
         * Runs once; see {@link Backend#run(TfliteModel, List)}.
         *
         * @throws IllegalArgumentException when the input count or a byte count does not match the model
         */
        Trace run(List<byte[]> inputs);

        /**
         * Runs once and shows every tensor to {@code visitor} without keeping copies; by default
         * through {@link #run}, natively and in the oracle without the trace's copies.
         *
         * @throws IllegalArgumentException when the input count or a byte count does not match the model
         */
        default void visit(List<byte[]> inputs, TensorVisitor visitor) {
            for (TracedTensor t : run(inputs).tensors()) {
                visitor.visit(t.tensorIndex(), t.opIndex(), t.dtype(), t.shape(), t.buffer());
            }
        }

        @Override
        void close();
    }

    /** Native TFLite with the XNNPACK delegate, int8/uint8 enabled. */
    static Backend xnnpack() {
        return new NativeBackend(io.litebit.api.Backend.XNNPACK);
    }

    /** Native TFLite's optimized builtin kernels, no delegate. */
    static Backend builtin() {
        return new NativeBackend(io.litebit.api.Backend.BUILTIN);
    }

    /** Native TFLite's C++ reference kernels (Python's {@code BUILTIN_REF} op resolver). */
    static Backend builtinRef() {
        return new NativeBackend(io.litebit.api.Backend.BUILTIN_REF);
    }

    /** The Java oracle with a numerics profile. */
    static Backend reference(NumericsProfile profile) {
        return new ReferenceBackend(profile);
    }

    /**
     * Parses the in-process backends {@code xnnpack}, {@code builtin}, {@code builtin-ref},
     * {@code reference} (TFLITE) and {@code reference:PROFILE}, case-insensitively. The
     * conformance suite's {@code Backends.parse} adds its child-process harness backends
     * ({@code x86:KIND}, {@code arm64:KIND}) on top of these.
     *
     * @throws IllegalArgumentException for anything else, listing what is accepted
     */
    static Backend parse(String spec) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        switch (s) {
            case "xnnpack":
                return xnnpack();
            case "builtin":
                return builtin();
            case "builtin-ref":
            case "builtin_ref":
                return builtinRef();
            case "reference":
                return reference(NumericsProfile.TFLITE);
            default:
                break;
        }
        if (s.startsWith("reference:")) {
            String p = spec.trim().substring("reference:".length()).toUpperCase(java.util.Locale.ROOT);
            try {
                return reference(NumericsProfile.valueOf(p));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown numerics profile \"" + p + "\", expected one of "
                        + java.util.Arrays.toString(NumericsProfile.values()), e);
            }
        }
        throw new IllegalArgumentException("unknown backend \"" + spec
                + "\", expected xnnpack, builtin, builtin-ref, reference or reference:PROFILE");
    }

    /**
     * Checks raw inputs against the model's main subgraph: one array per input, each exactly as
     * many bytes as the input's dtype and shape need.
     *
     * @throws IllegalArgumentException naming the input, what it needs and what was given
     */
    static void checkInputs(TfliteModel model, List<byte[]> inputs) {
        io.litebit.model.Subgraph g = model.mainSubgraph();
        int[] ins = g.inputs();
        if (inputs.size() != ins.length) {
            throw new IllegalArgumentException("the model has " + ins.length + " inputs, given " + inputs.size());
        }
        for (int i = 0; i < ins.length; i++) {
            io.litebit.model.Tensor t = g.tensor(ins[i]);
            long expected = t.dtype().storageBytes(io.litebit.model.Shapes.elementCount(t.shape()));
            if (inputs.get(i).length != expected) {
                throw new IllegalArgumentException("input " + i + " \"" + t.name() + "\" is " + t.dtype().displayName()
                        + java.util.Arrays.toString(t.shape()) + " (" + expected + " bytes), given " + inputs.get(i).length + " bytes");
            }
        }
    }
}
