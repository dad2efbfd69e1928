package io.conlimit.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/** JSON files written whole: to a temporary file in the same folder, forced to disk, then atomically renamed. */
final class AtomicJson {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AtomicJson() {
    }

    static void write(Path file, JsonNode json) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        byte[] bytes = MAPPER.writeValueAsBytes(json);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot atomically replace " + file + " (file system without atomic rename)", e);
        }
    }

    /** Milliseconds rounded to 3 decimals. */
    static double ms3(double ms) {
        return Math.round(ms * 1000.0) / 1000.0;
    }

    /**
     * Any value as JSON: maps, collections, strings, numbers, booleans as such; Durations as ISO-8601 text;
     * anything else as Jackson serialises it (records, beans) or, when Jackson cannot, as its toString().
     */
    static JsonNode toJson(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) {
            return f.nullNode();
        }
        if (value instanceof JsonNode j) {
            return j;
        }
        if (value instanceof Map<?, ?> m) {
            ObjectNode o = f.objectNode();
            m.forEach((k, v) -> o.set(String.valueOf(k), toJson(v)));
            return o;
        }
        if (value instanceof Collection<?> c) {
            ArrayNode a = f.arrayNode();
            c.forEach(v -> a.add(toJson(v)));
            return a;
        }
        if (value instanceof Object[] arr) {
            ArrayNode a = f.arrayNode();
            for (Object v : arr) {
                a.add(toJson(v));
            }
            return a;
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return MAPPER.valueToTree(value);
        }
        if (value instanceof Duration || value instanceof Path || value instanceof Enum<?>
                || value instanceof java.net.InetAddress || value instanceof Character) {
            return f.textNode(value.toString());
        }
        try {
            return MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            return f.textNode(value.toString());
        }
    }
}
