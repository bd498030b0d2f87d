package dev.switchboard.core.log;

import static com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.CloudEventUtils;
import io.cloudevents.core.v1.CloudEventV1;
import io.cloudevents.protobuf.ProtoCloudEventData;
import io.cloudevents.protobuf.ProtobufFormat;
import io.cloudevents.rw.CloudEventContextWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an event in the CloudEvents protobuf format ({@code cloudevents.proto}) straight into the
 * array of its record, behind the record's header: the counterpart of {@link StoredEventReader}.
 *
 * <p>Why not {@link ProtobufFormat#serialize}: it builds the generated protobuf message (a builder and
 * a message per attribute), copies the data into it, serializes it into an array of its own, and the
 * record then copied that behind its header. Every published event paid for it on the thread that
 * published it, the HTTP event loop in the server, where a JFR profile found a fifth of the loop's
 * samples in it; this way takes ~0.7 µs instead of ~1.2 ({@code RecordCodecBenchmark}). Here the
 * attributes come from the SDK's own context reader, each mapped to the protobuf type the SDK's
 * serializer gives it, the sizes are computed first and every field is written once, in field
 * order. {@code StoredEventWriterTest} holds the output against the SDK's, byte for byte. Textual
 * data that is not UTF-8 is refused, which the SDK does not do. Events
 * whose data is, or claims to be, a protobuf message are written by the SDK: only its data classes
 * know how to pack them.
 */
final class StoredEventWriter implements CloudEventContextWriter {
    private static final ProtobufFormat SDK_FORMAT = new ProtobufFormat();

    // Field numbers of cloudevents.proto's CloudEvent message.
    private static final int ID = 1;
    private static final int SOURCE = 2;
    private static final int SPEC_VERSION = 3;
    private static final int TYPE = 4;
    private static final int ATTRIBUTES = 5;
    private static final int BINARY_DATA = 6;
    private static final int TEXT_DATA = 7;
    // Of a map entry, and of google.protobuf.Timestamp.
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;
    private static final int SECONDS = 1;
    private static final int NANOS = 2;

    private String id = "";
    private String source = "";
    private String type = "";
    private String specVersion;
    private String dataContentType;
    private final List<Attribute> attributes = new ArrayList<>(8);
    // The required strings' UTF-8 bytes, set when the size is computed.
    private byte[] idBytes;
    private byte[] sourceBytes;
    private byte[] specVersionBytes;
    private byte[] typeBytes;

    private StoredEventWriter(String specVersion) {
        this.specVersion = specVersion;
    }

    /** The encoded event at {@code offset} of a new array exactly as long as needed. */
    static byte[] write(CloudEvent event, int offset) {
        CloudEventData data = event.getData();
        if (data instanceof ProtoCloudEventData
                || ProtobufFormat.PROTO_DATA_CONTENT_TYPE.equals(event.getDataContentType())) {
            return behind(offset, SDK_FORMAT.serialize(event));
        }
        StoredEventWriter writer = new StoredEventWriter(event.getSpecVersion().toString());
        CloudEventUtils.toContextReader(event).readContext(writer);
        byte[] bytes = data == null ? null : data.toBytes();
        int dataField = writer.dataField();
        if (bytes != null
                && dataField == TEXT_DATA
                && !UnsafeByteOperations.unsafeWrap(bytes).isValidUtf8()) {
            // The SDK writes such bytes unchecked and protobuf refuses them when reading: the event
            // would be accepted and then never be readable again.
            throw new IllegalArgumentException("datacontenttype " + writer.dataContentType
                    + " stores the data as a protobuf string, but the data is not valid UTF-8;"
                    + " send it with a binary content type");
        }
        int size = writer.size(bytes, dataField);
        byte[] record = new byte[offset + size];
        CodedOutputStream out = CodedOutputStream.newInstance(record, offset, size);
        try {
            writer.writeTo(out, bytes, dataField);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("the computed size of event " + event.getId() + " was wrong", e);
        }
        return record;
    }

    private static byte[] behind(int offset, byte[] encoded) {
        byte[] record = new byte[offset + encoded.length];
        System.arraycopy(encoded, 0, record, offset, encoded.length);
        return record;
    }

    // ---- the SDK's context reader calls these, one per attribute, typed as the event holds it ----

    @Override
    public CloudEventContextWriter withContextAttribute(String name, String value) {
        if (!required(name, value)) {
            if (CloudEventV1.DATACONTENTTYPE.equals(name)) {
                dataContentType = value;
            }
            attributes.add(new Attribute(name, Kind.STRING, value));
        }
        return this;
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, URI value) {
        // The SDK's serializer: an absolute URI is a ce_uri, anything else a ce_uri_ref.
        if (!required(name, value.toString())) {
            attributes.add(new Attribute(name, value.isAbsolute() ? Kind.URI : Kind.URI_REF, value.toString()));
        }
        return this;
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, OffsetDateTime value) {
        attributes.add(new Attribute(name, Kind.TIMESTAMP, value.toInstant()));
        return this;
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, Number value) {
        // The SDK's serializer keeps integers and writes any other number as its string.
        return value instanceof Integer integer
                ? withContextAttribute(name, integer)
                : withContextAttribute(name, value.toString());
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, Integer value) {
        attributes.add(new Attribute(name, Kind.INTEGER, value));
        return this;
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, Boolean value) {
        attributes.add(new Attribute(name, Kind.BOOLEAN, value));
        return this;
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, byte[] value) {
        attributes.add(new Attribute(name, Kind.BYTES, value));
        return this;
    }

