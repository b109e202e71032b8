package io.litebit.api;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a live {@link Interpreter}: its details, and its data in and out.
 *
 * <p>A handle is cheap and refers to the tensor by index; it never caches data, and every call
 * goes through the interpreter's lock and fails with {@link IllegalStateException} once the
 * interpreter is closed.
 *
 * <pre>{@code
 * TensorHandle in = interpreter.input(0);              // int8 [1, 28, 28]
 * in.write(TensorData.ofInt8(pixels, 1, 28, 28));     // raw int8, dtype and shape checked
 * in.writeQuantized(floats);                          // or floats, quantized with in's scale/zero point
 * interpreter.invoke();
 * float[] probabilities = interpreter.output(0).readDequantized();
 * ByteBuffer raw = interpreter.output(0).buffer();    // zero copy, native order
 * }</pre>
 *
 * <h2>Checks</h2>
 * Typed writes check the dtype (a {@code float[]} never goes into an int8 tensor: use
 * {@link #writeQuantized(float[])}) and the element count; {@link #write(TensorData)} checks the
 * shape too. Messages say what was expected and what was given. Which Java array carries which
 * dtype: {@code byte[]} int8, uint8, bool; {@code short[]} int16, uint16, float16 (bits);
 * {@code int[]} int32, uint32; {@code long[]} int64, uint64; {@code float[]} float32.
 */
public final class TensorHandle {
    private final Interpreter interpreter;
    private final int subgraphIndex;
    private final int index;

    TensorHandle(Interpreter interpreter, int subgraphIndex, int index) {
        this.interpreter = interpreter;
        this.subgraphIndex = subgraphIndex;
        this.index = index;
    }

    /** The tensor's index in its subgraph. */
    public int index() {
        return index;
    }

    /** The subgraph the tensor belongs to (0 unless reached through a signature of another one). */
    public int subgraphIndex() {
        return subgraphIndex;
    }

    /** The tensor's current details (shape, dtype, quantization, ...). */
    public TensorDetails details() {
        return interpreter.locked(() -> interpreter.details(state(), index));
    }

    public String name() {
        return details().name();
    }

    public DType dtype() {
        return details().dtype();
    }

    /** The current shape. */
    public int[] shape() {
        return details().shape();
    }

    public Quantization quantization() {
        return details().quantization();
    }

    /**
     * A zero-copy view of the tensor's data: direct, native byte order, position 0, limit = the
     * tensor's size in bytes. Inputs and outputs only.
     *
     * <p>Validity: the view is memory owned by Java that TFLite reads the input from (writes the
     * output to). It stays valid memory for as long as the view is reachable, also after the
     * interpreter is closed, but it is connected to the interpreter only until the tensors are
     * re-allocated ({@link Interpreter#resizeInput}, {@link Interpreter#allocateTensors()}) or
     * the interpreter is closed: obtain a new view after those. Writing a view while another
     * thread invokes the interpreter is a data race (not a crash).
     *
     * @throws IllegalStateException if the tensor is not an input or output, or TFLite manages
     *     its memory itself (a dynamic tensor whose size is only known while invoking)
     */
    public ByteBuffer buffer() {
        return interpreter.locked(() -> interpreter.bufferView(state(), index));
    }

    // ---------------------------------------------------------------- writes

    /** Writes int8, uint8 or bool values. */
    public void write(byte[] values) {
        Objects.requireNonNull(values, "values");
        interpreter.locked(() -> {
            ByteBuffer view = checkedWrite(ArrayKind.BYTE, values.length);
            view.put(values);
            return null;
        });
    }

    /** Writes int16, uint16 or float16 (raw bits) values. */
    public void write(short[] values) {
        Objects.requireNonNull(values, "values");
        interpreter.locked(() -> {
            checkedWrite(ArrayKind.SHORT, values.length).asShortBuffer().put(values);
            return null;
        });
    }

    /** Writes int32 or uint32 values. */
    public void write(int[] values) {
        Objects.requireNonNull(values, "values");
        interpreter.locked(() -> {
            checkedWrite(ArrayKind.INT, values.length).asIntBuffer().put(values);
            return null;
        });
    }

    /** Writes int64 or uint64 values. */
    public void write(long[] values) {
        Objects.requireNonNull(values, "values");
        interpreter.locked(() -> {
            checkedWrite(ArrayKind.LONG, values.length).asLongBuffer().put(values);
            return null;
        });
    }

    /**
     * Writes float32 values. Never quantizes: for a quantized tensor use
     * {@link #writeQuantized(float[])}.
     */
    public void write(float[] values) {
        Objects.requireNonNull(values, "values");
        interpreter.locked(() -> {
            checkedWrite(ArrayKind.FLOAT, values.length).asFloatBuffer().put(values);
            return null;
        });
    }

    /**
     * Writes a value whose dtype and shape must equal the tensor's (resize the input first to
     * feed another shape).
     */
    public void write(TensorData data) {
        Objects.requireNonNull(data, "data");
        interpreter.locked(() -> {
            Interpreter.SubgraphState s = state();
            TensorDetails d = interpreter.details(s, index);
            if (d.dtype() != data.dtype() || !Arrays.equals(d.shape(), data.shape())) {
                throw new IllegalArgumentException(interpreter.describe(s, index) + " expects "
                        + typeAndShape(d.dtype(), d.shape()) + ", given " + typeAndShape(data.dtype(), data.shape())
                        + (d.dtype() == data.dtype() && s.isInput(index)
                                ? " (resize the input first to feed another shape)" : ""));
            }
            ByteBuffer view = interpreter.writable(s, index);
            checkBytes(view, data.byteSize());
            view.put(data.rawBytes());
            return null;
        });
    }

    /**
     * Quantizes real values with this tensor's own scale(s) and zero point(s) and writes them:
     * {@code q = clamp(round(x / scale) + zero_point)}, TFLite's rounding (half away from zero)
     * and saturation to the dtype's range, per channel along the quantized dimension when the
     * tensor has several scales. See {@link Quantizer}.
     *
     * @throws IllegalArgumentException if the tensor is not quantized (e.g. float32), the count
     *     does not match, or a value is NaN
     */
    public void writeQuantized(float[] values) {
        Objects.requireNonNull(values, "values");
        interpreter.locked(() -> {
            Interpreter.SubgraphState s = state();
            TensorDetails d = interpreter.details(s, index);
            checkQuantized(s, d);
            checkCount(s, d, values.length, "values");
            TensorData q = Quantizer.quantize(values, d.shape(), d.dtype(), d.quantization());
            ByteBuffer view = interpreter.writable(s, index);
            checkBytes(view, q.byteSize());
            view.put(q.rawBytes());
            return null;
        });
    }

    // ---------------------------------------------------------------- reads

    /** Reads int8, uint8 or bool values. */
    public byte[] readBytes() {
        return interpreter.locked(() -> {
            ByteBuffer view = checkedRead(ArrayKind.BYTE);
            byte[] out = new byte[view.remaining()];
            view.get(out);
            return out;
        });
    }

    /** Reads int16, uint16 or float16 (raw bits) values. */
    public short[] readShorts() {
        return interpreter.locked(() -> {
            ByteBuffer view = checkedRead(ArrayKind.SHORT);
            short[] out = new short[view.remaining() / 2];
            view.asShortBuffer().get(out);
            return out;
        });
    }

    /** Reads int32 or uint32 values. */
    public int[] readInts() {
        return interpreter.locked(() -> {
            ByteBuffer view = checkedRead(ArrayKind.INT);
            int[] out = new int[view.remaining() / 4];
            view.asIntBuffer().get(out);
            return out;
        });
    }

    /** Reads int64 or uint64 values. */
    public long[] readLongs() {
        return interpreter.locked(() -> {
            ByteBuffer view = checkedRead(ArrayKind.LONG);
            long[] out = new long[view.remaining() / 8];
            view.asLongBuffer().get(out);
            return out;
        });
    }

    /** Reads float32 values (never dequantizes: see {@link #readDequantized()}). */
    public float[] readFloats() {
        return interpreter.locked(() -> {
            ByteBuffer view = checkedRead(ArrayKind.FLOAT);
            float[] out = new float[view.remaining() / 4];
            view.asFloatBuffer().get(out);
            return out;
        });
    }

    /** A copy of the tensor's value: dtype, current shape and data. */
    public TensorData read() {
        return interpreter.locked(() -> {
            Interpreter.SubgraphState s = state();
            ByteBuffer view = interpreter.readable(s, index);
            TensorDetails d = interpreter.details(s, index);
            if (d.dtype() == null || !d.dtype().hasFixedSize()) {
                throw new IllegalArgumentException(interpreter.describe(s, index) + " has dtype "
                        + (d.dtype() == null ? "notype" : d.dtype().displayName()) + ", which has no fixed element size");
            }
            if (d.elementCount() == 0 && view.remaining() > 0) {
                // TFLite gives a zero-element tensor (a SLICE of size 0, say) a 1-byte allocation.
                view = view.duplicate().limit(view.position());
            }
            return TensorData.ofRaw(d.dtype(), d.shape(), view);
        });
    }

    /**
     * Copies the tensor's current bytes (native byte order) into {@code dst} at its position and
     * advances the position: {@link #read()} without the allocation, for callers that look at
     * every tensor of many runs (calibration, tracing) and reuse one buffer.
     *
     * <pre>{@code
     * ByteBuffer scratch = ByteBuffer.allocate(1 << 20).order(ByteOrder.nativeOrder());
     * scratch.clear();
     * int n = interpreter.tensor(7).readInto(scratch);
     * float first = scratch.getFloat(0);
     * }</pre>
     *
     * @return the number of bytes copied (0 for a zero-element tensor)
     * @throws IllegalArgumentException if {@code dst} has fewer bytes remaining than the tensor
     *     holds (the message names the tensor and both sizes), or the dtype has no fixed size
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only
     */
    public int readInto(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        return interpreter.locked(() -> {
            Interpreter.SubgraphState s = state();
            ByteBuffer view = interpreter.readable(s, index);
            TensorDetails d = interpreter.details(s, index);
            if (d.dtype() == null || !d.dtype().hasFixedSize()) {
                throw new IllegalArgumentException(interpreter.describe(s, index) + " has dtype "
                        + (d.dtype() == null ? "notype" : d.dtype().displayName()) + ", which has no fixed element size");
            }
            int n = d.elementCount() == 0 ? 0 : view.remaining();
            if (dst.remaining() < n) {
                throw new IllegalArgumentException(interpreter.describe(s, index) + " holds " + n
                        + " bytes, the destination has " + dst.remaining() + " remaining");
            }
            dst.put(view.duplicate().limit(view.position() + n));
            return n;
        });
    }

    /**
     * Reads the quantized values and dequantizes them with this tensor's own parameters, as
     * TFLite's {@code DEQUANTIZE} does: per tensor {@code (float)(scale * (q - zero_point))}
     * (product in double), per channel in float32.
     *
     * @throws IllegalArgumentException if the tensor is not quantized
     */
    public float[] readDequantized() {
        return interpreter.locked(() -> {
            Interpreter.SubgraphState s = state();
            ByteBuffer view = interpreter.readable(s, index);
            TensorDetails d = interpreter.details(s, index);
            checkQuantized(s, d);
            return Quantizer.dequantize(view, d.dtype(), d.shape(), d.quantization());
        });
    }

    /**
     * Resizes this input ({@link Interpreter#resizeInput(int, int...)}).
     *
     * @throws IllegalStateException if the tensor is not an input
     */
    public void resize(int... shape) {
        interpreter.locked(() -> {
            Interpreter.SubgraphState s = state();
            if (!s.isInput(index)) {
                throw new IllegalStateException(interpreter.describe(s, index) + " is not an input; only inputs can be resized");
            }
            interpreter.resize(s, index, shape);
            return null;
        });
    }

    @Override
    public String toString() {
        return "TensorHandle[" + (subgraphIndex == 0 ? "" : subgraphIndex + ":") + index + "]";
    }

    // ---------------------------------------------------------------- checks (under the lock)

    private Interpreter.SubgraphState state() {
        return interpreter.subgraphState(subgraphIndex);
    }

    private ByteBuffer checkedWrite(ArrayKind kind, int count) {
        Interpreter.SubgraphState s = state();
        TensorDetails d = interpreter.details(s, index);
        kind.check(d.dtype(), interpreter.describe(s, index));
        checkCount(s, d, count, kind.javaName() + " values");
        ByteBuffer view = interpreter.writable(s, index);
        checkBytes(view, count * (long) d.dtype().byteSize());
        return view;
    }

    private ByteBuffer checkedRead(ArrayKind kind) {
        Interpreter.SubgraphState s = state();
        ByteBuffer view = interpreter.readable(s, index);
        kind.check(interpreter.details(s, index).dtype(), interpreter.describe(s, index));
        return view;
    }

    private void checkCount(Interpreter.SubgraphState s, TensorDetails d, int given, String what) {
        if (d.elementCount() != given) {
            throw new IllegalArgumentException(interpreter.describe(s, index) + " has shape "
                    + Arrays.toString(d.shape()) + " (" + d.elementCount() + " elements), given " + given + " " + what);
        }
    }

    private void checkQuantized(Interpreter.SubgraphState s, TensorDetails d) {
        if (d.quantization().isNone()) {
            throw new IllegalArgumentException(interpreter.describe(s, index) + " is "
                    + (d.dtype() == null ? "notype" : d.dtype().displayName()) + " and not quantized (no scale);"
                    + (d.dtype() == DType.FLOAT32 ? " write(float[]) and readFloats() take its values as they are"
                            : " it has no quantization parameters to apply"));
        }
        Quantizer.checkQuantizable(d.dtype());
    }

    private void checkBytes(ByteBuffer view, long bytes) {
        if (view.remaining() != bytes) {
            // TFLite's byte count disagrees with shape x dtype: refuse rather than write past it.
            throw new IllegalStateException("TFLite reports " + view.remaining() + " bytes for "
                    + interpreter.describe(state(), index) + ", expected " + bytes);
        }
    }

    private static String typeAndShape(DType dtype, int[] shape) {
        return (dtype == null ? "notype" : dtype.displayName()) + Arrays.toString(shape);
    }
}
