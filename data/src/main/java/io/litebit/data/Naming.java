package io.litebit.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** File naming shared by the directory readers: natural order, and which file holds which input. */
final class Naming {
    private Naming() {
    }

    /** Names compared with runs of digits as numbers: {@code sample2} before {@code sample10}. */
    static final Comparator<Path> NATURAL = (a, b) -> natural(a.getFileName().toString(), b.getFileName().toString());

    static int natural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String da = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String db = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = da.length() != db.length() ? Integer.compare(da.length(), db.length()) : da.compareTo(db);
                if (c != 0) {
                    return c;
                }
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** The entries of {@code dir}, hidden ones left out, in natural order. */
    static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted(NATURAL).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list the directory", e);
        }
    }

    static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** A tensor name as a file name: characters outside {@code [A-Za-z0-9._-]} become {@code _}. */
    static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]+", "_");
        return s.length() > 80 ? s.substring(0, 80) : s;
    }

    /**
     * Whether {@code file} holds input {@code in} in a record directory: {@code input<k>.npy},
     * {@code <name>.npy}, or {@code <tensor index>_<name>.npy} as {@code litebit run --dump-all}
     * writes them (characters of the name outside {@code [A-Za-z0-9._-]} as {@code _}).
     */
    static boolean holdsInput(Path file, InputSpec in) {
        String n = file.getFileName().toString();
        String safe = safe(in.name());
        return n.equals("input" + in.index() + ".npy") || n.equals(safe + ".npy")
                || n.matches("\\d{4}_" + java.util.regex.Pattern.quote(safe) + "\\.npy");
    }

    static String expectedInputFiles(InputSpec in) {
        return "input" + in.index() + ".npy, " + safe(in.name()) + ".npy or NNNN_" + safe(in.name()) + ".npy";
    }
}
