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

    @Test
    void shouldCompleteRangesAroundPendingOffsets() {
        CompletionTracker tracker = new CompletionTracker(100);

        tracker.completeRange(100, 140);
        assertThat(tracker.committed()).isEqualTo(140);

        // 140 is with the sink; everything after it up to 10,000 was for other subscriptions.
        tracker.completeRange(141, 10_000);
        assertThat(tracker.committed()).isEqualTo(140);

        tracker.complete(140);
        assertThat(tracker.committed()).isEqualTo(10_000);
    }

    @Test
    void shouldJumpFarWithoutRememberingTheGap() {
        CompletionTracker tracker = new CompletionTracker(0);

        tracker.completeRange(0, 5_000_000_000L);
        tracker.complete(5_000_000_001L);
        assertThat(tracker.committed()).isEqualTo(5_000_000_000L);

        tracker.complete(5_000_000_000L);
        assertThat(tracker.committed()).isEqualTo(5_000_000_002L);
        assertThat(tracker.skipTo(5_000_000_010L)).isEqualTo(8);
    }

    @Test
    void shouldKeepBillionsOfPassedOffsetsAboveAStuckEventAsOneRange() {
        CompletionTracker tracker = new CompletionTracker(100);

        // Offset 100 keeps failing while the fan-out passes three billion others, a chunk at a time.
        for (long from = 101; from < 3_000_000_101L; from += 1_000_000_000L) {
            tracker.completeRange(from, from + 1_000_000_000L);
        }
        tracker.complete(3_000_000_200L); // one more, past a gap
        assertThat(tracker.committed()).isEqualTo(100);

        tracker.complete(100);
        assertThat(tracker.committed()).isEqualTo(3_000_000_101L);
        assertThat(tracker.skipTo(3_000_000_300L))
                .as("all but offset 3,000,000,200")
                .isEqualTo(198);
        assertThat(tracker.committed()).isEqualTo(3_000_000_300L);
    }

    @Test
    void shouldKeepWhatIsFinalAboveASkip() {
        CompletionTracker tracker = new CompletionTracker(0);
        tracker.completeRange(5, 20);

        assertThat(tracker.skipTo(10)).as("0-4 lost, 5-9 were final").isEqualTo(5);
        assertThat(tracker.committed()).as("10-19 stay final").isEqualTo(20);
    }
}
