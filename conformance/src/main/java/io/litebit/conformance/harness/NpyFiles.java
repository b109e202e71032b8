package io.litebit.conformance.harness;

import io.litebit.model.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The .npy exchange with the harness: little-endian C-order arrays of TFLite's dtypes. */
final class NpyFiles {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    record Array(String descr, int[] shape, byte[] data) {
    }

    private NpyFiles() {
    }

    /** numpy's descr of a dtype, as the harness writes it; null where there is none. */
    static String descr(DType t) {
        return switch (t) {
            case FLOAT32 -> "<f4";
            case FLOAT16 -> "<f2";
            case FLOAT64 -> "<f8";
            case INT8 -> "|i1";
            case UINT8 -> "|u1";
            case BOOL -> "|b1";
            case INT16 -> "<i2";
            case UINT16 -> "<u2";
            case INT32 -> "<i4";
            case UINT32 -> "<u4";
            case INT64 -> "<i8";
            case UINT64 -> "<u8";
            default -> null;
        };
    }

    static void write(Path file, DType dtype, int[] shape, byte[] data) throws IOException {
        String d = descr(dtype);
        if (d == null) {
            throw new IllegalArgumentException(dtype.displayName() + " cannot be passed to the native harness");
        }
        StringBuilder dict = new StringBuilder("{'descr': '").append(d).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            dict.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
        }
        dict.append("), }");
        int total = 10 + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        while (10 + dict.length() + 1 < padded) {
            dict.append(' ');
        }
        dict.append('\n');
        byte[] header = dict.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length).put(header).put(data);
        Files.write(file, b.array());
    }

    static Array read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 10 || (all[0] & 0xff) != 0x93 || all[1] != 'N' || all[6] < 1) {
            throw new IOException(file + " is not an .npy file");
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength;
        int start;
        if (all[6] == 1) {
            headerLength = b.getShort(8) & 0xffff;
            start = 10;
        } else {
            headerLength = b.getInt(8);
            start = 12;
        }
        String header = new String(all, start, headerLength, StandardCharsets.US_ASCII);
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) {
            throw new IOException(file + ": unreadable .npy header " + header.trim());
        }
        String[] dims = s.group(1).split(",");
        int n = 0;
        int[] shape = new int[dims.length];
        for (String dim : dims) {
            if (!dim.isBlank()) {
                shape[n++] = Integer.parseInt(dim.trim());
            }
        }
        byte[] data = new byte[all.length - start - headerLength];
        System.arraycopy(all, start + headerLength, data, 0, data.length);
        return new Array(d.group(1), java.util.Arrays.copyOf(shape, n), data);
    }
}
