package dev.switchboard.benchmarks;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.protobuf.ProtobufFormat;
import java.util.concurrent.TimeUnit;
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
 * The log's event encoding: the CloudEvents protobuf format against the JSON format, for a 1 KiB
 * binary and a 1 KiB JSON payload. Every event is encoded once on publish and decoded once per
 * subscription that reads it, so decoding weighs more. Encoded sizes are printed at setup.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class EncodingBenchmark {
    @Param({"protobuf", "json"})
    public String format;

    @Param({"binary", "json"})
    public String payload;

    private EventFormat eventFormat;
    private CloudEvent event;
    private byte[] encoded;

    @Setup(Level.Trial)
    public void setUp() {
        eventFormat = format.equals("protobuf") ? new ProtobufFormat() : new JsonFormat();
        event = payload.equals("binary") ? BenchmarkEvents.binary1k() : BenchmarkEvents.json1k();
        encoded = eventFormat.serialize(event);
        System.out.printf("%n[encoded size] format=%s payload=%s bytes=%d%n", format, payload, encoded.length);
    }

    @Benchmark
    public byte[] encode() {
        return eventFormat.serialize(event);
    }

    @Benchmark
    public CloudEvent decode() {
        return eventFormat.deserialize(encoded);
    }

    @Benchmark
    public byte[] decodeAndReadData() {
        return eventFormat.deserialize(encoded).getData().toBytes();
    }
}
