package io.litebit.quantization.calibration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything one calibration pass recorded: the statistics of every float activation tensor of
 * the main subgraph (model inputs included), and the accounting of the records: read, used, and
 * each skipped one with its reason. Immutable and mergeable, so that shards (threads here,
 * machines on Spark) combine exactly: {@code a.merge(b)} equals one pass over both shards.
 *
 * <pre>{@code
 * CalibrationStats all = shard0.merge(shard1);
 * all.tensors().forEach(t -> System.out.println(t));
 * System.out.println(all.used() + " of " + all.read() + " records used");
 * }</pre>
 *
 * @param tensors per tensor, ascending tensor index
 * @param read    records read from the dataset
 * @param skipped records read but not used, ascending record index
 */
public record CalibrationStats(List<TensorStats> tensors, int read, List<Skipped> skipped) {
    /** A record that was read but left out, and why. */
    public record Skipped(int record, String source, String reason) {
    }

    public CalibrationStats {
        tensors = List.copyOf(tensors);
        skipped = List.copyOf(skipped);
    }

    /** Records that contributed to the statistics. */
    public int used() {
        return read - skipped.size();
    }

    public Optional<TensorStats> tensor(int tensorIndex) {
        return tensors.stream().filter(t -> t.tensorIndex() == tensorIndex).findFirst();
    }

    /** Both shards, exactly as one pass over their records gives them. */
    public CalibrationStats merge(CalibrationStats o) {
        Map<Integer, TensorStats> byIndex = new TreeMap<>();
        for (TensorStats t : tensors) {
            byIndex.put(t.tensorIndex(), t);
        }
        for (TensorStats t : o.tensors) {
            byIndex.merge(t.tensorIndex(), t, TensorStats::merge);
        }
        List<Skipped> sk = new ArrayList<>(skipped);
        sk.addAll(o.skipped);
        sk.sort(java.util.Comparator.comparingInt(Skipped::record));
        return new CalibrationStats(new ArrayList<>(byIndex.values()), read + o.read, sk);
    }
}
