package io.litebit.conformance.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The random choices that made a generated case, each in {@code [0, 1)} with 0 the simplest
 * outcome: a main sequence (dimensions, flags, options, scales, zero points, in the order the
 * generator draws them) and one array per bulk data draw (input data, weights, bias), indexed by
 * element. {@link OpGenerator#replay(Choices, long)} regenerates a case from them; a sequence or
 * array that is too short is padded with 0, one that is too long is cut.
 *
 * <p>Keeping data apart from the main sequence is what makes shrinking work: when a dimension
 * shrinks, the elements that remain keep their values (element {@code k} of the input is still
 * drawn from choice {@code k} of its array), so a difference that hangs on particular values
 * survives the smaller shape.
 *
 * <pre>{@code
 * OpCase c = gen.generate(42);
 * OpCase again = gen.replay(c.choices(), 42);          // the same model and inputs
 * OpCase simplest = gen.replay(Choices.of(), 42);      // every choice 0: the smallest case
 * }</pre>
 */
public final class Choices {
    private final double[] main;
    private final double[][] arrays;

    private Choices(double[] main, double[][] arrays) {
        this.main = main;
        this.arrays = arrays;
    }

    /** A main sequence of choices and no data arrays; each value must lie in {@code [0, 1)}. */
    public static Choices of(double... main) {
        check(main);
        return new Choices(main.clone(), new double[0][]);
    }

    private static void check(double[] values) {
        for (double v : values) {
            if (!(v >= 0 && v < 1)) {
                throw new IllegalArgumentException("a choice must lie in [0, 1), given " + v);
            }
        }
    }

    /** The length of the main sequence. */
    public int size() {
        return main.length;
    }

    /** Choice {@code i} of the main sequence. */
    public double get(int i) {
        return main[i];
    }

    /** How many data arrays there are. */
    public int arrayCount() {
        return arrays.length;
    }

    /** The length of data array {@code k}; 0 past the last array. */
    public int arrayLength(int k) {
        return k < arrays.length ? arrays[k].length : 0;
    }

    /** Whether elements {@code [from, to)} of data array {@code k} are all 0 (as far as the array goes). */
    boolean zeroInArray(int k, int from, int to) {
        for (int i = from; i < Math.min(to, arrayLength(k)); i++) {
            if (arrays[k][i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** A copy of data array {@code k}. */
    public double[] array(int k) {
        return arrays[k].clone();
    }

    double mainValue(int i) {
        return i < main.length ? main[i] : 0.0;
    }

    double arrayValue(int k, int i) {
        return k < arrays.length && i < arrays[k].length ? arrays[k][i] : 0.0;
    }

    /** This sequence with main choice {@code i} replaced (padding with 0 when {@code i} is past the end). */
    public Choices with(int i, double v) {
        double[] c = Arrays.copyOf(main, Math.max(main.length, i + 1));
        c[i] = v;
        check(c);
        return new Choices(c, arrays);
    }

    /** These choices with elements {@code [from, to)} of data array {@code k} set to 0. */
    public Choices zeroedInArray(int k, int from, int to) {
        double[][] a = arrays.clone();
        a[k] = arrays[k].clone();
        Arrays.fill(a[k], Math.min(from, a[k].length), Math.min(to, a[k].length), 0.0);
        return new Choices(main, a);
    }

    /** These choices with data array {@code k} replaced. */
    public Choices withArray(int k, double[] values) {
        check(values);
        double[][] a = arrays.clone();
        a[k] = values.clone();
        return new Choices(main, a);
    }

    /**
     * A sum that orders choices from simple to complex: each non-zero choice counts 1 plus its
     * value, so fewer elements, fewer non-zero choices and smaller ones all weigh less.
     */
    double weight() {
        double w = weight(main);
        for (double[] a : arrays) {
            w += weight(a);
        }
        return w;
    }

    /** The data elements over all arrays. */
    int dataElements() {
        int n = 0;
        for (double[] a : arrays) {
            n += a.length;
        }
        return n;
    }

    private static double weight(double[] values) {
        double w = 0;
        for (double v : values) {
            w += v == 0 ? 0 : 1 + v;
        }
        return w;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Choices c && Arrays.equals(main, c.main) && Arrays.deepEquals(arrays, c.arrays);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(main) + Arrays.deepHashCode(arrays);
    }

    @Override
    public String toString() {
        return main.length + " choices and " + arrays.length + " data arrays of "
                + Arrays.stream(arrays).mapToInt(a -> a.length).sum() + " elements";
    }

    /** Collects choices as a generator draws them. */
    static final class Recorder {
        private double[] main = new double[64];
        private int n;
        private final List<double[]> arrays = new ArrayList<>();

        void add(double v) {
            if (n == main.length) {
                main = Arrays.copyOf(main, n * 2);
            }
            main[n++] = v;
        }

        /** The main choices recorded so far. */
        int size() {
            return n;
        }

        /** Starts data array number {@link #arrays()} and returns it to be filled. */
        double[] array(int length) {
            double[] a = new double[length];
            arrays.add(a);
            return a;
        }

        int arrays() {
            return arrays.size();
        }

        Choices toChoices() {
            return new Choices(Arrays.copyOf(main, n), arrays.stream().map(double[]::clone).toArray(double[][]::new));
        }
    }
}
