package io.litebit.api;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.GetOpNameByRegistration;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteArenaRw;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteBuiltinDelegate;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteCustom;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteCustomAllocationFlagsNone;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteError;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteMmapRo;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLitePersistentRo;

import io.litebit.model.SignatureDef;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.RegistrationNodePair;
import org.bytedeco.tensorflowlite.TfLiteCustomAllocation;
import org.bytedeco.tensorflowlite.TfLiteDelegateParams;
import org.bytedeco.tensorflowlite.TfLiteNode;
import org.bytedeco.tensorflowlite.TfLiteRegistration;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * A TensorFlow Lite interpreter for one {@link Model}, on the backend of its
 * {@link InterpreterOptions}: XNNPACK with int8 enabled (default), TFLite's builtin kernels, or
 * TFLite's reference kernels.
 *
 * <pre>{@code
 * Model model = Model.load(Path.of("hello_world_int8.tflite"));
 * try (Interpreter interpreter = Interpreter.create(model)) {          // XNNPACK, 1 thread
 *     TensorHandle x = interpreter.input(0);
 *     x.writeQuantized(new float[] {1.5f});       // explicit: with x's own scale and zero point
 *     interpreter.invoke();
 *     float y = interpreter.output(0).readDequantized()[0];
 *     byte raw = interpreter.output(0).readBytes()[0];             // the int8 value itself
 * }
 * }</pre>
 *
 * <h2>Data in and out</h2>
 * <ul>
 *   <li>Typed copies: {@link TensorHandle#write(float[])}, {@link TensorHandle#readFloats()} and
 *       the byte, short, int and long variants check the dtype and the element count;
 *       {@link TensorHandle#write(TensorData)} also checks the shape. A raw write is never
 *       quantized: {@code write(float[])} into an int8 tensor is an error, not a conversion.</li>
 *   <li>Quantization is explicit: {@link TensorHandle#writeQuantized(float[])} and
 *       {@link TensorHandle#readDequantized()} use the tensor's own parameters (per channel
 *       where it has several scales) with TFLite's rounding and saturation ({@link Quantizer}).</li>
 *   <li>Zero copy: {@link TensorHandle#buffer()} is a direct {@link ByteBuffer} in native order
 *       over the memory TFLite reads the input from (or writes the output to). That memory is
 *       owned by Java, not by TFLite: a view stays valid memory after {@link #close()} and after
 *       re-allocation, it is just no longer connected to the interpreter. Re-obtain views after
 *       {@link #resizeInput}/{@link #allocateTensors()}.</li>
 *   <li>Any tensor by index or name ({@link #tensor(int)}, {@link #tensor(String)}) can be read
 *       after {@link #invoke()}: inputs, outputs, constants and variables always;
 *       intermediates when {@link InterpreterOptions#preserveAllTensors()} is on, otherwise an
 *       {@link IllegalStateException} (TFLite reuses their memory during invoke); a tensor
 *       computed inside a delegate partition never has data (XNNPACK keeps it internal), which
 *       is an {@link IllegalStateException} too.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * TFLite's failures are {@link TfliteException}s carrying what TFLite's error reporter said;
 * wrong dtype, shape, size, index or name are {@link IllegalArgumentException}s whose message
 * says what was expected and what was given; anything after {@link #close()} is an
 * {@link IllegalStateException}.
 *
 * <h2>Ownership and lifetime</h2>
 * The interpreter owns every native object it needs: the FlatBufferModel over its model's bytes
 * (and keeps the {@link Model} itself reachable), the op resolver, the XNNPACK delegate, TFLite's
 * options and the error reporter. {@link #close()} frees them in dependency order and is
 * idempotent. An interpreter that is never closed is freed the same way once it becomes
 * unreachable (a {@link Cleaner}), so forgetting {@code close()} leaks nothing for long; closing
 * explicitly returns the memory at once. No garbage collection and no JavaCPP
 * {@code PointerScope} of the caller can free a native object while the interpreter uses it.
 *
 * <h2>Threads</h2>
 * An interpreter is safe to share: every method takes the interpreter's lock, so calls from
 * several threads are <em>serialized</em> (two {@code invoke()}s run one after the other, and
 * {@code close()} waits for a running {@code invoke()}). A sequence of calls (write, invoke,
 * read) is not atomic, though: use {@link #run(TensorData...)}, which holds the lock for the
 * whole sequence, to share one interpreter between threads. For parallel inference, create one
 * interpreter per thread from the same {@link Model}. Writing into a {@link TensorHandle#buffer()}
 * view is not covered by the lock: do not write a view while another thread invokes.
 */
public final class Interpreter implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "litebit-interpreter-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final Model model;
    private final InterpreterOptions options;
    private final NativeState state;
    private final Cleaner.Cleanable cleanable;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, SubgraphState> subgraphs = new HashMap<>();
    private final Map<String, SignatureRunner> signatureRunners = new HashMap<>();
    private boolean closed;
    private List<OpDetails> opDetails;

    private Interpreter(Model model, InterpreterOptions options, NativeState state) {
        this.model = model;
        this.options = options;
        this.state = state;
        this.cleanable = CLEANER.register(this, state);
    }

    /** An interpreter with the default options (XNNPACK with int8, 1 thread). */
    public static Interpreter create(Model model) {
        return create(model, InterpreterOptions.defaults());
    }

    /**
     * Creates an interpreter and allocates its tensors.
     *
     * @throws TfliteException if TFLite cannot build the interpreter, apply the delegate or
     *     allocate the tensors, or if the model is one that TFLite 2.19 is known to crash on with
     *     this backend (the message says why and what to do)
     */
    public static Interpreter create(Model model, InterpreterOptions options) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        CrashGuards.check(model.view(), options.backend());
        Probe.check(model, options, true);
        return build(model, options);
    }

    /**
     * Without litebit's static checks and without the probe: only for the probe's own child (to
     * reproduce what raw TFLite does) and tests that must reach a TFLite defect.
     */
    static Interpreter createUnchecked(Model model, InterpreterOptions options) {
        return build(model, options);
    }

    private static Interpreter build(Model model, InterpreterOptions options) {
        NativeState state = NativeState.build(model, options);
        if (options.isolation() == Isolation.PROCESS && !Worker.inWorker()) {
            state.isolated = new IsolatedSession(model, options);
        }
        Interpreter interpreter;
        try {
            interpreter = new Interpreter(model, options, state);
        } catch (RuntimeException | Error e) {
            state.run();
            throw e;
        }
        try {
            interpreter.locked(() -> {
                SubgraphState primary = interpreter.subgraphState(0);
                interpreter.allocate(primary);
                interpreter.opDetails = interpreter.analyzeOps(primary);
                return null;
            });
        } catch (RuntimeException | Error e) {
            interpreter.close();
            throw e;
        }
        return interpreter;
    }

    public Model model() {
        return model;
    }

    public InterpreterOptions options() {
        return options;
    }

    // ---------------------------------------------------------------- tensors

    /** The number of inputs of the primary subgraph. */
    public int inputCount() {
        return locked(() -> subgraphState(0).inputs.length);
    }

    /** The number of outputs of the primary subgraph. */
    public int outputCount() {
        return locked(() -> subgraphState(0).outputs.length);
    }

    /** The number of tensors of the primary subgraph (kernels and delegates may add some to the model's). */
    public int tensorCount() {
        return locked(() -> (int) state.interpreter.tensors_size());
    }

    /**
     * The {@code i}-th input of the primary subgraph.
     *
     * @throws IllegalArgumentException if there is no such input
     */
    public TensorHandle input(int i) {
        return locked(() -> new TensorHandle(this, 0, position(subgraphState(0).inputs, i, "input")));
    }

    /** The input named {@code name}. */
    public TensorHandle input(String name) {
        return locked(() -> new TensorHandle(this, 0, named(subgraphState(0).inputs, name, "input")));
    }

    /** The {@code i}-th output of the primary subgraph. */
    public TensorHandle output(int i) {
        return locked(() -> new TensorHandle(this, 0, position(subgraphState(0).outputs, i, "output")));
    }

    /** The output named {@code name}. */
    public TensorHandle output(String name) {
        return locked(() -> new TensorHandle(this, 0, named(subgraphState(0).outputs, name, "output")));
    }

    /**
     * Any tensor of the primary subgraph by index.
     *
     * @throws IllegalArgumentException if the index is out of range
     */
    public TensorHandle tensor(int index) {
        return locked(() -> {
            int n = (int) state.interpreter.tensors_size();
            if (index < 0 || index >= n) {
                throw new IllegalArgumentException("tensor index " + index + " out of range, the interpreter has "
                        + n + " tensors (0.." + (n - 1) + ")");
            }
            return new TensorHandle(this, 0, index);
        });
    }

    /**
     * The first tensor of the primary subgraph with this name.
     *
     * @throws IllegalArgumentException if no tensor has this name
     */
    public TensorHandle tensor(String name) {
        Objects.requireNonNull(name, "name");
        return locked(() -> {
            int n = (int) state.interpreter.tensors_size();
            for (int i = 0; i < n; i++) {
                if (name.equals(tensorName(state.interpreter.tensor(i)))) {
                    return new TensorHandle(this, 0, i);
                }
            }
            throw new IllegalArgumentException("no tensor named \"" + name + "\" among the " + n + " tensors");
        });
    }

    /** Details of the inputs, in order. */
    public List<TensorDetails> inputDetails() {
        return locked(() -> detailsOf(subgraphState(0), subgraphState(0).inputs));
    }

    /** Details of the outputs, in order. */
    public List<TensorDetails> outputDetails() {
        return locked(() -> detailsOf(subgraphState(0), subgraphState(0).outputs));
    }

    /** Details of every tensor of the primary subgraph, by index. */
    public List<TensorDetails> tensorDetails() {
        return locked(() -> {
            SubgraphState s = subgraphState(0);
            int n = (int) state.interpreter.tensors_size();
            List<TensorDetails> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(details(s, i));
            }
            return Collections.unmodifiableList(all);
        });
    }

    /**
     * The nodes of the primary subgraph: the model's operators (with whether a delegate runs
     * them), then the delegate kernels. See {@link OpDetails}.
     */
    public List<OpDetails> opDetails() {
        return locked(() -> opDetails);
    }

    /**
     * What did not go as the options asked without being an error, e.g. that TFLite could not
     * apply the XNNPACK delegate to a graph with dynamic-sized tensors (it then runs every
     * operator on its builtin kernels, as TFLite itself does in that case). Empty normally.
     */
    public List<String> warnings() {
        return locked(() -> List.copyOf(state.warnings));
    }

    /** Whether at least one operator runs on a delegate (XNNPACK). */
    public boolean hasDelegatedOps() {
        return locked(() -> opDetails.stream().anyMatch(OpDetails::isDelegated));
    }

    // ---------------------------------------------------------------- running

    /**
     * Changes the shape of the {@code i}-th input (TFLite's {@code ResizeInputTensor}); tensors
     * are re-allocated by the next {@link #allocateTensors()} or {@link #invoke()}. Data written
     * before is lost and views obtained before no longer reach the interpreter.
     *
     * @throws IllegalArgumentException if there is no such input or a dimension is negative
     * @throws TfliteException if TFLite refuses the shape
     */
    public void resizeInput(int i, int... shape) {
        locked(() -> {
            SubgraphState s = subgraphState(0);
            resize(s, position(s.inputs, i, "input"), shape);
            return null;
        });
    }

    /** {@link #resizeInput(int, int...)} by input name. */
    public void resizeInput(String name, int... shape) {
        locked(() -> {
            SubgraphState s = subgraphState(0);
            resize(s, named(s.inputs, name, "input"), shape);
            return null;
        });
    }

    /**
     * Allocates the tensors after a resize (done automatically by {@link #invoke()}); nothing
     * happens when nothing changed.
     *
     * @throws TfliteException if TFLite cannot prepare the operators for the new shapes
     */
    public void allocateTensors() {
        locked(() -> {
            SubgraphState s = subgraphState(0);
            if (s.needsAllocation) {
                allocate(s);
            }
            return null;
        });
    }

    /**
     * Runs the model once on the primary subgraph, allocating first if an input was resized.
     *
     * @throws TfliteException if a kernel fails, with TFLite's message
     * @throws IllegalStateException if the interpreter is closed
     */
    public void invoke() {
        locked(() -> {
            invoke(subgraphState(0));
            return null;
        });
    }

    /**
     * Writes the inputs (by position; dtype and shape must match, see
     * {@link TensorHandle#write(TensorData)}), invokes, and returns every output, all under one
     * hold of the interpreter's lock: the way to share one interpreter between threads without
     * one thread's inputs meeting another's invoke.
     *
     * @throws IllegalArgumentException if the number of inputs or an input's dtype or shape is wrong
     */
    public List<TensorData> run(TensorData... inputs) {
        Objects.requireNonNull(inputs, "inputs");
        return locked(() -> {
            SubgraphState s = subgraphState(0);
            if (inputs.length != s.inputs.length) {
                throw new IllegalArgumentException("the model has " + s.inputs.length + " inputs, given "
                        + inputs.length);
            }
            for (int i = 0; i < inputs.length; i++) {
                new TensorHandle(this, 0, s.inputs[i]).write(Objects.requireNonNull(inputs[i], "inputs[" + i + "]"));
            }
            invoke(s);
            List<TensorData> out = new ArrayList<>(s.outputs.length);
            for (int t : s.outputs) {
                out.add(new TensorHandle(this, 0, t).read());
            }
            return List.copyOf(out);
        });
    }

    // ---------------------------------------------------------------- signatures

    /** The model's signature keys, in file order (empty if it has none). */
    public List<String> signatureKeys() {
        return locked(() -> model.view().signatures().stream().map(SignatureDef::key).toList());
    }

    /**
     * The runner of a signature, by key.
     *
     * @throws IllegalArgumentException if the model has no such signature
     */
    public SignatureRunner signature(String key) {
        Objects.requireNonNull(key, "key");
        return locked(() -> {
            SignatureRunner runner = signatureRunners.get(key);
            if (runner != null) {
                return runner;
            }
            SignatureDef def = model.view().signatures().stream().filter(d -> d.key().equals(key))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no signature \"" + key
                            + "\"; the model has " + model.view().signatures().stream().map(SignatureDef::key)
                            .map(k -> "\"" + k + "\"").toList()));
            runner = new SignatureRunner(this, def);
            signatureRunners.put(key, runner);
            return runner;
        });
    }

    /**
     * Runs a signature with named inputs and returns every named output:
     * {@code signature(key).run(inputs)}.
     */
    public Map<String, TensorData> runSignature(String key, Map<String, TensorData> inputs) {
        return signature(key).run(inputs);
    }

    // ---------------------------------------------------------------- lifetime

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Frees every native object of this interpreter, in dependency order; idempotent. Waits for
     * a call running on another thread. Views from {@link TensorHandle#buffer()} stay valid Java
     * memory but are no longer connected to anything.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                subgraphs.clear();
                cleanable.clean();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Interpreter[" + model + ", " + options + (isClosed() ? ", closed" : "") + "]";
    }

    // ================================================================= internals

    /**
     * Runs {@code body} under the lock, on an open interpreter, keeping this interpreter (and so
     * its native state) reachable until the body has returned: without the fence, the JIT may
     * consider {@code this} dead during a long native call and the Cleaner could free the
     * interpreter under it.
     */
    <T> T locked(Supplier<T> body) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the interpreter is closed");
            }
            return body.get();
        } finally {
            lock.unlock();
            Reference.reachabilityFence(this);
        }
    }

    /** Per-subgraph bookkeeping: IO indices, allocation state, cached details, topology. */
    static final class SubgraphState {
        final int index;
        int[] inputs;
        int[] outputs;
        int[] variables;
        boolean needsAllocation = true;
        boolean invokedSinceAllocation;
        boolean hasDynamicTensors;
        TensorDetails[] details = new TensorDetails[0];
        /** Tensors TFLite never materializes: inside a delegate partition. Value: delegate node. */
        Map<Integer, Integer> delegateInternal = Map.of();

        SubgraphState(int index) {
            this.index = index;
        }

        boolean isInput(int t) {
            return contains(inputs, t);
        }

        boolean isOutput(int t) {
            return contains(outputs, t);
        }

        boolean isVariable(int t) {
            return contains(variables, t);
        }
    }

    SubgraphState subgraphState(int index) {
        SubgraphState s = subgraphs.get(index);
        if (s == null) {
            org.bytedeco.tensorflowlite.Subgraph sg = nativeSubgraph(index);
            s = new SubgraphState(index);
            s.inputs = ints(sg.inputs());
            s.outputs = ints(sg.outputs());
            s.variables = ints(sg.variables());
            subgraphs.put(index, s);
        }
        return s;
    }

    org.bytedeco.tensorflowlite.Subgraph nativeSubgraph(int index) {
        long n = state.interpreter.subgraphs_size();
        if (index < 0 || index >= n) {
            throw new IllegalArgumentException("subgraph " + index + " out of range, the interpreter has " + n);
        }
        return state.interpreter.subgraph(index);
    }

    private static int[] ints(IntPointer p) {
        if (p == null || p.isNull()) {
            return new int[0];
        }
        int n = (int) (p.limit() - p.position());
        int[] out = new int[n];
        p.get(out);
        return out;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static String tensorName(TfLiteTensor t) {
        BytePointer name = t.name();
        return name == null || name.isNull() ? "" : name.getString();
    }

    private int position(int[] list, int i, String what) {
        if (i < 0 || i >= list.length) {
            throw new IllegalArgumentException(what + " " + i + " out of range, the interpreter has "
                    + list.length + " " + what + "s");
        }
        return list[i];
    }

    private int named(int[] list, String name, String what) {
        Objects.requireNonNull(name, "name");
        List<String> names = new ArrayList<>();
        for (int t : list) {
            String n = tensorName(state.interpreter.tensor(t));
            if (n.equals(name)) {
                return t;
            }
            names.add("\"" + n + "\"");
        }
        throw new IllegalArgumentException("no " + what + " named \"" + name + "\"; the " + what + "s are " + names);
    }

    TfLiteTensor nativeTensor(SubgraphState s, int index) {
        return s.index == 0 ? state.interpreter.tensor(index) : nativeSubgraph(s.index).tensor(index);
    }

    TensorDetails details(SubgraphState s, int index) {
        if (index < s.details.length && s.details[index] != null) {
            return s.details[index];
        }
        TfLiteTensor t = nativeTensor(s, index);
        TensorDetails d = new TensorDetails(s.index, index, tensorName(t), NativeTypes.dtype(t.type()),
                NativeTypes.ints(t.dims()), signatureOrShape(t), NativeTypes.quantization(t), t.bytes());
        if (index >= s.details.length) {
            s.details = Arrays.copyOf(s.details, Math.max(index + 1, s.details.length * 2));
        }
        s.details[index] = d;
        return d;
    }

    private static int[] signatureOrShape(TfLiteTensor t) {
        int[] sig = NativeTypes.ints(t.dims_signature());
        return sig.length == 0 && t.dims() != null && !t.dims().isNull() && t.dims().size() > 0
                ? NativeTypes.ints(t.dims()) : sig;
    }

    private List<TensorDetails> detailsOf(SubgraphState s, int[] indices) {
        List<TensorDetails> out = new ArrayList<>(indices.length);
        for (int t : indices) {
            out.add(details(s, t));
        }
        return Collections.unmodifiableList(out);
    }

    String describe(SubgraphState s, int index) {
        TfLiteTensor t = nativeTensor(s, index);
        return "tensor " + (s.index == 0 ? "" : s.index + ":") + index + " \"" + tensorName(t) + "\"";
    }

    void resize(SubgraphState s, int tensorIndex, int[] shape) {
        Objects.requireNonNull(shape, "shape");
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("cannot resize " + describe(s, tensorIndex) + " to "
                        + Arrays.toString(shape) + ": dimensions must be >= 0");
            }
        }
        state.reporter.clear();
        int status = s.index == 0 ? state.interpreter.ResizeInputTensor(tensorIndex, shape)
                : nativeSubgraph(s.index).ResizeInputTensor(tensorIndex, shape);
        if (status != kTfLiteOk) {
            throw new TfliteException("resize " + describe(s, tensorIndex) + " to " + Arrays.toString(shape),
                    status, state.reporter.lines());
        }
        s.needsAllocation = true;
        s.details = new TensorDetails[0];
    }

    /**
     * AllocateTensors, then hands every input and output tensor memory owned by Java (custom
     * allocations), so that {@link TensorHandle#buffer()} views can never point to memory TFLite
     * frees. An output's size is only known after TFLite has prepared the operators, so after a
     * resize the first attempt may fail with "Custom allocation is too small": the allocations
     * are then grown to the sizes TFLite computed and allocation is retried.
     */
    void allocate(SubgraphState s) {
        org.bytedeco.tensorflowlite.Subgraph sg = nativeSubgraph(s.index);
        if (state.isolated != null) {
            // Prepare runs kernels' code on the new shapes: in the child first.
            int[][] shapes = new int[s.inputs.length][];
            for (int i = 0; i < s.inputs.length; i++) {
                shapes[i] = s.inputs[i] < 0 ? new int[0] : NativeTypes.ints(sg.tensor(s.inputs[i]).dims());
            }
            state.isolated.allocate(s.index, s.inputs, shapes);
        }
        List<String> messages = List.of();
        int status = kTfLiteError;
        for (int attempt = 0; attempt < 4; attempt++) {
            state.reporter.clear();
            status = s.index == 0 ? state.interpreter.AllocateTensors() : sg.AllocateTensors();
            if (status == kTfLiteOk) {
                s.details = new TensorDetails[0];
                if (!bindCustomAllocations(s, sg)) {
                    s.hasDynamicTensors = sg.HasDynamicTensors();
                    s.needsAllocation = false;
                    s.invokedSinceAllocation = false;
                    return;
                }
                continue; // TFLite checks the new allocations in the next AllocateTensors
            }
            messages = state.reporter.lines();
            if (!growCustomAllocations(s, sg)) {
                break;
            }
        }
        s.needsAllocation = true;
        throw new TfliteException("allocate tensors", status, messages);
    }

    private static long key(int subgraph, int tensor) {
        return ((long) subgraph << 32) | (tensor & 0xFFFFFFFFL);
    }

    private boolean bindCustomAllocations(SubgraphState s, org.bytedeco.tensorflowlite.Subgraph sg) {
        boolean changed = false;
        int[][] lists = {s.inputs, s.outputs};
        for (int[] list : lists) {
            for (int t : list) {
                if (t < 0) {
                    continue;
                }
                TfLiteTensor tensor = sg.tensor(t);
                int type = tensor.allocation_type();
                ByteBuffer current = state.customAllocations.get(key(s.index, t));
                if (type == kTfLiteCustom) {
                    if (current == null || (address(current) == dataAddress(tensor)
                            && current.capacity() >= tensor.bytes())) {
                        continue;
                    }
                } else if (type != kTfLiteArenaRw) {
                    // Dynamic (size known only while invoking), constant or persistent: TFLite's memory.
                    state.customAllocations.remove(key(s.index, t));
                    continue;
                }
                setCustomAllocation(s, sg, t, tensor.bytes());
                changed = true;
            }
        }
        return changed;
    }

    private boolean growCustomAllocations(SubgraphState s, org.bytedeco.tensorflowlite.Subgraph sg) {
        boolean grown = false;
        for (Map.Entry<Long, ByteBuffer> e : new ArrayList<>(state.customAllocations.entrySet())) {
            if ((int) (e.getKey() >>> 32) != s.index) {
                continue;
            }
            int t = (int) (long) e.getKey();
            TfLiteTensor tensor = sg.tensor(t);
            if (tensor.allocation_type() == kTfLiteCustom && tensor.bytes() > e.getValue().capacity()) {
                setCustomAllocation(s, sg, t, tensor.bytes());
                grown = true;
            }
        }
        return grown;
    }

    private void setCustomAllocation(SubgraphState s, org.bytedeco.tensorflowlite.Subgraph sg, int t, long bytes) {
        // Never 0 bytes: TFLite requires a non-null address even for empty tensors.
        long rounded = Math.max(Model.ALIGNMENT, (bytes + Model.ALIGNMENT - 1) / Model.ALIGNMENT * Model.ALIGNMENT);
        if (bytes < 0 || rounded > Integer.MAX_VALUE - 2L * Model.ALIGNMENT) {
            TfLiteTensor tensor = sg.tensor(t);
            throw new TfliteException(describe(s, t) + " of shape " + Arrays.toString(NativeTypes.ints(tensor.dims()))
                    + " (" + NativeTypes.dtype(tensor.type()).displayName() + ") needs " + bytes + " bytes, more than"
                    + " the " + (Integer.MAX_VALUE - 2L * Model.ALIGNMENT) + " bytes a Java buffer can hold: litebit"
                    + " cannot give it Java-owned memory. Resize the input to a smaller shape",
                    "allocate tensors", -1, List.of());
        }
        int size = (int) rounded;
        ByteBuffer buffer;
        try {
            buffer = Model.allocateAligned(size).order(ByteOrder.nativeOrder());
        } catch (OutOfMemoryError e) {
            // Direct memory is bounded (-XX:MaxDirectMemorySize, by default the heap size): a
            // model asking for more is refused like any allocation TFLite cannot satisfy.
            TfLiteTensor tensor = sg.tensor(t);
            throw new TfliteException(describe(s, t) + " of shape " + Arrays.toString(NativeTypes.ints(tensor.dims()))
                    + " needs " + bytes + " bytes, and this JVM cannot allocate that much direct memory ("
                    + e.getMessage() + "); raise -XX:MaxDirectMemorySize or resize the input to a smaller shape",
                    "allocate tensors", -1, List.of());
        }
        TfLiteCustomAllocation allocation = new TfLiteCustomAllocation();
        try {
            allocation.data(new Pointer(buffer));
            allocation.bytes(size);
            state.reporter.clear();
            int status = sg.SetCustomAllocationForTensor(t, allocation, kTfLiteCustomAllocationFlagsNone);
            if (status != kTfLiteOk) {
                throw new TfliteException("give " + describe(s, t) + " Java-owned memory (SetCustomAllocationForTensor)",
                        status, state.reporter.lines());
            }
        } finally {
            allocation.deallocate();
        }
        // Stored before the next native call uses it; the map keeps it alive as long as TFLite may.
        state.customAllocations.put(key(s.index, t), buffer);
    }

    private static long address(ByteBuffer direct) {
        return new Pointer(direct).address();
    }

    private static long dataAddress(TfLiteTensor tensor) {
        BytePointer raw = tensor.data().raw();
        return raw == null ? 0 : raw.address();
    }

    void invoke(SubgraphState s) {
        if (s.needsAllocation) {
            allocate(s);
        }
        if (state.isolated != null) {
            invokeIsolated(s);
            return;
        }
        state.reporter.clear();
        int status;
        if (s.index == 0) {
            status = state.interpreter.Invoke();
        } else {
            org.bytedeco.tensorflowlite.Subgraph sg = nativeSubgraph(s.index);
            status = sg.Invoke();
            for (int t : s.outputs) {
                if (status == kTfLiteOk && t >= 0) {
                    status = sg.EnsureTensorDataIsReadable(t);
                }
            }
        }
        if (status != kTfLiteOk) {
            throw new TfliteException("invoke", status, state.reporter.lines());
        }
        s.invokedSinceAllocation = true;
        if (s.hasDynamicTensors) {
            // Kernels resize dynamic tensors while invoking: shapes may have changed.
            s.details = new TensorDetails[0];
        }
    }

    /** Isolation.PROCESS: inputs and variables to the child, invoke there, outputs and variables back. */
    private void invokeIsolated(SubgraphState s) {
        Map<Integer, byte[]> send = new java.util.LinkedHashMap<>();
        for (int[] list : new int[][] {s.inputs, s.variables}) {
            for (int t : list) {
                if (t >= 0 && !send.containsKey(t)) {
                    ByteBuffer v = dataView(s, t, nativeTensor(s, t));
                    byte[] b = new byte[v == null ? 0 : v.remaining()];
                    if (v != null) {
                        v.get(b);
                    }
                    send.put(t, b);
                }
            }
        }
        int[] want = java.util.stream.IntStream.concat(Arrays.stream(s.outputs), Arrays.stream(s.variables))
                .filter(t -> t >= 0).distinct().toArray();
        Map<Integer, byte[]> back = state.isolated.invoke(s.index, send, want);
        for (int t : want) {
            byte[] b = back.get(t);
            ByteBuffer v = dataView(s, t, nativeTensor(s, t));
            if (b == null || v == null || v.remaining() != b.length) {
                throw new TfliteException(describe(s, t) + " came back from the isolated child with "
                        + (b == null ? "no data" : b.length + " bytes") + " where this interpreter has "
                        + (v == null ? "no memory" : v.remaining() + " bytes") + ": Isolation.PROCESS does not support"
                        + " outputs whose shape only the kernel knows (dynamic tensors); use Isolation.IN_PROCESS",
                        "invoke (isolated)", -1, List.of());
            }
            v.put(b);
        }
        s.invokedSinceAllocation = true;
    }

    // ---------------------------------------------------------------- raw access for litebit's children

    /** Writes an input's (or variable's) raw bytes, exactly its byte size; subgraph 0. */
    void writeRaw(int tensorIndex, byte[] data) {
        writeRaw(0, tensorIndex, data);
    }

    void writeRaw(int subgraph, int tensorIndex, byte[] data) {
        locked(() -> {
            SubgraphState s = subgraphState(subgraph);
            ByteBuffer v = writable(s, tensorIndex);
            if (v.remaining() != data.length) {
                throw new IllegalArgumentException(describe(s, tensorIndex) + " has " + v.remaining()
                        + " bytes, given " + data.length);
            }
            v.put(data);
            return null;
        });
    }

    byte[] readRaw(int subgraph, int tensorIndex) {
        return locked(() -> {
            ByteBuffer v = readable(subgraphState(subgraph), tensorIndex);
            byte[] b = new byte[v.remaining()];
            v.get(b);
            return b;
        });
    }

    void resizeIfDifferent(int subgraph, int tensorIndex, int[] shape) {
        locked(() -> {
            SubgraphState s = subgraphState(subgraph);
            if (!Arrays.equals(NativeTypes.ints(nativeTensor(s, tensorIndex).dims()), shape)) {
                resize(s, tensorIndex, shape);
            }
            return null;
        });
    }

    void allocateSubgraph(int subgraph) {
        locked(() -> {
            SubgraphState s = subgraphState(subgraph);
            if (s.needsAllocation) {
                allocate(s);
            }
            return null;
        });
    }

    void invokeSubgraph(int subgraph) {
        locked(() -> {
            invoke(subgraphState(subgraph));
            return null;
        });
    }

    // ---------------------------------------------------------------- topology and op details

    private List<OpDetails> analyzeOps(SubgraphState s) {
        org.bytedeco.tensorflowlite.Subgraph sg = nativeSubgraph(s.index);
        int nodes = (int) sg.nodes_size();
        BitSet inPlan = new BitSet(nodes);
        for (int i : ints(sg.execution_plan())) {
            inPlan.set(i);
        }
        int[] delegatedTo = new int[nodes];
        Arrays.fill(delegatedTo, -1);
        List<TfLiteNode> nodeList = new ArrayList<>(nodes);
        List<TfLiteRegistration> regList = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            RegistrationNodePair pair = sg.node_and_registration(i);
            TfLiteNode node = pair.first();
            TfLiteRegistration reg = pair.second();
            nodeList.add(node);
            regList.add(reg);
            if (reg.builtin_code() == kTfLiteBuiltinDelegate && node.builtin_data() != null
                    && !node.builtin_data().isNull()) {
                TfLiteDelegateParams params = new TfLiteDelegateParams(node.builtin_data());
                for (int replaced : NativeTypes.ints(params.nodes_to_replace())) {
                    if (replaced >= 0 && replaced < nodes) {
                        delegatedTo[replaced] = i;
                    }
                }
            }
        }
        // Tensors some executed node reads or writes, plus the graph's own: TFLite allocates
        // these. Outputs of delegated operators that are not among them exist only inside the
        // delegate.
        BitSet materialized = new BitSet();
        for (int[] list : new int[][] {s.inputs, s.outputs, s.variables}) {
            for (int t : list) {
                if (t >= 0) {
                    materialized.set(t);
                }
            }
        }
        List<OpDetails> ops = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            TfLiteNode node = nodeList.get(i);
            int[] in = NativeTypes.ints(node.inputs());
            int[] out = NativeTypes.ints(node.outputs());
            if (inPlan.get(i)) {
                for (int t : in) {
                    if (t >= 0) {
                        materialized.set(t);
                    }
                }
                for (int t : out) {
                    if (t >= 0) {
                        materialized.set(t);
                    }
                }
            }
            TfLiteRegistration reg = regList.get(i);
            ops.add(new OpDetails(i, GetOpNameByRegistration(reg), reg.version(), in, out,
                    reg.builtin_code() == kTfLiteBuiltinDelegate, delegatedTo[i], inPlan.get(i)));
        }
        Map<Integer, Integer> internal = new HashMap<>();
        for (OpDetails op : ops) {
            if (op.isDelegated()) {
                for (int t : op.outputs()) {
                    if (t >= 0 && !materialized.get(t)) {
                        internal.put(t, op.delegatedTo());
                    }
                }
            }
        }
        s.delegateInternal = Map.copyOf(internal);
        return List.copyOf(ops);
    }

    // ---------------------------------------------------------------- data access (under the lock)

    /** The tensor's data as a temporary native-order view; never handed out. */
    private ByteBuffer dataView(SubgraphState s, int index, TfLiteTensor t) {
        long address = dataAddress(t);
        long bytes = t.bytes();
        if (address == 0) {
            return null;
        }
        ByteBuffer own = state.customAllocations.get(key(s.index, index));
        if (own != null && address(own) == address) {
            if (own.capacity() < bytes) {
                // Resized and not yet re-allocated: TFLite's byte count already exceeds the memory.
                return null;
            }
            return own.duplicate().limit((int) bytes).slice().order(ByteOrder.nativeOrder());
        }
        return new BytePointer(t.data().raw()).capacity(bytes).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    /** Throws unless the tensor's data may be read now; returns its view. */
    ByteBuffer readable(SubgraphState s, int index) {
        if (s.needsAllocation) {
            allocate(s);
        }
        TfLiteTensor t = nativeTensor(s, index);
        Integer delegateNode = s.delegateInternal.get(index);
        if (delegateNode != null) {
            throw new IllegalStateException(describe(s, index) + " is computed inside delegate node "
                    + delegateNode + " (" + opName(s, delegateNode) + "); TFLite never materializes it, so it has no"
                    + " data. Run on Backend.BUILTIN or Backend.BUILTIN_REF to read it.");
        }
        int type = t.allocation_type();
        boolean edge = s.isInput(index) || s.isOutput(index) || s.isVariable(index)
                || type == kTfLiteMmapRo || type == kTfLitePersistentRo;
        if (!edge) {
            if (state.isolated != null) {
                throw new IllegalStateException(describe(s, index) + " is an intermediate tensor and this interpreter"
                        + " runs with Isolation.PROCESS: intermediates are computed in the child process and only"
                        + " inputs, outputs and variables are copied back. Use Isolation.IN_PROCESS to read it.");
            }
            if (!options.preserveAllTensors()) {
                throw new IllegalStateException(describe(s, index) + " is an intermediate tensor: TFLite reuses its"
                        + " memory while invoking, so its data is not kept. Create the interpreter with"
                        + " InterpreterOptions.builder().preserveAllTensors(true) to read it after invoke().");
            }
            if (!s.invokedSinceAllocation) {
                throw new IllegalStateException(describe(s, index) + " is an intermediate tensor and has not been"
                        + " computed since the tensors were allocated: call invoke() first.");
            }
        }
        ByteBuffer view = dataView(s, index, t);
        if (view == null) {
            throw new IllegalStateException(describe(s, index) + " has no data (TFLite allocated no memory for it)");
        }
        return view;
    }

    /** Throws unless the tensor may be written (inputs and variables); returns its view. */
    ByteBuffer writable(SubgraphState s, int index) {
        if (s.needsAllocation) {
            allocate(s);
        }
        TfLiteTensor t = nativeTensor(s, index);
        if (!s.isInput(index) && !s.isVariable(index)) {
            int type = t.allocation_type();
            String kind = type == kTfLiteMmapRo || type == kTfLitePersistentRo ? "a constant of the model"
                    : s.isOutput(index) ? "an output" : "an intermediate tensor";
            throw new IllegalStateException(describe(s, index) + " is " + kind + "; only inputs (and variable"
                    + " tensors) can be written");
        }
        ByteBuffer view = dataView(s, index, t);
        if (view == null) {
            throw new IllegalStateException(describe(s, index) + " has no memory allocated");
        }
        return view;
    }

    /** The zero-copy view of an input or output, over its Java-owned custom allocation. */
    ByteBuffer bufferView(SubgraphState s, int index) {
        if (s.needsAllocation) {
            allocate(s);
        }
        if (!s.isInput(index) && !s.isOutput(index)) {
            throw new IllegalStateException(describe(s, index) + " is neither an input nor an output;"
                    + " zero-copy views exist for inputs and outputs only. Read it with read() or readBytes().");
        }
        TfLiteTensor t = nativeTensor(s, index);
        ByteBuffer own = state.customAllocations.get(key(s.index, index));
        if (own == null || address(own) != dataAddress(t)) {
            throw new IllegalStateException(describe(s, index) + " is not backed by Java-owned memory (its"
                    + " size is only known while invoking, or TFLite allocates it itself); read it with read()");
        }
        return own.duplicate().limit((int) t.bytes()).slice().order(ByteOrder.nativeOrder());
    }

    private String opName(SubgraphState s, int node) {
        if (s.index == 0 && opDetails != null && node < opDetails.size()) {
            return opDetails.get(node).opName();
        }
        return "node " + node;
    }
}
