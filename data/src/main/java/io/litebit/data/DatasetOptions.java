package io.litebit.data;

import io.litebit.model.TfliteModel;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Datasets#open} needs beyond the spec: the model's inputs (shapes for raw files,
 * sizes for images, names for {@code .npz} entries; empty when no model is given) and the
 * image options.
 *
 * <pre>{@code
 * DatasetOptions o = DatasetOptions.forModel(model).withImages(ImageOptions.DEFAULT
 *         .withPreprocessing(Preprocessing.parse("1/255", null, null)));
 * }</pre>
 */
public record DatasetOptions(List<InputSpec> inputs, ImageOptions images) {
    public static final DatasetOptions NONE = new DatasetOptions(List.of(), ImageOptions.DEFAULT);

    public DatasetOptions {
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(images, "images");
    }

    public static DatasetOptions forModel(TfliteModel model) {
        return new DatasetOptions(InputSpec.of(model), ImageOptions.DEFAULT);
    }

    public DatasetOptions withImages(ImageOptions o) {
        return new DatasetOptions(inputs, o);
    }

    public boolean hasModel() {
        return !inputs.isEmpty();
    }
}
