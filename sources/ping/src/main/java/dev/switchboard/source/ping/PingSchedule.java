package dev.switchboard.source.ping;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PingSource {@code schedule}, as Knative's ping adapter reads it: a standard five-field cron
 * expression (parsed by cron-utils), a descriptor ({@code @hourly}, {@code @daily}, ...), {@code @every
 * <duration>} ({@code 10s}, {@code 1m30s}), and an optional {@code CRON_TZ=<zone>} prefix that
 * overrides the source's timezone.
 */
public final class PingSchedule {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> DESCRIPTORS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final Pattern EVERY = Pattern.compile("@every\\s+(.+)");
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(h|ms|m|s)");

    private final String text;
    private final ExecutionTime cron;
    private final Duration every;
    private final Optional<ZoneId> zone;

    private PingSchedule(String text, ExecutionTime cron, Duration every, Optional<ZoneId> zone) {
        this.text = text;
        this.cron = cron;
        this.every = every;
        this.zone = zone;
    }

    /**
     * Parses a schedule.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static PingSchedule parse(String schedule) {
        String text = schedule.strip();
        Optional<ZoneId> zone = Optional.empty();
        if (text.startsWith("CRON_TZ=") || text.startsWith("TZ=")) {
            int space = text.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("a time zone prefix needs a schedule after it");
            }
            String id = text.substring(text.indexOf('=') + 1, space);
            try {
                zone = Optional.of(ZoneId.of(id));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("unknown time zone \"" + id + "\"");
            }
            text = text.substring(space + 1).strip();
        }
        Matcher every = EVERY.matcher(text);
        if (every.matches()) {
            Duration interval = goDuration(every.group(1).strip());
            if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException(
                        "@every needs at least one second, found \"" + every.group(1) + "\"");
            }
            return new PingSchedule(schedule, null, interval, zone);
        }
        String expression = DESCRIPTORS.getOrDefault(text.toLowerCase(Locale.ROOT), text);
        try {
            return new PingSchedule(schedule, ExecutionTime.forCron(UNIX.parse(expression)), null, zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a cron schedule: " + e.getMessage());
        }
    }

    private static Duration goDuration(String text) {
        Matcher part = GO_DURATION.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(
                    switch (part.group(2)) {
                        case "h" -> Duration.ofHours(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        default -> Duration.ofMillis(amount);
                    });
            end = part.end();
        }
        if (end != text.length() || end == 0) {
            throw new IllegalArgumentException("not a duration such as 10s or 1h30m: \"" + text + "\"");
        }
        return total;
    }

    /** The zone the schedule names with {@code CRON_TZ=}, if any. */
    public Optional<ZoneId> zone() {
        return zone;
    }

    /** The first tick strictly after {@code after}. */
    public ZonedDateTime next(ZonedDateTime after) {
        ZonedDateTime from = zone.map(after::withZoneSameInstant).orElse(after);
        if (every != null) {
            return from.plus(every);
        }
        return cron.nextExecution(from)
                .orElseThrow(() -> new IllegalStateException("schedule " + text + " never fires again"));
    }

    @Override
    public String toString() {
        return text;
    }
}
