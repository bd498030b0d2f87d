package dev.switchboard.source.ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PingScheduleTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 23, 14, 7, 30, 0, ZoneId.of("UTC"));

    static Stream<Arguments> schedules() {
        return Stream.of(
                Arguments.of("*/1 * * * *", "2026-11-23T14:08Z[UTC]"),
                Arguments.of("*/15 * * * *", "2026-11-23T14:15Z[UTC]"),
                Arguments.of("0 9 * * 1-5", "2026-11-24T09:00Z[UTC]"),
                Arguments.of("@hourly", "2026-11-23T15:00Z[UTC]"),
                Arguments.of("@daily", "2026-11-24T00:00Z[UTC]"),
                Arguments.of("@every 10s", "2026-11-23T14:07:40Z[UTC]"),
                Arguments.of("@every 1h30m", "2026-11-23T15:37:30Z[UTC]"),
                Arguments.of("CRON_TZ=Asia/Shanghai 0 8 * * *", "2026-11-24T08:00+08:00[Asia/Shanghai]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void shouldFindTheNextTick(String schedule, String expected) {
        assertThat(PingSchedule.parse(schedule).next(NOW)).isEqualTo(ZonedDateTime.parse(expected));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "* * *",
                "61 * * * *",
                "@every",
                "@every 10x",
                "@every 100ms",
                "CRON_TZ=Mars/Olympus * * * * *",
                "banana"
            })
    void shouldRefuseWhatIsNotASchedule(String schedule) {
        assertThatThrownBy(() -> PingSchedule.parse(schedule)).isInstanceOf(IllegalArgumentException.class);
    }
}
