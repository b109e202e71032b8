package io.litebit.api;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteApplicationError;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;

import io.litebit.nativelib.NativeLibrary;
import io.litebit.nativelib.ReferenceOpResolver;
import io.litebit.nativelib.XnnpackDelegate;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.OpResolver;

/**
 * Every native object one {@link Interpreter} owns, and their teardown in the one safe order.
 *
 * <p>This object is the interpreter's {@link java.lang.ref.Cleaner} action, so it must never
 * refer back to the {@link Interpreter}. It holds every JavaCPP wrapper strongly until
 * {@link #run()}: JavaCPP frees native memory when a wrapper becomes unreachable, in no
 * particular order, and TFLite keeps raw pointers into the model bytes, the FlatBufferModel, the
 * delegate, the error reporter and the custom tensor allocations. Here they all stay reachable
 * until the interpreter itself is destroyed, then go in dependency order.
 */
final class NativeState implements Runnable {
    /** Keeps the model bytes alive: constant tensors are read in place from them. */
    final Model model;
    final BytePointer modelData;
    CapturingReporter reporter;
    FlatBufferModel flatBuffer;
    org.bytedeco.tensorflowlite.InterpreterOptions tfliteOptions;
    BuiltinOpResolverWithoutDefaultDelegates builtinResolver;
    ReferenceOpResolver referenceResolver;
    XnnpackDelegate delegate;
    org.bytedeco.tensorflowlite.Interpreter interpreter;
    /**
     * The Java-owned memory TFLite uses for input and output tensors (custom allocations), by
     * (subgraph, tensor). TFLite points into these buffers until the interpreter is destroyed.
     */
    final Map<Long, ByteBuffer> customAllocations = new HashMap<>();
    /** What went differently from what the options asked for, without failing. */
    final List<String> warnings = new ArrayList<>();
    /** The child-process twin of an interpreter with Isolation.PROCESS, else null. */
    IsolatedSession isolated;
    private boolean destroyed;

    /** Native states built and not yet destroyed, process-wide (for tests and diagnostics). */
    static final java.util.concurrent.atomic.AtomicLong LIVE = new java.util.concurrent.atomic.AtomicLong();

    private NativeState(Model model) {
        this.model = model;
        this.modelData = new BytePointer(model.nativeBytes());
        LIVE.incrementAndGet();
    }

    /**
     * Builds the native interpreter: FlatBufferModel over the model's bytes with a capturing
     * error reporter, the backend's op resolver, InterpreterBuilder with the options, and for
     * XNNPACK the int8-enabled delegate. Tensors are not allocated yet.
     */
    static NativeState build(Model model, InterpreterOptions options) {
        NativeLibrary.load();
        NativeState s = new NativeState(model);
        // Objects created while a caller's PointerScope is open would be adopted by it and freed
        // when it closes, under a live interpreter. This innermost scope adopts them instead and
        // is then dropped without releasing anything: teardown() alone frees them.
        PointerScope shield = new PointerScope();
        try {
            s.reporter = CapturingReporter.create();
            s.flatBuffer = FlatBufferModel.BuildFromBuffer(s.modelData, model.size(), s.reporter.tflite());
            if (s.flatBuffer == null || s.flatBuffer.isNull()) {
                throw new TfliteException("load the model", -1, s.reporter.lines());
            }
            s.tfliteOptions = new org.bytedeco.tensorflowlite.InterpreterOptions();
            s.tfliteOptions.SetPreserveAllTensors(options.preserveAllTensors());
            OpResolver resolver;
            if (options.backend() == Backend.BUILTIN_REF) {
                s.referenceResolver = ReferenceOpResolver.create();
                resolver = s.referenceResolver.resolver();
            } else {
                // Not BuiltinOpResolver: that one carries TFLite's lazy default XNNPACK delegate
                // (flags 0), which would silently take over float operators on BUILTIN.
                s.builtinResolver = new BuiltinOpResolverWithoutDefaultDelegates();
                resolver = s.builtinResolver;
            }
            InterpreterBuilder builder = new InterpreterBuilder(s.flatBuffer, resolver, s.tfliteOptions);
            try {
                s.reporter.clear();
                int status = builder.SetNumThreads(options.threads());
                if (status != kTfLiteOk) {
                    throw new TfliteException("set " + options.threads() + " threads", status, s.reporter.lines());
                }
                s.interpreter = new org.bytedeco.tensorflowlite.Interpreter((Pointer) null);
                status = builder.apply(s.interpreter);
                if (status != kTfLiteOk || s.interpreter.isNull()) {
                    throw new TfliteException("build the interpreter", status, s.reporter.lines());
                }
            } finally {
                builder.deallocate();
            }
            if (options.backend() == Backend.XNNPACK) {
                s.delegate = XnnpackDelegate.createInt8(options.threads());
                s.reporter.clear();
                int status = s.interpreter.ModifyGraphWithDelegate(s.delegate.delegate());
                if (status == kTfLiteApplicationError) {
                    // TFLite left the graph as it was and stays usable; its own InterpreterBuilder
                    // ignores this status for the same reason ("continuing anyway"). The cause is
                    // only logged to stderr, so say it here.
                    List<String> said = s.reporter.lines();
                    s.warnings.add("the XNNPACK delegate was not applied (TFLite status " + status
                            + ", kTfLiteApplicationError): the graph has dynamic-sized tensors, which XNNPACK"
                            + " does not support, so every operator runs on TFLite's builtin kernels"
                            + (said.isEmpty() ? "" : "; TFLite said: " + String.join(" | ", said)));
                } else if (status != kTfLiteOk) {
                    throw new TfliteException("apply the XNNPACK delegate", status, s.reporter.lines());
                }
            }
            return s;
        } catch (RuntimeException | Error e) {
            s.run();
            throw e;
        } finally {
            shield.extend();
            shield.close();
        }
    }

    boolean isDestroyed() {
        return destroyed;
    }

    /**
     * Destroys everything, once: the interpreter first (its destructor calls the delegate's and
     * kernels' free functions and may report errors), then the delegate, the resolvers, the
     * FlatBufferModel, the options and the reporter. The custom allocations and the model bytes
     * are Java memory: they are only released to the garbage collector, so a ByteBuffer view the
     * user still holds stays valid memory.
     */
    @Override
    public synchronized void run() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        LIVE.decrementAndGet();
        if (isolated != null) {
            isolated.close();
        }
        if (interpreter != null) {
            interpreter.deallocate();
        }
        if (delegate != null) {
            delegate.close();
        }
        if (referenceResolver != null) {
            referenceResolver.close();
        }
        if (builtinResolver != null) {
            builtinResolver.deallocate();
        }
        if (flatBuffer != null) {
            flatBuffer.deallocate();
        }
        if (tfliteOptions != null) {
            tfliteOptions.deallocate();
        }
        if (reporter != null) {
            reporter.delete();
        }
        customAllocations.clear();
        Reference.reachabilityFence(modelData);
        Reference.reachabilityFence(model);
    }
}
