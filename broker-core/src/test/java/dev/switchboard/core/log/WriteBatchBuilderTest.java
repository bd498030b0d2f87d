package dev.switchboard.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

class WriteBatchBuilderTest {
    static {
        RocksDB.loadLibrary();
    }

    @Test
    void shouldWriteWhatRocksDbReadsBackInEveryColumnFamily(@TempDir Path dir) throws Exception {
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
                new ColumnFamilyDescriptor("other".getBytes(StandardCharsets.UTF_8)));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
                RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles);
                WriteOptions writeOptions = new WriteOptions()) {
            WriteBatchBuilder builder = new WriteBatchBuilder();
            byte[] large = new byte[200_000]; // a value longer than a one-byte and two-byte varint
            large[199_999] = 7;
            builder.put(0, bytes("a"), bytes("in default"));
            builder.put(handles.get(1).getID(), bytes("b"), bytes("in other"));
            builder.put(handles.get(1).getID(), bytes("large"), large);
            for (int i = 0; i < 300; i++) {
                builder.put(handles.get(1).getID(), Keys.offset(i), bytes("v" + i));
            }
            try (WriteBatch batch = builder.build()) {
                assertThat(batch.count()).isEqualTo(303);
                db.write(writeOptions, batch);
            }

            assertThat(db.get(handles.get(0), bytes("a"))).isEqualTo(bytes("in default"));
            assertThat(db.get(handles.get(1), bytes("b"))).isEqualTo(bytes("in other"));
            assertThat(db.get(handles.get(1), bytes("large"))).isEqualTo(large);
            assertThat(db.get(handles.get(1), Keys.offset(299))).isEqualTo(bytes("v299"));
            assertThat(db.get(handles.get(0), bytes("b"))).isNull();

            builder.clear();
            builder.put(handles.get(1).getID(), bytes("b"), bytes("again"));
            try (WriteBatch batch = builder.build()) {
                assertThat(batch.count()).isEqualTo(1);
                db.write(writeOptions, batch);
            }
            assertThat(db.get(handles.get(1), bytes("b"))).isEqualTo(bytes("again"));
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
