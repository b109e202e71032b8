package io.litebit.reference.kernels;

import io.litebit.model.DType;
import io.litebit.model.Tensor;
import io.litebit.model.options.BuiltinOptions;
import io.litebit.reference.NumericsProfile;
import io.litebit.reference.TensorValue;
import io.litebit.reference.fixedpoint.QuantizationUtil;
import io.litebit.reference.fixedpoint.QuantizedMultiplier;
import io.litebit.reference.fixedpoint.Rounding;
import java.util.Arrays;

/**
 * BATCH_MATMUL for float32, int8 and int16 (zero points 0), with {@code adj_x}/{@code adj_y} and
 * broadcasting batch dimensions (ranks 2 to 5). Mirrors TFLite 2.19's {@code
 * kernels/batch_matmul.cc} ({@code Prepare}, {@code Eval<kReference>}) with {@code
 * reference_ops::BatchMatMul} ({@code reference/batch_matmul.h}): for every output element the
 * sum over the contracted dimension of {@code (lhs - lhs_zp) * (rhs - rhs_zp)} in an int32
 * (int8) or int64 (int16) accumulator, requantized with {@code MultiplyByQuantizedMultiplier} by
 * {@code double(lhs scale * rhs scale) / output scale} (the product rounded to float, as {@code
 * GetQuantizedConvolutionMultipler} computes it), plus the output zero point,
 * clamped to the output type (BATCH_MATMUL has no fused activation). The transposes TFLite makes
 * for {@code adj_x}/{@code adj_y} move values only. The hybrid path (float lhs, int8 rhs) is not
 * implemented.
 *
 * <p>TFLite 2.19 mis-computes one configuration — {@code adj_x} with an lhs batch dimension -3
 * above 1 against an rhs whose dimension -3 is 1: {@code Eval} folds that batch dimension into
 * the rows before transposing lhs, reads only the first folded matrix and leaves the rest of the
 * output unwritten. The reference refuses it (an {@link io.litebit.reference.UnsupportedOpException})
 * rather than invent a value.
 */
final class BatchMatMul implements Kernel {

    /** Output multiplier and offsets of the quantized paths. */
    record Params(int lhsOffset, int rhsOffset, int outputOffset, QuantizedMultiplier multiplier, int min, int max,
                  Rounding rounding) {
    }

