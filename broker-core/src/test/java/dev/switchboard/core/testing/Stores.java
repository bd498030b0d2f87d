package dev.switchboard.core.testing;

import dev.switchboard.core.Switchboard;
import dev.switchboard.core.broker.BrokerTimings;
import dev.switchboard.core.log.StoreOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Opens Switchboards on real RocksDB stores in temporary directories, with test-friendly timings. */
public final class Stores {
    /** Cursor checkpoints every 20 ms; retention only when a test asks for it. */
    public static final BrokerTimings FAST = new BrokerTimings(Duration.ofMillis(20), Duration.ofHours(1));

    private Stores() {}

    public static Switchboard open(Path dir) {
        return builder(dir).build();
    }

    public static Switchboard.Builder builder(Path dir) {
        return Switchboard.builder().dataDir(dir).timings(FAST).dispatchThreads(2);
    }

    public static Switchboard openWithSegments(Path dir, int segmentEvents, Clock clock) {
        return builder(dir)
                .storeOptions(StoreOptions.defaults().withSegmentEvents(segmentEvents))
                .clock(clock)
                .build();
    }
}
