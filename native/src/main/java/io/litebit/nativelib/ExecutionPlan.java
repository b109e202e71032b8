package io.litebit.nativelib;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.GetOpNameByRegistration;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteBuiltinDelegate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.RegistrationNodePair;
import org.bytedeco.tensorflowlite.TfLiteRegistration;

/**
 * A snapshot of an interpreter's execution plan (primary subgraph): the nodes TFLite will run, in
 * order, and which of them are delegate kernels.
 *
 * <p>When a delegate takes over a partition of the graph, TFLite replaces the partition's nodes
 * in the execution plan by one node whose registration has builtin code {@code DELEGATE} (51)
 * and the delegate's {@code custom_name}, e.g. {@code TfLiteXNNPackDelegate}. So a collapsing
 * plan shows that operators went to the delegate, and the operators left in the plan are the
 * ones TFLite's own kernels run.
 *
 * @param nodes the nodes of the execution plan, in execution order
 * @param totalNodes the number of nodes of the subgraph, including those a delegate replaced and
 *     the delegate kernel nodes it added
 */
public record ExecutionPlan(List<Node> nodes, int totalNodes) {
    /**
     * One node of the execution plan.
     *
     * @param index the node index in the subgraph
     * @param opName TFLite's operator name ({@code GetOpNameByRegistration}), e.g. {@code CONV_2D}
     *     or {@code DELEGATE TfLiteXNNPackDelegate}
     * @param builtinCode the registration's builtin code
     * @param customName the registration's custom name (delegate name for delegate kernels), or
     *     {@code null}
     * @param version the operator version of the registration
     */
    public record Node(int index, String opName, int builtinCode, String customName, int version) {
        /** Whether this node is a delegate kernel (it runs a whole delegated partition). */
        public boolean isDelegateKernel() {
            return builtinCode == kTfLiteBuiltinDelegate;
        }
    }

    /** Defensive copy. */
    public ExecutionPlan {
        nodes = List.copyOf(nodes);
    }

    /**
     * Reads the execution plan of an interpreter (after {@code ModifyGraphWithDelegate} or
     * {@code AllocateTensors}, when delegates have been applied).
     *
     * @param interpreter a live interpreter; not retained
     */
    public static ExecutionPlan of(Interpreter interpreter) {
        Objects.requireNonNull(interpreter, "interpreter");
        if (interpreter.isNull()) {
            throw new IllegalArgumentException("interpreter is null or closed");
        }
        IntPointer plan = interpreter.execution_plan();
        long size = plan.limit() - plan.position();
        List<Node> nodes = new ArrayList<>((int) size);
        for (long i = 0; i < size; i++) {
            int index = plan.get(plan.position() + i);
            RegistrationNodePair pair = interpreter.node_and_registration(index);
            TfLiteRegistration registration = pair.second();
            BytePointer custom = registration.custom_name();
            String customName = custom == null || custom.isNull() ? null : custom.getString();
            nodes.add(new Node(index, GetOpNameByRegistration(registration),
                    registration.builtin_code(), customName, registration.version()));
        }
        return new ExecutionPlan(nodes, (int) interpreter.nodes_size());
    }

    /** The number of nodes in the execution plan. */
    public int size() {
        return nodes.size();
    }

    /** The number of delegate kernel nodes in the plan. */
    public int delegateKernelCount() {
        return (int) nodes.stream().filter(Node::isDelegateKernel).count();
    }

    /** The number of plan nodes run by TFLite's own kernels (not delegate kernels). */
    public int nonDelegatedCount() {
        return size() - delegateKernelCount();
    }

    /** How many plan nodes run each operator, e.g. {@code {CONV_2D=35, ...}}, in plan order. */
    public Map<String, Integer> opCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Node node : nodes) {
            counts.merge(node.opName(), 1, Integer::sum);
        }
        return counts;
    }

    /** How many plan nodes run the given builtin operator code. */
    public int count(int builtinCode) {
        return (int) nodes.stream().filter(n -> n.builtinCode() == builtinCode).count();
    }
}
