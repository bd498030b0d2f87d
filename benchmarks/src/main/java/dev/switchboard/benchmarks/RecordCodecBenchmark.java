package dev.switchboard.benchmarks;

import dev.switchboard.core.log.LogRecord;
import dev.switchboard.core.log.RecordCodec;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.protobuf.ProtobufFormat;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The stored form of 1 KiB events: the record codec against the SDK's protobuf format doing the same
 * work, in the same run. Encoding is paid once per published event, on the publisher's thread (the
 * HTTP event loop in the server); decoding by every subscription that reads the log rather than the
 * tail cache. Baselines: {@link ProtobufFormat#serialize}, then the copy behind the header and the
 * checksum; the checksum, a copy of the encoded event, then {@link ProtobufFormat#deserialize}.
 * Decoders read the data as a subscriber's sink would.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RecordCodecBenchmark {
    private static final int HEADER_SIZE = 14;

    @Param({"binary", "json"})
    public String payload;

    private final RecordCodec codec = new RecordCodec();
    private final EventFormat sdkFormat = new ProtobufFormat();
    private CloudEvent event;
    private byte[] record;

    @Setup(Level.Trial)
    public void setUp() {
        event = payload.equals("binary") ? BenchmarkEvents.binary1k() : BenchmarkEvents.json1k();
        record = codec.encode(event);
    }

    @Benchmark
    public byte[] encodeRecordCodec() {
        return codec.encode(event);
    }

    @Benchmark
    public byte[] encodeSdkFormatBaseline() {
        byte[] encoded = sdkFormat.serialize(event);
        byte[] stored = new byte[HEADER_SIZE + encoded.length];
        System.arraycopy(encoded, 0, stored, HEADER_SIZE, encoded.length);
        CRC32C crc = new CRC32C();
        crc.update(stored, HEADER_SIZE, encoded.length);
        stored[HEADER_SIZE - 1] = (byte) crc.getValue();
        return stored;
    }

    @Benchmark
    public byte[] decodeRecordCodec() {
        LogRecord read = codec.decode("bench", 0, record);
        return read.event().getData().toBytes();
    }

    @Benchmark
    public byte[] decodeSdkFormatBaseline() {
        CRC32C crc = new CRC32C();
        crc.update(record, HEADER_SIZE, record.length - HEADER_SIZE);
        if ((int) crc.getValue() == 0) {
            throw new IllegalStateException("unexpected checksum");
        }
        byte[] encoded = Arrays.copyOfRange(record, HEADER_SIZE, record.length);
        return sdkFormat.deserialize(encoded).getData().toBytes();
    }
}
