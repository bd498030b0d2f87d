package dev.switchboard.testing.kafka;

import dev.switchboard.testing.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one process) in a child JVM.
 *
 * <p>A child JVM keeps the broker's Scala and Jackson off the test classpath and lets a test kill
 * the broker with SIGKILL and start it again on the same ports and log directory. {@link #shared()}
 * starts one per test JVM and stops it when the JVM exits.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final List<String> JVM = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static KafkaBroker shared;

    private final Path dir;
    private final int brokerPort;
    private final int controllerPort;
    private final int saslPort;
    private ChildJvm process;

    /** The one user of the SASL/PLAIN listener, and its password. */
    public static final String SASL_USER = "alice";

    public static final String SASL_PASSWORD = "alice-secret";

    private KafkaBroker(Path dir, int brokerPort, int controllerPort, int saslPort) {
        this.dir = dir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.saslPort = saslPort;
    }

    /** The broker of this JVM, started on first use. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("switchboard-kafka");
                shared = start(dir);
                KafkaBroker broker = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    broker.close();
                    ChildJvm.deleteRecursively(dir);
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** Formats a log directory under {@code dir} and starts a broker on two free loopback ports. */
    public static KafkaBroker start(Path dir) {
        KafkaBroker broker = new KafkaBroker(dir, ChildJvm.freePort(), ChildJvm.freePort(), ChildJvm.freePort());
        broker.format();
        broker.launch();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** A second listener that takes SASL_PLAINTEXT with mechanism PLAIN, for {@link #SASL_USER}. */
    public String saslBootstrapServers() {
        return "127.0.0.1:" + saslPort;
    }

    /** Creates a topic (idempotent) and waits until every partition has a leader. */
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name, e.getCause());
                }
            }
            Instant deadline = Instant.now().plusSeconds(30);
            while (!hasLeaders(admin, name)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("topic " + name + " has no leader after 30 s");
                }
                ChildJvm.pause(Duration.ofMillis(100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    private static boolean hasLeaders(Admin admin, String topic) {
        try {
            return admin
                    .describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .stream()
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * A producer of byte arrays for tests. Not idempotent, with one request in flight (which keeps
     * order): tests produce right after creating a topic, and the idempotent producer can stall
     * with OUT_OF_ORDER_SEQUENCE_NUMBER on a fresh partition's first leader change.
     */
    public KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        false,
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                        1),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** The offset the group committed for the partition, or -1 when it committed none. */
    public long committed(String group, String topic, int partition) {
        try (Admin admin = admin()) {
            var offset = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS)
                    .get(new org.apache.kafka.common.TopicPartition(topic, partition));
            return offset == null ? -1 : offset.offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read group " + group + "'s offsets", e);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000));
    }

    /** SIGKILL: the broker dies without a clean shutdown, as in a crash. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    /** Starts the broker again on the same ports and log directory. */
    public synchronized void restart() {
        kill();
        launch();
    }

    /** Whether the broker process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGTERM and wait: a clean shutdown. */
    @Override
    public synchronized void close() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    private void format() {
        try {
            Files.createDirectories(dir.resolve("logs"));
            Files.writeString(dir.resolve("server.properties"), properties(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String clusterId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        ChildJvm formatter = ChildJvm.start(
                KafkaBroker.class,
                "broker.classpath",
                JVM,
                "kafka.tools.StorageTool",
                dir.resolve("format.log"),
                "format",
                "-t",
                clusterId,
                "-c",
                dir.resolve("server.properties").toString());
        if (formatter.waitFor(Duration.ofSeconds(60)) != 0) {
            throw new IllegalStateException("formatting the Kafka log failed; see " + dir.resolve("format.log"));
        }
    }

    private synchronized void launch() {
        process = ChildJvm.start(
                KafkaBroker.class,
                "broker.classpath",
                JVM,
                "kafka.Kafka",
                dir.resolve("broker.log"),
                dir.resolve("server.properties").toString());
        process.await("the Kafka broker to start", STARTUP, () -> ChildJvm.portOpen(brokerPort) && hasNodes());
    }

    private boolean hasNodes() {
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private String properties() {
        return String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort
                        + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms=PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config="
                        + "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + SASL_USER + "=\\\""
                        + SASL_PASSWORD + "\\\";",
                "log.dirs=" + dir.resolve("logs"),
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "");
    }
}
