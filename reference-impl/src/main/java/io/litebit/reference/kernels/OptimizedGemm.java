package io.litebit.reference.kernels;

import io.litebit.reference.NumericsProfile;
import io.litebit.reference.fixedpoint.Rounding;

/**
 * Which code requantizes one quantized matrix product of TFLite 2.19's optimized FULLY_CONNECTED,
 * CONV_2D and BATCH_MATMUL, and so how it rounds. The kernels call {@code cpu_backend_gemm::Gemm}
 * ({@code tflite/kernels/cpu_backend_gemm.h}), which dispatches by platform, operand types,
 * storage orders and shape; each library applies TFLite's quantized multipliers its own way.
 *
 * <p>x86-64 ({@link NumericsProfile#BUILTIN_X86}; this build has no {@code USE_NEON}, so no
 * custom GEMV): signed operands go to ruy, whose AVX/AVX2/AVX-512 kernels round twice half up
 * ({@link Rounding#DOUBLE_HALF_UP}); uint8 goes to gemmlowp's portable code, which rounds as the
 * reference kernels ({@link Rounding#DOUBLE}).
 *
 * <p>aarch64 ({@link NumericsProfile#BUILTIN_ARM64}; a build without {@code TFLITE_WITH_RUY},
 * with {@code GEMMLOWP_NEON}):
 * <ul>
 *   <li>16x8 (int8 weights, int16 activations): always ruy; it has no NEON kernel for int16, so
 *       its portable path rounds once, ties up ({@link Rounding#SINGLE});</li>
 *   <li>a non-default storage order (BATCH_MATMUL without {@code adj_y}: the left operand is
 *       passed column-major) forces ruy: its NEON kernels truncate the high multiply then round
 *       the shift ({@link Rounding#RUY_NEON});</li>
 *   <li>a matrix-vector product (one destination column, at least 4 rows and a depth of at
 *       least 8) takes TFLite's NEON GEMV ({@code cpu_backend_gemm_custom_gemv.h}: {@code
 *       vqrdmulhq_s32} then {@code vrshlq_s32}: {@link Rounding#DOUBLE_HALF_UP});</li>
 *   <li>everything else goes to gemmlowp's NEON kernels, the reference rounding ({@link
 *       Rounding#DOUBLE}).</li>
 * </ul>
 * Other profiles compute TFLite's reference kernels: {@link NumericsProfile#rounding()}.
 *
 * <pre>{@code
 * Rounding r = OptimizedGemm.rounding(ctx.profile(), OptimizedGemm.Operands.INT8, true, units, depth, batches);
 * }</pre>
 */
public final class OptimizedGemm {
    /** The operand types of the product (weights, activations). */
    enum Operands {
        UINT8,
        INT8,
        /** int8 weights, int16 activations. */
        INT16_BY_INT8
    }

    private OptimizedGemm() {
    }

    /**
     * The rounding of a product {@code rows x depth} times {@code depth x cols} under {@code
     * profile} (fixed-point profiles only).
     *
     * @param defaultOrders whether the operands are in cpu_backend_gemm's default storage orders
     *                      (row-major weights, column-major activations and destination)
     */
    static Rounding rounding(NumericsProfile profile, Operands operands, boolean defaultOrders, int rows, int depth,
                             int cols) {
        NumericsProfile kernels = profile.builtinKernels();
        if (kernels == NumericsProfile.BUILTIN_X86) {
            return operands == Operands.UINT8 ? Rounding.DOUBLE : Rounding.DOUBLE_HALF_UP;
        }
        if (kernels == NumericsProfile.BUILTIN_ARM64) {
            if (operands == Operands.INT16_BY_INT8) {
                return Rounding.SINGLE;
            }
            if (!defaultOrders) {
                return Rounding.RUY_NEON;
            }
            if (cols == 1 && rows >= 4 && depth >= 8) {
                return Rounding.DOUBLE_HALF_UP;
            }
            return Rounding.DOUBLE;
        }
        return profile.rounding();
    }

    /**
     * Refuses, under {@link NumericsProfile#BUILTIN_ARM64}, an int8 product with per-row
     * multipliers and no bias that reaches gemmlowp: its per-channel NEON path ({@code
     * GemmImplUsingGemmlowp<..., kIntegerWithPerRowMultiplier>}) builds the bias stage from {@code
     * params.bias} without checking it, so TFLite dereferences a null pointer and the process dies
     * (SIGSEGV, measured on {@code arm64:builtin}). The GEMV path checks the bias and runs.
     *
     * @param perRowMultipliers whether the kernel passes per-channel multipliers (per-channel
     *                          FULLY_CONNECTED; every optimized int8 CONV_2D)
     */
    static void refuseArm64NullBiasCrash(OpContext ctx, boolean perRowMultipliers, boolean hasBias, int rows,
                                         int depth, int cols) {
        if (ctx.profile().builtinKernels() == NumericsProfile.BUILTIN_ARM64 && perRowMultipliers && !hasBias
                && rounding(ctx.profile(), Operands.INT8, true, rows, depth, cols) == Rounding.DOUBLE) {
            throw ctx.unsupported("no bias with per-channel multipliers and " + cols + " column(s): TFLite 2.19's "
                    + "optimized kernels on aarch64 pass the null bias to gemmlowp's per-channel path, which reads it "
                    + "(the process crashes with SIGSEGV)");
        }
    }
}
