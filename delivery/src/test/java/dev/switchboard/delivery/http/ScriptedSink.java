package dev.switchboard.delivery.http;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real Vert.x HTTP server on a free loopback port that answers each request by the next step of a
 * script (then by its default), and records what it received and when.
 */
final class ScriptedSink implements AutoCloseable {
    /** A request as the sink saw it. */
    record Received(long nanoTime, HttpVersion version, String uri, MultiMap headers, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Consumer<HttpServerRequest>> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Consumer<HttpServerRequest> otherwise = status(202);

    ScriptedSink(Vertx vertx) throws Exception {
        this.server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
                    received.add(new Received(
                            System.nanoTime(), request.version(), request.uri(), headers, body.getBytes()));
                    Consumer<HttpServerRequest> step = script.poll();
                    (step != null ? step : otherwise).accept(request);
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/sink");
    }

    /** The next requests get these answers, in order. */
    @SafeVarargs
    final ScriptedSink then(Consumer<HttpServerRequest>... steps) {
        script.addAll(List.of(steps));
        return this;
    }

    ScriptedSink otherwise(Consumer<HttpServerRequest> answer) {
        this.otherwise = answer;
        return this;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    static Consumer<HttpServerRequest> status(int status) {
        return request -> request.response().setStatusCode(status).end();
    }

    static Consumer<HttpServerRequest> status(int status, String body) {
        return request -> request.response().setStatusCode(status).end(body);
    }

    static Consumer<HttpServerRequest> retryAfter(int status, String retryAfter) {
        return request -> request.response()
                .setStatusCode(status)
                .putHeader("Retry-After", retryAfter)
                .end();
    }

    /** Never answers; the client's timeout ends the attempt. */
    static Consumer<HttpServerRequest> stall() {
        return request -> {};
    }

    /** Answers with a binary-mode CloudEvent. */
    static Consumer<HttpServerRequest> replyBinary(int status, String id, String type) {
        return request -> request.response()
                .setStatusCode(status)
                .putHeader("ce-specversion", "1.0")
                .putHeader("ce-id", id)
                .putHeader("ce-type", type)
                .putHeader("ce-source", "/replier")
                .putHeader("content-type", "application/json")
                .end(Buffer.buffer("{\"reply\":true}"));
    }

    /** Answers with a structured-mode CloudEvent. */
    static Consumer<HttpServerRequest> replyStructured(int status, String id, String type) {
        return request -> request.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/cloudevents+json")
                .end("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"" + type
                        + "\",\"source\":\"/replier\",\"data\":{\"reply\":true}}");
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
