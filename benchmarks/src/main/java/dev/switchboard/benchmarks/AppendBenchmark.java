package dev.switchboard.benchmarks;

import dev.switchboard.core.Broker;
import dev.switchboard.core.BrokerConfig;
import dev.switchboard.core.Durability;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.log.RecordCodec;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Durable append of 1 KiB events by 64 concurrent publishers: {@code Broker.publish} against raw
 * RocksDB writes of the same bytes with the same write options, measured in the same run.
 *
 * <ul>
 *   <li>{@code publish}: 64 threads, each waiting for its publish to be acknowledged.
 *   <li>{@code publishWindow64}: one thread publishing 64 events without waiting, then waiting for
 *       all 64 (how a non-blocking caller such as an HTTP event loop uses the broker); per event.
 *   <li>{@code rawPut}: 64 threads, each writing a one-record {@code WriteBatch} (RocksDB's own
 *       leader/follower group commit merges them).
 *   <li>{@code rawBatch64}: one thread writing {@code WriteBatch}es of 64 records, the best case for
 *       raw RocksDB; scores are per record.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
public class AppendBenchmark {

    @State(Scope.Benchmark)
    public static class Published {
        @Param({"WAL", "FSYNC"})
        public Durability durability;

        Path dir;
        Switchboard switchboard;
        Broker broker;
        final CloudEvent event = BenchmarkEvents.binary1k();

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("switchboard-append");
            switchboard = Switchboard.builder().dataDir(dir).build();
            broker = switchboard.createBroker("bench", BrokerConfig.defaults().withDurability(durability));
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            switchboard.close();
            TempDirs.delete(dir);
        }
    }

    /** Raw RocksDB with the options the store uses: a column family with LZ4, WAL on. */
    @State(Scope.Benchmark)
    public static class Raw {
        @Param({"WAL", "FSYNC"})
        public Durability durability;

        Path dir;
        DBOptions dbOptions;
        ColumnFamilyOptions columnOptions;
        RocksDB db;
        ColumnFamilyHandle column;
        WriteOptions writeOptions;
        final AtomicLong nextOffset = new AtomicLong();
        byte[] record;

        @Setup(Level.Trial)
        public void open() throws IOException, RocksDBException {
            RocksDB.loadLibrary();
            dir = Files.createTempDirectory("switchboard-raw");
            dbOptions = new DBOptions().setCreateIfMissing(true).setMaxBackgroundJobs(2);
            columnOptions = new ColumnFamilyOptions().setCompressionType(CompressionType.LZ4_COMPRESSION);
            java.util.List<org.rocksdb.ColumnFamilyHandle> handles = new java.util.ArrayList<>();
            db = RocksDB.open(
                    dbOptions,
                    dir.toString(),
                    java.util.List.of(
                            new org.rocksdb.ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions)),
                    handles);
            column = db.createColumnFamily(
                    new org.rocksdb.ColumnFamilyDescriptor("log:bench".getBytes(), columnOptions));
            handles.forEach(ColumnFamilyHandle::close);
            writeOptions = new WriteOptions().setSync(durability == Durability.FSYNC);
            record = new RecordCodec().encode(BenchmarkEvents.binary1k());
        }

        byte[] nextKey() {
            return ByteBuffer.allocate(8).putLong(nextOffset.getAndIncrement()).array();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            column.close();
            db.close();
            writeOptions.close();
            columnOptions.close();
            dbOptions.close();
            TempDirs.delete(dir);
        }
    }

    @Benchmark
    @Threads(64)
    public long publish(Published state) {
        return state.broker.publish(state.event).toCompletableFuture().join();
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(64)
    public void publishWindow64(Published state) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[64];
        for (int i = 0; i < 64; i++) {
            acks[i] = state.broker.publish(state.event).toCompletableFuture();
        }
        CompletableFuture.allOf(acks).join();
    }

    @Benchmark
    @Threads(64)
    public void rawPut(Raw state) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(state.column, state.nextKey(), state.record);
            state.db.write(state.writeOptions, batch);
        }
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(64)
    public void rawBatch64(Raw state) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < 64; i++) {
                batch.put(state.column, state.nextKey(), state.record);
            }
            state.db.write(state.writeOptions, batch);
        }
    }
}
