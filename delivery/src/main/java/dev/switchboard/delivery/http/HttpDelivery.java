package dev.switchboard.delivery.http;

import dev.switchboard.core.DeliveryOutcome;
import dev.switchboard.core.EventTarget;
import dev.switchboard.delivery.AttemptResult;
import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.delivery.DeliveryTimer;
import dev.switchboard.delivery.ParkingLot;
import dev.switchboard.delivery.ReplyPublisher;
import dev.switchboard.delivery.RetryingSink;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes HTTP sinks that share one Vert.x instance and one keep-alive connection pool; retries wait on
 * Vert.x timers.
 */
public final class HttpDelivery implements AutoCloseable {
    private final Vertx vertx;
    private final LoopClients http1;
    private final LoopClients h2c;
    private final Clock clock;
    private final DeliveryTimer timer;
    private final EventLoops loops;

    public HttpDelivery(Vertx vertx, int maxConnectionsPerHost, Clock clock) {
        this(vertx, new EventLoops(vertx), maxConnectionsPerHost, clock);
    }

    /**
     * Delivery whose subscribers take their event loops from {@code loops}, in turn: a server that
     * {@linkplain EventLoops#reserve() reserved} a loop for its ingress keeps every subscriber off it.
     * Each event loop has its own pool of up to {@code maxConnectionsPerHost} connections per host.
     */
    public HttpDelivery(Vertx vertx, EventLoops loops, int maxConnectionsPerHost, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.loops = Objects.requireNonNull(loops, "loops");
        this.clock = Objects.requireNonNull(clock, "clock");
        // Redirects are not followed (a request's default); every request says User-Agent: Switchboard.
        HttpClientOptions common = new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(maxConnectionsPerHost);
        this.http1 = new LoopClients(vertx, common, loops.all());
        // h2c with prior knowledge: no upgrade round trip, many streams on one connection.
        this.h2c = new LoopClients(
                vertx,
                new HttpClientOptions(common)
                        .setProtocolVersion(HttpVersion.HTTP_2)
                        .setHttp2ClearTextUpgrade(false)
                        .setHttp2MaxPoolSize(Math.max(1, maxConnectionsPerHost / 8)),
                loops.all());
        this.timer = (delay, task) -> vertx.setTimer(Math.max(1, delay.toMillis()), id -> task.run());
    }

    /** A target whose attempts keep to the next loop handed out (see {@link HttpTarget}). */
    private HttpTarget target(LoopClients clients, URI uri, Optional<Duration> timeout, boolean structured) {
        return new HttpTarget(clients, loops, loops.nextIndex(), uri, timeout, structured, clock);
    }

    /** A sink for one subscriber that drops what it cannot deliver when no dead-letter sink is set. */
    public RetryingSink sink(URI subscriber, DeliverySpec spec, HttpSinkOptions options, ReplyPublisher replies) {
        return sink(subscriber, spec, options, replies, null);
    }

    /**
     * A sink for one subscriber; its dead-letter sink, if any, is reached the same way; without one,
     * undeliverable events go to {@code parking} (when not {@code null}).
     */
    public RetryingSink sink(
            URI subscriber, DeliverySpec spec, HttpSinkOptions options, ReplyPublisher replies, ParkingLot parking) {
        LoopClients clients = options.protocol() == HttpSinkOptions.HttpProtocol.H2C ? h2c : http1;
        HttpTarget target = target(clients, subscriber, spec.timeout(), options.structured());
        HttpTarget deadLetters = spec.deadLetterSink()
                .map(uri -> target(clients, uri, spec.timeout(), options.structured()))
                .orElse(null);
        return new RetryingSink(target, deadLetters, parking, spec, replies, timer, clock);
    }

    /**
     * A target for sources that send to a URL: POSTs the event in binary mode; accepted on any 2xx, and
     * failed (so the source does not acknowledge upstream) otherwise.
     */
    public EventTarget eventTarget(URI uri, Optional<Duration> timeout) {
        HttpTarget target = target(http1, uri, timeout, false);
        return event -> target.attempt(event).thenApply(result -> {
            if (result instanceof AttemptResult.Accepted) {
                return result;
            }
            String why = result instanceof AttemptResult.Refused refused
                    ? "HTTP " + refused.status()
                    : ((AttemptResult.Failed) result).cause().toString();
            throw new java.util.concurrent.CompletionException(
                    new IllegalStateException(uri + " did not accept event " + event.getId() + ": " + why));
        });
    }

    /**
     * A target for sources that send to a URL with a delivery policy (retries, backoff, per-try
     * timeout, dead-letter sink) that reuses the triggers' {@link RetryingSink}. The stage completes
     * once the event was delivered or dead-lettered; it fails when the policy gave up without a
     * dead-letter sink, so the source keeps the event upstream and tries again later instead of
     * dropping it. Replies are ignored, as Knative's sources ignore them.
     */
    public EventTarget eventTarget(URI uri, DeliverySpec spec) {
        RetryingSink sink = sink(uri, spec, HttpSinkOptions.binary(), ReplyPublisher.discard());
        return event -> sink.deliver(event).thenApply(outcome -> {
            if (outcome instanceof DeliveryOutcome.Delivered || outcome instanceof DeliveryOutcome.DeadLettered) {
                return outcome;
            }
            throw new java.util.concurrent.CompletionException(
                    new IllegalStateException(uri + " did not take event " + event.getId() + ": " + outcome));
        });
    }

    public DeliveryTimer timer() {
        return timer;
    }

    public Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        http1.close();
        h2c.close();
    }
}
