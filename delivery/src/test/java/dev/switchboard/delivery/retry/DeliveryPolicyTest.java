package dev.switchboard.delivery.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.delivery.BackoffPolicy;
import dev.switchboard.delivery.DeliverySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DeliveryPolicyTest {
    private static final DeliverySpec LINEAR =
            DeliverySpec.defaults().withBackoff(BackoffPolicy.LINEAR, Duration.ofMillis(100));
    private static final DeliverySpec EXPONENTIAL =
            DeliverySpec.defaults().withBackoff(BackoffPolicy.EXPONENTIAL, Duration.ofMillis(100));

    @ParameterizedTest(name = "HTTP {0} retryable: {1}")
    @CsvSource({
        "500, true",
        "502, true",
        "503, true",
        "504, true",
        "404, true",
        "408, true",
        "409, true",
        "429, true",
        "400, false",
        "401, false",
        "403, false",
        "405, false",
        "413, false",
        "415, false",
        "422, false"
    })
    void shouldRetryOnlyAnswersThatMayChange(int status, boolean retryable) {
        assertThat(DeliveryPolicy.isRetryable(status)).isEqualTo(retryable);
    }

    static Stream<Arguments> backoffs() {
        return Stream.of(
                Arguments.of(LINEAR, 1, Duration.ofMillis(100)),
                Arguments.of(LINEAR, 2, Duration.ofMillis(200)),
                Arguments.of(LINEAR, 5, Duration.ofMillis(500)),
                Arguments.of(EXPONENTIAL, 1, Duration.ofMillis(200)),
                Arguments.of(EXPONENTIAL, 2, Duration.ofMillis(400)),
                Arguments.of(EXPONENTIAL, 5, Duration.ofMillis(3200)),
                Arguments.of(EXPONENTIAL, 20, Duration.ofMinutes(1)), // the default backoffMax
                Arguments.of(EXPONENTIAL.withBackoffMax(Duration.ofMillis(300)), 2, Duration.ofMillis(300)),
                Arguments.of(EXPONENTIAL.withBackoffMax(Duration.ofDays(365)), 80, Duration.ofDays(365)));
    }

    @ParameterizedTest(name = "{0} retry {1}: {2}")
    @MethodSource("backoffs")
    void shouldGrowTheBackoffAsTheSpecSays(DeliverySpec spec, int retry, Duration expected) {
        assertThat(DeliveryPolicy.backoff(spec, retry)).isEqualTo(expected);
    }

    static Stream<Arguments> retryAfters() {
        Optional<Duration> fiveSeconds = Optional.of(Duration.ofSeconds(5));
        return Stream.of(
                Arguments.of(LINEAR, 429, fiveSeconds, Duration.ofSeconds(5)),
                Arguments.of(LINEAR, 503, fiveSeconds, Duration.ofSeconds(5)),
                Arguments.of(LINEAR, 500, fiveSeconds, Duration.ofMillis(100)), // only 429 and 503 honour it
                Arguments.of(LINEAR, 429, Optional.empty(), Duration.ofMillis(100)),
                Arguments.of(LINEAR, 429, Optional.of(Duration.ofMillis(10)), Duration.ofMillis(100)), // the longer
                Arguments.of(LINEAR.withRetryAfterMax(Duration.ofSeconds(2)), 429, fiveSeconds, Duration.ofSeconds(2)),
                Arguments.of(LINEAR.withRetryAfterMax(Duration.ZERO), 503, fiveSeconds, Duration.ofMillis(100)));
    }

    @ParameterizedTest(name = "{0} HTTP {1} Retry-After {2}: {3}")
    @MethodSource("retryAfters")
    void shouldHonourRetryAfterWithinItsCap(
            DeliverySpec spec, int status, Optional<Duration> retryAfter, Duration expected) {
        assertThat(DeliveryPolicy.delayBeforeRetry(spec, 1, status, retryAfter)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "Retry-After: {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "120 | PT2M",
                "0 | PT0S",
                "Mon, 23 Nov 2026 12:00:30 GMT | PT30S",
                "Mon, 23 Nov 2026 11:00:00 GMT | PT0S",
                "soon | ",
                "-5 | ",
                "99999999999999999999999 | "
            })
    void shouldParseSecondsAndHttpDates(String header, String expected) {
        Instant now = Instant.parse("2026-11-23T12:00:00Z");

        assertThat(RetryAfter.parse(header, now))
                .isEqualTo(Optional.ofNullable(expected).map(Duration::parse));
    }
}
