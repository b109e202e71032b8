package io.litebit.cli;

import io.litebit.api.Backend;
import java.util.Locale;
import picocli.CommandLine;

/** Parses the CLI spelling of a backend: {@code xnnpack}, {@code builtin}, {@code builtin-ref}. */
final class BackendConverter implements CommandLine.ITypeConverter<Backend> {
    static final String NAMES = "xnnpack, builtin, builtin-ref";

    @Override
    public Backend convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (v) {
            case "xnnpack" -> Backend.XNNPACK;
            case "builtin" -> Backend.BUILTIN;
            case "builtin-ref", "ref" -> Backend.BUILTIN_REF;
            default -> throw new CommandLine.TypeConversionException(
                    "unknown backend '" + value + "', expected one of " + NAMES);
        };
    }

    static String name(Backend b) {
        return b.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
