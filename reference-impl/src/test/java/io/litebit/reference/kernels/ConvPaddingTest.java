package io.litebit.reference.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.options.Padding;
import org.junit.jupiter.api.Test;

/** Output sizes and paddings, and where XNNPACK's unsigned SAME padding wraps; derived by hand. */
class ConvPaddingTest {

    @Test
    void sameAndValidSizesAndLeadingPadding() {
        // SAME: ceil(5 / 2) = 3; total padding (3 - 1) * 2 + 3 - 5 = 2, 1 before.
        ConvPadding p = ConvPadding.compute(Padding.SAME, 5, 5, 3, 3, 2, 2, 1, 1);
        assertThat(p).isEqualTo(new ConvPadding(3, 3, 1, 1));
        // VALID: (5 + 2 - 3) / 2 = 2, no padding.
        assertThat(ConvPadding.compute(Padding.VALID, 5, 5, 3, 3, 2, 2, 1, 1)).isEqualTo(new ConvPadding(2, 2, 0, 0));
    }

    @Test
    void xnnpackSamePaddingWrapsWhereTheTotalPaddingIsNegative() {
        // 1x2 filter, stride 2, 2x2 input: rows: out 1, total (1 - 1) * 2 + 1 - 2 = -1 -> wraps.
        assertThat(ConvPadding.xnnpackSamePaddingWraps(Padding.SAME, 2, 2, 1, 2, 2, 2, 1, 1)).isTrue();
        // 2x2 filter on the same input: totals 0 and 0 -> no wrap.
        assertThat(ConvPadding.xnnpackSamePaddingWraps(Padding.SAME, 2, 2, 2, 2, 2, 2, 1, 1)).isFalse();
        // 3x3 filter, stride 4, 8x8 input: out 2, total 4 + 3 - 8 = -1 -> wraps.
        assertThat(ConvPadding.xnnpackSamePaddingWraps(Padding.SAME, 8, 8, 3, 3, 4, 4, 1, 1)).isTrue();
        // A 1x1 filter never wraps (XNNPACK skips the padding path), nor does VALID padding.
        assertThat(ConvPadding.xnnpackSamePaddingWraps(Padding.SAME, 2, 2, 1, 1, 2, 2, 1, 1)).isFalse();
        assertThat(ConvPadding.xnnpackSamePaddingWraps(Padding.VALID, 2, 2, 1, 2, 2, 2, 1, 1)).isFalse();
    }
}
