/**
 * TFLite's fixed-point arithmetic, bit for bit: the primitives every quantized kernel of the
 * oracle is built from.
 *
 * <p>Source of truth: TFLite 2.19 ({@code tflite/kernels/internal/common.h}, {@code common.cc},
 * {@code quantization_util.cc}, {@code cppmath.h}, {@code reference/integer_ops/logistic.h} and
 * {@code tanh.h}) and the gemmlowp commit it pins ({@code fixedpoint/fixedpoint.h} at {@code
 * 16e8662c}). Every function names the TFLite function it mirrors; the C++ behaviours that Java
 * does not share (rounding of {@code std::round}, x86-64 float-to-int conversion, wrapping
 * integer overflow, truncating division) are reproduced deliberately, see {@link
 * io.litebit.reference.fixedpoint.CppMath}.
 *
 * <pre>{@code
 * QuantizedMultiplier m = QuantizationUtil.quantizeMultiplier(inScale * wScale / outScale, Rounding.DOUBLE);
 * int out = m.apply(acc, Rounding.DOUBLE) + outZeroPoint;
 * }</pre>
 *
 * <p>Rounding, in one place: {@code SaturatingRoundingDoublingHighMul} rounds ties towards
 * +infinity, {@code RoundingDivideByPOT} away from zero, single-rounding {@code
 * MultiplyByQuantizedMultiplier} and the int64 variant towards +infinity, {@code TfLiteRound}
 * away from zero.
 */
package io.litebit.reference.fixedpoint;
