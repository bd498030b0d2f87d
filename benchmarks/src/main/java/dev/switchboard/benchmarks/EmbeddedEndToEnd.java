package dev.switchboard.benchmarks;

import dev.switchboard.core.Broker;
import dev.switchboard.core.BrokerException;
import dev.switchboard.core.CallerLoops;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.Switchboard;
import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.delivery.ReplyPublisher;
import dev.switchboard.delivery.http.EventLoops;
import dev.switchboard.delivery.http.HttpDelivery;
import dev.switchboard.delivery.http.HttpSinkOptions;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * End to end through the embedded API: publish → durable log → one trigger → HTTP sink on loopback,
 * against a bare Vert.x forwarder that posts each event straight to the same sink without storing it.
 * Both drive the sink as hard as they can with the same number of requests in flight; the figure is
 * the sink's sustained arrival rate, and the CPU time of this process per event.
 *
 * <p>Usage: {@code EmbeddedEndToEnd [seconds per measurement] [rounds] [both|forwarder|switchboard]
 * [max backlog]}; scenarios alternate so that drift on the machine hits both. The publisher keeps the
 * trigger's backlog under {@code max backlog} events (default {@value #DEFAULT_MAX_BACKLOG}).
 */
public final class EmbeddedEndToEnd {
    private static final int IN_FLIGHT = 64;
    private static final long DEFAULT_MAX_BACKLOG = 4096;
    /**
     * The store is given the delivery's event loops, as the server and the README wire it, so that passes
     * may run on the client's event loop (see CallerLoops); {@code -Dswitchboard.callerLoops=false}
     * measures the library's default, where only the passes that the sink's answers signal run there.
     */
    private static final boolean CALLER_LOOPS =
            Boolean.parseBoolean(System.getProperty("switchboard.callerLoops", "true"));

