/**
 * Op fuzzing: {@link io.litebit.conformance.fuzz.Generators} make seeded random single-op models
 * (with the model builder) and inputs for 28 ops; {@link io.litebit.conformance.fuzz.FuzzRunner}
 * runs them on the oracle, BUILTIN_REF and BUILTIN and classifies every case.
 *
 * <pre>{@code
 * OpGenerator gen = Generators.forOp(BuiltinOp.FULLY_CONNECTED).orElseThrow();
 * FuzzRunner.OpReport r = new FuzzRunner().run(gen, 500, 1L, Kernels.supportedOps().contains(gen.op()));
 * FuzzRunner.describe(r, 5).forEach(System.out::println);
 * // one case again, alone, from its seed:
 * OpCase c = gen.generate(FuzzRunner.caseSeed(1L, gen.op(), 17));
 * }</pre>
 */
package io.litebit.conformance.fuzz;
