package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
    /** Many chunks' worth, as 10,000 triggers make. */
    private static final String TEXT = "switchboard_trigger_cursor{trigger=\"t\"} 1.0\n".repeat(40_000);

    private final Vertx vertx = Vertx.vertx();
    private final WorkerExecutor worker = vertx.createSharedWorkerExecutor("metrics-test", 1);
    private final WebClient client = WebClient.create(vertx);
    private final CompletableFuture<Boolean> writtenOnEventLoop = new CompletableFuture<>();
    private volatile MetricsEndpoint.Exposition exposition = out -> {
        writtenOnEventLoop.complete(Context.isOnEventLoopThread());
        out.write(TEXT.getBytes(StandardCharsets.UTF_8));
    };
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        Router router = Router.router(vertx);
        router.get("/metrics").handler(new MetricsEndpoint(out -> exposition.writeTo(out), worker));
        server = vertx.createHttpServer()
                .requestHandler(router)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldWriteTheExpositionInChunksOffTheEventLoop() throws Exception {
        HttpResponse<Buffer> response = scrape(null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("content-type")).isEqualTo(MetricsEndpoint.CONTENT_TYPE);
        assertThat(response.getHeader("transfer-encoding")).isEqualTo("chunked");
        assertThat(response.getHeader("content-encoding")).isNull();
        assertThat(response.bodyAsString()).isEqualTo(TEXT);
        assertThat(writtenOnEventLoop.get(1, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void shouldGzipWhenTheScraperAcceptsIt() throws Exception {
        HttpResponse<Buffer> response = scrape("gzip");

        assertThat(response.getHeader("content-encoding")).isEqualTo("gzip");
        assertThat(response.body().length()).isLessThan(TEXT.length() / 10);
        try (GZIPInputStream in =
                new GZIPInputStream(new ByteArrayInputStream(response.body().getBytes()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
        }
    }

    @Test
    void shouldAnswer500WithTheProblemWhenTheScrapeFailsBeforeWriting() throws Exception {
        exposition = out -> {
            throw new IOException("registry unavailable");
        };

        HttpResponse<Buffer> response = scrape("gzip");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.getHeader("content-encoding")).isNull();
        JsonObject problem = response.bodyAsJsonObject();
        assertThat(problem.getString("error")).isEqualTo("metrics scrape failed");
        assertThat(problem.getString("detail")).contains("registry unavailable");
    }

    @Test
    void shouldCutTheConnectionWhenTheScrapeFailsHalfWritten() {
        exposition = out -> {
            out.write(TEXT.getBytes(StandardCharsets.UTF_8));
            out.flush();
            throw new IOException("a meter failed");
        };

        assertThatThrownBy(() -> scrape(null)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void shouldWaitForAScraperThatReadsSlowlyAndGiveUpWhenItLeaves() throws Exception {
        int chunks = 1_000; // 64 MiB: far more than the socket buffers and the response's write queue hold
        AtomicInteger written = new AtomicInteger();
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        exposition = out -> {
            byte[] chunk = new byte[MetricsEndpoint.CHUNK_BYTES];
            try {
                for (int i = 0; i < chunks; i++) {
                    out.write(chunk);
                    written.incrementAndGet();
                }
            } catch (IOException e) {
                failed.complete(e);
                throw e;
            }
        };
        try (Socket scraper = new Socket()) {
            // A fixed receive buffer: the kernel would otherwise grow it (up to 32 MiB here) and take in
            // the whole text on the scraper's behalf.
            scraper.setReceiveBufferSize(64 * 1024);
            scraper.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), 10_000);
            scraper.getOutputStream()
                    .write("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            // A scraper that never reads: the worker writes what fits and then waits, instead of queueing
            // the whole text in memory.
            await().atMost(Duration.ofSeconds(10)).until(() -> written.get() > 0);
            AtomicInteger seen = new AtomicInteger(-1);
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> seen.getAndSet(written.get()) == written.get());
            assertThat(written.get()).isLessThan(chunks);
        }

        assertThat(failed.get(40, TimeUnit.SECONDS)).hasMessageContaining("closed the connection");
        assertThat(written.get()).isLessThan(chunks);
    }

    @Test
    void shouldReadTheAcceptEncodingHeaderAsHttpDefinesIt() {
        assertThat(MetricsEndpoint.acceptsGzip("gzip")).isTrue();
        assertThat(MetricsEndpoint.acceptsGzip("deflate, GZIP;q=0.5")).isTrue();
        assertThat(MetricsEndpoint.acceptsGzip("br, gzip; q=0.8")).isTrue();
        assertThat(MetricsEndpoint.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(MetricsEndpoint.acceptsGzip("gzip; q=0.000, identity")).isFalse();
        assertThat(MetricsEndpoint.acceptsGzip("identity")).isFalse();
        assertThat(MetricsEndpoint.acceptsGzip(null)).isFalse();
    }

    private HttpResponse<Buffer> scrape(String acceptEncoding) throws Exception {
        var request = client.get(server.actualPort(), "127.0.0.1", "/metrics");
        if (acceptEncoding != null) {
            request.putHeader("accept-encoding", acceptEncoding);
        }
        return request.send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
