package io.litebit.api;

/**
 * Which kernels run a model.
 *
 * <ul>
 *   <li>{@link #XNNPACK}: TFLite's builtin kernels plus the XNNPACK delegate created with int8
 *       and uint8 enabled ({@code QS8|QU8}), so quantized operators run on XNNPACK too. The
 *       operators XNNPACK does not support stay on the builtin kernels; {@link
 *       Interpreter#opDetails()} shows which ran where.</li>
 *   <li>{@link #BUILTIN}: TFLite's optimized builtin kernels and no delegate at all (the preset's
 *       lazily applied default XNNPACK delegate is not installed either).</li>
 *   <li>{@link #BUILTIN_REF}: TFLite's C++ reference kernels where TFLite has one, the builtin
 *       kernel otherwise (Python's {@code OpResolverType.BUILTIN_REF}); no delegate.</li>
 * </ul>
 */
public enum Backend {
    XNNPACK,
    BUILTIN,
    BUILTIN_REF
}
