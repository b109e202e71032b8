package io.litebit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.litebit.model.testing.SharedAssets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Corrupts every shared model in seeded ways and checks the contract: loading either succeeds
 * (and the view is then fully usable) or throws {@link ModelFormatException}; nothing else.
 */
class ModelMutationTest {
    private static final long SEED = 0x5EEDL;
    private static final int CASES_PER_MODEL = 160;

    @Test
    void corruptedAndTruncatedModelsFailOnlyWithModelFormatException() throws Exception {
        List<Path> models = SharedAssets.allModels();
        SplittableRandom random = new SplittableRandom(SEED);
        int loaded = 0;
        int rejected = 0;
        for (Path p : models) {
            byte[] original = Files.readAllBytes(p);
            for (int c = 0; c < CASES_PER_MODEL; c++) {
                byte[] bytes = mutate(original, random, c);
                String what = p.getFileName() + " case " + c;
                try {
                    TfliteModel m = TfliteModel.fromBytes(bytes);
                    exercise(m);
                    loaded++;
                } catch (ModelFormatException e) {
                    assertThat(e.getMessage()).as(what).isNotBlank();
                    rejected++;
                } catch (Throwable t) {
                    fail(what + ": expected success or ModelFormatException, got " + t, t);
                }
            }
        }
        assertThat(loaded + rejected).isEqualTo(models.size() * CASES_PER_MODEL);
        // Both outcomes must occur, or the mutations are not exercising the validator.
        assertThat(rejected).isGreaterThan(models.size() * CASES_PER_MODEL / 10);
        assertThat(loaded).isGreaterThan(models.size() * CASES_PER_MODEL / 10);
    }

    /** Touches everything a user of the view can touch, including writing it back. */
    private static void exercise(TfliteModel m) {
        for (Subgraph g : m.subgraphs()) {
            for (Tensor t : g.tensors()) {
                t.data().ifPresent(ByteBuffer::remaining);
                t.quantization().toString();
                t.shapeSignature();
            }
            for (Operator op : g.operators()) {
                op.options().summary();
                op.opcode().displayName();
                g.producerOf(op.index());
            }
        }
        m.weightBytesByType();
        m.metadata().forEach(MetadataEntry::asText);
        try {
            TfliteModel.fromBuffer(m.write());
        } catch (UnsupportedOperationException e) {
            // the writer refuses sparse tensors explicitly
            assertThat(e.getMessage()).contains("sparse");
        }
    }

    private static byte[] mutate(byte[] original, SplittableRandom r, int c) {
        byte[] b = original.clone();
        switch (c % 6) {
            case 0 -> { // truncation anywhere
                int len = r.nextInt(b.length);
                return java.util.Arrays.copyOf(b, len);
            }
            case 1 -> { // a few random bytes
                int n = 1 + r.nextInt(8);
                for (int i = 0; i < n; i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            case 2 -> { // one aligned 32-bit word set to an interesting value (offsets, lengths, indices)
                int pos = r.nextInt(b.length / 4) * 4;
                int[] values = {0, -1, 1, 0x7fffffff, 0x80000000, b.length, r.nextInt()};
                putInt(b, pos, values[r.nextInt(values.length)]);
            }
            case 3 -> { // a word in the first 4 KiB, where the tables and vtables live in small models
                int pos = r.nextInt(Math.min(b.length, 4096) / 4) * 4;
                putInt(b, pos, r.nextInt(-4, 4096));
            }
            case 4 -> { // zero a range
                int start = r.nextInt(b.length);
                int len = Math.min(b.length - start, 1 + r.nextInt(64));
                java.util.Arrays.fill(b, start, start + len, (byte) 0);
            }
            default -> { // a 16-bit vtable-sized value
                int pos = r.nextInt(b.length / 2) * 2;
                b[pos] = (byte) r.nextInt(256);
                b[pos + 1] = (byte) r.nextInt(4);
            }
        }
        return b;
    }

    private static void putInt(byte[] b, int pos, int v) {
        if (pos + 4 > b.length) {
            return;
        }
        b[pos] = (byte) v;
        b[pos + 1] = (byte) (v >> 8);
        b[pos + 2] = (byte) (v >> 16);
        b[pos + 3] = (byte) (v >> 24);
    }
}
