package dev.switchboard.core.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Key layout. Log column families are keyed by the 8-byte big-endian offset, so RocksDB's order is log
 * order. The metadata column family uses a one-letter kind, the broker name and a NUL separator.
 */
final class Keys {
    private static final byte CURSOR = 'c';
    private static final byte LOW = 'l';
    private static final byte SEGMENT = 's';
    private static final byte SETTING = 'x';

    private Keys() {}

    static byte[] offset(long offset) {
        return ByteBuffer.allocate(8).putLong(offset).array();
    }

    static long offset(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }

    static byte[] cursor(String broker, String subscription) {
        return meta(CURSOR, broker, subscription.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] cursorPrefix(String broker) {
        return meta(CURSOR, broker, new byte[0]);
    }

    static byte[] low(String broker) {
        return meta(LOW, broker, new byte[0]);
    }

    static byte[] segment(String broker, long segment) {
        return meta(SEGMENT, broker, offset(segment));
    }

    static byte[] segmentPrefix(String broker) {
        return meta(SEGMENT, broker, new byte[0]);
    }

    static byte[] setting(String name) {
        return meta(SETTING, name, new byte[0]);
    }

    static byte[] suffixAfter(byte[] prefix, byte[] key) {
        byte[] suffix = new byte[key.length - prefix.length];
        System.arraycopy(key, prefix.length, suffix, 0, suffix.length);
        return suffix;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static byte[] longValue(long value) {
        return offset(value);
    }

    static long longValue(byte[] value) {
        return offset(value);
    }

    private static byte[] meta(byte kind, String broker, byte[] suffix) {
        byte[] name = broker.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + name.length + 1 + suffix.length)
                .put(kind)
                .put(name)
                .put((byte) 0)
                .put(suffix)
                .array();
    }
}
