package io.litebit.quantization.calibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litebit.model.quant.MinMax;

/**
 * The calibration statistics as JSON ({@code litebit calibrate --stats FILE.json}), every number
 * exactly as recorded (doubles and floats printed as Jackson prints Java's shortest round-trip
 * form), so two runs, or a sharded run and a single one, can be compared as files.
 *
 * <pre>{@code
 * String json = StatsJson.write(result);
 * }</pre>
 *
 * <p>Keys: {@code method}, {@code records} (read), {@code used}, {@code skipped} (record, source,
 * reason), and per tensor ({@code tensors}) {@code index}, {@code name}, {@code min}, {@code max}
 * (the method's range, zero included), {@code recorded_min}, {@code recorded_max}, {@code count},
 * {@code nan_count}, {@code inf_count}, {@code records}, {@code record_min}, {@code record_max},
 * {@code histogram} ({@code exponent}: bins are 2^exponent wide, {@code first_index}: bin 0 starts
 * at first_index·2^exponent, {@code counts}).
 */
public final class StatsJson {
    private StatsJson() {
    }

    static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** The full document: summary and every statistic. */
    public static ObjectNode document(CalibrationResult r, boolean full) {
        ObjectMapper m = mapper();
        ObjectNode root = m.createObjectNode();
        CalibrationStats s = r.stats();
        root.put("method", r.method().spec());
        root.put("records", s.read());
        root.put("used", s.used());
        ArrayNode skipped = root.putArray("skipped");
        for (CalibrationStats.Skipped k : s.skipped()) {
            skipped.addObject().put("record", k.record()).put("source", k.source()).put("reason", k.reason());
        }
        ArrayNode tensors = root.putArray("tensors");
        for (TensorStats t : s.tensors()) {
            ObjectNode o = tensors.addObject();
            o.put("index", t.tensorIndex());
            o.put("name", t.name());
            MinMax range = r.ranges().get(t.tensorIndex());
            if (range == null) {
                o.putNull("min");
                o.putNull("max");
            } else {
                o.put("min", range.min());
                o.put("max", range.max());
            }
            if (!full) {
                continue;
            }
            if (t.hasRange()) {
                o.put("recorded_min", t.min());
                o.put("recorded_max", t.max());
            }
            o.put("count", t.count());
            o.put("nan_count", t.nanCount());
            o.put("inf_count", t.infCount());
            ArrayNode recs = o.putArray("records");
            ArrayNode lo = o.putArray("record_min");
            ArrayNode hi = o.putArray("record_max");
            int[] ri = t.records();
            float[] rl = t.recordMins();
            float[] rh = t.recordMaxs();
            for (int i = 0; i < ri.length; i++) {
                recs.add(ri[i]);
                lo.add(rl[i]);
                hi.add(rh[i]);
            }
            Histogram h = t.histogram();
            if (h.isEmpty()) {
                // Calibrated without histograms (or no finite value): say so rather than write an empty one.
                o.putNull("histogram");
                continue;
            }
            ObjectNode hn = o.putObject("histogram");
            hn.put("exponent", h.exponent());
            hn.put("first_index", h.firstIndex());
            ArrayNode c = hn.putArray("counts");
            for (long v : h.counts()) {
                c.add(v);
            }
        }
        return root;
    }

    /** {@link #document(CalibrationResult, boolean) document(r, true)} as indented text. */
    public static String write(CalibrationResult r) {
        try {
            return mapper().writeValueAsString(document(r, true));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
