/**
 * The reference kernels, one class per kernel family as TFLite's reference kernels are organised
 * ({@code Add}, {@code FullyConnected}, {@code Quantize}, {@code Dequantize}, {@code Conv},
 * {@code DepthwiseConv}, {@code TransposeConv}, {@code Pooling}, {@code Reduce}), dispatched by
 * {@link io.litebit.reference.kernels.Kernels}. Each class says which TFLite files and functions
 * it mirrors; {@code prepare} repeats the kernel's {@code Prepare} derivations (multipliers,
 * activation ranges, checks) and the prepared op repeats its {@code Eval<kReference>}.
 *
 * <pre>{@code
 * PreparedOp op = Kernels.prepare(new OpContext(model.mainSubgraph(), operator, NumericsProfile.TFLITE));
 * TensorValue[] out = op.eval(new TensorValue[] {input, weights, bias});
 * }</pre>
 *
 * <p>Activations ({@code Softmax}, {@code Logistic} for LOGISTIC and TANH, {@code Relu} for RELU,
 * RELU6 and RELU_N1_TO_1, {@code LeakyRelu}, {@code HardSwish}), arithmetic ({@code Mul}, {@code
 * Sub}, {@code BatchMatMul}) and data movement ({@code Pad} for PAD and PADV2, {@code
 * Concatenation}, {@code Reshape}, {@code Squeeze}, {@code Transpose}, {@code StridedSlice})
 * follow the same pattern. Where TFLite 2.19's builtin (optimized) kernels and its reference
 * kernels differ, these follow the reference ({@code BUILTIN_REF}); measured on x86-64 with
 * random single-op models: SOFTMAX with 8-bit inputs (the builtin kernel exponentiates with a
 * float lookup table, the reference with fixed-point {@code exp_on_negative_values}; up to 1
 * LSB), LOGISTIC and TANH int16 with power-of-two input scales (the builtin kernel's fixed-point
 * path; up to 6 and 11 LSB), BATCH_MATMUL int8 (the optimized kernel; 1 LSB, rarely), int8
 * CONV_2D (1 LSB in about 0.03% of elements) and the 4-D keep_dims MEAN over height and width
 * (an optimized-only path; 1 LSB in about 17% of elements).
 */
package io.litebit.reference.kernels;
