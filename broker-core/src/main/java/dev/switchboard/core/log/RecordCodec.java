package dev.switchboard.core.log;

import dev.switchboard.core.BrokerException;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.protobuf.ProtobufFormat;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.zip.CRC32C;

/**
 * The stored form of one event: a fixed header, then the event in the CloudEvents protobuf format.
 *
 * <pre>
 *   byte 0      record format version (1)
 *   byte 1      event encoding (1 = CloudEvents protobuf format)
 *   bytes 2-9   arrival time, epoch milliseconds, big-endian (set by the log writer)
 *   bytes 10-13 CRC32C of the encoded event
 *   bytes 14-   the encoded event
 * </pre>
 *
 * <p>Protobuf was chosen over the JSON format by measurement (see benchmarks/RESULTS.md): smaller
 * records and faster decoding, which every subscription pays for every event it reads. The version and
 * encoding bytes let a later format be read side by side with this one. Events are written in place
 * by {@link StoredEventWriter} and read in place by {@link StoredEventReader}: the SDK's {@link
 * ProtobufFormat}'s bytes and events, without its intermediate message and copies.
 */
public final class RecordCodec {
    static final byte FORMAT_VERSION = 1;
    static final byte ENCODING_PROTOBUF = 1;
    static final int HEADER_SIZE = 14;
    private static final int ARRIVAL_AT = 2;
    private static final int CRC_AT = 10;

    /** Encodes an event; the arrival time is filled in later by {@link #stampArrival}. */
    public byte[] encode(CloudEvent event) {
        byte[] record;
        try {
            record = StoredEventWriter.write(event, HEADER_SIZE);
        } catch (RuntimeException e) {
            throw BrokerException.invalidEvent("event " + event.getId() + " cannot be encoded: " + e.getMessage(), e);
        }
        CRC32C crc = new CRC32C();
        crc.update(record, HEADER_SIZE, record.length - HEADER_SIZE);
        ByteBuffer.wrap(record)
                .put(FORMAT_VERSION)
                .put(ENCODING_PROTOBUF)
                .putLong(0L)
                .putInt((int) crc.getValue());
        return record;
    }

    /**
     * Whether decoding the record of {@code event} gives back an event equal to it in every attribute,
     * extension and data byte, so that the object itself may stand in for the decoded record. The
     * protobuf format keeps every attribute type the SDK builds, but reads timestamps back in UTC and
     * data back as bytes; events that differ there (and any type the format would stringify) are read
     * back from their records.
     */
    public static boolean readsBackAs(CloudEvent event) {
        if (event.getData() != null && !(event.getData() instanceof BytesCloudEventData)) {
            return false;
        }
        if (event.getTime() != null && !ZoneOffset.UTC.equals(event.getTime().getOffset())) {
            return false;
        }
        for (String name : event.getExtensionNames()) {
            Object value = event.getExtension(name);
            boolean kept = value instanceof String
                    || value instanceof Integer
                    || value instanceof Boolean
                    || value instanceof URI
                    || value instanceof byte[]
                    || value instanceof OffsetDateTime time && ZoneOffset.UTC.equals(time.getOffset());
            if (!kept) {
                return false;
            }
        }
        return true;
    }

    /** Writes the arrival time into an encoded record's header. */
    static void stampArrival(byte[] record, long arrivalMillis) {
        ByteBuffer.wrap(record).putLong(ARRIVAL_AT, arrivalMillis);
    }

    static long arrivalMillis(byte[] record) {
        return ByteBuffer.wrap(record).getLong(ARRIVAL_AT);
    }

    /** Decodes a stored record, reporting any damage with the broker and offset. */
    public LogRecord decode(String broker, long offset, byte[] record) {
        if (record.length < HEADER_SIZE) {
            return LogRecord.corrupt(
                    offset,
                    record.length,
                    BrokerException.corruptRecord(
                            broker, offset, "record of " + record.length + " bytes is shorter than its header"));
        }
        ByteBuffer buffer = ByteBuffer.wrap(record);
        byte version = buffer.get(0);
        byte encoding = buffer.get(1);
        if (version != FORMAT_VERSION || encoding != ENCODING_PROTOBUF) {
            return LogRecord.corrupt(
                    offset,
                    record.length,
                    BrokerException.corruptRecord(
                            broker, offset, "unknown record format " + version + " or encoding " + encoding));
        }
        CRC32C crc = new CRC32C();
        crc.update(record, HEADER_SIZE, record.length - HEADER_SIZE);
        if ((int) crc.getValue() != buffer.getInt(CRC_AT)) {
            return LogRecord.corrupt(
                    offset, record.length, BrokerException.corruptRecord(broker, offset, "checksum mismatch"));
        }
        try {
            CloudEvent event = StoredEventReader.read(record, HEADER_SIZE);
            return LogRecord.readable(offset, buffer.getLong(ARRIVAL_AT), record.length, event);
        } catch (IOException | RuntimeException e) {
            return LogRecord.corrupt(
                    offset, record.length, BrokerException.corruptRecord(broker, offset, "undecodable event: " + e));
        }
    }
}
