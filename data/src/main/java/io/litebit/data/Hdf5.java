package io.litebit.data;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.litebit.model.DType;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * HDF5 datasets in the layout of Samsung ONE's {@code record-minmax}: group {@code /value}, one
 * group per record {@code /value/<record>}, one dataset per input {@code /value/<record>/<input>}
 * (record and input decimal indices from 0). Read and written with jHDF (pure Java, no native
 * HDF5): float32, float64, int8, uint8, int16, int32, int64, either byte order (jHDF converts).
 *
 * <pre>{@code
 * try (Hdf5.Reader r = Hdf5.open(Path.of("calib.h5"))) {
 *     Record first = r.record(0);
 * }
 * Hdf5.write(Path.of("out.h5"), dataset);     // what record-minmax --input_data reads
 * }</pre>
 */
public final class Hdf5 {
    private Hdf5() {
    }

    /** Opens {@code file} for reading; close the reader to release the file. */
    public static Reader open(Path file) {
        HdfFile hdf;
        try {
            hdf = new HdfFile(file);
        } catch (RuntimeException e) {
            throw new DatasetException(file + ": not a readable HDF5 file (" + e.getMessage() + ")", e);
        }
        try {
            return new Reader(file, hdf);
        } catch (RuntimeException e) {
            hdf.close();
            throw e;
        }
    }

    /** The records of an HDF5 file in ONE's layout; thread-safe (reads are serialised). */
    public static final class Reader implements Dataset, AutoCloseable {
        private final Path file;
        private final HdfFile hdf;
        private final List<Group> records;

        private Reader(Path file, HdfFile hdf) {
            this.file = file;
            this.hdf = hdf;
            Node value = hdf.getChildren().get("value");
            if (!(value instanceof Group g)) {
                throw new DatasetException(file + ": no group /value; expected ONE's layout /value/<record>/<input> "
                        + "(found at the root: " + hdf.getChildren().keySet() + ")");
            }
            TreeMap<Integer, Group> byIndex = new TreeMap<>();
            for (Map.Entry<String, Node> e : g.getChildren().entrySet()) {
                int i = decimal(e.getKey());
                if (i < 0 || !(e.getValue() instanceof Group rg)) {
                    throw new DatasetException(file + ": /value/" + e.getKey() + " is not a record group; expected "
                            + "groups named 0, 1, 2 ... under /value");
                }
                byIndex.put(i, rg);
            }
            records = new ArrayList<>(byIndex.values());
            for (int i = 0; i < records.size(); i++) {
                if (!byIndex.containsKey(i)) {
                    throw new DatasetException(file + ": /value has " + records.size() + " record groups but no /value/"
                            + i + "; records must be numbered 0 to " + (records.size() - 1));
                }
            }
        }

        @Override
        public String description() {
            return file + " (HDF5, " + records.size() + " records)";
        }

        @Override
        public int size() {
            return records.size();
        }

        @Override
        public synchronized Record record(int index) {
            checkIndex(index);
            Group g = records.get(index);
            TreeMap<Integer, io.jhdf.api.Dataset> inputs = new TreeMap<>();
            for (Map.Entry<String, Node> e : g.getChildren().entrySet()) {
                int i = decimal(e.getKey());
                if (i < 0 || !(e.getValue() instanceof io.jhdf.api.Dataset d)) {
                    throw new DatasetException(file + ": " + g.getPath() + e.getKey() + " is not an input dataset; "
                            + "expected datasets named 0, 1, 2 ... (one per model input)");
                }
                inputs.put(i, d);
            }
            List<NdArray> arrays = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                io.jhdf.api.Dataset d = inputs.get(i);
                if (d == null) {
                    throw new DatasetException(file + ": record " + index + " has no input " + i + " (" + g.getPath() + i
                            + "); it holds inputs " + inputs.keySet());
                }
                arrays.add(toArray(d, file + ":" + d.getPath()));
            }
            return new Record(index, file + ":" + g.getPath(), arrays);
        }

