package io.litebit.data;

import io.litebit.model.DType;
import io.litebit.model.Quantization;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * A folder of PNG/JPEG images (the JDK's ImageIO), one record each, in natural name order, for a
 * one-input model: each image is resized to the input's height and width (bilinear with
 * half-pixel centres, TensorFlow's {@code resize(..., half_pixel_centers=True)}), converted to
 * RGB or grayscale (ITU-R BT.601 luma), laid out NHWC or NCHW and preprocessed as
 * {@link ImageOptions} say. Pixels are read from the raster, not through {@code getRGB}, so a
 * grayscale PNG keeps its stored values (Java2D would convert linear gray to sRGB).
 */
final class ImageFolder implements Dataset {
    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final Path dir;
    private final List<Path> files;
    private final InputSpec input;
    private final ImageOptions options;

    ImageFolder(Path dir, List<Path> files, List<InputSpec> inputs, ImageOptions options) {
        if (inputs.size() > 1) {
            throw new DatasetException(dir + ": images feed a model with one input; this model has " + inputs.size());
        }
        this.dir = dir;
        this.files = List.copyOf(files);
        this.input = inputs.isEmpty() ? null : inputs.get(0);
        this.options = options;
        if (input != null && input.dtype() == DType.FLOAT32 && options.preprocessing() == null) {
            throw new DatasetException(dir + ": " + input + " takes real values: say how pixels map to them "
                    + "(--scale 1/255 for [0, 1], --mean 127.5 --std 127.5 for [-1, 1]); litebit never guesses");
        }
    }

    @Override
    public String description() {
        return dir + " (" + files.size() + " images)";
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public Record record(int index) {
        checkIndex(index);
        Path f = files.get(index);
        BufferedImage img;
        try {
            img = ImageIO.read(f.toFile());
        } catch (IOException e) {
            throw new DatasetException(f + " (record " + index + "): cannot read the image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new DatasetException(f + " (record " + index + "): not an image ImageIO can read (PNG, JPEG, BMP, GIF)");
        }
        String what = f + " (record " + index + ")";
        Geometry g = geometry(img);
        float[][] planes = planes(img, g.channels);
        double[] values = new double[g.height * g.width * g.channels];
        Preprocessing pre = options.preprocessing() == null ? Preprocessing.NONE : options.preprocessing();
        for (int c = 0; c < g.channels; c++) {
            float[] resized = resize(planes[c], img.getWidth(), img.getHeight(), g.width, g.height);
            for (int y = 0; y < g.height; y++) {
                for (int x = 0; x < g.width; x++) {
                    int at = g.nchw ? (c * g.height + y) * g.width + x : (y * g.width + x) * g.channels + c;
                    values[at] = pre.apply(resized[y * g.width + x]);
                }
            }
        }
        InputSpec target = input != null ? input
                : new InputSpec(0, "image", DType.UINT8, g.nchw ? new int[] {1, g.channels, g.height, g.width}
                        : new int[] {1, g.height, g.width, g.channels}, Quantization.NONE);
        if (input == null && !pre.isNone()) {
            target = new InputSpec(0, "image", DType.FLOAT32, target.shape(), Quantization.NONE);
        }
        return new Record(index, f.toString(), List.of(InputEncoding.encode(values, target, options.preprocessing() != null, what)));
    }

    private record Geometry(int height, int width, int channels, boolean nchw) {
    }

    private Geometry geometry(BufferedImage img) {
        boolean gray = img.getRaster().getNumBands() < 3;
        if (input == null) {
            int c = options.channels() == ImageOptions.Channels.RGB ? 3 : options.channels() == ImageOptions.Channels.GRAY
                    ? 1 : gray ? 1 : 3;
            return new Geometry(img.getHeight(), img.getWidth(), c, options.layout() == ImageOptions.Layout.NCHW);
        }
        int[] s = input.shape();
        boolean nchw = options.layout() == ImageOptions.Layout.NCHW;
        Geometry g;
        if (s.length == 4) {
            g = nchw ? new Geometry(s[2], s[3], s[1], true) : new Geometry(s[1], s[2], s[3], false);
        } else if (s.length == 3 && !nchw && (s[2] == 1 || s[2] == 3)) {
            g = new Geometry(s[0], s[1], s[2], false);
        } else if (s.length == 3) {
            g = new Geometry(s[1], s[2], 1, false);
        } else if (s.length == 2) {
            g = new Geometry(s[0], s[1], 1, false);
        } else {
            throw new DatasetException(dir + ": " + input + " is not an image input; expected [N,H,W,C], [N,C,H,W] "
                    + "(--layout nchw), [H,W,C], [N,H,W] or [H,W]");
        }
        if (g.channels != 1 && g.channels != 3) {
            throw new DatasetException(dir + ": " + input + " has " + g.channels + " channels in " + options.layout()
                    + "; images give 1 (gray) or 3 (RGB)" + (nchw ? "" : "; is the input NCHW? (--layout nchw)"));
        }
        ImageOptions.Channels wanted = options.channels();
        if (wanted != null && (wanted == ImageOptions.Channels.RGB) != (g.channels == 3)) {
            throw new DatasetException(dir + ": --channels " + wanted.name().toLowerCase(Locale.ROOT) + " but " + input
                    + " has " + g.channels + " channel" + (g.channels == 1 ? "" : "s"));
        }
        return g;
    }

    /** The image as one float plane per wanted channel, values 0..255. */
    private static float[][] planes(BufferedImage img, int channels) {
        int w = img.getWidth();
        int h = img.getHeight();
        Raster r = img.getRaster();
        boolean gray = r.getNumBands() < 3 && img.getColorModel().getColorSpace().getNumComponents() == 1;
        float[][] out = new float[channels][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float red;
                float green;
                float blue;
                if (gray) {
                    red = green = blue = r.getSample(x, y, 0) * 255f / ((1 << r.getSampleModel().getSampleSize(0)) - 1);
                } else {
                    int rgb = img.getRGB(x, y);
                    red = (rgb >> 16) & 0xff;
                    green = (rgb >> 8) & 0xff;
                    blue = rgb & 0xff;
                }
                if (channels == 1) {
                    out[0][y * w + x] = gray ? red : (float) (0.299 * red + 0.587 * green + 0.114 * blue);
                } else {
                    out[0][y * w + x] = red;
                    out[1][y * w + x] = green;
                    out[2][y * w + x] = blue;
                }
            }
        }
        return out;
    }

    /** Bilinear resize with half-pixel centres; the identity when the size is unchanged. */
    static float[] resize(float[] src, int sw, int sh, int dw, int dh) {
        if (sw == dw && sh == dh) {
            return src;
        }
        float[] out = new float[dw * dh];
        double sx = (double) sw / dw;
        double sy = (double) sh / dh;
        for (int y = 0; y < dh; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, sh - 1);
            int y1 = Math.min(y0 + 1, sh - 1);
            double wy = fy - y0;
            for (int x = 0; x < dw; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, sw - 1);
                int x1 = Math.min(x0 + 1, sw - 1);
                double wx = fx - x0;
                double top = src[y0 * sw + x0] * (1 - wx) + src[y0 * sw + x1] * wx;
                double bottom = src[y1 * sw + x0] * (1 - wx) + src[y1 * sw + x1] * wx;
                out[y * dw + x] = (float) (top * (1 - wy) + bottom * wy);
            }
        }
        return out;
    }
}
