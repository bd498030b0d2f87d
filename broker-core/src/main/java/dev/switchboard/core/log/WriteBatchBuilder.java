package dev.switchboard.core.log;

import java.util.Arrays;
import org.rocksdb.WriteBatch;

/**
 * Builds a RocksDB {@link WriteBatch} in Java memory and hands it to RocksDB in one JNI crossing.
 *
 * <p>{@code WriteBatch.put} is one JNI call per record; under group commit that is the cost that
 * dominates a batch of small events. This writes RocksDB's documented batch representation instead
 * ({@code db/write_batch.cc}): a 12-byte header (sequence number, fixed64; record count, fixed32; both
 * little-endian) followed by records {@code kTypeColumnFamilyValue (0x05), varint32 column family id,
 * varint32 key length, key, varint32 value length, value}. Only puts are built here; deletes go through
 * the regular API because they are rare.
 */
final class WriteBatchBuilder {
    private static final int HEADER = 12;
    private static final byte TYPE_VALUE = 0x01;
    private static final byte TYPE_COLUMN_FAMILY_VALUE = 0x05;

    private byte[] buffer = new byte[64 * 1024];
    private int length = HEADER;
    private int count;

    void put(int columnFamilyId, byte[] key, byte[] value) {
        ensure(1 + 5 + 5 + key.length + 5 + value.length);
        if (columnFamilyId == 0) {
            buffer[length++] = TYPE_VALUE;
        } else {
            buffer[length++] = TYPE_COLUMN_FAMILY_VALUE;
            writeVarint(columnFamilyId);
        }
        writeVarint(key.length);
        System.arraycopy(key, 0, buffer, length, key.length);
        length += key.length;
        writeVarint(value.length);
        System.arraycopy(value, 0, buffer, length, value.length);
        length += value.length;
        count++;
    }

    int count() {
        return count;
    }

    /** A new batch holding everything put so far; the caller closes it. */
    WriteBatch build() {
        byte[] rep = Arrays.copyOf(buffer, length);
        // Sequence number 0 (RocksDB assigns it); the count is what RocksDB checks while iterating.
        rep[8] = (byte) count;
        rep[9] = (byte) (count >>> 8);
        rep[10] = (byte) (count >>> 16);
        rep[11] = (byte) (count >>> 24);
        return new WriteBatch(rep);
    }

    void clear() {
        Arrays.fill(buffer, 0, HEADER, (byte) 0);
        length = HEADER;
        count = 0;
    }

    private void writeVarint(int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            buffer[length++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[length++] = (byte) v;
    }

    private void ensure(int extra) {
        if (length + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
        }
    }
}
