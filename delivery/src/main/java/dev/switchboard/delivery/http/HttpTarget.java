package dev.switchboard.delivery.http;

import dev.switchboard.delivery.AttemptResult;
import dev.switchboard.delivery.DeliveryTarget;
import dev.switchboard.delivery.retry.RetryAfter;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One HTTP subscriber: POSTs the event in binary mode (structured JSON when asked), with {@code
 * Prefer: reply}, over the shared keep-alive client. A 200 whose body is a CloudEvent (binary or
 * structured) is a reply; a 202 never is, whatever its body.
 *
 * <p>Given a {@code loop}, every attempt runs on it. Made from a dispatch thread, a request would run
 * on that thread's context while the pooled connection it gets may live on another loop: the answer
 * would be handed between event loops, once per event (benchmarks/RESULTS.md). Without one (Vert.x
 * runs a single loop, where no answer changes loops), the request is built on the caller's thread.
 */
public final class HttpTarget implements DeliveryTarget {
    private final WebClient client;
    private final Optional<Context> loop;
    private final URI uri;
    // The URI taken apart once: Vert.x would parse the absolute URI and the server's address per request.
    private final SocketAddress server;
    private final String requestUri;
    private final boolean ssl;
    private final Optional<Duration> timeout;
    private final boolean structured;
    private final Clock clock;
    // One for all targets: an ObjectMapper is thread-safe and costs tens of KiB (10,000 triggers, 10,000 mappers).
    private static final JsonFormat JSON = new JsonFormat();
    private static final CharSequence PREFER = HttpHeaders.createOptimized("Prefer");
    private static final CharSequence REPLY = HttpHeaders.createOptimized("reply");

    public HttpTarget(
            WebClient client,
            Optional<Context> loop,
            URI uri,
            Optional<Duration> timeout,
            boolean structured,
            Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.ssl = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : ssl ? 443 : 80;
        this.server = SocketAddress.inetSocketAddress(port, uri.getHost());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        this.requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.structured = structured;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String address() {
        return uri.toString();
    }

    @Override
    public CompletionStage<AttemptResult> attempt(CloudEvent event) {
        if (loop.isEmpty() || Vertx.currentContext() == loop.get()) {
            return send(event).toCompletionStage();
        }
        Promise<AttemptResult> result = Promise.promise();
        loop.get().runOnContext(ignored -> {
            try {
                send(event).onComplete(result);
            } catch (RuntimeException e) {
                result.fail(e); // thrown here it would reach only the loop's handler
            }
        });
        return result.future().toCompletionStage();
    }

    private Future<AttemptResult> send(CloudEvent event) {
        HttpRequest<Buffer> request = client.request(HttpMethod.POST, server, server.port(), server.host(), requestUri)
                .ssl(ssl);
        request.headers().set(PREFER, REPLY);
        timeout.ifPresent(t -> request.timeout(Math.max(1, t.toMillis())));
        Future<HttpResponse<Buffer>> response = structured
                ? VertxMessageFactory.createWriter(request).writeStructured(event, JSON)
                : BinaryHeaders.write(request, event);
        return response.map(this::classify).otherwise(error -> new AttemptResult.Failed(error));
    }

    private AttemptResult classify(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new AttemptResult.Accepted(status == 200 ? reply(response) : Optional.empty());
        }
        Buffer body = response.body();
        return new AttemptResult.Refused(
                status,
                body == null ? new byte[0] : body.getBytes(),
                RetryAfter.parse(response.getHeader("Retry-After"), clock.instant()));
    }

    private static Optional<CloudEvent> reply(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        boolean binary = response.getHeader("ce-specversion") != null;
        if (!binary && (body == null || body.length() == 0)) {
            return Optional.empty();
        }
        try {
            MessageReader reader = VertxMessageFactory.createReader(response);
            return Optional.of(reader.toEvent());
        } catch (CloudEventRWException | IllegalStateException e) {
            return Optional.empty(); // a body that is not a CloudEvent is just a body
        }
    }
}
