package dev.switchboard.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompletionTrackerTest {

    @Test
    void shouldAdvanceOnlyWhenTheGapBelowCloses() {
        CompletionTracker tracker = new CompletionTracker(10);

        tracker.complete(12);
        tracker.complete(11);
        assertThat(tracker.committed()).isEqualTo(10);

        tracker.complete(10);
        assertThat(tracker.committed()).isEqualTo(13);
    }

    @Test
    void shouldIgnoreCompletionsBelowTheCommittedOffset() {
        CompletionTracker tracker = new CompletionTracker(5);
        tracker.complete(3);
        tracker.complete(5);
        tracker.complete(5);

        assertThat(tracker.committed()).isEqualTo(6);
    }

    @Test
    void shouldReachTheEndForAnyCompletionOrder() {
        List<Long> offsets = new ArrayList<>();
        for (long o = 0; o < 50_000; o++) {
            offsets.add(o);
        }
        Collections.shuffle(offsets, new Random(42));
        CompletionTracker tracker = new CompletionTracker(0);
        long lowestPending = 0;
        java.util.BitSet seen = new java.util.BitSet();
        for (long offset : offsets) {
            tracker.complete(offset);
            seen.set((int) offset);
            lowestPending = seen.nextClearBit(0);
            assertThat(tracker.committed()).isEqualTo(lowestPending);
        }
        assertThat(tracker.committed()).isEqualTo(50_000);
    }

    @Test
    void shouldCountOnlyUnfinishedOffsetsWhenSkipping() {
        CompletionTracker tracker = new CompletionTracker(0);
        tracker.complete(2);
        tracker.complete(3);
        tracker.complete(7);

        long lost = tracker.skipTo(6);

        assertThat(lost).isEqualTo(4); // 0, 1, 4, 5
        assertThat(tracker.committed()).isEqualTo(6);
        tracker.complete(6);
        assertThat(tracker.committed()).isEqualTo(8);
        assertThat(tracker.skipTo(4)).isZero();
    }
}
