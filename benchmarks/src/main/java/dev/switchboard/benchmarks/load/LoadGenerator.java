package dev.switchboard.benchmarks.load;

import dev.switchboard.benchmarks.TempDirs;
import dev.switchboard.core.BrokerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The end-to-end load generator: starts the server under test (the runnable jar) and the baselines as
 * their own processes, drives them over HTTP/1.1 keep-alive with 1 KiB binary-mode events, and prints
 * each Switchboard figure next to its baseline measured in the same run.
 *
 * <pre>
 * LoadGenerator &lt;switchboard.jar&gt; &lt;classpath for the baselines&gt; [seconds] [connections] [rate]
 * </pre>
 *
 * Scenarios: (1) durable ingress, no triggers, closed loop, against B1-ingest; (2) end to end through
 * one trigger, closed loop, against B1 (a bare Vert.x forwarder); (2b) the same at a constant rate,
 * open loop, comparing the sink's p99 and CPU per event.
 */
public final class LoadGenerator {
    /** Every process under test gets the same heap limit, so their resident memory compares fairly. */
    private static final String HEAP = "-Xmx512m";

    private LoadGenerator() {}

    record Measured(
            String name,
            double rate,
            double delivered,
            Histogram latency,
            double cpuPerEvent,
            long throttled,
            long throttledAtLimit,
            long errors,
            double peakRssMb) {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        String classpath = args[1];
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        double rate = args.length > 4 ? Double.parseDouble(args[4]) : 2000;
        Path work = Files.createTempDirectory("switchboard-load");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Vertx sinkVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Sink sink = new Sink(sinkVertx);

        Path ingestConfig = config(work.resolve("ingest"), null, "wal");
        Path fsyncConfig = config(work.resolve("fsync"), null, "fsync");
        Path e2eConfig = config(work.resolve("e2e"), sink.url(), "wal");
        List<Measured> results = new ArrayList<>();
        if (selected("ingest")) {
            try (ChildProcess b1Ingest =
                    ChildProcess.start(baseline(java, classpath, "ingest", "0"), work.resolve("b1-ingest.log"))) {
                results.add(closed("B1-ingest", b1Ingest, "/", null, clientVertx, connections, seconds));
            }
            try (ChildProcess server = switchboard(java, jar, ingestConfig, work.resolve("data-ingest"), work)) {
                results.add(closed(
                        "1. Switchboard ingress (wal)",
                        server,
                        "/default/default",
                        null,
                        clientVertx,
                        connections,
                        seconds));
            }
        }
        // The constant-rate runs get fresh processes: what they measure is the steady cost of that rate,
        // not the flushes and compactions left behind by the overload run before them.
        List<String> b1Command = baseline(java, classpath, "forward", "0", sink.url());
        if (selected("b1")) {
            try (ChildProcess b1 = ChildProcess.start(b1Command, work.resolve("b1.log"))) {
                results.add(closed("B1 forwarder", b1, "/", sink, clientVertx, connections, seconds));
            }
            try (ChildProcess b1 = ChildProcess.start(b1Command, work.resolve("b1-rate.log"))) {
                results.add(open(
                        "B1 forwarder @" + (int) rate + "/s", b1, "/", sink, clientVertx, connections, seconds, rate));
            }
        }
        if (selected("e2e")) {
            try (ChildProcess server = switchboard(java, jar, e2eConfig, work.resolve("data-e2e"), work)) {
                results.add(closed(
                        "2. Switchboard end to end",
                        server,
                        "/default/default",
                        sink,
                        clientVertx,
                        connections,
                        seconds));
            }
            try (ChildProcess server = switchboard(java, jar, e2eConfig, work.resolve("data-e2e-rate"), work)) {
                results.add(open(
                        "2. Switchboard @" + (int) rate + "/s",
                        server,
                        "/default/default",
                        sink,
                        clientVertx,
                        connections,
                        seconds,
                        rate));
            }
        }
        if (selected("triggers")) {
            // Scenario 4: 10,000 triggers, each on a type of its own; the events are spread over the types
            // of 100 of them (1%), so each event is delivered once, as in scenario 2.
            Path many = config(work.resolve("many"), null, "wal");
            Files.writeString(many.resolve("triggers.yaml"), triggers(10_000, 100, sink.url()));
            try (ChildProcess server = switchboard(java, jar, many, work.resolve("data-many"), work)) {
                LoadRun run = new LoadRun(clientVertx, server.port, "/default/default", connections);
                run.spreadOverTypes(100);
                run.closedLoop(connections);
                results.add(measure("4. 10,000 triggers, 1% matching", run, server, sink, seconds));
            }
        }
        if (selected("overload")) {
            // Scenario 2's overload half: a subscriber that answers after 5 ms, so that the trigger
            // (64 in flight) delivers far fewer events than the closed loop offers. Ingress must push
            // back before the 16 MiB buffer limit, and the backlog settle instead of growing.
            Sink slow = new Sink(sinkVertx, 5);
            Path overloadConfig = config(work.resolve("overload"), slow.url(), "wal");
            try (ChildProcess server = switchboard(java, jar, overloadConfig, work.resolve("data-overload"), work)) {
                LoadRun run = new LoadRun(clientVertx, server.port, "/default/default", connections);
                run.closedLoop(connections);
                try (BacklogProbe backlog = new BacklogProbe(server.port)) {
                    results.add(measure("2. overload: a sink slower than the load", run, server, slow, seconds));
                    System.out.println("2. overload: backlog " + backlog.summary() + "; buffer limit 16 MiB");
                }
            }
        }
        if (selected("isolation")) {
            // Scenario 5: a second trigger whose subscriber takes 400 ms per event, next to the healthy one.
            HttpServer stalled = sinkVertx
                    .createHttpServer()
                    .requestHandler(request -> request.body()
                            .onSuccess(body -> sinkVertx.setTimer(
                                    400,
                                    id -> request.response().setStatusCode(202).end())))
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
            Path isolationConfig = config(work.resolve("isolation"), sink.url(), "wal");
            // The default buffer limit (256 MiB): the stalled trigger may then pin 16 x 256 MiB before
            // it pushes back, more than the whole run produces (at 30k events/s, 64 MiB's bound was
            // reached within the run, and from then on the broker refused everything).
            Files.writeString(
                    isolationConfig.resolve("config.yaml"),
                    Files.readString(isolationConfig.resolve("config.yaml"))
                            .replace("\"16777216\"", "\"" + BrokerConfig.DEFAULT_BUFFER_LIMIT_BYTES + "\""));
            Files.writeString(isolationConfig.resolve("stalled.yaml"), """
                    apiVersion: eventing.knative.dev/v1
                    kind: Trigger
                    metadata:
                      name: stalled
                    spec:
                      broker: default
                      subscriber:
                        uri: http://127.0.0.1:%d/
                    """.formatted(stalled.actualPort()));
            try (ChildProcess server = switchboard(java, jar, isolationConfig, work.resolve("data-isolation"), work)) {
                results.add(closed(
                        "5. healthy trigger next to a 400 ms one",
                        server,
                        "/default/default",
                        sink,
                        clientVertx,
                        connections,
                        seconds));
            }
        }
        if (selected("fsync")) {
            // Scenario 3: fsync durability with 64 connections, against wal with 64 in the same run.
            try (ChildProcess server = switchboard(java, jar, ingestConfig, work.resolve("data-wal64"), work)) {
                results.add(closed(
                        "1. Switchboard ingress (wal, 64 connections)",
                        server,
                        "/default/default",
                        null,
                        clientVertx,
                        64,
                        seconds));
            }
            try (ChildProcess server = switchboard(java, jar, fsyncConfig, work.resolve("data-fsync"), work)) {
                results.add(closed(
                        "3. Switchboard ingress (fsync, 64 connections)",
                        server,
                        "/default/default",
                        null,
                        clientVertx,
                        64,
                        seconds));
            }
        }
        print(results, connections, seconds);
        if (selected("idle")) {
            idleMemory(java, jar, classpath, work, sink.url(), seconds);
        }
        // The stores hold gigabytes after an overload run; the processes' logs stay for a look.
        try (var entries = Files.list(work)) {
            for (Path data : entries.filter(p -> p.getFileName().toString().startsWith("data-"))
                    .toList()) {
                TempDirs.delete(data);
            }
        }
        System.out.println("logs of every process: " + work);
        sinkVertx.close();
        clientVertx.close();
        System.exit(0);
    }

