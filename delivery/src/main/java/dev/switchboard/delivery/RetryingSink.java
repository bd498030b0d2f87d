package dev.switchboard.delivery;

import dev.switchboard.core.CallerLoops;
import dev.switchboard.core.Counters;
import dev.switchboard.core.DeliveryOutcome;
import dev.switchboard.core.EventSink;
import dev.switchboard.delivery.retry.DeliveryPolicy;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trigger's sink with Knative's delivery semantics around any {@link DeliveryTarget}.
 *
 * <p>An event is tried, retried on timers as the {@link DeliverySpec} says, and when retries run out
 * (or the answer is final, like 400) it goes to the dead-letter sink with {@code knativeerrordest},
 * {@code knativeerrorcode} and {@code knativeerrordata}. If the dead-letter sink fails too the event is
 * not dropped: its outcome stays open and the dead-letter sink is retried with backoff until it takes
 * it, so the trigger's cursor never passes an event that went nowhere. Without a dead-letter sink,
 * an event whose retries are exhausted is dropped and counted, as in Knative.
 *
 * <p>Replies (a 200 with a CloudEvent body) are published back into the broker with the loop guard's
 * TTL decremented; publishing a reply is retried until it is durable.
 */
public final class RetryingSink implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingSink.class);
    static final int MAX_ERROR_DATA = 1024;

    /** What {@link #stats()} reports. */
    private enum Figure {
        ATTEMPTS,
        RETRIES,
        DELIVERED,
        DEAD_LETTERED,
        DROPPED,
        PARKED,
        DEAD_LETTER_FAILURES,
        REPLIES_PUBLISHED,
        REPLIES_DROPPED_BY_TTL
    }

    private final DeliveryTarget target;
    private final DeliveryTarget deadLetters;
    private final ParkingLot parking;
    private final DeliverySpec spec;
    private final ReplyPublisher replies;
    private final DeliveryTimer timer;
    private final Clock clock;

    private final Counters<Figure> counts = new Counters<>(Figure.class);

    /**
     * @param deadLetters the dead-letter target, or {@code null} when the spec names none
     * @param parking where events go when there is no dead-letter sink, or {@code null} to drop them
     *     (Knative's behaviour)
     */
    public RetryingSink(
            DeliveryTarget target,
            DeliveryTarget deadLetters,
            ParkingLot parking,
            DeliverySpec spec,
            ReplyPublisher replies,
            DeliveryTimer timer,
            Clock clock) {
        this.target = Objects.requireNonNull(target, "target");
        this.deadLetters = deadLetters;
        this.parking = parking;
        this.spec = Objects.requireNonNull(spec, "spec");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Its target's: retries, dead letters and replies are all answered where the target answers. */
    @Override
    public CallerLoops answerLoops() {
        return target.answerLoops();
    }

    public DeliveryStats stats() {
        return new DeliveryStats(
                counts.get(Figure.ATTEMPTS),
                counts.get(Figure.RETRIES),
                counts.get(Figure.DELIVERED),
                counts.get(Figure.DEAD_LETTERED),
                counts.get(Figure.DROPPED),
                counts.get(Figure.PARKED),
                counts.get(Figure.DEAD_LETTER_FAILURES),
                counts.get(Figure.REPLIES_PUBLISHED),
                counts.get(Figure.REPLIES_DROPPED_BY_TTL));
    }

    @Override
    public CompletionStage<DeliveryOutcome> deliver(CloudEvent event) {
        Delivery delivery = new Delivery(event);
        delivery.attempt(0);
        return delivery.outcome;
    }

    /** One event's way through attempts, retries, dead-lettering and its reply. */
    private final class Delivery {
        final CloudEvent original;
        final CloudEvent outgoing;
        final int ttl;
        final Instant started = clock.instant();
        final CompletableFuture<DeliveryOutcome> outcome = new CompletableFuture<>();

        Delivery(CloudEvent event) {
            this.original = event;
            this.outgoing = BrokerTtl.hide(event);
            this.ttl = BrokerTtl.of(event);
        }

        void attempt(int retriesDone) {
            counts.increment(Figure.ATTEMPTS);
            attemptSafely(target, outgoing).thenAccept(result -> onResult(result, retriesDone));
        }

        void onResult(AttemptResult result, int retriesDone) {
            if (result instanceof AttemptResult.Accepted accepted) {
                counts.increment(Figure.DELIVERED);
                accepted.reply()
                        .ifPresentOrElse(this::publishReply, () -> outcome.complete(DeliveryOutcome.delivered()));
                return;
            }
            int status = result instanceof AttemptResult.Refused refused ? refused.status() : 500;
            boolean retryable = result instanceof AttemptResult.Failed || DeliveryPolicy.isRetryable(status);
            boolean tooOld = spec.maxEventAge()
                    .map(age -> Duration.between(started, clock.instant()).compareTo(age) >= 0)
                    .orElse(false);
            if (retryable && retriesDone < spec.retry() && !tooOld) {
                int next = retriesDone + 1;
                Duration delay = result instanceof AttemptResult.Refused refused
                        ? DeliveryPolicy.delayBeforeRetry(spec, next, status, refused.retryAfter())
                        : DeliveryPolicy.backoff(spec, next);
                LOG.debug(
                        "event {} to {}: {}; retry {} in {} ms",
                        original.getId(),
                        target.address(),
                        describe(result),
                        next,
                        delay.toMillis());
                counts.increment(Figure.RETRIES);
                timer.schedule(delay, () -> attempt(next));
                return;
            }
            giveUp(result, status, retryable ? (tooOld ? "maxEventAge passed" : "retries exhausted") : "not retryable");
        }

        void giveUp(AttemptResult result, int status, String why) {
            String reason = describe(result) + " (" + why + ")";
            if (deadLetters == null && parking == null) {
                counts.increment(Figure.DROPPED);
                LOG.warn("event {} to {} dropped: {}; no dead-letter sink", original.getId(), target.address(), reason);
                outcome.complete(new DeliveryOutcome.Dropped(reason));
                return;
            }
            CloudEventBuilder dead = CloudEventBuilder.v1(outgoing)
                    .withExtension("knativeerrordest", target.address())
                    .withExtension("knativeerrorcode", Integer.toString(status));
            if (result instanceof AttemptResult.Refused refused && refused.body().length > 0) {
                byte[] data = Arrays.copyOf(refused.body(), Math.min(refused.body().length, MAX_ERROR_DATA));
                dead.withExtension("knativeerrordata", Base64.getEncoder().encodeToString(data));
            }
            if (deadLetters == null) {
                park(dead.build(), reason, 1);
            } else {
                deadLetter(dead.build(), reason, 1);
            }
        }

        void park(CloudEvent dead, String reason, int tries) {
            CompletionStage<?> stored;
            try {
                stored = parking.park(dead);
            } catch (RuntimeException e) {
                stored = CompletableFuture.failedFuture(e);
            }
            stored.whenComplete((ok, error) -> {
                if (error == null) {
                    counts.increment(Figure.PARKED);
                    LOG.warn("event {} to {} parked: {}", original.getId(), target.address(), reason);
                    outcome.complete(new DeliveryOutcome.DeadLettered("parked: " + reason));
                    return;
                }
                Duration delay = DeliveryPolicy.backoff(spec, Math.min(tries, 30));
                LOG.warn(
                        "event {} could not be parked ({}); retrying in {} ms",
                        original.getId(),
                        error.toString(),
                        delay.toMillis());
                timer.schedule(delay, () -> park(dead, reason, tries + 1));
            });
        }

        void deadLetter(CloudEvent dead, String reason, int tries) {
            attemptSafely(deadLetters, dead).thenAccept(result -> {
                if (result instanceof AttemptResult.Accepted) {
                    counts.increment(Figure.DEAD_LETTERED);
                    outcome.complete(new DeliveryOutcome.DeadLettered(reason));
                    return;
                }
                counts.increment(Figure.DEAD_LETTER_FAILURES);
                Duration delay = DeliveryPolicy.backoff(spec, Math.min(tries, 30));
                LOG.warn(
                        "event {}: dead-letter sink {} failed ({}), attempt {}; retrying in {} ms, the event is kept",
                        original.getId(),
                        deadLetters.address(),
                        describe(result),
                        tries,
                        delay.toMillis());
                timer.schedule(delay, () -> deadLetter(dead, reason, tries + 1));
            });
        }

        void publishReply(CloudEvent reply) {
            int replyTtl = ttl - 1;
            if (replyTtl <= 0) {
                counts.increment(Figure.REPLIES_DROPPED_BY_TTL);
                LOG.warn(
                        "reply {} to event {} dropped: {} reached 0",
                        reply.getId(),
                        original.getId(),
                        BrokerTtl.EXTENSION);
                outcome.complete(DeliveryOutcome.delivered());
                return;
            }
            publishReply(BrokerTtl.with(reply, replyTtl), 1);
        }

        void publishReply(CloudEvent reply, int tries) {
            CompletionStage<?> published;
            try {
                published = replies.publish(reply);
            } catch (RuntimeException e) {
                published = CompletableFuture.failedFuture(e);
            }
            published.whenComplete((ok, error) -> {
                if (error == null) {
                    counts.increment(Figure.REPLIES_PUBLISHED);
                    outcome.complete(DeliveryOutcome.delivered());
                    return;
                }
                Duration delay = DeliveryPolicy.backoff(spec, Math.min(tries, 30));
                LOG.warn(
                        "reply {} to event {} not published ({}); retrying in {} ms",
                        reply.getId(),
                        original.getId(),
                        error.toString(),
                        delay.toMillis());
                timer.schedule(delay, () -> publishReply(reply, tries + 1));
            });
        }
    }

    private static CompletableFuture<AttemptResult> attemptSafely(DeliveryTarget target, CloudEvent event) {
        CompletionStage<AttemptResult> stage;
        try {
            stage = target.attempt(event);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new AttemptResult.Failed(e));
        }
        return stage.toCompletableFuture()
                .handle((result, error) -> error != null ? new AttemptResult.Failed(error) : result);
    }

    private static String describe(AttemptResult result) {
        if (result instanceof AttemptResult.Refused refused) {
            return "HTTP " + refused.status();
        }
        if (result instanceof AttemptResult.Failed failed) {
            return failed.cause().toString();
        }
        return "accepted";
    }
}
