package io.litebit.reference;

import io.litebit.reference.fixedpoint.Rounding;

/**
 * How integer results are produced where rounding schemes differ. The oracle implements each
 * profile; the conformance suite tells which one a backend matches, per op.
 *
 * <pre>{@code
 * ReferenceInterpreter tflite = ReferenceInterpreter.create(model);                       // TFLITE
 * ReferenceInterpreter naive = ReferenceInterpreter.create(model, NumericsProfile.NAIVE_FLOAT);
 * }</pre>
 *
 * <p>Every native backend of the conformance suite has one profile that reproduces it bit for
 * bit on every integer tensor: {@code builtin-ref} {@link #TFLITE}, {@code builtin} {@link
 * #BUILTIN_X86}, {@code xnnpack} {@link #XNNPACK}, and on aarch64 {@code arm64:builtin-ref}
 * {@link #TFLITE_ARM64}, {@code arm64:builtin} {@link #BUILTIN_ARM64}, {@code arm64:xnnpack}
 * {@link #XNNPACK_ARM64}. Float kernels compute the same way in every profile (and are not
 * claimed bit-exact), except where a profile names a float path of its own (DEQUANTIZE and
 * 8-bit SOFTMAX on aarch64).
 *
 * <p>{@link #XNNPACK} is what TFLite's XNNPACK delegate computes for the 8-bit ops it takes;
 * ops and paths it leaves to TFLite are computed as TFLite's optimized kernels on the same
 * platform compute them ({@link #builtinKernels()}).
 *
 * <p>The {@code BUILTIN_*} profiles are TFLite 2.19's optimized builtin kernels (the {@code
 * builtin} backend: no delegate) on one platform; they compute {@link #TFLITE}'s bits except
 * where a kernel's optimized path rounds otherwise, each place named in the kernel's Javadoc and
 * in docs/conformance.md.
 */
public enum NumericsProfile {
    /**
     * TFLite's default integer path, as its reference kernels ({@code BUILTIN_REF}) compute it:
     * {@code QuantizeMultiplier} with {@code frexp}, {@code SaturatingRoundingDoublingHighMul}
     * then {@code RoundingDivideByPOT} (two roundings), and each kernel's own details.
     */
    TFLITE(Rounding.DOUBLE),
    /**
     * TFLite built with {@code TFLITE_SINGLE_ROUNDING=1}: one 64-bit multiply and one rounding
     * (ties up) in {@code MultiplyByQuantizedMultiplier}, shifts above 30 clamped.
     */
    TFLITE_SINGLE_ROUNDING(Rounding.SINGLE),
    /**
     * The textbook formula a hand-written reproduction uses: compute the real value in double
     * precision from the integer accumulator and the real scales, {@code rint} it (ties to even,
     * as numpy's {@code np.rint}/{@code np.round}), add the zero point and saturate to the
     * output's (activation-clamped) range. It is not what TFLite computes; it shows why a
     * reproduction disagrees.
     */
    NAIVE_FLOAT(null),
    /**
     * What TFLite 2.19's XNNPACK delegate (created with int8 enabled) computes on x86-64 for the
     * int8 and uint8 ops it delegates: float requantization scales, {@code float(acc) * scale}
     * rounded to nearest even for convolutions, fully-connected, MUL and QUANTIZE, XNNPACK's own
     * integer multipliers for ADD, SUB, requantizing QUANTIZE and LEAKY_RELU, its float MEAN,
     * and activation bounds quantized in float ({@link io.litebit.reference.fixedpoint.XnnpackMath}).
     * Ops whose XNNPACK kernels compute TFLite's bits are {@link #TFLITE}; int16 paths and ops
     * the delegate leaves to TFLite are {@link #BUILTIN_X86}. docs/xnnpack-numerics.md lists per
     * op what was established and how it was proven.
     */
    XNNPACK(Rounding.DOUBLE),
    /**
     * What the same delegate computes on aarch64 (the {@code arm64:xnnpack} backend: the preset's
     * {@code linux-arm64} build of TFLite 2.19 with XNNPACK {@code 5b4978cae}, as qemu's {@code max}
     * CPU runs it): {@link #XNNPACK} except five things, the first four read from XNNPACK's sources
     * and the arm64 library's machine code ({@link io.litebit.reference.fixedpoint.XnnpackMath}),
     * the fifth measured:
     * <ul>
     *   <li>per-channel (int8 {@code qc8w}) CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and
     *       FULLY_CONNECTED scales are {@code (input_scale / output_scale) * filter_scale[c]}:
     *       XNNPACK writes {@code input_scale * kernel_scale[c] / output_scale}, and the arm64
     *       build hoists the division out of its per-channel loop (an {@code fdiv} before the
     *       loop, one {@code fmul} per channel; x86 computes {@code mulss} then {@code divss});
     *       per-tensor scales keep x86's order;</li>
     *   <li>uint8 CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and FULLY_CONNECTED requantize with
     *       XNNPACK's NEON {@code rndnu} kernels (a Q31 multiplier from the float scale's mantissa:
     *       the exact product rounded half up), not {@code fp32};</li>
     *   <li>fused activation bounds of those operators are {@code lrintf(clamp(fma(bound, 1/scale,
     *       zero_point)))}: the reciprocal once, one fused multiply-add;</li>
     *   <li>ADD and SUB take their ratios as {@code (1.0f / output_scale) * input_scale} (the
     *       source divides each input scale by the output scale);</li>
     *   <li>8-bit MEAN folds the zero points and converts with fused multiply-adds (the zero point
     *       reassociated), see {@code Reduce}.</li>
     * </ul>
     * What the delegate leaves to TFLite is {@link #BUILTIN_ARM64}.
     */
    XNNPACK_ARM64(Rounding.DOUBLE),
    /**
     * TFLite 2.19's optimized builtin kernels on x86-64 with AVX or later (the {@code builtin}
     * backend on this machine type): {@link #TFLITE} except that the GEMM-based kernels
     * (FULLY_CONNECTED, CONV_2D, BATCH_MATMUL) requantize as the GEMM library they reach does
     * ({@link io.litebit.reference.kernels.OptimizedGemm}: ruy's x86 kernels for signed inputs),
     * and the other optimized paths each kernel documents.
     */
    BUILTIN_X86(Rounding.DOUBLE),
    /**
     * TFLite 2.19's optimized builtin kernels on aarch64 (the {@code arm64:builtin} backend):
     * {@link #TFLITE} except that the GEMM-based kernels requantize as the code they reach does
     * ({@link io.litebit.reference.kernels.OptimizedGemm}: gemmlowp, TFLite's NEON GEMV, ruy's
     * NEON or portable kernels, by shape and type), and the other optimized paths each kernel
     * documents.
     */
    BUILTIN_ARM64(Rounding.DOUBLE),
    /**
     * TFLite 2.19's reference kernels as the preset's aarch64 library compiles them (the {@code
     * arm64:builtin-ref} backend): {@link #TFLITE} except QUANTIZE from float with one scale,
     * where GCC (reciprocal math) turns the loop-invariant {@code x / scale} into {@code x * (1.0f
     * / scale)} in float, and the float-to-int conversions saturate (NaN to 0) as aarch64's do.
     * Integer paths compute the same bits on both ISAs.
     */
    TFLITE_ARM64(Rounding.DOUBLE);

