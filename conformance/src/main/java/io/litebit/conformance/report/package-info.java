/**
 * Conformance reports: what {@code litebit conform} prints and writes.
 *
 * <ul>
 *   <li>{@link io.litebit.conformance.report.ConformanceReport}: the results of a run over one or
 *       more models as JSON (summary or with every per-tensor diff), CSV (per pair, per tensor)
 *       and one self-contained HTML page (heat map of backend pairs × tensors, diff histograms,
 *       per-op table) that needs no network to open.</li>
 *   <li>{@link io.litebit.conformance.report.Expectation}: "these two backends compute the same
 *       bits", checked on every model; a pair that could not be compared does not pass.</li>
 * </ul>
 *
 * <pre>{@code
 * MatrixResult r = BackendMatrix.run(path.toString(), model, backends, InputSets.random(model, 1, 0));
 * ConformanceReport report = new ConformanceReport(List.of("xnnpack", "builtin-ref"), "random:1, seed 0",
 *         CpuInfo.describe(), List.of(r), List.of(Expectation.check("xnnpack", "builtin-ref", List.of(r))));
 * report.write(Path.of("conform-report"));
 * }</pre>
 */
package io.litebit.conformance.report;
