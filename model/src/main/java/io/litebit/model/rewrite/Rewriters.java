package io.litebit.model.rewrite;

import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import java.util.function.Predicate;

/**
 * Model rewriters. Each is a pure function: it leaves its argument alone and returns a new model
 * that was assembled, written with {@link io.litebit.model.io.ModelWriter} and read back with
 * {@link io.litebit.model.io.ModelReader}, so the result is exactly what any reader of the file
 * sees ({@link TfliteModel#toBytes()} gives those bytes) and has passed the same validation.
 *
 * <pre>{@code
 * TfliteModel int8 = TfliteModel.load(Path.of("mobilenet_v2_int8.tflite"));
 *
 * // every intermediate tensor observable, even inside an XNNPACK partition
 * TfliteModel instrumented = Rewriters.allTensorsAsOutputs(int8);
 *
 * // the same network in float, for per-layer quantization error
 * TfliteModel twin = Rewriters.floatTwin(int8);
 *
 * // operator 7 alone, with its weights, ready to run or to file upstream
 * Files.write(Path.of("op7.tflite"), Rewriters.extractOperator(int8, 0, 7).toBytes());
 * }</pre>
 */
public final class Rewriters {
    /** Keeps every tensor: the default of {@link #allTensorsAsOutputs(TfliteModel)}. */
    public static final Predicate<Tensor> ALL_TENSORS = t -> true;

    /** Keeps tensors whose values a run computes or receives; constants are known from the file. */
    public static final Predicate<Tensor> NON_CONSTANT_TENSORS = t -> !t.isConstant();

    private Rewriters() {
    }

    /**
     * Makes every tensor of the model's entry subgraphs a subgraph output, so that a runtime that
     * would not keep intermediates (XNNPACK partitions, TFLite's arena reuse) exposes them all.
     *
     * <p>Ordering: the original outputs come first, unchanged and in their order (so output
     * {@code i} of the original is still output {@code i}); then every other tensor in increasing
     * tensor index. Tensor indices are not changed, so output {@code k >= originalCount} is tensor
     * {@code outputs()[k]} of the same model, and the signature defs stay as they were: they still
     * name the same tensors, all of which are still outputs, so signature-based callers see the
     * original interface while index-based callers see everything.
     *
     * <p>Entry subgraphs are subgraph 0 and every subgraph a signature runs. Other subgraphs are
     * bodies of control-flow operators (WHILE, IF, ...), whose output count is fixed by the caller,
     * and are left alone.
     *
     * <p>Making a tensor an output forces a runtime to materialize it: XNNPACK then cannot keep it
     * in a fused kernel, and TFLite cannot share its memory, so the instrumented model may run a
     * different kernel sequence (and so give different int8 bytes) than the original.
     *
     * <pre>{@code
     * TfliteModel all = Rewriters.allTensorsAsOutputs(model);
     * assert all.mainSubgraph().outputs().length == all.mainSubgraph().tensors().size();
     * }</pre>
     */
    public static TfliteModel allTensorsAsOutputs(TfliteModel model) {
        return AllTensorsAsOutputs.rewrite(model, ALL_TENSORS);
    }

    /**
     * Like {@link #allTensorsAsOutputs(TfliteModel)}, adding only the tensors {@code include}
     * accepts; the original outputs are always kept, first and in order.
     *
     * <pre>{@code
     * TfliteModel activations = Rewriters.allTensorsAsOutputs(model, Rewriters.NON_CONSTANT_TENSORS);
     * }</pre>
     */
    public static TfliteModel allTensorsAsOutputs(TfliteModel model, Predicate<Tensor> include) {
        return AllTensorsAsOutputs.rewrite(model, include);
    }

    /**
     * The model with the five intermediate tensors TFLite's quantizer needs added to every
     * {@code UNIDIRECTIONAL_SEQUENCE_LSTM} that has none (TFLite's {@code AddIntermediateTensors},
     * run before calibration): float, shapeless, appended after the existing tensors so that every
     * other tensor keeps its index. The model itself when no LSTM needs them.
     *
     * <pre>{@code
     * TfliteModel withIntermediates = Rewriters.withLstmIntermediates(floatLstmModel);
     * int[] five = withIntermediates.mainSubgraph().operator(0).intermediates();
     * }</pre>
     */
    public static TfliteModel withLstmIntermediates(TfliteModel model) {
        return LstmIntermediates.rewrite(model);
    }