    private final Rounding rounding;

    NumericsProfile(Rounding rounding) {
        this.rounding = rounding;
    }

    /** Whether integer results come from TFLite's fixed-point arithmetic (not {@link #NAIVE_FLOAT}). */
    public boolean isFixedPoint() {
        return rounding != null;
    }

    /**
     * The {@link Rounding} build this profile reproduces.
     *
     * @throws IllegalStateException for {@link #NAIVE_FLOAT}, which uses no quantized multiplier
     */
    public Rounding rounding() {
        if (rounding == null) {
            throw new IllegalStateException(this + " does not use TFLite's quantized multipliers");
        }
        return rounding;
    }

    /**
     * The builtin kernels that compute what this profile's delegate leaves to TFLite: {@link
     * #BUILTIN_X86} for {@link #XNNPACK}, {@link #BUILTIN_ARM64} for {@link #XNNPACK_ARM64}; the
     * profile itself otherwise.
     */
    public NumericsProfile builtinKernels() {
        return switch (this) {
            case XNNPACK -> BUILTIN_X86;
            case XNNPACK_ARM64 -> BUILTIN_ARM64;
            default -> this;
        };
    }

    /**
     * Whether this profile computes as TFLite's XNNPACK delegate ({@link #XNNPACK} on x86-64,
     * {@link #XNNPACK_ARM64} on aarch64) for the nodes the delegate takes.
     */
    public boolean isXnnpack() {
        return this == XNNPACK || this == XNNPACK_ARM64;
    }

    /**
     * Whether this profile computes as one build of TFLite's optimized builtin kernels ({@link
     * #BUILTIN_X86}, {@link #BUILTIN_ARM64}), where some kernels take other paths than the
     * reference kernels for the same op.
     */
    public boolean isOptimized() {
        return this == BUILTIN_X86 || this == BUILTIN_ARM64;
    }

    /** Whether this profile computes (some nodes) as TFLite's optimized builtin kernels on x86. */
    public boolean isBuiltinX86() {
        return builtinKernels() == BUILTIN_X86;
    }

    /**
     * Whether this profile computes as code compiled for aarch64 ({@link #TFLITE_ARM64}, {@link
     * #BUILTIN_ARM64}, and {@link #XNNPACK_ARM64}'s undelegated nodes), where float-to-int
     * conversions saturate and map NaN to 0.
     */
    public boolean isArm64() {
        return this == TFLITE_ARM64 || builtinKernels() == BUILTIN_ARM64;
    }

    /** Whether this profile computes as TFLite's optimized builtin kernels on aarch64. */
    public boolean isBuiltinArm64() {
        return builtinKernels() == BUILTIN_ARM64;
    }
}
