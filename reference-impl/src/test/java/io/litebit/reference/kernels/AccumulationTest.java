package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The summation forms the convolution kernels choose between must all give the C++ accumulator's
 * bits: the int form wraps as int32 does, the four-row form equals four single sums, and {@code
 * fitsInt} only admits sums that cannot wrap.
 */
class AccumulationTest {

    @Test
    void intSumWrapsExactlyAsTheInt32AccumulatorAndLongSumIsExact() {
        // 33,100 products of 255 * -255 = -65,025 each: -2,152,327,500, below INT32_MIN by 4,843,852.
        int n = 33_100;
        int[] a = new int[n];
        int[] b = new int[n];
        Arrays.fill(a, 255);
        Arrays.fill(b, -255);

        assertThat(Accumulation.dotLong(a, 0, b, 0, n)).isEqualTo(-2_152_327_500L);
        // wrapped: -2,152,327,500 + 2^32 = 2,142,639,796.
        assertThat(Accumulation.dotInt(a, 0, b, 0, n)).isEqualTo(2_142_639_796);
        assertThat(Accumulation.fitsInt(n, 255, 255, 0)).isFalse();
    }

    @Test
    void fitsIntAdmitsExactlyTheBoundsThatStayWithinInt32() {
        // 33,025 * 255 * 255 = 2,147,450,625 <= 2,147,483,647; one more term does not fit.
        assertThat(Accumulation.fitsInt(33_025, 255, 255, 0)).isTrue();
        assertThat(Accumulation.fitsInt(33_025, 255, 255, 33_022)).isTrue();
        assertThat(Accumulation.fitsInt(33_025, 255, 255, 33_023)).isFalse();
        assertThat(Accumulation.fitsInt(33_026, 255, 255, 0)).isFalse();
        assertThat(Accumulation.fitsInt(Long.MAX_VALUE / 2, 255, 255, 0)).isFalse();
        assertThat(Accumulation.maxAbs(new int[] {3, -7, 5})).isEqualTo(7);
        assertThat(Accumulation.maxAbs(new long[] {Long.MIN_VALUE})).isEqualTo(Long.MAX_VALUE);
        assertThat(Accumulation.maxAbs((long[]) null)).isZero();
    }

    @Test
    void fourRowSumEqualsFourSingleSums() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n : new int[] {0, 1, 3, 8, 31, 96, 577}) {
            int[] rows = random.ints(4L * n + 5, -255, 256).toArray();
            int[] patch = random.ints(n, -255, 256).toArray();
            int[] sums = new int[4];
            Accumulation.dotInt4(rows, 5, patch, n, sums);
            for (int j = 0; j < 4; j++) {
                int expected = 0;
                for (int k = 0; k < n; k++) {
                    expected += rows[5 + j * n + k] * patch[k];
                }
                assertThat(sums[j]).as("n=%d row %d", n, j).isEqualTo(expected);
            }
        }
    }
}
