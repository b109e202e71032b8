package io.litebit.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * numpy's {@code .npz}: a zip archive of {@code .npy} files, one per named array (what
 * {@code np.savez} writes; {@code np.savez_compressed} deflates the entries, which reads the same).
 *
 * <pre>{@code
 * Map<String, NdArray> arrays = Npz.read(Path.of("calib.npz"));   // in archive order, names without ".npy"
 * Npz.write(Path.of("out.npz"), Map.of("x", xs));
 * }</pre>
 */
public final class Npz {
    private Npz() {
    }

    /** The arrays in archive order, keyed by entry name without the {@code .npy} suffix. */
    public static Map<String, NdArray> read(Path file) throws IOException {
        Map<String, NdArray> out = new LinkedHashMap<>();
        try (InputStream raw = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(raw)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName();
                String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
                byte[] bytes = zip.readAllBytes();
                out.put(key, Npy.read(new ByteArrayInputStream(bytes), file + "[" + name + "]"));
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": not a .npz archive (" + e.getMessage() + ")", e);
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": not a .npz archive, or an empty one (no .npy entries)");
        }
        return out;
    }

    /** Writes the arrays as an uncompressed {@code .npz}, entries {@code <name>.npy} in map order. */
    public static void write(Path file, Map<String, NdArray> arrays) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(raw)) {
            for (Map.Entry<String, NdArray> a : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(a.getKey() + ".npy"));
                NdArray v = a.getValue();
                Npy.write(zip, v.dtype(), v.shape(), v.data());
                zip.closeEntry();
            }
        }
    }
}
