/**
 * Exact TFLite quantization parameter arithmetic: converting between (scale, zero_point), (min,
 * max) and (mean, std_dev), choosing parameters the way the TFLite converter does (zero point
 * nudged so that real 0 is representable), and quantizing/dequantizing single values the way the
 * QUANTIZE/DEQUANTIZE kernels do. Depends on nothing but the JDK.
 *
 * <pre>{@code
 * AffineQuant q = QuantParams.fromMinMax(-1.0, 1.0, QuantDType.INT8);  // scale 2/255, zp -1
 * MinMax covered = QuantParams.toMinMax(q);                          // [-254/255, 256/255]
 * MeanStd flags = QuantParams.toMeanStd(q);                          // (-1, 127.5)
 * }</pre>
 *
 * <p>Entry points: {@link io.litebit.model.quant.QuantParams}, {@link
 * io.litebit.model.quant.AffineQuant}, {@link io.litebit.model.quant.MinMax}, {@link
 * io.litebit.model.quant.MeanStd}, {@link io.litebit.model.quant.QuantDType}.
 */
package io.litebit.model.quant;
