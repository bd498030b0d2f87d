package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackoffTest {
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));

    static Stream<Arguments> delays() {
        return Stream.of(
                Arguments.of(1, Duration.ofMillis(100)),
                Arguments.of(2, Duration.ofMillis(200)),
                Arguments.of(3, Duration.ofMillis(400)),
                Arguments.of(9, Duration.ofMillis(25_600)),
                Arguments.of(10, Duration.ofSeconds(30)),
                Arguments.of(64, Duration.ofSeconds(30)),
                Arguments.of(Integer.MAX_VALUE, Duration.ofSeconds(30)));
    }

    @ParameterizedTest
    @MethodSource("delays")
    void shouldDoublePerFailureUpToTheCap(int failures, Duration expected) {
        assertThat(BACKOFF.delayAfter(failures)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void shouldRejectNonsense() {
        assertThatThrownBy(() -> BACKOFF.delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("initial backoff must be positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("below initial");
    }
}
