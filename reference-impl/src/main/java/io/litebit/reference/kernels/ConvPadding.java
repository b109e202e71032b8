package io.litebit.reference.kernels;

import io.litebit.model.options.Padding;

/**
 * Output sizes and leading paddings of windowed ops, as TFLite 2.19's {@code kernels/padding.h}
 * computes them ({@code ComputeOutSize}, {@code ComputePaddingWithOffset}, {@code
 * ComputePaddingHeightWidth}); shared by CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and the
 * pooling ops. Only the leading padding is used by the reference kernels: the trailing one
 * follows from the output size (the offset TFLite also returns is the extra trailing row or
 * column of an odd total padding).
 *
 * <pre>{@code
 * ConvPadding p = ConvPadding.compute(Padding.SAME, 5, 5, 3, 3, 2, 2, 1, 1);   // out 3x3, pad 1, 1
 * }</pre>
 *
 * @param outHeight  output rows
 * @param outWidth   output columns
 * @param padHeight  rows of padding before the first input row
 * @param padWidth   columns of padding before the first input column
 */
record ConvPadding(int outHeight, int outWidth, int padHeight, int padWidth) {

    /** {@code ComputePaddingHeightWidth}, with {@code ComputeOutSize} giving the output size. */
    static ConvPadding compute(Padding padding, int inHeight, int inWidth, int filterHeight, int filterWidth,
                               int strideHeight, int strideWidth, int dilationHeight, int dilationWidth) {
        int outWidth = outSize(padding, inWidth, filterWidth, strideWidth, dilationWidth);
        int outHeight = outSize(padding, inHeight, filterHeight, strideHeight, dilationHeight);
        return new ConvPadding(outHeight, outWidth,
                paddingBefore(strideHeight, dilationHeight, inHeight, filterHeight, outHeight),
                paddingBefore(strideWidth, dilationWidth, inWidth, filterWidth, outWidth));
    }

    /**
     * {@code ComputeOutSize}: SAME gives {@code ceil(in / stride)}, VALID {@code (in + stride -
     * effective_filter) / stride} with C++'s truncating division (so a filter larger than the
     * input by at least the stride gives 0 or a negative size, which TFLite then fails to allocate).
     */
    static int outSize(Padding padding, int imageSize, int filterSize, int stride, int dilation) {
        int effectiveFilterSize = (filterSize - 1) * dilation + 1;
        if (stride == 0) {
            return 0;
        }
        return padding == Padding.SAME ? (imageSize + stride - 1) / stride
                : (imageSize + stride - effectiveFilterSize) / stride;
    }

    /**
     * {@code ComputePaddingWithOffset}'s return value: half the total padding, rounded down (the
     * odd unit goes after the image).
     */
    static int paddingBefore(int stride, int dilation, int inSize, int filterSize, int outSize) {
        int effectiveFilterSize = (filterSize - 1) * dilation + 1;
        int total = (outSize - 1) * stride + effectiveFilterSize - inSize;
        return Math.max(total, 0) / 2;
    }
    /**
     * Whether XNNPACK's convolution operators read only padding for this window: with TensorFlow
     * SAME padding XNNPACK computes the total padding {@code (out - 1) * stride +
     * effective_filter - in} in {@code size_t}, so where it is negative (the strides skip the
     * last rows or columns of the input) it wraps to a huge leading padding and every tap of
     * every output falls outside the image: the accumulator is the bias alone. XNNPACK skips the
     * padding machinery for 1x1 filters, which are therefore unaffected. Measured against the
     * native delegate (XnnpackProfileTest); TFLite's own kernels simply pad by 0.
     */
    static boolean xnnpackSamePaddingWraps(Padding padding, int inHeight, int inWidth, int filterHeight, int filterWidth,
                                           int strideHeight, int strideWidth, int dilationHeight, int dilationWidth) {
        if (padding != Padding.SAME || filterHeight * filterWidth == 1) {
            return false;
        }
        int outHeight = outSize(padding, inHeight, filterHeight, strideHeight, dilationHeight);
        int outWidth = outSize(padding, inWidth, filterWidth, strideWidth, dilationWidth);
        long totalHeight = (long) (outHeight - 1) * strideHeight + (long) (filterHeight - 1) * dilationHeight + 1 - inHeight;
        long totalWidth = (long) (outWidth - 1) * strideWidth + (long) (filterWidth - 1) * dilationWidth + 1 - inWidth;
        return totalHeight < 0 || totalWidth < 0;
    }
}
