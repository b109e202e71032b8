package io.litebit.cli;

import io.litebit.data.DatasetOptions;
import io.litebit.data.ImageOptions;
import io.litebit.data.InputSpec;
import io.litebit.data.Preprocessing;
import io.litebit.model.TfliteModel;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The image options every command that reads a dataset shares (picocli mixin): how pixels
 * become input values is always said, never guessed.
 */
final class DatasetSpecOptions {
    @Option(names = "--scale", paramLabel = "S", description = "images: value = (pixel * S - mean) / std; a number or a fraction, e.g. 1/255")
    String scale;

    @Option(names = "--mean", paramLabel = "M", description = "images: subtracted after --scale (e.g. 127.5)")
    String mean;

    @Option(names = "--std", paramLabel = "D", description = "images: divides last (e.g. 127.5)")
    String std;

    @Option(names = "--channels", paramLabel = "rgb|gray", description = "images: colour or grayscale (default: from the input's channel dimension)")
    String channels;

    @Option(names = "--layout", paramLabel = "nhwc|nchw", defaultValue = "nhwc", description = "images: where the channel axis is (default nhwc)")
    String layout;

    DatasetOptions options(TfliteModel model) {
        List<InputSpec> inputs = model == null ? List.of() : InputSpec.of(model);
        return new DatasetOptions(inputs, images());
    }

    ImageOptions images() {
        Preprocessing p = scale == null && mean == null && std == null ? null : Preprocessing.parse(scale, mean, std);
        ImageOptions.Channels c = channels == null ? null : switch (channels.toLowerCase(Locale.ROOT)) {
            case "rgb" -> ImageOptions.Channels.RGB;
            case "gray", "grey", "grayscale" -> ImageOptions.Channels.GRAY;
            default -> throw new IllegalArgumentException("--channels expects rgb or gray, given " + channels);
        };
        ImageOptions.Layout l = switch (layout.toLowerCase(Locale.ROOT)) {
            case "nhwc" -> ImageOptions.Layout.NHWC;
            case "nchw" -> ImageOptions.Layout.NCHW;
            default -> throw new IllegalArgumentException("--layout expects nhwc or nchw, given " + layout);
        };
        return new ImageOptions(c, l, p);
    }
}
