/**
 * Rewriters over the immutable model view: each takes a {@link io.litebit.model.TfliteModel} and
 * returns a new one, written and read back so that it is a valid {@code .tflite}. Entry point:
 * {@link io.litebit.model.rewrite.Rewriters}.
 */
package io.litebit.model.rewrite;
