package dev.switchboard.server.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP subscriber on a free loopback port: answers with a status (and body) that a test can
 * change at any time, and records every request.
 */
public final class RecordingHttpSink implements AutoCloseable {
    /** A request as the subscriber saw it. */
    public record Received(MultiMap headers, byte[] body) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 202;
    private volatile String answerBody = "";

    public RecordingHttpSink(Vertx vertx) throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    received.add(new Received(
                            MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.getBytes()));
                    if (status > 0) {
                        request.response().setStatusCode(status).end(answerBody);
                    }
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** The status to answer with; 0 never answers. */
    public void answer(int value) {
        answer(value, "");
    }

    /** The status and body to answer with. */
    public void answer(int value, String body) {
        this.answerBody = body;
        this.status = value;
    }

    public int port() {
        return server.actualPort();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/");
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<String> ids() {
        return received.stream().map(r -> r.headers().get("ce-id")).toList();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
