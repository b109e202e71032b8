package io.litebit.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litebit.data.Dataset;
import io.litebit.data.Datasets;
import io.litebit.data.Hdf5;
import io.litebit.data.NdArray;
import io.litebit.data.Record;
import io.litebit.data.RecordChecker;
import io.litebit.data.DatasetException;
import io.litebit.data.InputSpec;
import io.litebit.model.TfliteModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code litebit dataset info|convert}: what a representative dataset holds, and ONE's HDF5 from any of them. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = {"Representative datasets: inspect one, or convert one to ONE's HDF5 layout.",
                "SPEC is a .h5/.hdf5 file (/value/<record>/<input>), a .npy (first axis = record),",
                "a .npz (one array per input, by name, arr_<k> or <k>), a directory (record subdirectories",
                "of input<k>.npy, flat .npy files, images, or raw little-endian float32 files), or",
                "mnist:DIR[:train|test][:N][:seed=S] (pixel/255)."},
        subcommands = {DatasetCommand.Info.class, DatasetCommand.Convert.class})
final class DatasetCommand {

    /** Summary of one input over all records. */
    static final class InputSummary {
        final int index;
        String dtype;
        int[] shape;
        boolean shapesVary;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long nonFinite;

        InputSummary(int index) {
            this.index = index;
        }

        void add(NdArray a) {
            if (dtype == null) {
                dtype = a.dtype().displayName();
                shape = a.shape();
            } else if (!Arrays.equals(shape, a.shape()) || !dtype.equals(a.dtype().displayName())) {
                shapesVary = true;
            }
            long n = a.elementCount();
            for (long i = 0; i < n; i++) {
                double v = a.doubleAt(i);
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                } else {
                    nonFinite++;
                }
            }
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = {"Records, inputs, dtypes, shapes and value ranges of a dataset; with --model,",
                    "every record is also held to the model's inputs (dtype, exact shape)."})
    static final class Info implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SPEC")
        String dataset;

        @Option(names = "--model", paramLabel = "MODEL", description = "check records against this model's inputs (and give raw files their shapes)")
        Path model;

        @Mixin
        DatasetSpecOptions images;

        @Option(names = "--json", description = "one JSON document: records, labelled, inputs[index,dtype,shape,min,max,non_finite]")
        boolean json;

        @Option(names = "--verbose", description = "print stack traces of errors")
        boolean verbose;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                TfliteModel m = model == null ? null : TfliteModel.load(model);
                try (Dataset d = Datasets.open(dataset, images.options(m))) {
                    RecordChecker check = m == null ? null : new RecordChecker(InputSpec.of(m));
                    List<InputSummary> inputs = new ArrayList<>();
                    int labelled = 0;
                    int withNonFinite = 0;
                    for (Record r : d) {
                        Record rec = check == null ? r : check.fit(r);
                        while (inputs.size() < rec.inputs().size()) {
                            inputs.add(new InputSummary(inputs.size()));
                        }
                        for (int i = 0; i < rec.inputs().size(); i++) {
                            inputs.get(i).add(rec.input(i));
                        }
                        if (rec.label().isPresent()) {
                            labelled++;
                        }
                        if (RecordChecker.nonFinite(rec).isPresent()) {
                            withNonFinite++;
                        }
                    }
                    if (json) {
                        ObjectNode root = InspectCommand.mapper().createObjectNode();
                        root.put("dataset", d.description());
                        root.put("records", d.size());
                        root.put("labelled", labelled);
                        root.put("records_with_non_finite", withNonFinite);
                        root.put("checked_against_model", m != null);
                        ArrayNode ins = root.putArray("inputs");
                        for (InputSummary s : inputs) {
                            ObjectNode o = ins.addObject();
                            o.put("index", s.index);
                            o.put("dtype", s.dtype);
                            ArrayNode sh = o.putArray("shape");
                            Arrays.stream(s.shape).forEach(sh::add);
                            o.put("shapes_vary", s.shapesVary);
                            o.put("min", s.min);
                            o.put("max", s.max);
                            o.put("non_finite", s.nonFinite);
                        }
                        out.println(InspectCommand.mapper().writeValueAsString(root));
                    } else {
                        out.printf(Locale.ROOT, "Dataset   %s%n", d.description());
                        out.printf(Locale.ROOT, "Records   %d%s%n", d.size(), labelled > 0 ? " (" + labelled + " labelled)" : "");
                        if (m != null) {
                            out.printf(Locale.ROOT, "Model     %s: every record fits its inputs%n", model);
                        }
                        TextTable t = new TextTable("input", "dtype", "shape", "min", "max", "NaN/Inf");
                        for (InputSummary s : inputs) {
                            t.row(s.index, s.dtype, Arrays.toString(s.shape) + (s.shapesVary ? " (varies)" : ""),
                                    String.format(Locale.ROOT, "%.6g", s.min), String.format(Locale.ROOT, "%.6g", s.max),
                                    s.nonFinite);
                        }
                        t.print(out);
                        if (withNonFinite > 0) {
                            out.printf(Locale.ROOT, "%d record%s hold NaN or Inf: calibration skips them (or stops with --strict)%n",
                                    withNonFinite, withNonFinite == 1 ? "" : "s");
                        }
                    }
                }
                out.flush();
                return 0;
            } catch (Exception e) {
                return Failures.report("dataset info", e, verbose, spec.commandLine().getErr());
            }
        }
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = {"Writes a dataset in ONE's HDF5 layout (/value/<record>/<input>, the model's dtypes",
                    "and shapes), for litebit or ONE's record-minmax. Every record is held to the model's",
                    "inputs; records with NaN/Inf are left out and counted (an error with --strict)."})
    static final class Convert implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SPEC")
        String dataset;

        @Option(names = "--model", required = true, paramLabel = "MODEL")
        Path model;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.h5")
        Path output;

        @Option(names = "--records", paramLabel = "N", description = "only the first N records")
        Integer records;

        @Option(names = "--strict", description = "a record with NaN/Inf is an error instead of left out")
        boolean strict;

        @Mixin
        DatasetSpecOptions images;

        @Option(names = "--verbose", description = "print stack traces of errors")
        boolean verbose;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                TfliteModel m = TfliteModel.load(model);
                RecordChecker check = new RecordChecker(InputSpec.of(m));
                try (Dataset d0 = Datasets.open(dataset, images.options(m))) {
                    Dataset d = records == null ? d0 : d0.limit(records);
                    List<Record> kept = new ArrayList<>();
                    int skipped = 0;
                    for (Record r : d) {
                        Record rec = check.fit(r);
                        Optional<String> bad = RecordChecker.nonFinite(rec);
                        if (bad.isPresent()) {
                            if (strict) {
                                throw new DatasetException(rec.source() + " (record " + rec.index() + ") has " + bad.get());
                            }
                            skipped++;
                            continue;
                        }
                        kept.add(new Record(kept.size(), rec.source(), rec.inputs(), rec.label()));
                    }
                    Hdf5.write(output, kept);
                    out.printf(Locale.ROOT, "Wrote %s: %d records (%d read, %d left out for NaN/Inf) in ONE's layout%n",
                            output, kept.size(), d.size(), skipped);
                }
                out.flush();
                return 0;
            } catch (Exception e) {
                return Failures.report("dataset convert", e, verbose, spec.commandLine().getErr());
            }
        }
    }
}