    /** The attributes that are fields of their own in the protobuf message; the rest go in its map. */
    private boolean required(String name, String value) {
        switch (name) {
            case CloudEventV1.ID -> id = value;
            case CloudEventV1.SOURCE -> source = value;
            case CloudEventV1.TYPE -> type = value;
            case CloudEventV1.SPECVERSION -> specVersion = value;
            default -> {
                return false;
            }
        }
        return true;
    }

    // ---- sizes, then the bytes ----

    private int size(byte[] data, int dataField) {
        idBytes = utf8(id);
        sourceBytes = utf8(source);
        specVersionBytes = utf8(specVersion);
        typeBytes = utf8(type);
        int size = stringSize(ID, idBytes)
                + stringSize(SOURCE, sourceBytes)
                + stringSize(SPEC_VERSION, specVersionBytes)
                + stringSize(TYPE, typeBytes);
        for (Attribute attribute : attributes) {
            size += delimitedSize(ATTRIBUTES, attribute.entrySize());
        }
        if (data != null) {
            size += CodedOutputStream.computeByteArraySize(dataField, data);
        }
        return size;
    }

    private void writeTo(CodedOutputStream out, byte[] data, int dataField) throws IOException {
        writeString(out, ID, idBytes);
        writeString(out, SOURCE, sourceBytes);
        writeString(out, SPEC_VERSION, specVersionBytes);
        writeString(out, TYPE, typeBytes);
        for (Attribute attribute : attributes) {
            out.writeTag(ATTRIBUTES, WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(attribute.entrySize());
            attribute.writeEntry(out);
        }
        if (data != null) {
            out.writeByteArray(dataField, data); // text_data is a string: the same bytes on the wire
        }
    }

    /**
     * Where the SDK's serializer puts the data: text for its textual content types (its {@code
     * ProtoSupport.isTextContent}), else bytes.
     */
    private int dataField() {
        String contentType = dataContentType;
        boolean text = contentType != null
                && (contentType.startsWith("text/")
                        || contentType.equals("application/json")
                        || contentType.equals("application/xml")
                        || contentType.endsWith("+json")
                        || contentType.endsWith("+xml"));
        return text ? TEXT_DATA : BINARY_DATA;
    }

    /**
     * A string's UTF-8 bytes, encoded once for both its size and its writing: the JDK's encoder copies
     * ASCII text in bulk where protobuf's walks it a character at a time, twice. On the wire a string
     * is its UTF-8 bytes, length-delimited, as a bytes field is; an unpaired surrogate becomes '?' here
     * as in protobuf's own fallback.
     */
    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Proto3: an empty string is the default and is not written. */
    private static int stringSize(int field, byte[] utf8) {
        return utf8.length == 0 ? 0 : CodedOutputStream.computeByteArraySize(field, utf8);
    }

    private static void writeString(CodedOutputStream out, int field, byte[] utf8) throws IOException {
        if (utf8.length != 0) {
            out.writeByteArray(field, utf8);
        }
    }

    private static int delimitedSize(int field, int length) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
    }

    /** The fields of a {@code CloudEventAttributeValue}, by their number. */
    private enum Kind {
        BOOLEAN,
        INTEGER,
        STRING,
        BYTES,
        URI,
        URI_REF,
        TIMESTAMP;

        int field() {
            return ordinal() + 1;
        }
    }

    /** One entry of the attributes map: the name, and a value with exactly one field set. */
    private static final class Attribute {
        private final byte[] name;
        private final Kind kind;
        /** Strings, URIs and URI references as their UTF-8 bytes. */
        private final Object value;

        private final int valueSize;
        private final int entrySize;

        Attribute(String name, Kind kind, Object value) {
            this.name = utf8(name);
            this.kind = kind;
            this.value = value instanceof String text ? utf8(text) : value;
            this.valueSize = valueSize(kind, this.value);
            this.entrySize = CodedOutputStream.computeByteArraySize(ENTRY_KEY, this.name)
                    + delimitedSize(ENTRY_VALUE, valueSize);
        }

        int entrySize() {
            return entrySize;
        }

        void writeEntry(CodedOutputStream out) throws IOException {
            out.writeByteArray(ENTRY_KEY, name);
            out.writeTag(ENTRY_VALUE, WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(valueSize);
            int field = kind.field();
            switch (kind) {
                case BOOLEAN -> out.writeBool(field, (Boolean) value);
                case INTEGER -> out.writeInt32(field, (Integer) value);
                case STRING, URI, URI_REF, BYTES -> out.writeByteArray(field, (byte[]) value);
                case TIMESTAMP -> {
                    Instant time = (Instant) value;
                    out.writeTag(field, WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(timestampSize(time));
                    if (time.getEpochSecond() != 0) {
                        out.writeInt64(SECONDS, time.getEpochSecond());
                    }
                    if (time.getNano() != 0) {
                        out.writeInt32(NANOS, time.getNano());
                    }
                }
            }
        }

        private static int valueSize(Kind kind, Object value) {
            int field = kind.field();
            return switch (kind) {
                case BOOLEAN -> CodedOutputStream.computeBoolSize(field, (Boolean) value);
                case INTEGER -> CodedOutputStream.computeInt32Size(field, (Integer) value);
                case STRING, URI, URI_REF, BYTES -> CodedOutputStream.computeByteArraySize(field, (byte[]) value);
                case TIMESTAMP -> delimitedSize(field, timestampSize((Instant) value));
            };
        }

        /** Proto3: zero seconds or nanos are the defaults and are not written. */
        private static int timestampSize(Instant time) {
            return (time.getEpochSecond() == 0 ? 0 : CodedOutputStream.computeInt64Size(SECONDS, time.getEpochSecond()))
                    + (time.getNano() == 0 ? 0 : CodedOutputStream.computeInt32Size(NANOS, time.getNano()));
        }
    }
}
