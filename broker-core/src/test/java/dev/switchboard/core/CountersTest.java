package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class CountersTest {
    private enum Figure {
        ONE,
        TWO,
        THREE
    }

    @Test
    void shouldReadZeroBeforeTheFirstCount() {
        Counters<Figure> counters = new Counters<>(Figure.class);

        assertThat(counters.get(Figure.ONE)).isZero();
        assertThat(counters.get(Figure.THREE)).isZero();
    }

    @Test
    void shouldKeepEveryCountWhenThreadsRaceToTheFirst() throws InterruptedException {
        Counters<Figure> counters = new Counters<>(Figure.class);
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
                    counters.increment(Figure.ONE);
                    counters.add(Figure.THREE, 2);
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(counters.get(Figure.ONE)).isEqualTo(40_000);
        assertThat(counters.get(Figure.TWO)).isZero();
        assertThat(counters.get(Figure.THREE)).isEqualTo(80_000);
    }
}
