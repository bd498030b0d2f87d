package dev.switchboard.benchmarks.load;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * The baselines, each its own process like the server under test:
 *
 * <ul>
 *   <li>{@code ingest <port>}: B1-ingest, a bare Vert.x server that answers 202 to every POST.
 *   <li>{@code forward <port> <sink URL>}: B1, the same that first posts the request on to the sink
 *       (headers and body as received) and answers 202 once the sink answered.
 * </ul>
 *
 * Prints {@code listening on <port>} when ready. A bare Vert.x runs on NIO; {@value #NATIVE_TRANSPORT}
 * asks for the native epoll transport that the server uses, for a comparison on equal terms.
 */
public final class Baseline {
    /** Set to {@code true} to run on Netty's native epoll transport instead of the default NIO. */
    static final String NATIVE_TRANSPORT = "switchboard.baselineNativeTransport";

    private Baseline() {}

    public static void main(String[] args) throws Exception {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(threads)
                .setPreferNativeTransport(Boolean.getBoolean(NATIVE_TRANSPORT)));
        if (Boolean.getBoolean(NATIVE_TRANSPORT) && !vertx.isNativeTransportEnabled()) {
            throw new IllegalStateException(
                    "native transport asked for but unavailable", vertx.unavailableNativeTransportCause());
        }
        int port = Integer.parseInt(args[1]);
        HttpServer server;
        if (args[0].equals("ingest")) {
            server = vertx.createHttpServer()
                    .requestHandler(request -> request.body()
                            .onComplete(body ->
                                    request.response().setStatusCode(202).end()))
                    .listen(port, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
        } else {
            URI sink = URI.create(args[2]);
            var client = vertx.createHttpClient(
                    new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64));
            server = vertx.createHttpServer()
                    .requestHandler(request -> request.body().onSuccess(body -> client.request(new RequestOptions()
                                    .setMethod(HttpMethod.POST)
                                    .setHost(sink.getHost())
                                    .setPort(sink.getPort())
                                    .setURI(sink.getPath())
                                    .setHeaders(eventHeaders(request.headers())))
                            .compose(out -> out.send(body))
                            .onComplete(answer -> request.response()
                                    .setStatusCode(answer.succeeded() ? 202 : 502)
                                    .end())))
                    .listen(port, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
        }
        System.out.println("listening on " + server.actualPort());
        System.out.flush();
    }

    /** The CloudEvent's headers (ce-* and content-type), as a forwarder passes them on. */
    private static io.vertx.core.MultiMap eventHeaders(io.vertx.core.MultiMap in) {
        io.vertx.core.MultiMap out = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
        in.forEach((name, value) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("ce-") || lower.equals("content-type")) {
                out.add(name, value);
            }
        });
        return out;
    }
}
