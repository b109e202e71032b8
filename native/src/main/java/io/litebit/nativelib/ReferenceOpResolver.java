package io.litebit.nativelib;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.GetOpNameByRegistration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates;
import org.bytedeco.tensorflowlite.MutableOpResolver;
import org.bytedeco.tensorflowlite.TfLiteRegistration;

/**
 * An op resolver made of TFLite's C++ reference kernels: what Python calls the
 * {@code BUILTIN_REF} op resolver ({@code OpResolverType.BUILTIN_REF}).
 *
 * <p>Construction: start from a copy of every registration of TFLite's builtin resolver
 * ({@code BuiltinOpResolverWithoutDefaultDelegates}: optimized kernels, no default XNNPACK
 * delegate), then replace each operator that has a reference kernel
 * ({@code tflite::ops::builtin::Register_*_REF()}, see {@link ReferenceKernel}) by that kernel,
 * for every version the builtin resolver supports for it. The other operators keep their
 * builtin kernel; they are reported by {@link #fallbackOps()}. The resolver carries no delegate
 * creators, so no delegate is applied behind the caller's back.
 *
 * <p>Differences from TFLite's own {@code tflite::ops::builtin::BuiltinRefOpResolver}
 * ({@code register_ref.cc}): that class lists version ranges by hand, which lag behind the
 * builtin resolver for some operators; here the versions are always those of the builtin
 * resolver of the same library. Like the builtin resolver without default delegates, this
 * resolver does not answer {@code Flex*} custom operators.
 *
 * <p>Use {@link #resolver()} with the preset's {@code InterpreterBuilder}. Ownership: the caller
 * owns this resolver and must {@link #close()} it after every interpreter built with it has been
 * destroyed (order: interpreter, delegate, op resolver, model). Keep this object reachable
 * while it is in use: the native resolver is freed by {@link #close()} or, if never closed,
 * when this object becomes unreachable.
 */
public final class ReferenceOpResolver implements AutoCloseable {
    /** The highest operator version probed in the builtin resolver. */
    static final int MAX_VERSION = 32;
    /** Builtin codes probed: TFLite 2.19 ends at 209 (STABLEHLO_CASE); headroom for later. */
    static final int MAX_BUILTIN_CODE = 511;
    /** The custom operators TFLite's BuiltinOpResolver registers in 2.19 ({@code register.cc}). */
    static final List<String> BUILTIN_CUSTOM_OPS =
            List.of("NumericVerify", "Mfcc", "AudioSpectrogram", "TFLite_Detection_PostProcess");

    /**
     * One operator of the resolver: its name, code, the versions registered and which kernel
     * serves it.
     *
     * @param opName TFLite's name of the operator ({@code CONV_2D}), or the custom op's name
     * @param builtinCode the {@code BuiltinOperator} code (32 = CUSTOM for custom operators)
     * @param custom whether this is a custom operator
     * @param versions the operator versions registered, ascending
     * @param referenceKernel the reference kernel serving it, or {@code null} if it fell back to
     *     the builtin kernel
     */
    public record ResolvedOp(String opName, int builtinCode, boolean custom, List<Integer> versions,
                             ReferenceKernel referenceKernel) {
        /** Defensive copy. */
        public ResolvedOp {
            Objects.requireNonNull(opName, "opName");
            versions = List.copyOf(versions);
        }

        /** Whether a reference kernel serves this operator. */
        public boolean isReference() {
            return referenceKernel != null;
        }
    }

    private MutableOpResolver resolver;
    private BuiltinOpResolverWithoutDefaultDelegates builtin;
    private final List<ResolvedOp> ops;

    private ReferenceOpResolver(MutableOpResolver resolver,
                                BuiltinOpResolverWithoutDefaultDelegates builtin,
                                List<ResolvedOp> ops) {
        this.resolver = resolver;
        this.builtin = builtin;
        this.ops = List.copyOf(ops);
    }

