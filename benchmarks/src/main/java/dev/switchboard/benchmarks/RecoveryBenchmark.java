package dev.switchboard.benchmarks;

import dev.switchboard.core.Broker;
import dev.switchboard.core.BrokerConfig;
import dev.switchboard.core.DeliveryOutcome;
import dev.switchboard.core.EventSink;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.Switchboard;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * Issue 6's scenario 6, recovery: a broker holding {@code N} undelivered 1 KiB events (its one
 * subscription was paused while they were published) is closed and opened again; the figures are
 * the time until it is ready (store open, broker and subscription back) and the time until the
 * subscription has delivered all of them to an in-process sink, against a raw RocksDB iterator
 * scan of the same column family (open included), in the same run on the same (warm) files.
 *
 * <p>Usage: {@code RecoveryBenchmark [events]} (default 1,000,000, ~1.1 GB on disk).
 */
public final class RecoveryBenchmark {
    private RecoveryBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("switchboard-recovery");
        BrokerConfig config = BrokerConfig.defaults().withBufferLimitBytes(Long.MAX_VALUE);
        try {
            fill(dir, config, events);
            double scan = rawScan(dir);
            double[] recovery = recover(dir, config, events);
            double scanAgain = rawScan(dir); // the same files, as warm as for the recovery
            double baseline = Math.min(scan, scanAgain);
            System.out.printf("%n%,d undelivered events of 1 KiB%n%n", events);
            System.out.println("| step | seconds | ratio to raw scan |");
            System.out.println("|---|---|---|");
            System.out.printf(
                    "| raw RocksDB iterator scan (open + read every record; baseline) | %.2f | 1.00 |%n", baseline);
            System.out.printf("| Switchboard: open until ready | %.2f | %.2f |%n", recovery[0], recovery[0] / baseline);
            System.out.printf(
                    "| Switchboard: open, then drain every event to the subscriber | %.2f | %.2f |%n",
                    recovery[0] + recovery[1], (recovery[0] + recovery[1]) / baseline);
        } finally {
            TempDirs.delete(dir);
            System.exit(0);
        }
    }

    /** Publishes {@code events} while the only subscription is paused, then closes. */
    private static void fill(Path dir, BrokerConfig config, int events) throws Exception {
        CloudEvent event = CloudEventBuilder.v1(BenchmarkEvents.binary1k()).build();
        try (Switchboard sb =
                Switchboard.builder().dataDir(dir).defaultBrokerConfig(config).build()) {
            Broker broker = sb.broker("default");
            broker.subscribe(subscription(e -> CompletableFuture.completedFuture(DeliveryOutcome.delivered()))
                    .withStartPaused(true));
            Semaphore window = new Semaphore(1024);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long start = System.nanoTime();
            for (int i = 0; i < events && failure.get() == null; i++) {
                window.acquireUninterruptibly();
                broker.publish(event).whenComplete((offset, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                    window.release();
                });
            }
            window.acquireUninterruptibly(1024);
            if (failure.get() != null) {
                throw new IllegalStateException("a publish failed", failure.get());
            }
            System.out.printf("published %,d events in %.1f s%n", events, (System.nanoTime() - start) / 1e9);
        }
    }

    /** Seconds to ready, and then seconds to deliver every event. */
    private static double[] recover(Path dir, BrokerConfig config, int events) throws Exception {
        AtomicLong delivered = new AtomicLong();
        CompletableFuture<Void> done = new CompletableFuture<>();
        EventSink sink = event -> {
            if (delivered.incrementAndGet() == events) {
                done.complete(null);
            }
            return CompletableFuture.completedFuture(DeliveryOutcome.delivered());
        };
        long start = System.nanoTime();
        try (Switchboard sb =
                Switchboard.builder().dataDir(dir).defaultBrokerConfig(config).build()) {
            Broker broker = sb.broker("default");
            Subscription subscription = broker.subscribe(subscription(sink).withStartPaused(true));
            double ready = (System.nanoTime() - start) / 1e9;
            long drainStart = System.nanoTime();
            subscription.resume();
            done.get();
            double drain = (System.nanoTime() - drainStart) / 1e9;
            System.out.printf("recovered: ready in %.2f s, drained in %.2f s%n", ready, drain);
            return new double[] {ready, drain};
        }
    }

    private static SubscriptionSpec subscription(EventSink sink) {
        return SubscriptionSpec.of("to-sink", sink).withStart(StartPosition.earliest());
    }

    /** Opens the store read-only and reads every record of the broker's log. */
    private static double rawScan(Path dir) throws Exception {
        RocksDB.loadLibrary();
        long start = System.nanoTime();
        Path db = storePath(dir);
        List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, db.toString());
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        names.forEach(name -> descriptors.add(new ColumnFamilyDescriptor(name)));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        long records = 0;
        long bytes = 0;
        try (DBOptions options = new DBOptions();
                RocksDB rocks = RocksDB.openReadOnly(options, db.toString(), descriptors, handles)) {
            for (int i = 0; i < names.size(); i++) {
                if (new String(names.get(i), java.nio.charset.StandardCharsets.UTF_8).equals("log:default")) {
                    try (RocksIterator it = rocks.newIterator(handles.get(i))) {
                        for (it.seekToFirst(); it.isValid(); it.next()) {
                            records++;
                            bytes += it.value().length;
                        }
                    }
                }
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("raw scan: %,d records, %,d bytes in %.2f s%n", records, bytes, seconds);
        return seconds;
    }

    /** The RocksDB directory inside a data directory. */
    private static Path storePath(Path dir) throws Exception {
        if (Files.exists(dir.resolve("CURRENT"))) {
            return dir;
        }
        try (var children = Files.list(dir)) {
            return children.filter(p -> Files.exists(p.resolve("CURRENT")))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no RocksDB under " + dir));
        }
    }
}
