package dev.switchboard.server;

import dev.switchboard.core.Switchboard;
import dev.switchboard.core.log.StoreOptions;
import dev.switchboard.delivery.http.EventLoops;
import dev.switchboard.delivery.http.HttpDelivery;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.ConfigProblem;
import dev.switchboard.server.config.LoadedConfig;
import dev.switchboard.server.http.AdminRoutes;
import dev.switchboard.server.http.EventDisplay;
import dev.switchboard.server.http.IngressHandler;
import dev.switchboard.server.http.IngressRequests;
import dev.switchboard.server.http.MetricsEndpoint;
import dev.switchboard.server.http.Problem;
import dev.switchboard.server.http.WebhookHandler;
import dev.switchboard.server.metrics.ServerMetrics;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone server: loads the YAML, opens the embedded store, starts the triggers and serves
 * ingress and health on one port.
 */
public final class SwitchboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchboardServer.class);
    /**
     * The store's tail cache: ~3,300 events of 1 KiB, a tenth of a second at the server's top rate,
     * where its triggers keep up. G1 copies the cache's events at each young pause; with the library's
     * 8 MiB it grew the heap for them and put 30-300 MiB on the peak RSS at no gain in throughput
     * (benchmarks/RESULTS.md, scenario 7).
     */
    private static final long TAIL_CACHE_BYTES = 4L << 20;

    private final Vertx vertx;
    private final Switchboard switchboard;
    private final HttpDelivery delivery;
    private final HttpServer http;
    private final ConfigWatcher watcher;
    private final long redriveTimer;
    /**
     * One thread for the periodic upkeep (config checks, redrives, heap trims): on Vert.x's shared
     * worker pool each task would start another of its 20 threads, each with its stack and C heap arena.
     */
    private final WorkerExecutor upkeep;
    /** Where {@code /metrics} is written: off the event loops, and not in the upkeep's way. */
    private final WorkerExecutor scrapes;

    private final IdleTrim idleTrim;
    private final ServerRuntime runtime;
    private final java.util.concurrent.ScheduledExecutorService sourceScheduler;
    private volatile boolean accepting;

    /** How long shutdown waits for deliveries in flight. */
    static final java.time.Duration DRAIN_DEADLINE = java.time.Duration.ofSeconds(10);

    /**
     * @param config a YAML file or directory
     * @param dataDir where the store lives
     * @param port the port, 0 for any free one
     * @param reloadInterval how often the configuration is checked for changes
     */
    public record Options(Path config, Path dataDir, int port, java.time.Duration reloadInterval) {
        public Options(Path config, Path dataDir, int port) {
            this(config, dataDir, port, java.time.Duration.ofSeconds(1));
        }

        public Options {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(dataDir, "dataDir");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, was " + port);
            }
        }
    }

    private SwitchboardServer(Options options, LoadedConfig config) throws Exception {
        for (ConfigProblem warning : config.warnings()) {
            LOG.warn("{}", warning);
        }
        // Netty's epoll transport where it runs (Linux): fewer system calls and cheaper wake-ups per
        // request than NIO's selector; Vert.x falls back to NIO elsewhere.
        this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        if (!vertx.isNativeTransportEnabled()) {
            LOG.info("native transport unavailable, serving on NIO: {}", vertx.unavailableNativeTransportCause());
        }
        // The RocketMQ client logs to ~/logs/rocketmqlogs unless told otherwise: keep it with our data.
        System.getProperties()
                .putIfAbsent(
                        "rocketmq.log.root",
                        options.dataDir().resolve("logs").toAbsolutePath().toString());
        // Ingress keeps an event loop to itself: subscribers are handed the other loops, so no
        // trigger's deliveries share a loop with ingress under load. While a loop is quiet, a pass
        // it signals and the attempts that pass makes stay on it (EventLoops).
        EventLoops loops = new EventLoops(vertx);
        Context ingressLoop = loops.reserve();
        this.switchboard = Switchboard.builder()
                .dataDir(options.dataDir())
                .storeOptions(StoreOptions.defaults().withTailCacheBytes(TAIL_CACHE_BYTES))
                .callerLoops(loops)
                .build();
        this.delivery = new HttpDelivery(vertx, loops, 64, Clock.systemUTC());
        ServerMetrics metrics = new ServerMetrics();
        this.sourceScheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "switchboard-sources");
            thread.setDaemon(true);
            return thread;
        });
        this.runtime = new ServerRuntime(switchboard, delivery, metrics, sourceScheduler, instance(options.dataDir()));
        runtime.apply(config);

        Router router = Router.router(vertx);
        router.get("/healthz").handler(ctx -> ctx.response().end("ok"));
        router.get("/readyz")
                .handler(ctx ->
                        ctx.response().setStatusCode(accepting ? 200 : 503).end(accepting ? "ready" : "not ready"));
        this.scrapes = vertx.createSharedWorkerExecutor("switchboard-metrics", 1);
        router.get("/metrics").handler(new MetricsEndpoint(metrics::scrape, scrapes));
        new AdminRoutes(runtime).mount(router, config.maxBodyBytes());
        router.post("/sources/:namespace/:name")
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(new WebhookHandler(runtime, () -> accepting));
        router.post("/_display")
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(new EventDisplay());
        IngressHandler ingress = new IngressHandler(runtime, () -> accepting, loops);
        router.post("/:namespace/:broker")
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(ingress.route());
        router.options("/:namespace/:broker").handler(ctx -> {
            // The CloudEvents webhook abuse-protection handshake.
            String origin = ctx.request().getHeader("WebHook-Request-Origin");
            ctx.response()
                    .putHeader("WebHook-Allowed-Origin", origin == null ? "*" : origin)
                    .putHeader("WebHook-Allowed-Rate", "*")
                    .putHeader("Allow", "POST, OPTIONS")
                    .end();
        });
        router.route("/:namespace/:broker").handler(ctx -> {
            ctx.response().putHeader("Allow", "POST, OPTIONS");
            Problem.send(
                    ctx.response(),
                    405,
                    "method not allowed",
                    ctx.request().method() + " is not supported; POST events here");
        });
        router.route().failureHandler(ctx -> {
            int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            if (status == 413) {
                Problem.tooLarge(ctx.response(), config.maxBodyBytes());
            } else {
                Problem.send(ctx.response(), status, "error", String.valueOf(ctx.failure()));
            }
        });
        // No WebSockets are served: without their compression options Vert.x leaves the WebSocket
        // extension handler out of every connection's pipeline, where it looked at each request.
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                        .setPerMessageWebSocketCompressionSupported(false)
                        .setPerFrameWebSocketCompressionSupported(false))
                .requestHandler(new IngressRequests(ingress, router, config.maxBodyBytes()));
        // A server serves on the context it starts listening from.
        Promise<HttpServer> listening = Promise.promise();
        ingressLoop.runOnContext(
                ignored -> server.listen(options.port(), "0.0.0.0").onComplete(listening));
        this.http = listening.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        this.upkeep = vertx.createSharedWorkerExecutor("switchboard-upkeep", 1);
        this.watcher = new ConfigWatcher(vertx, upkeep, options.config(), runtime, options.reloadInterval());
        this.redriveTimer = vertx.setPeriodic(
                200,
                id -> upkeep.executeBlocking(() -> {
                    runtime.checkRedrives();
                    return null;
                }));
        // Parsing a large configuration (10,000 triggers) leaves hundreds of MB of garbage that the JVM
        // would otherwise keep committed for good; one collection before serving hands it back.
        HeapTrim.afterConfigurationLoad();
        this.idleTrim = IdleTrim.start(vertx, upkeep);
        this.accepting = true;
    }

    /** Loads the configuration (failing with every problem it has) and starts serving. */
    public static SwitchboardServer start(Options options) throws Exception {
        return new SwitchboardServer(options, ConfigLoader.load(options.config()));
    }

    /** The first step of shutdown: ingress answers 503 and readiness fails, delivery goes on. */
    public void stopAccepting() {
        accepting = false;
    }

    private void drainDeliveries() {
        var triggers = runtime.triggers().values();
        triggers.forEach(t -> t.subscription().pause());
        long deadline = System.nanoTime() + DRAIN_DEADLINE.toNanos();
        while (System.nanoTime() < deadline
                && triggers.stream().anyMatch(t -> t.subscription().stats().inFlight() > 0)) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        long left = triggers.stream()
                .mapToLong(t -> t.subscription().stats().inFlight())
                .sum();
        if (left > 0) {
            LOG.warn(
                    "shutdown: {} deliveries still in flight after {}; they are delivered again after restart",
                    left,
                    DRAIN_DEADLINE);
        }
    }

    public ServerRuntime runtime() {
        return runtime;
    }

    /** This host's name and a hash of the data directory: stable across restarts of one installation. */
    private static String instance(Path dataDir) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        String dir = dataDir.toAbsolutePath().normalize().toString();
        return host + "-" + Integer.toHexString(dir.hashCode());
    }

    public int port() {
        return http.actualPort();
    }

    /**
     * Graceful shutdown: stops accepting (new requests get 503) and closes the listener, lets the
     * deliveries in flight finish up to {@link #DRAIN_DEADLINE} (no new ones start), then stops
     * delivery, writes the last cursors and closes the store. Whatever was still in flight is
     * delivered again after the next start.
     */
    @Override
    public void close() throws Exception {
        stopAccepting();
        watcher.close();
        idleTrim.close();
        vertx.cancelTimer(redriveTimer);
        runtime.closeSources();
        sourceScheduler.shutdownNow();
        http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        upkeep.close();
        scrapes.close();
        drainDeliveries();
        switchboard.close();
        delivery.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
