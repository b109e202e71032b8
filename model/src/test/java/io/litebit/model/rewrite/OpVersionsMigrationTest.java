package io.litebit.model.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.litebit.model.BuiltinOp;
import io.litebit.model.Operator;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import io.litebit.model.TfliteModel;
import io.litebit.model.versioning.OpVersions;
import io.litebit.model.zoo.Zoo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Migration check, to be removed with the two ports it compares against: the merged
 * {@link OpVersions} must give what {@code build.OpVersions} gave for every op it had a rule for,
 * on every shared and zoo model, and what {@link FloatOpVersion} gave for every op of every
 * float twin of those models.
 */
class OpVersionsMigrationTest {

    /** The ops {@code build.OpVersions} had a case for, plus the two it documented as version 1. */
    private static final Set<BuiltinOp> BUILDER_RULES = EnumSet.of(BuiltinOp.ADD, BuiltinOp.AVERAGE_POOL_2D,
            BuiltinOp.BATCH_MATMUL, BuiltinOp.CONCATENATION, BuiltinOp.CONV_2D, BuiltinOp.DEPTHWISE_CONV_2D,
            BuiltinOp.DEQUANTIZE, BuiltinOp.FULLY_CONNECTED, BuiltinOp.HARD_SWISH, BuiltinOp.LEAKY_RELU,
            BuiltinOp.LOGISTIC, BuiltinOp.MAX_POOL_2D, BuiltinOp.MEAN, BuiltinOp.MUL, BuiltinOp.PAD, BuiltinOp.PADV2,
            BuiltinOp.QUANTIZE, BuiltinOp.RELU, BuiltinOp.RELU6, BuiltinOp.RESHAPE, BuiltinOp.SOFTMAX, BuiltinOp.SQUEEZE,
            BuiltinOp.STRIDED_SLICE, BuiltinOp.SUB, BuiltinOp.TANH, BuiltinOp.TRANSPOSE, BuiltinOp.TRANSPOSE_CONV);

    private static Map<String, TfliteModel> models() {
        Map<String, TfliteModel> models = new LinkedHashMap<>();
        for (String name : RewriteAssertions.allShared()) {
            models.put(name, RewriteAssertions.shared(name));
        }
        models.putAll(Zoo.all());
        return models;
    }

    @Test
    void mergedRulesGiveTheBuildersVersions() {
        List<String> mismatches = new ArrayList<>();
        List<String> newRules = new ArrayList<>();
        int compared = 0;
        for (Map.Entry<String, TfliteModel> e : models().entrySet()) {
            for (Subgraph g : e.getValue().subgraphs()) {
                for (Operator op : g.operators()) {
                    int before = io.litebit.model.build.OpVersions.of(g, op);
                    int after = OpVersions.of(g, op);
                    String at = e.getKey() + " subgraph " + g.index() + " op " + op.index() + " " + op.opcode().displayName()
                            + ": builder " + before + ", merged " + after + ", file " + op.opcode().version();
                    if (BUILDER_RULES.contains(op.op())) {
                        compared++;
                        if (before != after) {
                            mismatches.add(at);
                        }
                    } else if (before != after) {
                        newRules.add(at);
                    }
                }
            }
        }
        System.out.println("[migration] builder ops compared: " + compared + "; ops the builder had no rule for that now"
                + " get another version than 1: " + newRules.size());
        newRules.forEach(s -> System.out.println("[migration]   " + s));
        assertThat(mismatches).isEmpty();
        assertThat(compared).isGreaterThan(100);
    }

    @Test
    void mergedRulesGiveTheFloatTwinsVersions() {
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (Map.Entry<String, TfliteModel> e : models().entrySet()) {
            TfliteModel twin = Rewriters.floatTwin(e.getValue());
            for (Subgraph g : twin.subgraphs()) {
                for (Operator op : g.operators()) {
                    Tensor[] in = tensors(g, op.inputs());
                    Tensor[] out = tensors(g, op.outputs());
                    int before = FloatOpVersion.of(op, in, out);
                    int after = OpVersions.find(op.op(), op.options(), Arrays.asList(in), Arrays.asList(out))
                            .orElse(op.opcode().version());
                    compared++;
                    if (before != after || op.opcode().version() != after) {
                        mismatches.add(e.getKey() + " twin subgraph " + g.index() + " op " + op.index() + " "
                                + op.opcode().displayName() + ": FloatOpVersion " + before + ", merged " + after
                                + ", written " + op.opcode().version());
                    }
                }
            }
        }
        System.out.println("[migration] float-twin ops compared: " + compared + ", differing: " + mismatches.size());
        mismatches.forEach(s -> System.out.println("[migration]   " + s));
        assertThat(mismatches).isEmpty();
        assertThat(compared).isGreaterThan(100);
    }

    private static Tensor[] tensors(Subgraph g, int[] indices) {
        Tensor[] result = new Tensor[indices.length];
        for (int k = 0; k < indices.length; k++) {
            result[k] = indices[k] < 0 ? null : g.tensor(indices[k]);
        }
        return result;
    }
}
