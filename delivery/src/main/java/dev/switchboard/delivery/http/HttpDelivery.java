package dev.switchboard.delivery.http;

import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.delivery.DeliveryTimer;
import dev.switchboard.delivery.ReplyPublisher;
import dev.switchboard.delivery.RetryingSink;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;

/**
 * Makes HTTP sinks that share one Vert.x instance and one keep-alive connection pool; retries wait on
 * Vert.x timers.
 */
public final class HttpDelivery implements AutoCloseable {
    private final Vertx vertx;
    private final WebClient client;
    private final Clock clock;
    private final DeliveryTimer timer;

    public HttpDelivery(Vertx vertx, int maxConnectionsPerHost, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.client = WebClient.create(
                vertx,
                new WebClientOptions()
                        .setKeepAlive(true)
                        .setMaxPoolSize(maxConnectionsPerHost)
                        .setFollowRedirects(false)
                        .setUserAgent("Switchboard"));
        this.timer = (delay, task) -> vertx.setTimer(Math.max(1, delay.toMillis()), id -> task.run());
    }

    /**
     * A sink for one subscriber.
     *
     * @param structured send structured-mode JSON (Knative's {@code format: json}) instead of binary
     */
    public RetryingSink sink(URI subscriber, DeliverySpec spec, boolean structured, ReplyPublisher replies) {
        HttpTarget target = new HttpTarget(client, subscriber, spec.timeout(), structured, clock);
        HttpTarget deadLetters = spec.deadLetterSink()
                .map(uri -> new HttpTarget(client, uri, spec.timeout(), structured, clock))
                .orElse(null);
        return new RetryingSink(target, deadLetters, spec, replies, timer, clock);
    }

    public DeliveryTimer timer() {
        return timer;
    }

    public Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        client.close();
    }
}
