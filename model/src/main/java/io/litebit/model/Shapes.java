package io.litebit.model;

/**
 * Small shape arithmetic shared by every layer that holds a shape (model view, builder, Java API,
 * oracle, CLI), so that they all agree on it.
 *
 * <pre>{@code
 * long n = Shapes.elementCount(new int[] {1, 28, 28});   // 784; a scalar shape [] has 1
 * }</pre>
 */
public final class Shapes {
    private Shapes() {
    }

    /** Product of the dimensions (1 for a scalar); negative when a dimension is negative. */
    public static long elementCount(int... shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
