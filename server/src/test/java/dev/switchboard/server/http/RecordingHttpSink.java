package dev.switchboard.server.http;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A real HTTP subscriber on a free loopback port that answers with a fixed status and records requests. */
final class RecordingHttpSink implements AutoCloseable {
    record Received(MultiMap headers, byte[] body) {}

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 202;

    RecordingHttpSink(Vertx vertx) throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    received.add(new Received(
                            MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.getBytes()));
                    if (status > 0) {
                        request.response().setStatusCode(status).end();
                    }
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** The status to answer with; 0 never answers. */
    void answer(int value) {
        this.status = value;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/");
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<String> ids() {
        return received.stream().map(r -> r.headers().get("ce-id")).toList();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
