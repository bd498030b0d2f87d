package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class CountersTest {
    @Test
    void shouldReadZeroBeforeTheFirstCount() {
        Counters counters = new Counters(3);

        assertThat(counters.get(0)).isZero();
        assertThat(counters.get(2)).isZero();
    }

    @Test
    void shouldKeepEveryCountWhenThreadsRaceToTheFirst() throws InterruptedException {
        Counters counters = new Counters(2);
        List<Thread> threads = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 10_000; i++) {
                    counters.increment(0);
                    counters.add(1, 2);
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(counters.get(0)).isEqualTo(40_000);
        assertThat(counters.get(1)).isEqualTo(80_000);
    }

    @Test
    void shouldRefuseACounterItDoesNotHave() {
        Counters counters = new Counters(2);

        assertThatThrownBy(() -> counters.increment(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> counters.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new Counters(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
