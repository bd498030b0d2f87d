package dev.switchboard.source.ping;

import dev.switchboard.core.EventSource;
import dev.switchboard.core.EventTarget;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knative's PingSource: one event per tick of a schedule, of type {@code dev.knative.sources.ping}.
 *
 * <p>Each tick is published once: the next tick is scheduled before the event is sent, and an event
 * the target refuses is sent again with backoff (never a second event for the same tick). Ticks missed
 * while the server was down, or while this process was suspended, are not replayed.
 */
public final class PingSource implements EventSource {
    public static final String TYPE = "dev.knative.sources.ping";
    private static final Logger LOG = LoggerFactory.getLogger(PingSource.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final PingSpec spec;
    private final EventTarget target;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private ScheduledFuture<?> nextTick;
    private volatile boolean closed;

    public PingSource(PingSpec spec, EventTarget target, ScheduledExecutorService scheduler, Clock clock) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.target = Objects.requireNonNull(target, "target");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return spec.namespace() + "/" + spec.name();
    }

    @Override
    public synchronized void start() {
        scheduleAfter(ZonedDateTime.now(clock.withZone(spec.timezone())));
        LOG.info("ping source {} runs on \"{}\" ({})", name(), spec.schedule(), spec.timezone());
    }

    private synchronized void scheduleAfter(ZonedDateTime after) {
        if (closed) {
            return;
        }
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(spec.timezone()));
        ZonedDateTime tick = spec.schedule().next(after);
        if (tick.isBefore(now)) {
            tick = spec.schedule().next(now); // behind schedule: skip missed ticks, do not replay them
        }
        ZonedDateTime at = tick;
        long delay = Math.max(0, Duration.between(now, at).toNanos());
        nextTick = scheduler.schedule(() -> tick(at), delay, TimeUnit.NANOSECONDS);
    }

    private void tick(ZonedDateTime at) {
        scheduleAfter(at);
        send(event(at), 1);
    }

    /** The event for the tick at {@code at}. */
    CloudEvent event(ZonedDateTime at) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withType(TYPE)
                .withSource(URI.create(spec.source()))
                .withTime(at.toOffsetDateTime());
        spec.data().ifPresent(data -> builder.withData(spec.contentType().orElse("application/json"), data));
        spec.extensions().forEach(builder::withExtension);
        return builder.build();
    }

    private void send(CloudEvent event, int attempt) {
        if (closed) {
            return;
        }
        CompletionStage<?> sent;
        try {
            sent = target.send(event);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> {
            if (error == null) {
                return;
            }
            long delayMillis = Math.min(MAX_BACKOFF.toMillis(), 100L << Math.min(attempt, 20));
            LOG.warn(
                    "ping source {}: event {} not accepted ({}); retry {} in {} ms",
                    name(),
                    event.getId(),
                    error.toString(),
                    attempt,
                    delayMillis);
            try {
                scheduler.schedule(() -> send(event, attempt + 1), delayMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                LOG.warn("ping source {}: shutting down with event {} not accepted", name(), event.getId());
            }
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (nextTick != null) {
            nextTick.cancel(false);
        }
    }
}
