package io.litebit.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory of {@code .npy} files: either one subdirectory per record holding one file per
 * input (named as {@link Naming#holdsInput} says, as {@code litebit conform --inputs DIR} reads
 * them), or, for a one-input model, one file per record. Files and subdirectories are taken in
 * natural name order ({@code r2} before {@code r10}).
 */
final class NpyDirectory implements Dataset {
    private final Path dir;
    private final List<Path> records;
    private final boolean perRecordDirs;
    private final List<InputSpec> inputs;

    NpyDirectory(Path dir, List<Path> entries, List<InputSpec> inputs) {
        this.dir = dir;
        this.inputs = List.copyOf(inputs);
        List<Path> subdirs = entries.stream().filter(Files::isDirectory).toList();
        List<Path> npys = entries.stream().filter(p -> Naming.extension(p).equals("npy")).toList();
        if (!subdirs.isEmpty() && !npys.isEmpty()) {
            throw new DatasetException(dir + ": holds both .npy files and subdirectories; put every record in its own "
                    + "subdirectory (one .npy per input), or use flat .npy files, one per record, for a one-input model");
        }
        this.perRecordDirs = !subdirs.isEmpty();
        this.records = perRecordDirs ? subdirs : npys;
        if (!perRecordDirs && inputs.size() > 1) {
            throw new DatasetException(dir + ": flat .npy files are one record each, which fits a model with one input; "
                    + "this model has " + inputs.size() + " inputs: put each record in a subdirectory with one file per "
                    + "input (" + String.join("; ", inputs.stream().map(Naming::expectedInputFiles).toList()) + ")");
        }
    }

    @Override
    public String description() {
        return dir + " (" + records.size() + (perRecordDirs ? " record directories" : " .npy files") + ")";
    }

    @Override
    public int size() {
        return records.size();
    }

    @Override
    public Record record(int index) {
        checkIndex(index);
        Path r = records.get(index);
        try {
            if (!perRecordDirs) {
                return new Record(index, r.toString(), List.of(Npy.read(r)));
            }
            List<Path> files = Naming.list(r).stream().filter(p -> Naming.extension(p).equals("npy")).toList();
            List<NdArray> arrays = new ArrayList<>();
            if (inputs.isEmpty()) {
                for (Path f : files) {
                    arrays.add(Npy.read(f));
                }
            } else {
                for (InputSpec in : inputs) {
                    Path file = files.stream().filter(f -> Naming.holdsInput(f, in)).findFirst()
                            .orElseThrow(() -> new DatasetException(r + " (record " + index + ") has no file for " + in
                                    + ": expected " + Naming.expectedInputFiles(in)));
                    arrays.add(Npy.read(file));
                }
            }
            return new Record(index, r.toString(), arrays);
        } catch (IOException e) {
            throw new DatasetException(r + " (record " + index + "): " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new DatasetException(r + " (record " + index + "): " + e.getCause().getMessage(), e);
        }
    }
}
