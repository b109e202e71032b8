package io.litebit.api;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;

import io.litebit.model.ModelFormatException;
import io.litebit.model.TfliteModel;
import io.litebit.nativelib.NativeLibrary;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteVerifier;

/**
 * A {@code .tflite} model that both litebit's model layer and TensorFlow Lite accept, ready to
 * create {@link Interpreter}s from.
 *
 * <p>Loading copies the bytes once into memory this object owns (64-byte aligned, outside the
 * Java heap) and checks them in three steps, each failing with its own exception:
 * <ol>
 *   <li>litebit's model layer reads and validates the FlatBuffer
 *       ({@link ModelFormatException} naming the problem and where it is);</li>
 *   <li>TFLite's FlatBuffer verifier ({@code FlatBufferModel::VerifyAndBuildFromBuffer});</li>
 *   <li>TFLite's {@code InterpreterBuilder}, without allocating tensors, which refuses what full
 *       TFLite refuses: a {@code quantized_dimension} outside the tensor's rank, an operator
 *       TFLite does not have, ... ({@link TfliteException} with TFLite's own sentence).</li>
 * </ol>
 * A model whose {@link TfliteModel#warnings()} are not empty usually fails step 3. Steps 2 and 3
 * run native code: for a model this process has not seen before (by SHA-256) they run first in a
 * litebit child process (see {@link Worker}), so a file that crashes TFLite's verifier or builder
 * is a {@link ChildCrashException}, not a dead JVM; {@link #trusted(byte[])} skips that.
 *
 * <p>A {@code Model} is immutable and thread-safe; any number of interpreters may be created
 * from it, concurrently. It holds no native resource that needs closing: its bytes are freed by
 * the garbage collector once neither the model nor any interpreter created from it is reachable
 * (every interpreter keeps its model alive).
 *
 * <pre>{@code
 * Model model = Model.load(Path.of("mobilenet_v2_int8.tflite"));
 * System.out.println(model.view().mainSubgraph().operators().size() + " operators");
 * try (Interpreter interpreter = Interpreter.create(model)) {
 *     ...
 * }
 * }</pre>
 */
public final class Model {
    /** TFLite's kDefaultTensorAlignment; constant tensors are read in place from these bytes. */
    static final int ALIGNMENT = 64;

    private final ByteBuffer bytes;
    private final TfliteModel view;
    private final String origin;
    private final boolean trusted;
    private volatile String sha256;

    private Model(ByteBuffer bytes, TfliteModel view, String origin, boolean trusted) {
        this.bytes = bytes;
        this.view = view;
        this.origin = origin;
        this.trusted = trusted;
    }

