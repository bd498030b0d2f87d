package dev.switchboard.benchmarks.load;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The subscriber: counts arrivals and records send-to-arrival latency from {@code ce-sentnanos};
 * answers at once, or after a fixed delay to play a sink slower than the load.
 */
final class Sink {
    final AtomicLong arrivals = new AtomicLong();
    private volatile Histogram latency = new Histogram(3_600_000_000_000L, 3);
    private final HttpServer server;

    Sink(Vertx vertx) throws Exception {
        this(vertx, 0);
    }

    Sink(Vertx vertx, long answerAfterMillis) throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onComplete(body -> {
                    String sent = request.getHeader("ce-sentnanos");
                    if (sent != null) {
                        latency.recordValue(Math.max(0, System.nanoTime() - Long.parseLong(sent)));
                    }
                    arrivals.incrementAndGet();
                    if (answerAfterMillis == 0) {
                        request.response().setStatusCode(202).end();
                    } else {
                        vertx.setTimer(
                                answerAfterMillis,
                                id -> request.response().setStatusCode(202).end());
                    }
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get();
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/";
    }

    /** The latencies recorded since the last reset (only the sink's event loop writes it). */
    Histogram latency() {
        return latency;
    }

    void resetLatency() {
        latency = new Histogram(3_600_000_000_000L, 3);
    }
}
