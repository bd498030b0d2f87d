package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.broker.LocalBroker;
import dev.switchboard.core.log.LogRecord;
import dev.switchboard.core.testing.Stores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills a publishing process with SIGKILL mid-stream and proves that every acknowledged event is in
 * the log and reaches the subscription at least once.
 */
@Timeout(120)
class CrashSafetyTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "killed after {0} acknowledgements")
    @ValueSource(ints = {1, 500, 5000})
    void shouldKeepEveryAcknowledgedEventThroughSigkill(int killAfter) throws Exception {
        Set<String> acked = ConcurrentHashMap.newKeySet();
        Set<String> deliveredBeforeCrash = ConcurrentHashMap.newKeySet();
        runAndKill(killAfter, acked, deliveredBeforeCrash);
        assertThat(acked).hasSizeGreaterThanOrEqualTo(killAfter);

        try (Switchboard sb = Stores.open(dir)) {
            LocalBroker broker = (LocalBroker) sb.broker("orders");
            Set<String> inLog = new HashSet<>();
            long end = broker.stats().endOffset();
            for (long offset = 0; offset < end; ) {
                List<LogRecord> records = broker.log().read(offset, 1000);
                for (LogRecord record : records) {
                    assertThat(record.isCorrupt())
                            .as("record %d", record.offset())
                            .isFalse();
                    inLog.add(record.event().getId());
                }
                offset += records.size();
            }
            assertThat(inLog).hasSize((int) end).containsAll(acked);

            Set<String> deliveredAfterRestart = ConcurrentHashMap.newKeySet();
            Subscription audit = sb.subscribe(
                    "orders",
                    SubscriptionSpec.of("audit", sb.handlerSink(event -> deliveredAfterRestart.add(event.getId()))));
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () -> assertThat(audit.stats().committedOffset()).isEqualTo(end));
            Set<String> delivered = new HashSet<>(deliveredBeforeCrash);
            delivered.addAll(deliveredAfterRestart);
            assertThat(delivered).containsAll(acked);
        }
    }

    private void runAndKill(int killAfter, Set<String> acked, Set<String> delivered) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        classpath,
                        CrashingPublisher.class.getName(),
                        dir.toString())
                .redirectError(
                        dir.resolveSibling(dir.getFileName() + "-child.err").toFile())
                .start();
        AtomicInteger ackCount = new AtomicInteger();
        Thread reader = new Thread(() -> readLines(child, line -> {
            if (line.startsWith("ACK ")) {
                acked.add(line.substring(4));
                if (ackCount.incrementAndGet() == killAfter) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
                }
            } else if (line.startsWith("DLV ")) {
                delivered.add(line.substring(4));
            }
        }));
        reader.start();
        assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("child killed").isTrue();
        reader.join(10_000);
        assertThat(child.exitValue()).isEqualTo(137);
    }

    private static void readLines(Process child, java.util.function.Consumer<String> onLine) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> unused = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ) {
                onLine.accept(line);
            }
            unused.clear();
        } catch (IOException e) {
            // The pipe closes when the child dies; everything it wrote before has been read.
        }
    }
}
