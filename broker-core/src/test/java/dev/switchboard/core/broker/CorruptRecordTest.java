package dev.switchboard.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.BrokerException;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.log.LogRecord;
import dev.switchboard.core.testing.RecordingSink;
import dev.switchboard.core.testing.Stores;
import dev.switchboard.core.testing.TestEvents;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

@Timeout(60)
class CorruptRecordTest {
    @TempDir
    Path dir;

    @Test
    void shouldReportADamagedRecordWithBrokerAndOffsetAndDeliverTheRest() throws Exception {
        try (Switchboard sb = Stores.open(dir)) {
            for (int i = 0; i < 10; i++) {
                sb.broker("orders")
                        .publish(TestEvents.event("e-" + i))
                        .toCompletableFuture()
                        .join();
            }
        }
        damage(dir, "log:orders", 4);

        RecordingSink sink = new RecordingSink();
        try (Switchboard sb = Stores.open(dir)) {
            LocalBroker broker = (LocalBroker) sb.broker("orders");
            LogRecord damaged = broker.log().read(4);
            assertThat(damaged.isCorrupt()).isTrue();
            assertThat(damaged.corruption().kind()).isEqualTo(BrokerException.Kind.CORRUPT_RECORD);
            assertThat(damaged.corruption())
                    .hasMessageContaining("broker 'orders'")
                    .hasMessageContaining("offset 4");

            Subscription subscription =
                    broker.subscribe(SubscriptionSpec.of("audit", sink).withStart(StartPosition.earliest()));
            await().untilAsserted(() ->
                    assertThat(subscription.stats().committedOffset()).isEqualTo(10));
            assertThat(subscription.stats().corrupt()).isEqualTo(1);
            assertThat(sink.delivered()).hasSize(9).doesNotContain("e-4");
        }
    }

    /** Overwrites one record's value with bytes whose checksum does not match, straight in RocksDB. */
    private static void damage(Path dir, String column, long offset) throws Exception {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        try (Options options = new Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
                descriptors.add(new ColumnFamilyDescriptor(name));
            }
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
                RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
            for (int i = 0; i < descriptors.size(); i++) {
                if (new String(descriptors.get(i).getName(), StandardCharsets.UTF_8).equals(column)) {
                    byte[] key = ByteBuffer.allocate(8).putLong(offset).array();
                    byte[] value = db.get(handles.get(i), key);
                    value[value.length - 1] ^= 0x55;
                    db.put(handles.get(i), key, value);
                }
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