    @Override
    public PreparedOp prepare(OpContext ctx) {
        if (ctx.inputCount() != 2 || ctx.outputCount() != 1) {
            throw ctx.invalid("BATCH_MATMUL takes 2 inputs and 1 output");
        }
        BuiltinOptions.BatchMatMul options = ctx.options(BuiltinOptions.BatchMatMul.class);
        Tensor lhs = ctx.requireInput(0, "lhs");
        Tensor rhs = ctx.requireInput(1, "rhs");
        Tensor output = ctx.output(0);
        DType type = lhs.dtype();
        if (type == DType.FLOAT32 && rhs.dtype() == DType.INT8) {
            throw ctx.unsupported("the hybrid path (float32 lhs, int8 rhs)");
        }
        if (type == DType.INT16 && rhs.dtype() == DType.INT8) {
            throw ctx.unsupported("int16 lhs with int8 rhs");
        }
        if (type != DType.FLOAT32 && type != DType.INT8 && type != DType.INT16) {
            throw ctx.invalid("lhs must be float32, int8 or int16, given " + type.displayName());
        }
        if (rhs.dtype() != type) {
            throw ctx.invalid("lhs and rhs types differ: " + type.displayName() + " vs " + rhs.dtype().displayName());
        }
        if (output.dtype() != type) {
            throw ctx.unsupported("an output type (" + output.dtype().displayName() + ") other than the inputs'");
        }
        int[] ls = lhs.shape();
        int[] rs = rhs.shape();
        if (ls.length < 2 || ls.length > 5 || rs.length < 2 || rs.length > 5) {
            throw ctx.invalid("lhs and rhs need 2 to 5 dimensions, given " + Arrays.toString(ls) + " and " + Arrays.toString(rs));
        }
        boolean adjX = options.adjX();
        boolean adjY = options.adjY();
        int rows = adjX ? ls[ls.length - 1] : ls[ls.length - 2];
        int accumLhs = adjX ? ls[ls.length - 2] : ls[ls.length - 1];
        int accumRhs = adjY ? rs[rs.length - 1] : rs[rs.length - 2];
        int cols = adjY ? rs[rs.length - 2] : rs[rs.length - 1];
        if (accumLhs != accumRhs) {
            throw ctx.invalid("the contracted dimensions differ: " + accumLhs + " (lhs) vs " + accumRhs + " (rhs)");
        }
        if (adjX && ls.length > 2 && rs.length > 2 && rs[rs.length - 3] == 1 && ls[ls.length - 3] > 1) {
            // TFLite 2.19's Eval folds lhs [..., Q, R, S] into [..., Q * R, S] when rhs is [..., 1, X, Y]
            // without excluding adj_x; with the transposed lhs that reads only the first of the Q
            // matrices and leaves the rest of the output unwritten (whatever the arena held). Later
            // LiteRT versions restrict the folding to !adj_x. There is no deterministic value to match.
            throw ctx.unsupported("adj_x with lhs dimension -3 > 1 and rhs dimension -3 == 1: TFLite 2.19 computes only part "
                    + "of this output (it folds the batch into the rows before transposing) and leaves the rest unwritten");
        }
        int[] batch;
        try {
            batch = Broadcast.shape(Arrays.copyOf(ls, ls.length - 2), Arrays.copyOf(rs, rs.length - 2));
        } catch (IllegalArgumentException e) {
            throw ctx.invalid(e.getMessage(), e);
        }
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = rows;
        outShape[batch.length + 1] = cols;
        Geometry geo = new Geometry(batch, ls, rs, rows, cols, accumLhs, adjX, adjY, outShape);
        if (type == DType.FLOAT32) {
            return inputs -> new TensorValue[] {matmulFloat(inputs[0], inputs[1], geo)};
        }
        float sl = QuantParams.scale(lhs);
        float sr = QuantParams.scale(rhs);
        float so = QuantParams.scale(output);
        int zl = QuantParams.zeroPoint(lhs);
        int zr = QuantParams.zeroPoint(rhs);
        int zo = QuantParams.zeroPoint(output);
        if (type == DType.INT16 && (zl != 0 || zr != 0 || zo != 0)) {
            throw ctx.invalid("int16 needs zero points 0, given " + zl + ", " + zr + " and " + zo);
        }
        NumericsProfile profile = ctx.profile();
        if (!profile.isFixedPoint()) {
            return inputs -> new TensorValue[] {naive(inputs[0], inputs[1], geo, sl, zl, sr, zr, so, zo, type)};
        }
        // Prepare: GetQuantizedConvolutionMultipler(lhs, rhs, output): the scale product in float,
        // divided by the output scale in double (a float quotient differs in rare cases).
        QuantizedMultiplier m = QuantizationUtil.quantizeMultiplier(FullyConnected.perTensorRealMultiplier(sl, sr, so),
                profile.rounding());
        // int8 runs optimized_ops::BatchMatMul, one GEMM per matrix with the operands swapped
        // (cols x depth times depth x rows); without adj_y the left one is passed column-major,
        // which forces ruy. int16 always runs the reference kernel.
        Rounding rounding = type == DType.INT8
                ? OptimizedGemm.rounding(profile, OptimizedGemm.Operands.INT8, geo.adjY(), geo.cols(), geo.depth(), geo.rows())
                : profile.rounding();
        Params p = new Params(-zl, -zr, zo, m, QuantParams.min(type), QuantParams.max(type), rounding);
        return inputs -> new TensorValue[] {matmulQuantized(inputs[0], inputs[1], geo, p, type)};
    }

