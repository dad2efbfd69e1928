package io.conlimit.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * kernel-timeline.csv read for the report (docs/results.md): per sample its time (s since the epoch), the accept
 * queue (Recv-Q) and its maximum (Send-Q; null when no listener was on the port then) and every counter column
 * (deltas from the run's start), by the names in the file's header.
 */
final class KernelSamples {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private KernelSamples() {
    }

    /** {t[], queued[], max[], counters: {NAME: []}, samples}; a last record cut short is skipped. */
    static ObjectNode read(Path file) throws IOException {
        ObjectNode o = NODES.objectNode();
        ArrayNode t = o.putArray("t");
        ArrayNode queued = o.putArray("queued");
        ArrayNode max = o.putArray("max");
        ObjectNode counters = o.putObject("counters");
        try (CsvRecords csv = new CsvRecords(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            List<String> header = csv.next();
            if (header == null) {
                o.put("samples", 0);
                return o;
            }
            int it = header.indexOf("t_ms");
            int iq = header.indexOf("queued");
            int im = header.indexOf("max");
            if (it < 0 || iq < 0 || im < 0) {
                throw new IOException(file + ": header lacks t_ms, queued or max");
            }
            for (int i = 0; i < header.size(); i++) {
                if (i != it && i != iq && i != im) {
                    counters.putArray(header.get(i));
                }
            }
            int record = 1;
            List<String> previous = null;
            for (List<String> f = csv.next(); f != null; f = csv.next()) {
                record++;
                if (previous != null) {
                    throw new IOException(file + ": record " + (record - 1) + " has " + previous.size() + " fields, expected "
                            + header.size());
                }
                if (f.size() != header.size()) {
                    previous = f; // only the last record may be cut short
                    continue;
                }
                try {
                    t.add(Connections.round(Double.parseDouble(f.get(it)) / 1000.0, 4));
                    addOptional(queued, f.get(iq));
                    addOptional(max, f.get(im));
                    for (int i = 0; i < header.size(); i++) {
                        if (i != it && i != iq && i != im) {
                            ((ArrayNode) counters.get(header.get(i))).add(f.get(i).isEmpty() ? 0 : Long.parseLong(f.get(i)));
                        }
                    }
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": record " + record + ": " + e.getMessage(), e);
                }
            }
        }
        o.put("samples", t.size());
        return o;
    }

    private static void addOptional(ArrayNode a, String s) {
        if (s.isEmpty()) {
            a.addNull();
        } else {
            a.add(Long.parseLong(s));
        }
    }
}
