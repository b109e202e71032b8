/**
 * The quantization workflow: calibration ({@link io.litebit.quantization.calibration}), the
 * post-training quantizer and the quantization debugger, on top of the trace layer
 * ({@code io.litebit.trace}: any backend, every tensor) and the datasets of {@code io.litebit.data}.
 */
package io.litebit.quantization;
