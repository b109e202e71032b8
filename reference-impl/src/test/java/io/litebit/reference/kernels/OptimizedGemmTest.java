package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.reference.NumericsProfile;
import io.litebit.reference.fixedpoint.Rounding;
import io.litebit.reference.kernels.OptimizedGemm.Operands;
import org.junit.jupiter.api.Test;

/**
 * The dispatch of {@code cpu_backend_gemm::Gemm} as read from TFLite 2.19's source; the native
 * comparisons (BuiltinProfileTest, Arm64FuzzTest) prove the roundings it leads to.
 */
class OptimizedGemmTest {

    @Test
    void x86SendsSignedOperandsToRuyAndUint8ToGemmlowp() {
        assertThat(OptimizedGemm.rounding(NumericsProfile.BUILTIN_X86, Operands.INT8, true, 8, 16, 1))
                .isEqualTo(Rounding.DOUBLE_HALF_UP);
        assertThat(OptimizedGemm.rounding(NumericsProfile.BUILTIN_X86, Operands.INT16_BY_INT8, true, 8, 16, 5))
                .isEqualTo(Rounding.DOUBLE_HALF_UP);
        assertThat(OptimizedGemm.rounding(NumericsProfile.BUILTIN_X86, Operands.UINT8, true, 8, 16, 1))
                .isEqualTo(Rounding.DOUBLE);
        // XNNPACK's undelegated nodes run the same kernels.
        assertThat(OptimizedGemm.rounding(NumericsProfile.XNNPACK, Operands.INT8, false, 8, 16, 3))
                .isEqualTo(Rounding.DOUBLE_HALF_UP);
    }

    @Test
    void arm64DispatchesByShapeOrderAndType() {
        NumericsProfile arm = NumericsProfile.BUILTIN_ARM64;
        // One column, >= 4 rows, depth >= 8: TFLite's NEON GEMV.
        assertThat(OptimizedGemm.rounding(arm, Operands.INT8, true, 4, 8, 1)).isEqualTo(Rounding.DOUBLE_HALF_UP);
        assertThat(OptimizedGemm.rounding(arm, Operands.UINT8, true, 10, 64, 1)).isEqualTo(Rounding.DOUBLE_HALF_UP);
        // Too few rows, too shallow, or more than one column: gemmlowp.
        assertThat(OptimizedGemm.rounding(arm, Operands.INT8, true, 3, 8, 1)).isEqualTo(Rounding.DOUBLE);
        assertThat(OptimizedGemm.rounding(arm, Operands.INT8, true, 4, 7, 1)).isEqualTo(Rounding.DOUBLE);
        assertThat(OptimizedGemm.rounding(arm, Operands.INT8, true, 4, 8, 2)).isEqualTo(Rounding.DOUBLE);
        // A column-major left operand forces ruy, before any GEMV.
        assertThat(OptimizedGemm.rounding(arm, Operands.INT8, false, 4, 8, 1)).isEqualTo(Rounding.RUY_NEON);
        // 16x8 always goes to ruy's portable path.
        assertThat(OptimizedGemm.rounding(arm, Operands.INT16_BY_INT8, true, 4, 8, 1)).isEqualTo(Rounding.SINGLE);
        assertThat(OptimizedGemm.rounding(NumericsProfile.XNNPACK_ARM64, Operands.INT16_BY_INT8, true, 4, 8, 3))
                .isEqualTo(Rounding.SINGLE);
    }

    @Test
    void referenceProfilesKeepTheirBuildsRounding() {
        assertThat(OptimizedGemm.rounding(NumericsProfile.TFLITE, Operands.INT8, false, 4, 8, 1)).isEqualTo(Rounding.DOUBLE);
        assertThat(OptimizedGemm.rounding(NumericsProfile.TFLITE_ARM64, Operands.INT8, true, 4, 8, 1))
                .isEqualTo(Rounding.DOUBLE);
        assertThat(OptimizedGemm.rounding(NumericsProfile.TFLITE_SINGLE_ROUNDING, Operands.INT8, true, 4, 8, 1))
                .isEqualTo(Rounding.SINGLE);
    }
}