    /**
     * Which groups of runs to make: {@code -Dswitchboard.loadRuns=ingest,b1,e2e} (the default is all
     * three), so a profile can look at one run alone.
     */
    private static boolean selected(String group) {
        return List.of(System.getProperty("switchboard.loadRuns", "ingest,b1,e2e")
                        .split(","))
                .contains(group);
    }

    /**
     * A baseline process. {@code -Dswitchboard.baselineNativeTransport=true} runs it on Netty's native
     * epoll transport, as the server runs, instead of a bare Vert.x's default NIO.
     */
    private static List<String> baseline(String java, String classpath, String... args) {
        List<String> command = new ArrayList<>(List.of(java, HEAP));
        if (Boolean.getBoolean(Baseline.NATIVE_TRANSPORT)) {
            command.add("-D" + Baseline.NATIVE_TRANSPORT + "=true");
        }
        command.addAll(List.of("-cp", classpath, Baseline.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** The server; {@code -Dswitchboard.serverJvmOptions="..."} adds JVM options (a profiler, say). */
    private static ChildProcess switchboard(String java, Path jar, Path config, Path data, Path work) throws Exception {
        List<String> command = new ArrayList<>(List.of(java, HEAP));
        String extra = System.getProperty("switchboard.serverJvmOptions", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split(" ")));
        }
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "serve",
                "--config",
                config.toString(),
                "--data-dir",
                data.toString(),
                "--port",
                "0"));
        // Named after the data directory (two servers may share a configuration), but not starting
        // with its name: the data directories are deleted at the end, the logs kept.
        return ChildProcess.start(command, work.resolve("server-" + data.getFileName() + ".log"));
    }

    /**
     * Scenario 7's idle half: the resident memory of an idle B1 forwarder and of an idle server with
     * 10,000 triggers (each filtering on its own type, as a tenant's triggers would), after {@code
     * seconds} of settling.
     */
    private static void idleMemory(String java, Path jar, String classpath, Path work, String sinkUrl, int seconds)
            throws Exception {
        double forwarder;
        try (ChildProcess b1 = ChildProcess.start(
                List.of(java, HEAP, "-cp", classpath, Baseline.class.getName(), "forward", "0", sinkUrl),
                work.resolve("b1-idle.log"))) {
            Thread.sleep(seconds * 1000L);
            forwarder = b1.memoryMb("VmRSS");
        }
        Path dir = config(work.resolve("idle"), null, "wal");
        Files.writeString(dir.resolve("triggers.yaml"), triggers(10_000, 0, sinkUrl));
        try (ChildProcess server = switchboard(java, jar, dir, work.resolve("data-idle"), work)) {
            Thread.sleep(seconds * 1000L);
            double idle = server.memoryMb("VmRSS");
            System.out.printf(
                    "%n7. idle RSS: B1 forwarder %.0f MiB, Switchboard with 10,000 triggers %.0f MiB"
                            + " (target <= forwarder + 50 MiB: %s)%n",
                    forwarder, idle, idle <= forwarder + 50 ? "met" : "not met");
        }
    }

    /**
     * {@code count} triggers, each filtering on a type of its own; the first {@code matching} on the
     * types the load is spread over ({@code bench.load.0}, ...).
     */
    private static String triggers(int count, int matching, String sinkUrl) {
        StringBuilder triggers = new StringBuilder();
        for (int i = 0; i < count; i++) {
            triggers.append("""
                    ---
                    apiVersion: eventing.knative.dev/v1
                    kind: Trigger
                    metadata:
                      name: t%1$d
                    spec:
                      broker: default
                      filter:
                        attributes:
                          type: %3$s
                      subscriber:
                        uri: %2$s
                    """.formatted(i, sinkUrl, i < matching ? "bench.load." + i : "com.example.type" + i));
        }
        return triggers.toString();
    }

    /** A broker, and when {@code sinkUrl} is set one trigger delivering everything to it. */
    private static Path config(Path dir, String sinkUrl, String durability) throws Exception {
        Files.createDirectories(dir);
        String yaml = """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                  annotations:
                    switchboard.dev/buffer-limit-bytes: "16777216"
                    switchboard.dev/durability: %s
                """.formatted(durability);
        if (sinkUrl != null) {
            yaml += """
                    ---
                    apiVersion: eventing.knative.dev/v1
                    kind: Trigger
                    metadata:
                      name: to-sink
                    spec:
                      broker: default
                      subscriber:
                        uri: %s
                    """.formatted(sinkUrl);
        }
        Files.writeString(dir.resolve("config.yaml"), yaml);
        return dir;
    }

    private static Measured closed(
            String name, ChildProcess target, String path, Sink sink, Vertx vertx, int connections, int seconds)
            throws InterruptedException {
        LoadRun run = new LoadRun(vertx, target.port, path, connections);
        run.closedLoop(connections);
        return measure(name, run, target, sink, seconds);
    }

    private static Measured open(
            String name,
            ChildProcess target,
            String path,
            Sink sink,
            Vertx vertx,
            int connections,
            int seconds,
            double rate)
            throws InterruptedException {
        LoadRun run = new LoadRun(vertx, target.port, path, Math.max(connections, 64));
        run.openLoop(rate);
        return measure(name, run, target, sink, seconds);
    }

    /** As long to warm up (a fresh JVM compiles its hot paths meanwhile) as to measure. */
    private static Measured measure(String name, LoadRun run, ChildProcess target, Sink sink, int seconds)
            throws InterruptedException {
        Thread.sleep(seconds * 1000L);
        run.ingressLatency.reset();
        if (sink != null) {
            sink.resetLatency();
        }
        long accepted0 = run.accepted.get();
        long arrivals0 = sink == null ? 0 : sink.arrivals.get();
        long throttled0 = run.throttled.get();
        long atLimit0 = run.throttledAtLimit.get();
        long errors0 = run.errors.get();
        double cpu0 = target.cpuSeconds();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long accepted = run.accepted.get() - accepted0;
        long delivered = sink == null ? 0 : sink.arrivals.get() - arrivals0;
        double cpu = target.cpuSeconds() - cpu0;
        // Read before stopping: closing the client fails the requests still in flight.
        long throttled = run.throttled.get() - throttled0;
        long atLimit = run.throttledAtLimit.get() - atLimit0;
        long errors = run.errors.get() - errors0;
        if (errors > 0) {
            System.out.printf("%s: errors %s%n", name, run.errorKinds);
        }
        run.stop();
        Histogram latency =
                sink == null ? run.ingressLatency.copy() : sink.latency().copy();
        long events = sink == null ? accepted : delivered;
        Measured m = new Measured(
                name,
                accepted / elapsed,
                delivered / elapsed,
                latency,
                events == 0 ? Double.NaN : cpu * 1e6 / events,
                throttled,
                atLimit,
                errors,
                target.memoryMb("VmHWM"));
        System.out.printf("%s: %,.0f accepted/s, %,.0f delivered/s%n", name, m.rate, m.delivered);
        Thread.sleep(1000); // let the target drain before it is stopped
        return m;
    }

    private static void print(List<Measured> results, int connections, int seconds) {
        System.out.printf("%n%d connections, %d s per measurement, 1 KiB binary events%n%n", connections, seconds);
        System.out.println(
                "| run | accepted/s | delivered/s | p50 ms | p99 ms | p99.9 ms | max ms | CPU µs/event | peak RSS MiB | 429s (at the limit) | errors |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Measured m : results) {
            System.out.printf(
                    "| %s | %,.0f | %,.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %.0f | %d (%d) | %d |%n",
                    m.name,
                    m.rate,
                    m.delivered,
                    m.latency.getValueAtPercentile(50) / 1e6,
                    m.latency.getValueAtPercentile(99) / 1e6,
                    m.latency.getValueAtPercentile(99.9) / 1e6,
                    m.latency.getMaxValue() / 1e6,
                    m.cpuPerEvent,
                    m.peakRssMb,
                    m.throttled,
                    m.throttledAtLimit,
                    m.errors);
        }
        java.util.Map<String, Measured> byName = new java.util.HashMap<>();
        results.forEach(m -> byName.put(m.name.replaceAll(" @.*", " @rate"), m));
        System.out.println();
        ratio(byName, "1. Switchboard ingress (wal)", "B1-ingest", "1. durable ingress / B1-ingest", "0.7x");
        ratio(byName, "2. Switchboard end to end", "B1 forwarder", "2. delivered end to end / B1", "0.8x");
        Measured many = byName.get("4. 10,000 triggers, 1% matching");
        Measured alone = byName.get("2. Switchboard end to end");
        if (many != null && alone != null) {
            System.out.printf(
                    "4. events/s with 10,000 triggers / scenario 2: %.2fx (target >= 0.8x; each event matches 1 of 10,000 triggers)%n",
                    many.rate / alone.rate);
        }
        ratio(
                byName,
                "5. healthy trigger next to a 400 ms one",
                "2. Switchboard end to end",
                "5. healthy trigger's rate / alone",
                "0.9x");
        ratio(
                byName,
                "3. Switchboard ingress (fsync, 64 connections)",
                "1. Switchboard ingress (wal, 64 connections)",
                "3. fsync / wal ingress at 64 connections",
                "0.5x");
        Measured e2eRate = byName.get("2. Switchboard @rate");
        Measured b1Rate = byName.get("B1 forwarder @rate");
        if (e2eRate != null && b1Rate != null) {
            System.out.printf(
                    "2. at the constant rate: sink p99 %.2f ms vs B1 %.2f ms (target <= B1 + 2 ms); CPU per event %.2fx B1 (target <= 2x)%n",
                    e2eRate.latency.getValueAtPercentile(99) / 1e6,
                    b1Rate.latency.getValueAtPercentile(99) / 1e6,
                    e2eRate.cpuPerEvent / b1Rate.cpuPerEvent);
        }
        Measured e2e = byName.get("2. Switchboard end to end");
        Measured b1 = byName.get("B1 forwarder");
        if (e2e != null && b1 != null) {
            System.out.printf(
                    "7. peak RSS under load: Switchboard %.0f MiB, B1 forwarder %.0f MiB (target <= B1 + 50 MiB)%n",
                    e2e.peakRssMb, b1.peakRssMb);
        }
    }

    private static void ratio(
            java.util.Map<String, Measured> byName, String run, String baseline, String label, String target) {
        Measured m = byName.get(run);
        Measured base = byName.get(baseline);
        if (m != null && base != null) {
            double value = m.delivered > 0 ? m.delivered / base.delivered : m.rate / base.rate;
            System.out.printf("%s: %.2fx (target >= %s)%n", label, value, target);
        }
    }
}