    /**
     * Builds the reference resolver.
     *
     * @throws UnsatisfiedLinkError if the TFLite library lacks a reference kernel listed in
     *     {@link ReferenceKernel}
     */
    public static ReferenceOpResolver create() {
        NativeLibrary.load();
        BuiltinOpResolverWithoutDefaultDelegates builtin = new BuiltinOpResolverWithoutDefaultDelegates();
        MutableOpResolver resolver = new MutableOpResolver();
        try {
            // Copies every builtin and custom registration by value (not the delegate creators).
            // Copied custom registrations may point to names owned by `builtin`: it is kept open
            // as long as `resolver`.
            resolver.AddAll(builtin);

            Map<Integer, ReferenceKernel> refByCode = new HashMap<>();
            Map<String, ReferenceKernel> refByCustomName = new HashMap<>();
            for (ReferenceKernel kernel : ReferenceKernel.values()) {
                if (kernel.isCustom()) {
                    refByCustomName.put(kernel.opName(), kernel);
                } else {
                    refByCode.put(kernel.builtinCode(), kernel);
                }
            }

            List<ResolvedOp> ops = new ArrayList<>();
            for (int code = 0; code <= MAX_BUILTIN_CODE; code++) {
                List<Integer> versions = new ArrayList<>();
                TfLiteRegistration first = null;
                for (int v = 1; v <= MAX_VERSION; v++) {
                    TfLiteRegistration r = builtin.FindOp(code, v);
                    if (r != null && !r.isNull()) {
                        versions.add(v);
                        if (first == null) {
                            first = r;
                        }
                    }
                }
                ReferenceKernel kernel = refByCode.get(code);
                if (versions.isEmpty()) {
                    if (kernel != null) {
                        throw new IllegalStateException("TFLite's builtin resolver has no "
                                + kernel.opName() + " although " + kernel.qualifiedFunction()
                                + " exists");
                    }
                    continue;
                }
                String name = GetOpNameByRegistration(first);
                if (kernel != null) {
                    TfLiteRegistration ref = kernelRegistration(kernel);
                    for (int v : versions) {
                        resolver.AddBuiltin(code, ref, v);
                    }
                }
                ops.add(new ResolvedOp(name, code, false, versions, kernel));
            }
            for (String customName : BUILTIN_CUSTOM_OPS) {
                List<Integer> versions = new ArrayList<>();
                BytePointer staticName = null;
                for (int v = 1; v <= MAX_VERSION; v++) {
                    TfLiteRegistration r = builtin.FindOp(customName, v);
                    if (r != null && !r.isNull()) {
                        versions.add(v);
                        if (staticName == null) {
                            staticName = r.custom_name();
                        }
                    }
                }
                if (versions.isEmpty()) {
                    continue;
                }
                ReferenceKernel kernel = refByCustomName.get(customName);
                if (kernel != null) {
                    TfLiteRegistration ref = kernelRegistration(kernel);
                    for (int v : versions) {
                        // MutableOpResolver::AddCustom keeps the name pointer in the stored
                        // registration: pass the builtin registration's own name (storage of the
                        // TFLite library or of `builtin`, which this object keeps alive), never
                        // a temporary JavaCPP string buffer, which is freed after the call.
                        resolver.AddCustom(staticName, ref, v);
                    }
                }
                ops.add(new ResolvedOp(customName, ReferenceKernel.NUMERIC_VERIFY.builtinCode(), true,
                        versions, kernel));
            }
            return new ReferenceOpResolver(resolver, builtin, ops);
        } catch (RuntimeException | Error e) {
            resolver.close();
            builtin.close();
            throw e;
        }
    }

    /**
     * The registration returned by a reference kernel's registration function (a static object
     * of the TFLite library).
     *
     * @throws UnsatisfiedLinkError if the loaded TFLite does not export it
     */
    public static TfLiteRegistration kernelRegistration(ReferenceKernel kernel) {
        Objects.requireNonNull(kernel, "kernel");
        NativeLibrary.load();
        Pointer p = Shim.litebit_kernel_registration(kernel.namespace(), kernel.function());
        if (p == null || p.isNull()) {
            throw new UnsatisfiedLinkError("TFLite reference kernel " + kernel.qualifiedFunction()
                    + " not found: " + Shim.litebit_last_error());
        }
        return new TfLiteRegistration(p);
    }

    /**
     * The native resolver, for {@code new InterpreterBuilder(model, resolver())}.
     *
     * @throws IllegalStateException if this resolver is closed
     */
    public synchronized MutableOpResolver resolver() {
        if (resolver == null) {
            throw new IllegalStateException("ReferenceOpResolver is closed");
        }
        return resolver;
    }

    /** Every operator of the resolver, builtin ones by code, then custom ones. */
    public List<ResolvedOp> ops() {
        return ops;
    }

    /** Names of the operators served by a reference kernel, by builtin code. */
    public List<String> referenceOps() {
        return ops.stream().filter(ResolvedOp::isReference).map(ResolvedOp::opName).toList();
    }

    /** Names of the operators that fell back to TFLite's builtin (optimized) kernel. */
    public List<String> fallbackOps() {
        return ops.stream().filter(op -> !op.isReference()).map(ResolvedOp::opName).toList();
    }

    /** Whether the builtin operator {@code builtinCode} is served by a reference kernel. */
    public boolean isReference(int builtinCode) {
        return ops.stream().anyMatch(op -> !op.custom() && op.builtinCode() == builtinCode
                && op.isReference());
    }

    /** Whether {@link #close()} has been called. */
    public synchronized boolean isClosed() {
        return resolver == null;
    }

    /**
     * Frees the native resolvers; idempotent. Every interpreter built with this resolver must
     * have been destroyed before.
     */
    @Override
    public synchronized void close() {
        if (resolver != null) {
            resolver.close();
            builtin.close();
            resolver = null;
            builtin = null;
        }
    }

    @Override
    public String toString() {
        return "ReferenceOpResolver[" + referenceOps().size() + " reference, "
                + fallbackOps().size() + " builtin fallback" + (isClosed() ? ", closed" : "") + "]";
    }
}
