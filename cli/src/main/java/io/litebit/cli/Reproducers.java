package io.litebit.cli;

import io.litebit.data.Npy;
import io.litebit.conformance.CpuInfo;
import io.litebit.conformance.MatrixResult;
import io.litebit.conformance.fuzz.FuzzCampaign;
import io.litebit.conformance.fuzz.OpCase;
import io.litebit.model.DType;
import io.litebit.model.Subgraph;
import io.litebit.model.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes a shrunk fuzz case as a directory a user can file upstream or rerun: {@code
 * model.tflite}, {@code input<k>.npy} (the input's own dtype, already quantized) and {@code
 * README.txt} with the parameters, what every backend pair showed, and the commands that
 * reproduce and regenerate it.
 */
final class Reproducers {
    private Reproducers() {
    }

    /** The directory name: op, dtype path and the reproducer's number within them, e.g. {@code conv_2d-int8-1}. */
    static String dirName(FuzzCampaign.OpResult r, FuzzCampaign.Reproducer rep) {
        int k = 1;
        for (FuzzCampaign.Reproducer x : r.reproducers()) {
            if (x == rep) {
                break;
            }
            if (x.path().equals(rep.path())) {
                k++;
            }
        }
        return r.op().name().toLowerCase(Locale.ROOT) + "-" + rep.path().replace("->", "-to-") + "-" + k;
    }

    static Path write(Path out, FuzzCampaign.OpResult r, FuzzCampaign.Reproducer rep, FuzzCampaign.Options options)
            throws IOException {
        Path dir = out.resolve(dirName(r, rep));
        Files.createDirectories(dir);
        OpCase c = rep.minimal();
        Files.write(dir.resolve("model.tflite"), c.model().toBytes());
        Subgraph g = c.model().mainSubgraph();
        for (int i = 0; i < c.inputs().size(); i++) {
            Tensor t = g.inputTensor(i);
            Npy.write(dir.resolve("input" + i + ".npy"), t.dtype(), t.shape(), ByteBuffer.wrap(c.inputs().get(i)));
        }
        Files.writeString(dir.resolve("README.txt"), text(r, rep, options), StandardCharsets.UTF_8);
        return dir;
    }

    /** The values of a small input (the first 64 of a larger one), exact: float32 as Java prints the float. */
    private static String values(Tensor t, byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) t.elementCount();
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(n, 64); i++) {
            double v = ValueFormat.element(b, t.dtype(), i);
            sb.append(i > 0 ? ", " : "").append(t.dtype() == DType.FLOAT32 ? Float.toString((float) v) : Long.toString((long) v));
        }
        return sb.append(n > 64 ? ", ... (" + n + " values)]" : "]").toString();
    }

    static String text(FuzzCampaign.OpResult r, FuzzCampaign.Reproducer rep, FuzzCampaign.Options options) {
        OpCase c = rep.minimal();
        StringBuilder sb = new StringBuilder();
        sb.append("litebit fuzz reproducer\n\n");
        sb.append("op:         ").append(r.op()).append(" (dtype path ").append(rep.path()).append(")\n");
        sb.append("case:       ").append(c.params()).append('\n');
        sb.append("shrunk from seed ").append(rep.original().seed()).append(": ").append(rep.original().params())
                .append("\n            (").append(rep.attempts()).append(" candidates run)\n");
        sb.append("cpu:        ").append(CpuInfo.describe()).append("\n\n");
        Subgraph g = c.model().mainSubgraph();
        for (int i = 0; i < c.inputs().size(); i++) {
            Tensor t = g.inputTensor(i);
            sb.append("input ").append(i).append(" \"").append(t.name()).append("\" ").append(t.dtype().displayName())
                    .append(Arrays.toString(t.shape())).append(": ").append(values(t, c.inputs().get(i))).append('\n');
        }
        sb.append('\n');
        sb.append("What each backend pair showed on this case (every traced tensor):\n");
        for (MatrixResult.Pair p : rep.result().pairs()) {
            sb.append("  ").append(p.label()).append(": ");
            if (!p.compared()) {
                sb.append("not compared: ").append(p.unavailable());
            } else if (p.identical()) {
                sb.append("identical");
            } else {
                sb.append(p.differingElements()).append(" differing elements, max ")
                        .append(p.maxLsb() > 0 || p.maxUlp() == 0 ? p.maxLsb() + " LSB" : p.maxUlp() + " ULP")
                        .append(", histogram (b - a) ").append(p.histogram()).append("\n      first divergence: ")
                        .append(p.firstDivergence().map(Object::toString).orElse("tensors missing " + p.missing()));
            }
            sb.append('\n');
        }
        for (MatrixResult.BackendRun b : rep.result().backends()) {
            if (!b.ok()) {
                sb.append("  ").append(b.backend()).append(" did not run: ").append(b.error()).append('\n');
            }
        }
        List<String> names = options.backends().stream().map(io.litebit.trace.Backend::name).toList();
        sb.append("\nReproduce (from this directory):\n");
        sb.append("  litebit conform model.tflite --inputs . --backends ").append(String.join(",", names)).append('\n');
        sb.append("Regenerate the campaign that found it:\n");
        sb.append("  litebit fuzz --op ").append(r.op()).append(" --cases ").append(r.cases()).append(" --seed ")
                .append(r.seed()).append(" --backends ").append(String.join(",", names)).append('\n');
        return sb.toString();
    }
}