    /** Shapes and index arithmetic shared by the paths. */
    record Geometry(int[] batch, int[] lhsShape, int[] rhsShape, int rows, int cols, int depth, boolean adjX, boolean adjY,
                    int[] outShape) {

        int batchCount() {
            int n = 1;
            for (int d : batch) {
                n *= d;
            }
            return n;
        }

        /** For every output batch, the matrix index into lhs and rhs (broadcast dimensions read matrix 0 along them). */
        int[][] batchSources() {
            int[] lb = Arrays.copyOf(lhsShape, lhsShape.length - 2);
            int[] rb = Arrays.copyOf(rhsShape, rhsShape.length - 2);
            return new int[][] {Broadcast.sourceIndices(lb, batch), Broadcast.sourceIndices(rb, batch)};
        }

        int lhsIndex(int matrix, int row, int k) {
            return matrix * rows * depth + (adjX ? k * rows + row : row * depth + k);
        }

        int rhsIndex(int matrix, int k, int col) {
            return matrix * depth * cols + (adjY ? col * depth + k : k * cols + col);
        }
    }

    /** {@code reference_ops::BatchMatMul<int8_t, int32_t>} / {@code <int16_t, int64_t>}. */
    static TensorValue matmulQuantized(TensorValue lhs, TensorValue rhs, Geometry g, Params p, DType type) {
        int[][] src = g.batchSources();
        int[] out = new int[g.batchCount() * g.rows() * g.cols()];
        int o = 0;
        for (int b = 0; b < g.batchCount(); b++) {
            for (int i = 0; i < g.rows(); i++) {
                for (int j = 0; j < g.cols(); j++) {
                    int scaled;
                    if (type == DType.INT16) {
                        long total = 0;
                        for (int k = 0; k < g.depth(); k++) {
                            total += (long) (lhs.getInt(g.lhsIndex(src[0][b], i, k)) + p.lhsOffset())
                                    * (rhs.getInt(g.rhsIndex(src[1][b], k, j)) + p.rhsOffset());
                        }
                        scaled = p.multiplier().apply(total);
                    } else {
                        int total = 0;
                        for (int k = 0; k < g.depth(); k++) {
                            total += (lhs.getInt(g.lhsIndex(src[0][b], i, k)) + p.lhsOffset())
                                    * (rhs.getInt(g.rhsIndex(src[1][b], k, j)) + p.rhsOffset());
                        }
                        scaled = p.multiplier().apply(total, p.rounding());
                    }
                    scaled += p.outputOffset();
                    out[o++] = Math.min(p.max(), Math.max(p.min(), scaled));
                }
            }
        }
        return TensorValue.fromInts(type, g.outShape(), out);
    }

    /** {@code reference_ops::BatchMatMul} for float: the products summed in float in order of the contracted index. */
    static TensorValue matmulFloat(TensorValue lhs, TensorValue rhs, Geometry g) {
        int[][] src = g.batchSources();
        float[] out = new float[g.batchCount() * g.rows() * g.cols()];
        int o = 0;
        for (int b = 0; b < g.batchCount(); b++) {
            for (int i = 0; i < g.rows(); i++) {
                for (int j = 0; j < g.cols(); j++) {
                    float total = 0f;
                    for (int k = 0; k < g.depth(); k++) {
                        total += lhs.getFloat(g.lhsIndex(src[0][b], i, k)) * rhs.getFloat(g.rhsIndex(src[1][b], k, j));
                    }
                    out[o++] = total;
                }
            }
        }
        return TensorValue.ofFloat32(g.outShape(), out);
    }

    /** NAIVE_FLOAT: the exact integer dot product scaled by {@code sl * sr / so} in double, rint, saturate. */
    static TensorValue naive(TensorValue lhs, TensorValue rhs, Geometry g, float sl, int zl, float sr, int zr, float so, int zo,
                             DType type) {
        int[][] src = g.batchSources();
        int[] out = new int[g.batchCount() * g.rows() * g.cols()];
        int o = 0;
        double scale = (double) sl * sr / so;
        for (int b = 0; b < g.batchCount(); b++) {
            for (int i = 0; i < g.rows(); i++) {
                for (int j = 0; j < g.cols(); j++) {
                    long total = 0;
                    for (int k = 0; k < g.depth(); k++) {
                        total += (long) (lhs.getInt(g.lhsIndex(src[0][b], i, k)) - zl) * (rhs.getInt(g.rhsIndex(src[1][b], k, j)) - zr);
                    }
                    out[o++] = Naive.requantize(total * scale, zo, QuantParams.min(type), QuantParams.max(type));
                }
            }
        }
        return TensorValue.fromInts(type, g.outShape(), out);
    }
}
