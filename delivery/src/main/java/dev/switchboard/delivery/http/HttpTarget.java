package dev.switchboard.delivery.http;

import dev.switchboard.core.CallerLoops;
import dev.switchboard.delivery.AttemptResult;
import dev.switchboard.delivery.DeliveryTarget;
import dev.switchboard.delivery.retry.RetryAfter;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One HTTP subscriber: POSTs the event in binary mode (structured JSON when asked), with {@code
 * Prefer: reply}, over keep-alive connections. A 200 whose body is a CloudEvent (binary or
 * structured) is a reply; a 202 never is, whatever its body.
 *
 * <p>Which loop an attempt runs on, so that its answer is never handed between event loops
 * (benchmarks/RESULTS.md): its own {@code home} loop, hopping there from a dispatch thread; or, made
 * on another event loop while the subscriber has fewer than {@value #BORROW_BELOW_IN_FLIGHT} attempts
 * in flight and that loop is quiet ({@link EventLoops#tryBorrow}), the calling loop itself, woken for
 * this event already. Every attempt counts on its loop, so a busy subscriber's loop is busy too. Each
 * loop uses its own connections ({@link LoopClients}). When Vert.x runs a single loop, the request is
 * built on the caller's thread.
 */
public final class HttpTarget implements DeliveryTarget {
    /** A subscriber with this many attempts in flight is busy: its attempts keep to its own loop. */
    static final int BORROW_BELOW_IN_FLIGHT = 4;

    private final LoopClients clients;
    private final EventLoops loops;
    private final int home;
    private final CallerLoops answerLoops;
    private final AtomicInteger inFlight = new AtomicInteger();
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
    private static final CharSequence AGENT = HttpHeaders.createOptimized("Switchboard");
    private static final CharSequence PREFER = HttpHeaders.createOptimized("Prefer");
    private static final CharSequence REPLY = HttpHeaders.createOptimized("reply");

    HttpTarget(
            LoopClients clients,
            EventLoops loops,
            int home,
            URI uri,
            Optional<Duration> timeout,
            boolean structured,
            Clock clock) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.loops = Objects.requireNonNull(loops, "loops");
        this.home = home;
        this.answerLoops = loops.keptTo(home);
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

    /**
     * Answers arrive on the loops of the delivery's {@link EventLoops}; its home loop is its {@linkplain
     * CallerLoops#home() home}, where a pass signalled off the loops then starts its attempts without a
     * hop.
     */
    @Override
    public CallerLoops answerLoops() {
        return answerLoops;
    }

    @Override
    public CompletionStage<AttemptResult> attempt(CloudEvent event) {
        int here = loops.current();
        if (here == home || loops.all() == 1) {
            return counted(event, home, false).toCompletionStage();
        }
        if (here >= 0 && inFlight.get() < BORROW_BELOW_IN_FLIGHT && loops.tryBorrow(here)) {
            return counted(event, here, true).toCompletionStage();
        }
        Promise<AttemptResult> result = Promise.promise();
        loops.context(home).runOnContext(ignored -> counted(event, home, false).onComplete(result));
        return result.future().toCompletionStage();
    }

    /** Sends on loop {@code index}, counted in flight (here and on the loop) until it completes. */
    private Future<AttemptResult> counted(CloudEvent event, int index, boolean borrowed) {
        inFlight.incrementAndGet();
        if (!borrowed) {
            loops.start(index); // a borrowed one was counted when it took its place
        }
        Future<AttemptResult> sent;
        try {
            sent = send(event, clients.on(index));
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e); // thrown on a loop's task it would reach only the loop's handler
        }
        return sent.onComplete(done -> {
            inFlight.decrementAndGet();
            loops.done(index);
        });
    }

    private Future<AttemptResult> send(CloudEvent event, HttpClient client) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(server)
                .setHost(server.host())
                .setPort(server.port())
                .setURI(requestUri)
                .setSsl(ssl);
        timeout.ifPresent(t -> options.setTimeout(Math.max(1, t.toMillis())));
        return client.request(options)
                .compose(write(event))
                .compose(response -> response.body().map(body -> classify(response, body)))
                .otherwise(error -> new AttemptResult.Failed(error));
    }

    /** Writes the event on a request that has its connection; resets it when the event cannot be written. */
    private Function<HttpClientRequest, Future<HttpClientResponse>> write(CloudEvent event) {
        return request -> {
            request.putHeader(HttpHeaders.USER_AGENT, AGENT).putHeader(PREFER, REPLY);
            ClientRequestWriter writer = new ClientRequestWriter(request);
            try {
                return structured ? writer.writeStructured(event, JSON) : writer.writeBinary(event);
            } catch (RuntimeException e) {
                request.reset(0, e); // frees the connection the request holds
                return Future.failedFuture(e);
            }
        };
    }

    private AttemptResult classify(HttpClientResponse response, Buffer body) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new AttemptResult.Accepted(status == 200 ? reply(response, body) : Optional.empty());
        }
        return new AttemptResult.Refused(
                status,
                body == null ? new byte[0] : body.getBytes(),
                RetryAfter.parse(response.getHeader("Retry-After"), clock.instant()));
    }

    private static Optional<CloudEvent> reply(HttpClientResponse response, Buffer body) {
        boolean binary = response.getHeader("ce-specversion") != null;
        if (!binary && (body == null || body.length() == 0)) {
            return Optional.empty();
        }
        try {
            MessageReader reader = VertxMessageFactory.createReader(response.headers(), body);
            return Optional.of(reader.toEvent());
        } catch (CloudEventRWException | IllegalStateException e) {
            return Optional.empty(); // a body that is not a CloudEvent is just a body
        }
    }
}
