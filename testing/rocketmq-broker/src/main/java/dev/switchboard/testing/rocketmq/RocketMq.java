package dev.switchboard.testing.rocketmq;

import dev.switchboard.testing.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real RocketMQ: a name server and one broker, each in a child JVM on the RocketMQ jars' own
 * classpath (its Netty, gRPC and bundled RocksDB never meet ours). {@link #shared()} starts one per
 * test JVM and stops it when the JVM exits.
 *
 * <p>The broker creates topics on first use, evaluates SQL92 selectors, and redelivers a message a
 * consumer asked to reconsume after 1 s at every level (instead of 10 s, 30 s, 1 min ...), so
 * redelivery tests stay short.
 */
public final class RocketMq implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static RocketMq shared;

    private final Path dir;
    private final int nameServerPort;
    private ChildJvm nameServer;
    private ChildJvm broker;

    private RocketMq(Path dir, int nameServerPort) {
        this.dir = dir;
        this.nameServerPort = nameServerPort;
    }

    public static synchronized RocketMq shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("switchboard-rocketmq");
                shared = start(dir);
                RocketMq rocketMq = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    rocketMq.kill(); // its data goes too: a clean shutdown (~20 s) buys nothing
                    ChildJvm.deleteRecursively(dir);
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** Starts a name server, then a broker registered with it; returns once the broker booted. */
    public static RocketMq start(Path dir) {
        RocketMq rocketMq = new RocketMq(dir, ChildJvm.freePort());
        try {
            rocketMq.launch();
        } catch (RuntimeException e) {
            rocketMq.close();
            throw e;
        }
        return rocketMq;
    }

    /** {@code 127.0.0.1:port}: give it to every client as {@code namesrvAddr}. */
    public String nameServer() {
        return "127.0.0.1:" + nameServerPort;
    }

    /** SIGKILL to both processes. */
    public synchronized void kill() {
        if (broker != null) {
            broker.kill();
            broker = null;
        }
        if (nameServer != null) {
            nameServer.kill();
            nameServer = null;
        }
    }

    @Override
    public synchronized void close() {
        if (broker != null) {
            broker.stop();
            broker = null;
        }
        if (nameServer != null) {
            nameServer.stop();
            nameServer = null;
        }
    }

    private void launch() {
        try {
            Files.writeString(
                    dir.resolve("namesrv.conf"),
                    "listenPort=" + nameServerPort + "\nbindAddress=127.0.0.1\n",
                    StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("broker.conf"), brokerConfig(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        nameServer = ChildJvm.start(
                RocketMq.class,
                "broker.classpath",
                jvm("256m"),
                "org.apache.rocketmq.namesrv.NamesrvStartup",
                dir.resolve("namesrv.log"),
                "-c",
                dir.resolve("namesrv.conf").toString());
        nameServer.await("the RocketMQ name server to listen", STARTUP, () -> ChildJvm.portOpen(nameServerPort));
        // Started only once the name server listens, or it registers 10-30 s later.
        broker = ChildJvm.start(
                RocketMq.class,
                "broker.classpath",
                jvm("512m"),
                "org.apache.rocketmq.broker.BrokerStartup",
                dir.resolve("broker.log"),
                "-c",
                dir.resolve("broker.conf").toString());
        broker.await("the RocketMQ broker to boot", STARTUP, () -> broker.logged("boot success"));
    }

    private List<String> jvm(String heap) {
        return List.of(
                "-Xmx" + heap,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Duser.home=" + dir,
                "-Drocketmq.home.dir=" + dir,
                // A busy build machine's disk must not stop the broker from taking writes.
                "-Drocketmq.broker.diskSpaceWarningLevelRatio=0.99");
    }

    private String brokerConfig() {
        Path store = dir.resolve("store");
        return String.join(
                "\n",
                "brokerClusterName=switchboard-test",
                "brokerName=broker-a",
                "brokerId=0",
                "namesrvAddr=" + nameServer(),
                "brokerIP1=127.0.0.1",
                "brokerIP2=127.0.0.1",
                "bindAddress=127.0.0.1",
                "listenPort=0",
                "haListenPort=" + ChildJvm.freePort(),
                "storePathRootDir=" + store,
                "storePathCommitLog=" + store.resolve("commitlog"),
                "mappedFileSizeCommitLog=16777216",
                "autoCreateTopicEnable=true",
                "enablePropertyFilter=true",
                "messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s",
                "");
    }
}
