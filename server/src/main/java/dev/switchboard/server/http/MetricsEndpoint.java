package dev.switchboard.server.http;

import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the Prometheus text exposition, written on a worker thread straight into the
 * response in chunks, gzipped when the scraper accepts it (Prometheus does). With 10,000 triggers the
 * text is 13.5 MB: built as one string on an event loop, it held that loop (maybe the ingress's) for
 * ~200 ms per scrape and left ~100 MB of garbage behind, which grew the heap for good
 * (benchmarks/RESULTS.md).
 *
 * @param exposition writes the text
 * @param worker where scrapes run, one at a time
 */
public record MetricsEndpoint(Exposition exposition, WorkerExecutor worker) implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final int CHUNK_BYTES = 64 * 1024;
    /** How long a chunk may wait for a scraper that stopped reading before the scrape gives up. */
    private static final long STALLED_SECONDS = 30;

    /** Writes the exposition; called on the worker, once per scrape. */
    @FunctionalInterface
    public interface Exposition {
        void writeTo(OutputStream out) throws IOException;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        boolean gzip = acceptsGzip(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING));
        response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE);
        if (gzip) {
            response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        worker.<Void>executeBlocking(
                        () -> {
                            ChunkedOutput chunks = new ChunkedOutput(response);
                            OutputStream out = gzip ? new GZIPOutputStream(chunks, CHUNK_BYTES) : chunks;
                            boolean written = false;
                            try {
                                exposition.writeTo(out);
                                written = true;
                            } finally {
                                if (!written) {
                                    chunks.discard(); // what is still buffered stays out of the answer
                                }
                                out.close();
                            }
                            return null;
                        },
                        true)
                .onComplete(done -> {
                    if (done.succeeded()) {
                        response.end();
                    } else if (!response.headWritten()) {
                        LOG.error("metrics scrape failed", done.cause());
                        response.headers().remove(HttpHeaders.CONTENT_ENCODING);
                        Problem.send(response, 500, "metrics scrape failed", String.valueOf(done.cause()));
                    } else {
                        // Part of the text is out: cut the connection so that the scraper sees a failure.
                        LOG.warn(
                                "metrics scrape stopped after the answer began: {}",
                                done.cause().toString());
                        response.reset();
                    }
                });
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            if (parts[0].trim().equalsIgnoreCase("gzip")) {
                return quality(parts) > 0;
            }
        }
        return false;
    }

    /** The {@code q} parameter of one coding (RFC 9110, 12.4.2), 1 when absent or unreadable. */
    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String[] pair = parts[i].trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("q")) {
                try {
                    return Double.parseDouble(pair[1].trim());
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
        }
        return 1;
    }

    /**
     * Hands the response {@value #CHUNK_BYTES}-byte chunks from the worker, waiting while the response's
     * write queue is full, so a slow scraper holds one chunk in memory, not the whole text.
     */
    private static final class ChunkedOutput extends OutputStream {
        private final HttpServerResponse response;
        private Buffer chunk = Buffer.buffer(CHUNK_BYTES);
        private boolean discarding;

        ChunkedOutput(HttpServerResponse response) {
            this.response = response;
        }

        /** The scrape failed: drop what is buffered and whatever comes after. */
        void discard() {
            discarding = true;
        }

        @Override
        public void write(int b) throws IOException {
            chunk.appendByte((byte) b);
            if (chunk.length() >= CHUNK_BYTES) {
                flush();
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            chunk.appendBytes(bytes, offset, length);
            if (chunk.length() >= CHUNK_BYTES) {
                flush();
            }
        }

        @Override
        public void flush() throws IOException {
            if (discarding) {
                chunk = Buffer.buffer(0);
                return;
            }
            if (chunk.length() == 0) {
                return;
            }
            if (response.closed()) {
                throw new IOException("the scraper closed the connection");
            }
            response.write(chunk);
            chunk = Buffer.buffer(CHUNK_BYTES);
            awaitRoom();
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        private void awaitRoom() throws IOException {
            if (!response.writeQueueFull()) {
                return;
            }
            CompletableFuture<Void> drained = new CompletableFuture<>();
            response.drainHandler(ignored -> drained.complete(null));
            response.closeHandler(ignored -> drained.complete(null));
            if (!response.writeQueueFull()) {
                return; // drained between the check and the handler
            }
            try {
                drained.get(STALLED_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the scraper was reading", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("the scraper stopped reading for " + STALLED_SECONDS + " s", e);
            }
            if (response.closed()) {
                throw new IOException("the scraper closed the connection");
            }
        }
    }
}