    private EmbeddedEndToEnd() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String only = args.length > 2 ? args[2] : "both";
        long maxBacklog = args.length > 3 ? Long.parseLong(args[3]) : DEFAULT_MAX_BACKLOG;
        CloudEvent event = BenchmarkEvents.binary1k();
        // Both paths share these; -Dswitchboard.nativeTransport=true puts both on Netty's epoll transport.
        boolean nativeTransport = Boolean.getBoolean("switchboard.nativeTransport");
        Vertx sinkVertx =
                Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(nativeTransport));
        Vertx clientVertx =
                Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(nativeTransport));
        if (nativeTransport && !clientVertx.isNativeTransportEnabled()) {
            throw new IllegalStateException(
                    "native transport asked for but unavailable", clientVertx.unavailableNativeTransportCause());
        }
        AtomicLong arrivals = new AtomicLong();
        HttpServer sink = sinkVertx
                .createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    arrivals.incrementAndGet();
                    request.response().setStatusCode(202).end();
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        URI uri = URI.create("http://127.0.0.1:" + sink.actualPort() + "/sink");
        System.out.printf(
                "sink on %s, %d s per measurement, %d rounds, %d in flight, backlog under %d, %s transport,"
                        + " passes %s%n",
                uri,
                seconds,
                rounds,
                IN_FLIGHT,
                maxBacklog,
                nativeTransport ? "epoll" : "NIO",
                CALLER_LOOPS
                        ? "on the calling event loop where they may (callerLoops)"
                        : "signalled by the log on the dispatch threads");

        // One untimed round first: both paths JIT-compile before anything counts.
        forwarder(clientVertx, uri, event, arrivals, Math.max(2, seconds / 2));
        switchboard(clientVertx, uri, event, arrivals, Math.max(2, seconds / 2), maxBacklog);

        double[] forwarder = new double[rounds];
        double[] switchboard = new double[rounds];
        double[] forwarderCpu = new double[rounds];
        double[] switchboardCpu = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            Result f = only.equals("switchboard")
                    ? new Result(Double.NaN, Double.NaN)
                    : forwarder(clientVertx, uri, event, arrivals, seconds);
            Result s = only.equals("forwarder")
                    ? new Result(Double.NaN, Double.NaN)
                    : switchboard(clientVertx, uri, event, arrivals, seconds, maxBacklog);
            forwarder[round] = f.rate;
            forwarderCpu[round] = f.cpuMicrosPerEvent;
            switchboard[round] = s.rate;
            switchboardCpu[round] = s.cpuMicrosPerEvent;
            System.out.printf(
                    "round %d: forwarder %,.0f ev/s (%.1f us CPU/ev), switchboard %,.0f ev/s (%.1f us CPU/ev), ratio %.2f%n",
                    round + 1, f.rate, f.cpuMicrosPerEvent, s.rate, s.cpuMicrosPerEvent, s.rate / f.rate);
        }
        double f = mean(forwarder);
        double s = mean(switchboard);
        System.out.println();
        System.out.println("| scenario | delivered events/s | CPU us per event | ratio to forwarder |");
        System.out.println("|---|---|---|---|");
        System.out.printf("| bare Vert.x forwarder (baseline) | %,.0f | %.1f | 1.00 |%n", f, mean(forwarderCpu));
        System.out.printf(
                "| Switchboard: publish, log, trigger, HTTP | %,.0f | %.1f | %.2f |%n", s, mean(switchboardCpu), s / f);
        sinkVertx.close();
        clientVertx.close();
        System.exit(0);
    }

    private record Result(double rate, double cpuMicrosPerEvent) {}

    /** Posts each event straight to the sink, {@value #IN_FLIGHT} at a time. */
    private static Result forwarder(Vertx vertx, URI uri, CloudEvent event, AtomicLong arrivals, int seconds)
            throws InterruptedException {
        WebClient client = WebClient.create(
                vertx, new WebClientOptions().setKeepAlive(true).setMaxPoolSize(IN_FLIGHT));
        Semaphore window = new Semaphore(IN_FLIGHT);
        Thread driver = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                window.acquireUninterruptibly();
                VertxMessageFactory.createWriter(client.postAbs(uri.toString()))
                        .writeBinary(event)
                        .onComplete(done -> window.release());
            }
        });
        driver.start();
        Result result = measure(arrivals, seconds);
        driver.interrupt();
        driver.join();
        window.acquireUninterruptibly(IN_FLIGHT);
        client.close();
        return result;
    }

    /** Publishes into a broker whose one trigger delivers to the sink, {@value #IN_FLIGHT} in flight. */
    private static Result switchboard(
            Vertx vertx, URI uri, CloudEvent event, AtomicLong arrivals, int seconds, long maxBacklog)
            throws Exception {
        Path dir = Files.createTempDirectory("switchboard-e2e");
        EventLoops loops = new EventLoops(vertx);
        HttpDelivery delivery = new HttpDelivery(vertx, loops, IN_FLIGHT, Clock.systemUTC());
        Result result;
        try (Switchboard sb = Switchboard.builder()
                .dataDir(dir)
                .callerLoops(CALLER_LOOPS ? loops : CallerLoops.NONE)
                .build()) {
            Broker broker = sb.broker("default");
            Subscription trigger = broker.subscribe(SubscriptionSpec.of(
                            "to-sink",
                            delivery.sink(
                                    uri, DeliverySpec.defaults(), HttpSinkOptions.binary(), ReplyPublisher.none()))
                    .withMaxInFlight(IN_FLIGHT)
                    .withStart(StartPosition.latest()));
            Semaphore window = new Semaphore(256);
            Thread driver = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    // A closed-loop producer: keep the trigger's backlog bounded instead of filling the buffer.
                    if (trigger.stats().lag() > maxBacklog) {
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
                        continue;
                    }
                    window.acquireUninterruptibly();
                    broker.publish(event).whenComplete((offset, error) -> {
                        window.release();
                        if (error != null && !(error.getCause() instanceof BrokerException)) {
                            error.printStackTrace();
                        }
                    });
                }
            });
            driver.start();
            result = measure(arrivals, seconds);
            driver.interrupt();
            driver.join();
        }
        delivery.close();
        TempDirs.delete(dir);
        return result;
    }

    /** Warms up for a third of the time, then counts sink arrivals and process CPU time. */
    private static Result measure(AtomicLong arrivals, int seconds) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Thread.sleep(Duration.ofSeconds(Math.max(2, seconds / 3)).toMillis());
        long startCount = arrivals.get();
        long startCpu = os.getProcessCpuTime();
        long startNanos = System.nanoTime();
        Thread.sleep(Duration.ofSeconds(seconds).toMillis());
        long events = arrivals.get() - startCount;
        long cpu = os.getProcessCpuTime() - startCpu;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        return new Result(events / elapsed, events == 0 ? 0 : cpu / 1e3 / events);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
