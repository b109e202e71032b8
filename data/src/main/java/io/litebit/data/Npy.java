package io.litebit.data;

import io.litebit.model.DType;
import io.litebit.model.Shapes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (version 1.0 and 2.0, C order, little-endian) for tensors: what
 * {@code litebit run --input} reads and {@code --dump-all} writes, so inputs and dumps interoperate
 * with numpy and TFLite's Python API, and what the native harness exchanges with litebit.
 *
 * <pre>{@code
 * NdArray a = Npy.read(Path.of("x.npy"));          // dtype, shape, little-endian bytes
 * Npy.write(Path.of("y.npy"), DType.INT8, new int[] {1, 10}, bytes);
 * }</pre>
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    public static NdArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    static NdArray read(InputStream in, String what) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw new IOException(what + ": not a .npy file (expected the \\x93NUMPY magic)");
        }
        int major = magic[6];
        int headerLen;
        if (major == 1) {
            byte[] b = in.readNBytes(2);
            headerLen = (b[0] & 0xff) | (b[1] & 0xff) << 8;
        } else if (major == 2 || major == 3) {
            byte[] b = in.readNBytes(4);
            headerLen = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } else {
            throw new IOException(what + ": .npy version " + major + " is not supported (expected 1, 2 or 3)");
        }
        String header = new String(in.readNBytes(headerLen), StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher o = ORDER.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !o.find() || !s.find()) {
            throw new IOException(what + ": malformed .npy header: " + header.strip());
        }
        if (o.group(1).equals("True")) {
            throw new IOException(what + ": Fortran-order arrays are not supported; save with np.ascontiguousarray");
        }
        DType dtype = fromDescr(d.group(1), what);
        String dims = s.group(1).strip();
        int[] shape = dims.isEmpty() ? new int[0]
                : Arrays.stream(dims.split(",")).map(String::strip).filter(x -> !x.isEmpty())
                        .mapToInt(Integer::parseInt).toArray();
        long bytes = dtype.storageBytes(Shapes.elementCount(shape));
        if (bytes > Integer.MAX_VALUE) {
            throw new IOException(what + ": " + bytes + " bytes of data is too large");
        }
        byte[] data = in.readNBytes((int) bytes);
        if (data.length != bytes) {
            throw new IOException(what + ": truncated: expected " + bytes + " bytes of " + dtype.displayName()
                    + " data for shape " + Arrays.toString(shape) + ", found " + data.length);
        }
        return new NdArray(dtype, shape, ByteBuffer.wrap(data));
    }

    /** Writes {@code a} as a {@code .npy} file. */
    public static void write(Path file, NdArray a) throws IOException {
        write(file, a.dtype(), a.shape(), a.data());
    }

    public static void write(Path file, DType dtype, int[] shape, ByteBuffer littleEndianData) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, dtype, shape, littleEndianData);
        }
    }

    static void write(OutputStream out, DType dtype, int[] shape, ByteBuffer data) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? shape[0] + "," : dims.length() == 0 ? "" : dims.substring(0, dims.length() - 2);
        String header = "{'descr': '" + descr(dtype) + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
        // numpy pads the header with spaces so that the data starts on a 64-byte boundary.
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) header.length(), (byte) (header.length() >> 8)});
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer d = data.duplicate();
        byte[] bytes = new byte[d.remaining()];
        d.get(bytes);
        out.write(bytes);
    }

    static String descr(DType t) {
        return switch (t) {
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case FLOAT16 -> "<f2";
            case INT8 -> "|i1";
            case UINT8 -> "|u1";
            case INT16 -> "<i2";
            case UINT16 -> "<u2";
            case INT32 -> "<i4";
            case UINT32 -> "<u4";
            case INT64 -> "<i8";
            case UINT64 -> "<u8";
            case BOOL -> "|b1";
            default -> throw new IllegalArgumentException(t.displayName() + " has no .npy equivalent");
        };
    }

    static DType fromDescr(String descr, String what) throws IOException {
        if (descr.startsWith(">") && !descr.endsWith("1")) {
            throw new IOException(what + ": big-endian dtype '" + descr + "' is not supported; expected little-endian");
        }
        String kind = descr.substring(descr.length() > 2 ? 1 : 0);
        return switch (kind) {
            case "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            case "f2" -> DType.FLOAT16;
            case "i1" -> DType.INT8;
            case "u1" -> DType.UINT8;
            case "i2" -> DType.INT16;
            case "u2" -> DType.UINT16;
            case "i4" -> DType.INT32;
            case "u4" -> DType.UINT32;
            case "i8" -> DType.INT64;
            case "u8" -> DType.UINT64;
            case "b1" -> DType.BOOL;
            default -> throw new IOException(what + ": unsupported .npy dtype '" + descr + "'");
        };
    }
}
