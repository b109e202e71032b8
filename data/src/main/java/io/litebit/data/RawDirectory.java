package io.litebit.data;

import io.litebit.model.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ONE's raw alternative to HDF5: a directory of files, one record each, holding every input's
 * values as little-endian float32, inputs concatenated in input order, no header. Shapes come
 * from the model, so the model's inputs must be float32 and each file exactly their total size.
 */
final class RawDirectory implements Dataset {
    private final Path dir;
    private final List<Path> files;
    private final List<InputSpec> inputs;
    private final long recordBytes;

    RawDirectory(Path dir, List<Path> files, List<InputSpec> inputs) {
        if (inputs.isEmpty()) {
            throw new DatasetException(dir + ": raw float32 files carry no shapes; give the model (--model) so that "
                    + "each file can be split into its inputs");
        }
        long bytes = 0;
        for (InputSpec in : inputs) {
            if (in.dtype() != DType.FLOAT32) {
                throw new DatasetException(dir + ": raw files hold float32 values, but " + in
                        + " is not float32; use .npy, .npz or HDF5 for other dtypes");
            }
            bytes += 4 * in.elementCount();
        }
        this.dir = dir;
        this.files = List.copyOf(files);
        this.inputs = List.copyOf(inputs);
        this.recordBytes = bytes;
    }

    @Override
    public String description() {
        return dir + " (" + files.size() + " raw float32 files)";
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public Record record(int index) {
        checkIndex(index);
        Path f = files.get(index);
        byte[] all;
        try {
            long size = Files.size(f);
            if (size != recordBytes) {
                throw new DatasetException(f + " (record " + index + ") has " + size + " bytes; the model's inputs need "
                        + recordBytes + " (" + describeInputs() + ", little-endian float32, concatenated)");
            }
            all = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new DatasetException(f + " (record " + index + "): cannot read: " + e.getMessage(), e);
        }
        List<NdArray> arrays = new ArrayList<>();
        int offset = 0;
        for (InputSpec in : inputs) {
            int n = Math.toIntExact(4 * in.elementCount());
            arrays.add(new NdArray(DType.FLOAT32, in.shape(), ByteBuffer.wrap(all, offset, n)));
            offset += n;
        }
        return new Record(index, f.toString(), arrays);
    }

    private String describeInputs() {
        return String.join(" + ", inputs.stream().map(InputSpec::toString).toList());
    }
}