    /**
     * The model with a recorded range ({@code min}/{@code max} of the tensor's quantization
     * parameters) written into the given tensors of one subgraph: what TFLite's calibrator and
     * ONE's {@code record-minmax} write into a float model, and what TFLite's quantizer and
     * litebit's read. Scales and zero points a tensor already has are kept; ranges are stored as
     * float32, as the schema does.
     *
     * <pre>{@code
     * TfliteModel calibrated = Rewriters.withRecordedRanges(floatModel, 0, Map.of(5, new MinMax(0, 6.2)));
     * calibrated.mainSubgraph().tensor(5).quantization().max();   // [6.2]
     * }</pre>
     *
     * @throws IllegalArgumentException for a subgraph or tensor index that does not exist
     */
    public static TfliteModel withRecordedRanges(TfliteModel model, int subgraph,
            java.util.Map<Integer, io.litebit.model.quant.MinMax> ranges) {
        return RecordedRanges.rewrite(model, subgraph, ranges);
    }

    /**
     * The float twin of a quantized model: the same network computed in float32, to measure what
     * quantization costs layer by layer.
     *
     * <ul>
     *   <li>Every quantized tensor (an integer tensor with scales) becomes float32 without
     *       quantization. Constant ones are dequantized element by element as
     *       {@code scale * (q - zero_point)}, with each channel's own scale and zero point for
     *       per-channel tensors (along {@code quantized_dimension}); int32 biases use their own
     *       scale, which converters set to input scale times weight scale. The product is formed
     *       exactly in double and rounded once to float. Float16 tensors become float32 too.</li>
     *   <li>Integer tensors without quantization (shapes, paddings, axes, permutations, indices)
     *       keep their type and bytes.</li>
     *   <li>QUANTIZE and DEQUANTIZE are identities in float and are removed, at the edges and
     *       inside the graph (requantizations) alike, by merging the tensors at their two ends: an
     *       edge QUANTIZE leaves the model's float input feeding the first op directly, an edge
     *       DEQUANTIZE leaves the last op writing the model's float output directly, so the inputs,
     *       outputs, their names and the signature defs stay those of the original. Where both ends
     *       are fixed (a model input dequantized straight into a model output) the op becomes a
     *       float RESHAPE to the same shape instead.</li>
     *   <li>Operators whose tensors change type lose their intermediates (quantized LSTMs record
     *       internal scales there; float LSTMs have none) and those intermediate tensors are
     *       dropped; such operators get the version TFLite's op versioning gives the float op
     *       ({@link io.litebit.model.versioning.OpVersions}; e.g. FULLY_CONNECTED 4 becomes 1,
     *       SOFTMAX 2 becomes 1), CUSTOM operators keep theirs.</li>
     *   <li>Everything else stays: operator order, options, tensor names and shapes, metadata.
     *       Tensors are renumbered only where some were removed; {@link #floatTwinWithMapping}
     *       tells where each went.</li>
     * </ul>
     *
     * <pre>{@code
     * TfliteModel twin = Rewriters.floatTwin(TfliteModel.load(Path.of("hello_world_int8.tflite")));
     * twin.mainSubgraph().inputTensor(0).dtype();   // FLOAT32
     * }</pre>
     *
     * @throws IllegalArgumentException      when a per-channel tensor's scales do not fit its shape
     * @throws UnsupportedOperationException for sparse quantized constants
     */
    public static TfliteModel floatTwin(TfliteModel model) {
        return FloatTwinRewriter.rewrite(model).model();
    }

    /**
     * {@link #floatTwin(TfliteModel)} together with the mapping from each original tensor to the
     * twin's tensor that holds its real values.
     *
     * <pre>{@code
     * FloatTwin twin = Rewriters.floatTwinWithMapping(int8);
     * for (Tensor t : int8.mainSubgraph().tensors()) {
     *     int f = twin.twinTensor(0, t.index());       // -1: no float counterpart
     * }
     * }</pre>
     */
    public static FloatTwin floatTwinWithMapping(TfliteModel model) {
        return FloatTwinRewriter.rewrite(model);
    }

    /**
     * One operator as a standalone single-op model, e.g. to run it alone on every backend or to
     * attach it to a bug report.
     *
     * <p>The model's only subgraph holds just the op's tensors, renumbered in the order the op
     * names them (inputs, then outputs, then intermediates; a tensor used twice appears once), with
     * their names, shapes, types and quantization. Constant inputs keep their bytes; the other
     * inputs become the subgraph inputs in the op's input order, except variable tensors (an
     * LSTM's state), which stay state as in the original; the op's outputs are the subgraph
     * outputs. Omitted optional inputs stay -1. Only the buffers the op uses are kept, and only
     * its operator code (same version). Signatures and metadata, which describe the whole model,
     * are not carried over; the description names the op and where it came from.
     *
     * <pre>{@code
     * TfliteModel conv = Rewriters.extractOperator(model, 0, 2);
     * Operator op = conv.mainSubgraph().operator(0);
     * }</pre>
     *
     * @throws IndexOutOfBoundsException     when there is no such subgraph or operator
     * @throws UnsupportedOperationException for control-flow operators, which run other subgraphs
     */
    public static TfliteModel extractOperator(TfliteModel model, int subgraphIndex, int opIndex) {
        return OperatorExtractor.extract(model, subgraphIndex, opIndex);
    }
}