        @Override
        public void close() {
            hdf.close();
        }
    }

    /**
     * Writes every record of {@code data} in ONE's layout, one dataset per input with the input's
     * own dtype and shape.
     *
     * @throws DatasetException for a dtype or a scalar the writer cannot represent
     */
    public static void write(Path file, Iterable<Record> data) {
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            WritableGroup value = hdf.putGroup("value");
            for (Record r : data) {
                WritableGroup g = value.putGroup(Integer.toString(r.index()));
                for (int i = 0; i < r.inputs().size(); i++) {
                    NdArray a = r.input(i);
                    DatasetCreationOptions unsigned = DatasetCreationOptions.builder().unsigned().build();
                    boolean isUnsigned = a.dtype() == DType.UINT8 || a.dtype() == DType.UINT16;
                    Object javaArray = toJava(a, r.source() + " input " + i);
                    if (isUnsigned) {
                        g.putDataset(Integer.toString(i), javaArray, unsigned);
                    } else {
                        g.putDataset(Integer.toString(i), javaArray);
                    }
                }
            }
        } catch (DatasetException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DatasetException(file + ": cannot write HDF5 (" + e.getMessage() + ")", e);
        }
    }

    private static int decimal(String s) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(Character::isDigit) || (s.length() > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        return Integer.parseInt(s);
    }

    static DType dtypeOf(DataType t, String what) {
        if (t instanceof FloatingPoint) {
            return switch (t.getSize()) {
                case 4 -> DType.FLOAT32;
                case 8 -> DType.FLOAT64;
                case 2 -> DType.FLOAT16;
                default -> throw new DatasetException(what + ": " + 8 * t.getSize() + "-bit floats are not supported");
            };
        }
        if (t instanceof FixedPoint f) {
            boolean s = f.isSigned();
            return switch (t.getSize()) {
                case 1 -> s ? DType.INT8 : DType.UINT8;
                case 2 -> s ? DType.INT16 : DType.UINT16;
                case 4 -> s ? DType.INT32 : DType.UINT32;
                case 8 -> s ? DType.INT64 : DType.UINT64;
                default -> throw new DatasetException(what + ": " + 8 * t.getSize() + "-bit integers are not supported");
            };
        }
        throw new DatasetException(what + ": HDF5 type " + t.getClass().getSimpleName()
                + " is not supported; expected float32/64 or (u)int8/16/32/64");
    }

    private static NdArray toArray(io.jhdf.api.Dataset d, String what) {
        DType dtype = dtypeOf(d.getDataType(), what);
        int[] shape = d.isScalar() ? new int[0] : d.getDimensions();
        Object flat = d.isScalar() ? wrapScalar(d.getData()) : d.getDataFlat();
        int n = Array.getLength(flat);
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(dtype.storageBytes(n))).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            Object v = Array.get(flat, i);
            switch (dtype) {
                case FLOAT32 -> b.putFloat(((Number) v).floatValue());
                case FLOAT64 -> b.putDouble(((Number) v).doubleValue());
                case INT8, UINT8 -> b.put((byte) ((Number) v).intValue());
                case INT16, UINT16, FLOAT16 -> b.putShort((short) ((Number) v).intValue());
                case INT32, UINT32 -> b.putInt((int) ((Number) v).longValue());
                case INT64, UINT64 -> b.putLong(v instanceof BigInteger big ? big.longValue() : ((Number) v).longValue());
                default -> throw new DatasetException(what + ": " + dtype.displayName() + " is not supported");
            }
        }
        b.flip();
        return new NdArray(dtype, shape, b);
    }

    private static Object wrapScalar(Object data) {
        if (data.getClass().isArray()) {
            return data;
        }
        Object a = Array.newInstance(Object.class, 1);
        Array.set(a, 0, data);
        return a;
    }

    /** A Java multi-dimensional primitive array of {@code a}'s shape, as jHDF writes it. */
    private static Object toJava(NdArray a, String what) {
        int[] shape = a.shape();
        if (shape.length == 0) {
            throw new DatasetException(what + ": scalar inputs cannot be written to HDF5 by jHDF; give the input shape [1]");
        }
        Class<?> component = switch (a.dtype()) {
            case FLOAT32 -> float.class;
            case FLOAT64 -> double.class;
            case INT8, UINT8 -> byte.class;
            case INT16, UINT16 -> short.class;
            case INT32 -> int.class;
            case INT64 -> long.class;
            default -> throw new DatasetException(what + ": " + a.dtype().displayName()
                    + " cannot be written to HDF5; expected float32/64 or (u)int8, (u)int16, int32, int64");
        };
        Object out = Array.newInstance(component, shape);
        ByteBuffer d = a.data();
        fill(out, shape, 0, d, a.dtype());
        return out;
    }

    private static void fill(Object array, int[] shape, int depth, ByteBuffer d, DType dtype) {
        if (depth == shape.length - 1) {
            for (int i = 0; i < shape[depth]; i++) {
                switch (dtype) {
                    case FLOAT32 -> Array.setFloat(array, i, d.getFloat());
                    case FLOAT64 -> Array.setDouble(array, i, d.getDouble());
                    case INT8, UINT8 -> Array.setByte(array, i, d.get());
                    case INT16, UINT16 -> Array.setShort(array, i, d.getShort());
                    case INT32 -> Array.setInt(array, i, d.getInt());
                    case INT64 -> Array.setLong(array, i, d.getLong());
                    default -> throw new IllegalStateException(dtype.displayName());
                }
            }
            return;
        }
        for (int i = 0; i < shape[depth]; i++) {
            fill(Array.get(array, i), shape, depth + 1, d, dtype);
        }
    }
}
