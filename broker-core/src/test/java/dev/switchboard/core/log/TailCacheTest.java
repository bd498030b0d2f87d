package dev.switchboard.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.testing.TestEvents;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TailCacheTest {

    @Test
    void shouldHoldTheNewestRecordsWithinItsByteBound() {
        TailCache cache = new TailCache(250, new AtomicLong(), 10);

        cache.add(10, record(10, 100));
        cache.add(11, record(11, 100));
        cache.add(12, record(12, 100));

        assertThat(cache.get(10)).as("evicted: 300 bytes exceed the bound").isNull();
        assertThat(cache.get(11).offset()).isEqualTo(11);
        assertThat(cache.get(12).offset()).isEqualTo(12);
        assertThat(cache.get(13)).as("not written yet").isNull();
    }

    @Test
    void shouldShareOneBudgetAmongTheCachesOfAStore() {
        AtomicLong used = new AtomicLong();
        TailCache first = new TailCache(250, used, 0);
        TailCache second = new TailCache(250, used, 0);

        first.add(0, record(0, 100));
        first.add(1, record(1, 100));
        second.add(0, record(0, 100)); // over budget, but a cache keeps its newest record
        second.add(1, record(1, 100)); // evicts its own oldest
        first.add(2, record(2, 100)); // evicts its own two oldest

        assertThat(used).hasValue(200);
        assertThat(first.get(0)).isNull();
        assertThat(first.get(1)).isNull();
        assertThat(first.get(2)).isNotNull();
        assertThat(second.get(0)).isNull();
        assertThat(second.get(1)).isNotNull();
    }

    @Test
    void shouldMissARecordWhoseSlotWasReusedByALaterOffset() {
        TailCache cache = new TailCache(Long.MAX_VALUE, new AtomicLong(), 0);
        int slots = 8192;

        for (long offset = 0; offset <= slots; offset++) {
            cache.add(offset, record(offset, 10));
        }

        assertThat(cache.get(0)).as("slot 0 now holds offset " + slots).isNull();
        assertThat(cache.get(slots).offset()).isEqualTo(slots);
        assertThat(cache.get(1).offset()).isEqualTo(1);
    }

    @Test
    void shouldMissAnEventThatMustBeReadBackFromItsRecord() {
        TailCache cache = new TailCache(1000, new AtomicLong(), 0);

        cache.add(0, record(0, 10));
        cache.add(1, null);

        assertThat(cache.get(0)).isNotNull();
        assertThat(cache.get(1)).isNull();
    }

    @Test
    void shouldKeepNothingWhenItsBoundIsZero() {
        TailCache cache = new TailCache(0, new AtomicLong(), 0);

        cache.add(0, record(0, 10));

        assertThat(cache.get(0)).isNull();
    }

    @Test
    void shouldKeepTheNewestRecordEvenWhenItAloneExceedsTheBound() {
        TailCache cache = new TailCache(50, new AtomicLong(), 0);

        cache.add(0, record(0, 40));
        cache.add(1, record(1, 80));

        assertThat(cache.get(0)).isNull();
        assertThat(cache.get(1)).isNotNull();
    }

    private static LogRecord record(long offset, int size) {
        return LogRecord.readable(offset, 1_700_000_000_000L, size, TestEvents.event("e-" + offset));
    }
}
