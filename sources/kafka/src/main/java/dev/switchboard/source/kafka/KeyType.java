package dev.switchboard.source.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * How a record key is read, from the label {@code kafkasources.sources.knative.dev/key-type}: as
 * Knative's Kafka source reads it. Numbers are big-endian, 4 or 8 bytes; a key of another length
 * is read as text, so a mislabelled source still delivers.
 */
public enum KeyType {
    STRING,
    INT,
    FLOAT,
    BYTE_ARRAY;

    public static final String LABEL = "kafkasources.sources.knative.dev/key-type";

    /** The label's value ({@code string}, {@code int}, {@code float}, {@code byte-array}). */
    public static KeyType fromLabel(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "string" -> STRING;
            case "int" -> INT;
            case "float" -> FLOAT;
            case "byte-array" -> BYTE_ARRAY;
            default ->
                throw new IllegalArgumentException(
                        "must be one of string, int, float, byte-array; found \"" + value + "\"");
        };
    }

    /** The key as the text of the {@code key} and {@code partitionkey} extensions. */
    public String decode(byte[] key) {
        return switch (this) {
            case STRING -> new String(key, StandardCharsets.UTF_8);
            case INT ->
                key.length == 4
                        ? Integer.toString(ByteBuffer.wrap(key).getInt())
                        : key.length == 8 ? Long.toString(ByteBuffer.wrap(key).getLong()) : STRING.decode(key);
            case FLOAT ->
                key.length == 4
                        ? Float.toString(ByteBuffer.wrap(key).getFloat())
                        : key.length == 8 ? Double.toString(ByteBuffer.wrap(key).getDouble()) : STRING.decode(key);
            case BYTE_ARRAY -> Base64.getEncoder().encodeToString(key);
        };
    }
}
