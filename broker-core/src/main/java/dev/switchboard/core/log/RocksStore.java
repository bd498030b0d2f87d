package dev.switchboard.core.log;

import dev.switchboard.core.BrokerException;
import dev.switchboard.core.Retention;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RocksDB instance in a data directory, holding every broker's log.
 *
 * <p>Layout: a column family {@code log:<broker>} per broker (key: 8-byte big-endian offset, value: a
 * {@link RecordCodec} record) and a {@code meta} column family for cursors, log starts, segment
 * statistics and store settings (see {@link Keys}).
 */
public final class RocksStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RocksStore.class);
    private static final String META = "meta";
    private static final String LOG_PREFIX = "log:";
    private static final long BLOCK_CACHE_BYTES = 64L * 1024 * 1024;
    private static final long WRITE_BUFFER_BYTES = 256L * 1024 * 1024;
    /**
     * Memtable size per column family (RocksDB's default is 64 MiB). A log is written in key order and
     * read near its end, mostly from the tail cache, so a small memtable costs nothing measurable in
     * throughput and keeps the resident set down: peak RSS in scenario 2 of benchmarks/RESULTS.md went
     * from 451 to 374 MiB.
     */
    private static final long COLUMN_WRITE_BUFFER_BYTES = 16L * 1024 * 1024;

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions columnOptions;
    private final LRUCache blockCache;
    private final WriteBufferManager writeBufferManager;
    private final WriteOptions walOptions;
    private final WriteOptions syncOptions;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle defaultColumn;
    private final Map<String, ColumnFamilyHandle> logColumns = new HashMap<>();
    private final Map<String, BrokerLog> logs = new HashMap<>();
    private final RecordCodec codec = new RecordCodec();
    private final long segmentEvents;
    private final long tailCacheBytes;
    /** What the tail caches of all this store's logs hold together. */
    private final AtomicLong tailCacheUsed = new AtomicLong();

    private final LogWriter writer;
    private volatile boolean closed;

    private RocksStore(Path directory, StoreOptions options) throws RocksDBException {
        this.directory = directory;
        this.blockCache = new LRUCache(BLOCK_CACHE_BYTES);
        this.writeBufferManager = new WriteBufferManager(WRITE_BUFFER_BYTES, blockCache);
        this.dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2)
                .setWriteBufferManager(writeBufferManager);
        this.columnOptions = new ColumnFamilyOptions()
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(COLUMN_WRITE_BUFFER_BYTES)
                .setLevelCompactionDynamicLevelBytes(true)
                .setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(blockCache)
                        .setFilterPolicy(new BloomFilter(10, false)));

        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions));
        descriptors.add(new ColumnFamilyDescriptor(bytes(META), columnOptions));
        try (org.rocksdb.Options listOptions = new org.rocksdb.Options()) {
            if (Files.exists(directory.resolve("CURRENT"))) {
                for (byte[] name : RocksDB.listColumnFamilies(listOptions, directory.toString())) {
                    String text = new String(name, StandardCharsets.UTF_8);
                    if (text.startsWith(LOG_PREFIX)) {
                        descriptors.add(new ColumnFamilyDescriptor(name, columnOptions));
                    }
                }
            }
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        this.db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
        this.defaultColumn = handles.get(0);
        this.meta = handles.get(1);
        for (int i = 2; i < handles.size(); i++) {
            String text = new String(descriptors.get(i).getName(), StandardCharsets.UTF_8);
            logColumns.put(text.substring(LOG_PREFIX.length()), handles.get(i));
        }
        this.segmentEvents = settledSegmentEvents(options.segmentEvents());
        this.tailCacheBytes = options.tailCacheBytes();
        this.walOptions = new WriteOptions();
        this.syncOptions = new WriteOptions().setSync(true);
        this.writer = new LogWriter(db, options.maxBatchEvents(), walOptions, syncOptions);
    }

    /** Opens (creating if needed) the store in {@code directory}. */
    public static RocksStore open(Path directory, StoreOptions options) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        try {
            Files.createDirectories(directory);
            return new RocksStore(directory, options);
        } catch (RocksDBException | IOException e) {
            throw BrokerException.storage("error opening store at location " + directory + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    public LogWriter writer() {
        return writer;
    }

    public RecordCodec codec() {
        return codec;
    }

    /** Offsets per segment, as fixed when the store was created. */
    public long segmentEvents() {
        return segmentEvents;
    }

    /** Names of the brokers that have a log in this store. */
    public synchronized List<String> brokerNames() {
        return List.copyOf(logColumns.keySet());
    }

    /** Whether {@code broker} has a log in this store. */
    public synchronized boolean hasLog(String broker) {
        return logColumns.containsKey(broker);
    }

    /** The log of {@code broker}, created if it does not exist yet. */
    public synchronized BrokerLog log(String broker) {
        ensureOpen();
        BrokerLog log = logs.get(broker);
        if (log != null) {
            return log;
        }
        try {
            ColumnFamilyHandle column = logColumns.get(broker);
            if (column == null) {
                column = db.createColumnFamily(new ColumnFamilyDescriptor(bytes(LOG_PREFIX + broker), columnOptions));
                logColumns.put(broker, column);
            }
            log = loadLog(broker, column);
        } catch (RocksDBException e) {
            throw BrokerException.storage("error opening the log of broker '" + broker + "' in " + directory, e);
        }
        logs.put(broker, log);
        return log;
    }

    private BrokerLog loadLog(String broker, ColumnFamilyHandle column) throws RocksDBException {
        byte[] low = db.get(meta, Keys.low(broker));
        long start = low == null ? 0 : Keys.longValue(low);
        long end = start;
        try (RocksIterator it = db.newIterator(column)) {
            it.seekToLast();
            if (it.isValid()) {
                end = Math.max(end, Keys.offset(it.key()) + 1);
            }
        }
        Map<Long, SegmentStats> segments = new LinkedHashMap<>();
        byte[] prefix = Keys.segmentPrefix(broker);
        try (RocksIterator it = db.newIterator(meta)) {
            for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
                segments.put(Keys.longValue(Keys.suffixAfter(prefix, it.key())), SegmentStats.decode(it.value()));
            }
        }
        return new BrokerLog(
                broker,
                db,
                column,
                meta,
                codec,
                segmentEvents,
                () -> !closed,
                tailCacheBytes,
                tailCacheUsed,
                start,
                end,
                segments);
    }

    /** The durable cursors of a broker's subscriptions, by subscription name. */
    public Map<String, Long> loadCursors(String broker) {
        Map<String, Long> cursors = new HashMap<>();
        byte[] prefix = Keys.cursorPrefix(broker);
        try (RocksIterator it = db.newIterator(meta)) {
            for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
                String name = new String(Keys.suffixAfter(prefix, it.key()), StandardCharsets.UTF_8);
                cursors.put(name, Keys.longValue(it.value()));
            }
        }
        return cursors;
    }

    /**
     * Writes cursors in one batch on the writer thread (no sync: a lost cursor update means
     * redelivery, never loss).
     */
    public CompletableFuture<Void> saveCursors(String broker, Map<String, Long> cursors) {
        if (cursors.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Map<String, Long> copy = Map.copyOf(cursors);
        return writer.submit(() -> {
            try (WriteBatch batch = new WriteBatch()) {
                for (Map.Entry<String, Long> cursor : copy.entrySet()) {
                    batch.put(meta, Keys.cursor(broker, cursor.getKey()), Keys.longValue(cursor.getValue()));
                }
                db.write(walOptions, batch);
            }
            return null;
        });
    }

    public CompletableFuture<Void> deleteCursor(String broker, String subscription) {
        return writer.submit(() -> {
            db.delete(meta, walOptions, Keys.cursor(broker, subscription));
            return null;
        });
    }

    /** Runs retention for one log on the writer thread; completes with the log's new start offset. */
    public CompletableFuture<Long> trim(BrokerLog log, Retention retention, long safeEnd, long nowMillis) {
        return writer.submit(() -> log.trim(retention, safeEnd, nowMillis, walOptions));
    }

    private long settledSegmentEvents(long requested) throws RocksDBException {
        byte[] key = Keys.setting("segmentEvents");
        byte[] stored = db.get(meta, key);
        if (stored != null) {
            return Keys.longValue(stored);
        }
        db.put(meta, key, Keys.longValue(requested));
        return requested;
    }

    /**
     * Stops (or resumes) RocksDB's flushes and compactions. Tests use it to bring about a write stall:
     * with flushes stopped, writes stop once the memtables are full.
     */
    void pauseBackgroundWork(boolean paused) throws RocksDBException {
        if (paused) {
            db.pauseBackgroundWork();
        } else {
            db.continueBackgroundWork();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw BrokerException.closed("store at " + directory);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Finishes queued writes, then closes RocksDB. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            // Every acknowledged batch is already in the WAL (and synced in fsync mode): nothing
            // acknowledged is lost, but say so, because the OS cache may not be flushed yet.
            LOG.warn("final WAL sync of {} failed", directory, e);
        }
        // Order matters (do not rearrange): column family handles, then the database, then the options
        // and caches the database was opened with.
        logColumns.values().forEach(ColumnFamilyHandle::close);
        meta.close();
        defaultColumn.close();
        db.close();
        walOptions.close();
        syncOptions.close();
        columnOptions.close();
        dbOptions.close();
        writeBufferManager.close();
        blockCache.close();
    }
}
