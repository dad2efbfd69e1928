package io.conlimit.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetAddress;
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
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
            .addModule(new SimpleModule("conlimit-text-values")
                    .addSerializer(Duration.class, ToStringSerializer.instance)
                    .addSerializer(Path.class, ToStringSerializer.instance)
                    .addSerializer(InetAddress.class, ToStringSerializer.instance))
            .build();

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

    /** Milliseconds rounded to 3 decimals ({@link JsonNumbers#round3}). */
    static double ms3(double ms) {
        return JsonNumbers.round3(ms);
    }

    /**
     * Any value as JSON, by Jackson: maps, collections, arrays, strings, numbers, booleans, records and beans as
     * Jackson writes them, with Durations (ISO-8601), paths, addresses and enums as their text. A value Jackson
     * cannot write is its toString(); inside a map, collection or array only that element is.
     */
    static JsonNode toJson(Object value) {
        if (value instanceof JsonNode j) {
            return j;
        }
        try {
            return MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            return elementwise(value);
        }
    }

    private static JsonNode elementwise(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
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
        return f.textNode(value.toString());
    }
}
