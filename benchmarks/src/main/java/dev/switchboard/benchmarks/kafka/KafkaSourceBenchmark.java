package dev.switchboard.benchmarks.kafka;

import dev.switchboard.core.Broker;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.Switchboard;
import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.delivery.ReplyPublisher;
import dev.switchboard.delivery.http.HttpDelivery;
import dev.switchboard.delivery.http.HttpSinkOptions;
import dev.switchboard.source.kafka.KafkaSource;
import dev.switchboard.source.kafka.KafkaSourceSpec;
import dev.switchboard.testing.kafka.KafkaBroker;
import io.cloudevents.core.builder.CloudEventBuilder;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Kafka → KafkaSource → broker (durable log) → one trigger → HTTP sink, against a plain Kafka
 * consumer that posts each record straight to the same sink, in one run on one machine.
 *
 * <p>A topic of {@value #PARTITIONS} partitions is filled with 1 KiB records first; each scenario
 * then drains it from the earliest offset as a new consumer group, and the figure is the sink's
 * arrival rate between 10% and 90% of the records (group join and the tail excluded), with this
 * process's CPU time per record (the Kafka broker runs in its own JVM and is not counted).
 *
 * <p>Usage: {@code KafkaSourceBenchmark [records] [rounds]}.
 */
public final class KafkaSourceBenchmark {
    private static final int PARTITIONS = 4;
    private static final int IN_FLIGHT = 64;

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final AtomicLong arrivals = new AtomicLong();
    private final KafkaBroker kafka;
    private final String topic = "bench";
    private final int records;
    private URI sink;

    private KafkaSourceBenchmark(KafkaBroker kafka, int records) {
        this.kafka = kafka;
        this.records = records;
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("switchboard-kafka-bench");
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
            KafkaSourceBenchmark bench = new KafkaSourceBenchmark(kafka, records);
            bench.startSink();
            bench.fillTopic();
            System.out.printf(
                    "%,d records of 1 KiB in %d partitions, %d rounds (the first one warms up)%n",
                    records, PARTITIONS, rounds);
            double[][] results = new double[3][2];
            for (int round = 0; round < rounds; round++) {
                Result plain = bench.plainConsumer();
                Result unordered = bench.switchboard(dir, KafkaSourceSpec.Ordering.UNORDERED);
                Result ordered = bench.switchboard(dir, KafkaSourceSpec.Ordering.ORDERED);
                System.out.printf(
                        "round %d: plain consumer %,.0f/s (%.1f us CPU), switchboard unordered %,.0f/s (%.1f us),"
                                + " ordered %,.0f/s (%.1f us)%n",
                        round + 1,
                        plain.rate,
                        plain.cpuMicros,
                        unordered.rate,
                        unordered.cpuMicros,
                        ordered.rate,
                        ordered.cpuMicros);
                if (round > 0 || rounds == 1) {
                    int counted = rounds == 1 ? 1 : rounds - 1;
                    for (int i = 0; i < 3; i++) {
                        Result r = List.of(plain, unordered, ordered).get(i);
                        results[i][0] += r.rate / counted;
                        results[i][1] += r.cpuMicros / counted;
                    }
                }
            }
            double base = results[0][0];
            System.out.println();
            System.out.println("| scenario | records/s at the sink | CPU us per record | ratio to plain consumer |");
            System.out.println("|---|---|---|---|");
            System.out.printf(
                    "| plain KafkaConsumer posting each record (baseline) | %,.0f | %.1f | 1.00 |%n",
                    base, results[0][1]);
            System.out.printf(
                    "| KafkaSource (unordered) → broker → trigger → HTTP | %,.0f | %.1f | %.2f |%n",
                    results[1][0], results[1][1], results[1][0] / base);
            System.out.printf(
                    "| KafkaSource (ordered) → broker → trigger → HTTP | %,.0f | %.1f | %.2f |%n",
                    results[2][0], results[2][1], results[2][0] / base);
        } finally {
            System.exit(0);
        }
    }

    private record Result(double rate, double cpuMicros) {}

    private void startSink() throws Exception {
        HttpServer server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    arrivals.incrementAndGet();
                    request.response().setStatusCode(202).end();
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        sink = URI.create("http://127.0.0.1:" + server.actualPort() + "/");
    }

    private void fillTopic() throws Exception {
        kafka.createTopic(topic, PARTITIONS);
        byte[] value = new byte[1024];
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, value));
            }
            producer.flush();
        }
    }

    /** A plain consumer: poll, post each record as a binary-mode CloudEvent, {@value #IN_FLIGHT} in flight. */
    private Result plainConsumer() throws Exception {
        WebClient client = WebClient.create(vertx, new WebClientOptions().setMaxPoolSize(IN_FLIGHT));
        Semaphore window = new Semaphore(IN_FLIGHT);
        Thread loop = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ConsumerConfig.GROUP_ID_CONFIG,
                            "plain-" + UUID.randomUUID(),
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "earliest"),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        window.acquireUninterruptibly();
                        var event = CloudEventBuilder.v1()
                                .withId(record.partition() + "/" + record.offset())
                                .withType("dev.knative.kafka.event")
                                .withSource(URI.create("/bench"))
                                .withData(record.value())
                                .build();
                        VertxMessageFactory.createWriter(client.postAbs(sink.toString()))
                                .writeBinary(event)
                                .onComplete(done -> window.release());
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // stopping
            }
        });
        Result result = measure(loop::start);
        loop.interrupt();
        loop.join();
        client.close();
        return result;
    }

    private Result switchboard(Path dir, KafkaSourceSpec.Ordering ordering) throws Exception {
        Path data = Files.createTempDirectory(dir, "switchboard");
        HttpDelivery delivery = new HttpDelivery(vertx, IN_FLIGHT, Clock.systemUTC());
        try (Switchboard sb = Switchboard.builder().dataDir(data).build()) {
            Broker broker = sb.broker("default");
            broker.subscribe(SubscriptionSpec.of(
                            "to-sink",
                            delivery.sink(
                                    sink, DeliverySpec.defaults(), HttpSinkOptions.binary(), ReplyPublisher.none()))
                    .withMaxInFlight(IN_FLIGHT)
                    .withStart(StartPosition.earliest()));
            KafkaSourceSpec spec = KafkaSourceSpec.of(
                            "bench",
                            "kafka",
                            List.of(kafka.bootstrapServers()),
                            List.of(topic),
                            "sb-" + UUID.randomUUID())
                    .withInitialOffset(KafkaSourceSpec.InitialOffset.EARLIEST)
                    .withOrdering(ordering);
            try (KafkaSource source = new KafkaSource(spec, broker::publish)) {
                return measure(source::start);
            }
        } finally {
            delivery.close();
        }
    }

    /** Starts the scenario and times the sink from 10% to 90% of the records. */
    private Result measure(Runnable start) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long base = arrivals.get();
        start.run();
        long from = records / 10;
        long to = records * 9L / 10;
        while (arrivals.get() - base < from) {
            Thread.sleep(1);
        }
        long startNanos = System.nanoTime();
        long startCpu = os.getProcessCpuTime();
        long startCount = arrivals.get() - base;
        while (arrivals.get() - base < to) {
            Thread.sleep(1);
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long counted = arrivals.get() - base - startCount;
        long cpu = os.getProcessCpuTime() - startCpu;
        while (arrivals.get() - base < records) {
            Thread.sleep(5); // let the scenario finish before the next one starts
        }
        return new Result(counted / seconds, cpu / 1e3 / counted);
    }
}
