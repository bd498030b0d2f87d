package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdleTrimTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong cpu = new AtomicLong();
    private final AtomicLong wall = new AtomicLong();
    private final IdleTrim.QuietIntervals intervals = new IdleTrim.QuietIntervals(cpu::get, wall::get);

    /** Five seconds pass, in which the process uses {@code cores} of CPU. */
    private boolean interval(double cores) {
        wall.addAndGet(5 * SECOND);
        cpu.addAndGet((long) (cores * 5 * SECOND));
        return intervals.quiet();
    }

    @Test
    void shouldTrimAfterEachQuietInterval() {
        assertThat(interval(0.02)).isTrue();
        assertThat(interval(0.0)).isTrue();
        assertThat(interval(0.09)).isTrue();
    }

    @Test
    void shouldNotTrimWhileTheServerWorks() {
        assertThat(interval(1.5)).isFalse();
        assertThat(interval(0.3)).isFalse();
        assertThat(interval(0.11)).isFalse();
    }

    @Test
    void shouldJudgeEachIntervalByItself() {
        assertThat(interval(1.2)).isFalse();
        assertThat(interval(0.03)).isTrue();
        assertThat(interval(0.5)).isFalse();
        assertThat(interval(0.01)).isTrue();
    }

    @Test
    void shouldNotTrimWhenNoTimePassed() {
        assertThat(intervals.quiet()).isFalse();
    }
}
