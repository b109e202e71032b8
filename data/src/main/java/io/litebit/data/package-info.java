/**
 * Representative datasets and the array formats they come in: {@link io.litebit.data.Npy}
 * ({@code .npy}), {@link io.litebit.data.Mnist} (IDX). At the bottom of the module graph: depends
 * on the model layer only, so calibration, the debugger, {@code eval}, {@code conform --inputs}
 * and the Spark jobs all read data the same way.
 */
package io.litebit.data;