    /**
     * Reads and validates a model file.
     *
     * @throws IOException if the file cannot be read
     * @throws ModelFormatException if litebit's model layer rejects the bytes
     * @throws TfliteException if TFLite rejects the model
     */
    public static Model load(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE - ALIGNMENT) {
                throw new ModelFormatException(path + ": " + size
                        + " bytes is larger than the 2 GiB a FlatBuffer can address");
            }
            ByteBuffer owned = allocateAligned((int) size);
            while (owned.hasRemaining()) {
                if (channel.read(owned) < 0) {
                    throw new IOException(path + ": file shrank while being read (" + owned.position()
                            + " of " + size + " bytes)");
                }
            }
            owned.flip();
            try {
                return of(owned, path.toString(), false);
            } catch (ModelFormatException e) {
                throw new ModelFormatException(path + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Validates a model held in a byte array; the bytes are copied, so the array may be reused.
     *
     * @throws ModelFormatException if litebit's model layer rejects the bytes
     * @throws TfliteException if TFLite rejects the model
     */
    public static Model fromBytes(byte[] modelBytes) {
        Objects.requireNonNull(modelBytes, "modelBytes");
        ByteBuffer owned = allocateAligned(modelBytes.length);
        owned.put(modelBytes).flip();
        return of(owned, "byte[" + modelBytes.length + "]", false);
    }

    /**
     * As {@link #fromBytes(byte[])} for a model the caller vouches for: no probe in a child
     * process, neither at load nor for the interpreters created from it
     * ({@link InterpreterOptions.Builder#trustedModel(boolean)}). A model that crashes TFLite
     * then crashes this JVM: use it for models you built or vetted, e.g. in a campaign that is
     * itself running in a {@link Worker}.
     *
     * <pre>{@code
     * Model mine = Model.trusted(Files.readAllBytes(Path.of("my_model.tflite")));
     * }</pre>
     */
    public static Model trusted(byte[] modelBytes) {
        Objects.requireNonNull(modelBytes, "modelBytes");
        ByteBuffer owned = allocateAligned(modelBytes.length);
        owned.put(modelBytes).flip();
        return of(owned, "trusted byte[" + modelBytes.length + "]", true);
    }

    /** Whether this model was loaded with {@link #trusted(byte[])} (no probes). */
    public boolean isTrusted() {
        return trusted;
    }

    /** The SHA-256 of the model's bytes, lower-case hex: the key of the probe's verdicts. */
    public String sha256() {
        String h = sha256;
        if (h == null) {
            try {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                md.update(bytes.duplicate());
                h = java.util.HexFormat.of().formatHex(md.digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
            sha256 = h;
        }
        return h;
    }

    /**
     * Validates a model held in the remaining bytes of a buffer (heap, direct or mapped); they
     * are copied, and the buffer's position is not changed.
     *
     * @throws ModelFormatException if litebit's model layer rejects the bytes
     * @throws TfliteException if TFLite rejects the model
     */
    public static Model fromBuffer(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        ByteBuffer owned = allocateAligned(buffer.remaining());
        owned.put(buffer.duplicate()).flip();
        return of(owned, "ByteBuffer[" + owned.limit() + "]", false);
    }

    /** Validates bytes this model will own from now on (64-byte aligned, direct). */
    static Model of(ByteBuffer owned, String origin, boolean trusted) {
        TfliteModel view = TfliteModel.fromBuffer(owned.asReadOnlyBuffer());
        Model model = new Model(owned, view, origin, trusted);
        if (!trusted) {
            Probe.checkLoad(model);
        }
        checkWithTflite(owned);
        return model;
    }

    /**
     * The model layer's view: tensors, operators, quantization, signatures, metadata and the
     * model layer's warnings. It reads the bytes this model owns, never a copy.
     */
    public TfliteModel view() {
        return view;
    }

    /** The model's bytes, read-only, little-endian, positioned at 0. */
    public ByteBuffer bytes() {
        return bytes.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The size of the model in bytes. */
    public int size() {
        return bytes.limit();
    }

    /** The buffer TFLite reads from: owned, never written after construction. */
    ByteBuffer nativeBytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return "Model[" + origin + ", " + size() + " bytes, " + view.mainSubgraph().operators().size()
                + " operators]";
    }

    static ByteBuffer allocateAligned(int size) {
        // alignedSlice moves the start up and the end down to 64-byte boundaries; the extra bytes
        // leave at least `size` in between. A 0-byte model still gets a valid address.
        ByteBuffer raw = ByteBuffer.allocateDirect(size + 2 * ALIGNMENT);
        ByteBuffer aligned = raw.alignedSlice(ALIGNMENT);
        aligned.limit(size);
        return aligned.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Steps 2 and 3 of the class comment: TFLite's verifier, then its InterpreterBuilder with the
     * builtin resolver (every backend resolves the same operator set), without allocation.
     */
    static void checkWithTflite(ByteBuffer owned) {
        NativeLibrary.load();
        CapturingReporter reporter = CapturingReporter.create();
        BytePointer data = new BytePointer(owned);
        FlatBufferModel flatBuffer = null;
        BuiltinOpResolverWithoutDefaultDelegates resolver = null;
        InterpreterBuilder builder = null;
        org.bytedeco.tensorflowlite.Interpreter interpreter = null;
        // A caller's open PointerScope must not adopt (and later free) these objects.
        PointerScope shield = new PointerScope();
        try {
            flatBuffer = FlatBufferModel.VerifyAndBuildFromBuffer(data, owned.limit(),
                    (TfLiteVerifier) null, reporter.tflite());
            if (flatBuffer == null || flatBuffer.isNull()) {
                throw new TfliteException("load the model (TFLite's FlatBuffer verifier)", -1,
                        reporter.lines());
            }
            resolver = new BuiltinOpResolverWithoutDefaultDelegates();
            builder = new InterpreterBuilder(flatBuffer, resolver);
            interpreter = new org.bytedeco.tensorflowlite.Interpreter((Pointer) null);
            int status = builder.apply(interpreter);
            if (status != kTfLiteOk || interpreter.isNull()) {
                throw new TfliteException("build an interpreter for the model", status, reporter.lines());
            }
        } finally {
            shield.extend();
            shield.close();
            // The interpreter refers to the model and resolver; free it first.
            if (interpreter != null) {
                interpreter.deallocate();
            }
            if (builder != null) {
                builder.deallocate();
            }
            if (resolver != null) {
                resolver.deallocate();
            }
            if (flatBuffer != null) {
                flatBuffer.deallocate();
            }
            reporter.delete();
            Reference.reachabilityFence(owned);
            Reference.reachabilityFence(data);
        }
    }
}
