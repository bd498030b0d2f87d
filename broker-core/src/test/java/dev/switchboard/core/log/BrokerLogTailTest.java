package dev.switchboard.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.testing.TestEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads served from the tail cache against reads served from RocksDB. */
class BrokerLogTailTest {
    @TempDir
    Path dir;

    @Test
    void shouldHandReadersThePublishedEventItselfWhileItIsInTheTail() {
        try (RocksStore store = RocksStore.open(dir, StoreOptions.defaults())) {
            BrokerLog log = store.log("orders");
            CloudEvent event = TestEvents.event("e-1");

            append(store, log, event);

            assertThat(log.read(0, 10)).singleElement().satisfies(record -> {
                assertThat(record.event()).isSameAs(event);
                assertThat(record.size()).isEqualTo(store.codec().encode(event).length);
                assertThat(record.arrivalMillis()).isPositive();
            });
        }
    }

    @Test
    void shouldDecodeAnEventThatWouldNotReadBackAsPublished() {
        try (RocksStore store = RocksStore.open(dir, StoreOptions.defaults())) {
            BrokerLog log = store.log("orders");
            OffsetDateTime inParis = OffsetDateTime.of(2026, 11, 23, 13, 0, 0, 0, ZoneOffset.ofHours(1));
            CloudEvent event = CloudEventBuilder.v1(TestEvents.event("e-1"))
                    .withTime(inParis)
                    .build();

            append(store, log, event);

            CloudEvent read = log.read(0).event();
            assertThat(read).isNotSameAs(event);
            assertThat(read.getTime()).isEqualTo(inParis.withOffsetSameInstant(ZoneOffset.UTC));
        }
    }

    @Test
    void shouldReadEveryOffsetInOrderAcrossTheStoreAndTheTail() {
        // Room for about three records: the older ones come from RocksDB, the newest from memory.
        long threeRecords = 3L * new RecordCodec().encode(TestEvents.event("e-00")).length;
        try (RocksStore store = RocksStore.open(dir, StoreOptions.defaults().withTailCacheBytes(threeRecords))) {
            BrokerLog log = store.log("orders");
            List<CloudEvent> published = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                published.add(TestEvents.event("e-%02d".formatted(i)));
                append(store, log, published.get(i));
            }

            List<LogRecord> read = readAll(log);

            assertThat(read).extracting(LogRecord::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(read).extracting(LogRecord::event).containsExactlyElementsOf(published);
            assertThat(read.get(0).event()).as("from the store").isNotSameAs(published.get(0));
            assertThat(read.get(9).event()).as("from the tail").isSameAs(published.get(9));
        }
    }

    @Test
    void shouldReportTheSameArrivalFromTheTailAsFromTheStore() {
        long fromTail;
        try (RocksStore store = RocksStore.open(dir, StoreOptions.defaults())) {
            BrokerLog log = store.log("orders");
            append(store, log, TestEvents.event("e-1"));
            fromTail = log.arrivalAt(0);
            assertThat(fromTail).isEqualTo(log.read(0).arrivalMillis());
        }
        try (RocksStore reopened = RocksStore.open(dir, StoreOptions.defaults())) {
            BrokerLog log = reopened.log("orders");
            assertThat(log.read(0).event()).isEqualTo(TestEvents.event("e-1"));
            assertThat(log.arrivalAt(0)).isEqualTo(fromTail);
        }
    }

    private static void append(RocksStore store, BrokerLog log, CloudEvent event) {
        CloudEvent readBack = RecordCodec.readsBackAs(event) ? event : null;
        store.writer()
                .appendAll(log, new byte[][] {store.codec().encode(event)}, new CloudEvent[] {readBack}, false)
                .join();
    }

    private static List<LogRecord> readAll(BrokerLog log) {
        List<LogRecord> records = new ArrayList<>();
        long next = 0;
        while (next < log.endOffset()) {
            List<LogRecord> chunk = log.read(next, 100);
            records.addAll(chunk);
            next = chunk.get(chunk.size() - 1).offset() + 1;
        }
        return records;
    }
}
