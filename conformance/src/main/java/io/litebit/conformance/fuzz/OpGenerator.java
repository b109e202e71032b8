package io.litebit.conformance.fuzz;

import io.litebit.model.BuiltinOp;

/**
 * Generates random single-op cases for one op, deterministically from a seed: the same seed gives
 * the same model bytes and the same inputs on every machine.
 *
 * <pre>{@code
 * OpGenerator g = Generators.forOp(BuiltinOp.FULLY_CONNECTED).orElseThrow();
 * for (long seed = 0; seed < 100; seed++) {
 *     OpCase c = g.generate(seed);
 *     ...
 * }
 * }</pre>
 */
public interface OpGenerator {
    BuiltinOp op();

    /** The case for this seed. */
    OpCase generate(long seed);

    /**
     * The case these choices make (see {@link Choices}); {@code seed} is only carried into the
     * case for its description.
     *
     * @throws IllegalArgumentException when the choices make parameters the model builder refuses
     */
    OpCase replay(Choices choices, long seed);
}
