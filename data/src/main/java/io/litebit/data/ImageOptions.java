package io.litebit.data;

import java.util.Objects;

/**
 * How images become model inputs: resized (bilinear, half-pixel centres) to the model input's
 * height and width, as RGB or grayscale, laid out NHWC or NCHW, with an explicit
 * {@link Preprocessing}.
 *
 * <pre>{@code
 * ImageOptions o = ImageOptions.DEFAULT.withPreprocessing(Preprocessing.parse("1/255", null, null));
 * }</pre>
 *
 * @param channels      {@code null}: taken from the input's channel dimension (1 gray, 3 RGB)
 * @param layout        where the channel axis is in a rank-4 input
 * @param preprocessing pixel to value; {@code null} = not given (an error for float inputs)
 */
public record ImageOptions(Channels channels, Layout layout, Preprocessing preprocessing) {
    public static final ImageOptions DEFAULT = new ImageOptions(null, Layout.NHWC, null);

    public enum Channels { RGB, GRAY }

    public enum Layout { NHWC, NCHW }

    public ImageOptions {
        Objects.requireNonNull(layout, "layout");
    }

    public ImageOptions withPreprocessing(Preprocessing p) {
        return new ImageOptions(channels, layout, p);
    }

    public ImageOptions withChannels(Channels c) {
        return new ImageOptions(c, layout, preprocessing);
    }

    public ImageOptions withLayout(Layout l) {
        return new ImageOptions(channels, l, preprocessing);
    }
}
