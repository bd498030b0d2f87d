package dev.switchboard.benchmarks.load;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Drives HTTP load at a target: closed loop ({@code connections} requests in flight, each sending the
 * next when answered) or open loop (a constant {@code rate}, each request stamped with the time it was
 * meant to go, so a slow server cannot hide latency by slowing the generator down). Every request is a
 * 1 KiB binary-mode CloudEvent carrying its intended send time in {@code ce-sentnanos}.
 */
final class LoadRun {
    private static final Buffer BODY;

    static {
        byte[] data = new byte[1024];
        Arrays.fill(data, (byte) 'x');
        BODY = Buffer.buffer(data);
    }

    final AtomicLong accepted = new AtomicLong();
    final AtomicLong throttled = new AtomicLong();
    /** The 429s that said the broker was over its buffer limit (the others came before it). */
    final AtomicLong throttledAtLimit = new AtomicLong();

    final AtomicLong errors = new AtomicLong();
    /** What the errors were: an HTTP status or an exception, with how often each happened. */
    final java.util.Map<String, AtomicLong> errorKinds = new java.util.concurrent.ConcurrentHashMap<>();

    final Histogram ingressLatency = new Histogram(3_600_000_000_000L, 3);
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Vertx vertx;
    private final HttpClient client;
    private final int port;
    private final String path;
    private volatile int types = 1;

    LoadRun(Vertx vertx, int port, String path, int connections) {
        this.vertx = vertx;
        this.port = port;
        this.path = path;
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(connections));
    }

    /**
     * Spreads the events over {@code count} types ({@code bench.load.0}, {@code bench.load.1}, ...)
     * instead of sending them all as {@code bench.load}.
     */
    void spreadOverTypes(int count) {
        this.types = count;
    }

    void closedLoop(int connections) {
        for (int i = 0; i < connections; i++) {
            vertx.runOnContext(v -> sendLoop());
        }
    }

    private void sendLoop() {
        if (!running.get()) {
            return;
        }
        io.vertx.core.Future<Void> sent = trySend(System.nanoTime());
        if (sent != null) {
            sent.onComplete(done -> sendLoop());
        }
    }

    /** Sends, or returns null when {@link #stop()} closed the client after the caller checked. */
    private io.vertx.core.Future<Void> trySend(long intendedNanos) {
        try {
            return send(intendedNanos);
        } catch (IllegalStateException closed) {
            if (running.get()) {
                throw closed;
            }
            return null;
        }
    }

    void openLoop(double perSecond) {
        long start = System.nanoTime();
        long[] sent = {0};
        vertx.setPeriodic(1, id -> {
            if (!running.get()) {
                vertx.cancelTimer(id);
                return;
            }
            long due = (long) ((System.nanoTime() - start) / 1e9 * perSecond);
            for (; sent[0] < due; sent[0]++) {
                if (trySend(start + (long) (sent[0] * 1e9 / perSecond)) == null) {
                    return;
                }
            }
        });
    }

    private io.vertx.core.Future<Void> send(long intendedNanos) {
        long id = ids.incrementAndGet();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("ce-specversion", "1.0")
                .add("ce-id", "load-" + id)
                .add("ce-type", types == 1 ? "bench.load" : "bench.load." + id % types)
                .add("ce-source", "/bench")
                .add("ce-sentnanos", Long.toString(intendedNanos))
                .add("content-type", "application/octet-stream");
        return client.request(new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1")
                        .setPort(port)
                        .setURI(path)
                        .setHeaders(headers))
                .compose(request -> request.send(BODY))
                .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body)))
                .onComplete(result -> {
                    if (result.failed()) {
                        error(result.cause().toString());
                    } else if (result.result().status() == 202) {
                        accepted.incrementAndGet();
                        ingressLatency.recordValue(Math.max(0, System.nanoTime() - intendedNanos));
                    } else if (result.result().status() == 429) {
                        throttled.incrementAndGet();
                        if (result.result().body().toString().contains("over its buffer limit")) {
                            throttledAtLimit.incrementAndGet();
                        }
                    } else {
                        error("HTTP " + result.result().status());
                    }
                })
                .mapEmpty();
    }

    private record Answer(int status, Buffer body) {}

    private void error(String kind) {
        errors.incrementAndGet();
        errorKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    void stop() {
        running.set(false);
        client.close();
    }
}
