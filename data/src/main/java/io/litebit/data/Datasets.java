package io.litebit.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Opens a dataset from a spec, the one syntax every command shares:
 * <ul>
 *   <li>{@code FILE.h5} / {@code .hdf5}: ONE's layout {@code /value/<record>/<input>} ({@link Hdf5});</li>
 *   <li>{@code FILE.npy}: one input, the first axis is the record;</li>
 *   <li>{@code FILE.npz}: one array per input, named by the input's name, {@code arr_<k>}, {@code <k>} or
 *       {@code input<k>}, the first axis is the record;</li>
 *   <li>a directory: subdirectories with one {@code .npy} per input (one record each), or flat
 *       {@code .npy} files (one record each, one-input model), or images (PNG/JPEG, see
 *       {@link ImageOptions}), or raw little-endian float32 files (inputs concatenated, shapes from the
 *       model);</li>
 *   <li>{@code mnist:DIR[:train|test][:N][:seed=S]}: MNIST IDX, the test split by default, the first N
 *       images or N drawn with seed S, scaled as {@code eval} does.</li>
 * </ul>
 *
 * <pre>{@code
 * Dataset d = Datasets.open("mnist:../shared/datasets/mnist:train:1000", DatasetOptions.forModel(model));
 * Dataset h = Datasets.open("calib.h5", DatasetOptions.NONE);
 * }</pre>
 */
public final class Datasets {
    private Datasets() {
    }

    /**
     * @throws DatasetException         when the spec names nothing readable, with what was expected
     * @throws IllegalArgumentException for a malformed {@code mnist:} spec
     */
    public static Dataset open(String spec, DatasetOptions options) {
        if (spec.startsWith("mnist:")) {
            return mnist(spec, options);
        }
        Path p = Path.of(spec);
        if (!Files.exists(p)) {
            throw new DatasetException(spec + ": no such file or directory; expected a .h5, .npy or .npz file, a directory "
                    + "or mnist:DIR[:train|test][:N]");
        }
        if (Files.isDirectory(p)) {
            return directory(p, options);
        }
        String ext = Naming.extension(p);
        try {
            switch (ext) {
                case "h5", "hdf5", "he5":
                    return Hdf5.open(p);
                case "npy":
                    return new StackedArrays(p + " (.npy)", List.of(Npy.read(p)), List.of(p.toString()));
                case "npz":
                    return npz(p, options);
                default:
                    if (ImageFolder.EXTENSIONS.contains(ext)) {
                        return new ImageFolder(p, List.of(p), options.inputs(), options.images());
                    }
                    throw new DatasetException(spec + ": unknown dataset format \"." + ext + "\"; expected .h5/.hdf5, .npy, "
                            + ".npz, an image, a directory or mnist:DIR");
            }
        } catch (IOException e) {
            throw new DatasetException(e.getMessage(), e);
        }
    }

    private static Dataset directory(Path dir, DatasetOptions options) {
        List<Path> entries = Naming.list(dir);
        if (entries.isEmpty()) {
            throw new DatasetException(dir + ": the directory is empty; expected .npy files, record subdirectories, images "
                    + "or raw float32 files");
        }
        boolean anyDir = entries.stream().anyMatch(Files::isDirectory);
        List<Path> files = entries.stream().filter(Files::isRegularFile).toList();
        Map<String, Long> kinds = files.stream().collect(Collectors.groupingBy(Datasets::kind, LinkedHashMap::new,
                Collectors.counting()));
        if (anyDir || kinds.keySet().equals(java.util.Set.of("npy"))) {
            return new NpyDirectory(dir, entries, options.inputs());
        }
        if (kinds.keySet().equals(java.util.Set.of("image"))) {
            return new ImageFolder(dir, files, options.inputs(), options.images());
        }
        if (kinds.keySet().equals(java.util.Set.of("raw"))) {
            return new RawDirectory(dir, files, options.inputs());
        }
        throw new DatasetException(dir + ": mixes kinds of files (" + kinds + "); a dataset directory holds only .npy files, "
                + "only images, or only raw float32 files");
    }

    private static String kind(Path p) {
        String ext = Naming.extension(p);
        return ext.equals("npy") ? "npy" : ImageFolder.EXTENSIONS.contains(ext) ? "image" : "raw";
    }

    private static Dataset npz(Path p, DatasetOptions options) throws IOException {
        Map<String, NdArray> arrays = Npz.read(p);
        List<NdArray> picked = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        if (!options.hasModel()) {
            arrays.forEach((k, v) -> {
                picked.add(v);
                sources.add(p + "[" + k + "]");
            });
        } else {
            for (InputSpec in : options.inputs()) {
                String key = null;
                for (String candidate : new String[] {in.name(), Naming.safe(in.name()), "arr_" + in.index(),
                        Integer.toString(in.index()), "input" + in.index()}) {
                    if (arrays.containsKey(candidate)) {
                        key = candidate;
                        break;
                    }
                }
                if (key == null && arrays.size() == 1 && options.inputs().size() == 1) {
                    key = arrays.keySet().iterator().next();
                }
                if (key == null) {
                    throw new DatasetException(p + " has no array for " + in + ": expected one named \"" + in.name()
                            + "\", arr_" + in.index() + ", " + in.index() + " or input" + in.index() + "; it holds "
                            + arrays.keySet());
                }
                picked.add(arrays.get(key));
                sources.add(p + "[" + key + "]");
            }
        }
        return new StackedArrays(p + " (.npz)", picked, sources);
    }

    private static Dataset mnist(String spec, DatasetOptions options) {
        String[] parts = spec.substring("mnist:".length()).split(":", -1);
        if (parts[0].isEmpty()) {
            throw new IllegalArgumentException(spec + ": expected mnist:DIR[:train|test][:N][:seed=S]");
        }
        Mnist.Split split = Mnist.Split.TEST;
        Integer n = null;
        Long seed = null;
        for (int i = 1; i < parts.length; i++) {
            String s = parts[i].trim().toLowerCase(Locale.ROOT);
            if (s.equals("train")) {
                split = Mnist.Split.TRAIN;
            } else if (s.equals("test")) {
                split = Mnist.Split.TEST;
            } else if (s.startsWith("seed=")) {
                seed = parseLong(spec, s.substring(5));
            } else {
                long v = parseLong(spec, s);
                if (v < 1 || v > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(spec + ": N must be a positive count, given " + s);
                }
                n = (int) v;
            }
        }
        if (seed != null && n == null) {
            throw new IllegalArgumentException(spec + ": seed=S draws N images; give N too (mnist:DIR:train:1000:seed=7)");
        }
        Mnist m;
        try {
            m = Mnist.load(Path.of(parts[0]), split);
        } catch (IOException e) {
            throw new DatasetException(spec + ": " + e.getMessage(), e);
        }
        String name = "mnist " + (split == Mnist.Split.TRAIN ? "train" : "test");
        int[] idx = seed == null ? MnistDataset.first(m, n) : MnistDataset.sample(m, n, seed);
        String desc = name + (n == null ? " (" + m.size() + " images)"
                : seed == null ? " (first " + idx.length + " of " + m.size() + ")"
                : " (" + idx.length + " of " + m.size() + " drawn with seed " + seed + ")");
        return new MnistDataset(m, desc, idx, options.inputs());
    }

    private static long parseLong(String spec, String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(spec + ": \"" + s + "\" is neither train, test, a count N nor seed=S; expected "
                    + "mnist:DIR[:train|test][:N][:seed=S]");
        }
    }
}
