package dev.switchboard.source.kafka;

import dev.switchboard.core.EventSource;
import dev.switchboard.core.EventTarget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knative's {@code KafkaSource}: consumes topics as a consumer group and sends every record, as a
 * CloudEvent, to a target (a broker, or a URL), committing a partition's offset only past records
 * the target accepted. {@code consumers} consumers of the group run, each on its own thread.
 */
public final class KafkaSource implements EventSource {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);
    /**
     * A client property that turns on static group membership: each consumer joins as this value
     * plus {@code -<index>}, so a restarted process takes its partitions back at once.
     */
    public static final String GROUP_INSTANCE_ID = "group.instance.id";

    private final KafkaSourceSpec spec;
    private final ScheduledExecutorService retries;
    private final RecordSender sender;
    private final List<ConsumerLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    public KafkaSource(KafkaSourceSpec spec, EventTarget target) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kafka-source-retry-" + spec.namespace() + "-" + spec.name());
            thread.setDaemon(true);
            return thread;
        });
        this.sender = new RecordSender(spec, Objects.requireNonNull(target, "target"), retries);
    }

    @Override
    public String name() {
        return spec.namespace() + "/" + spec.name();
    }

    public KafkaSourceSpec spec() {
        return spec;
    }

    @Override
    public synchronized void start() {
        LOG.info("{} starts with {} consumer(s)", spec, spec.consumers());
        for (int i = 0; i < spec.consumers(); i++) {
            ConsumerLoop loop = new ConsumerLoop(spec, i, sender);
            Thread thread = new Thread(loop, "kafka-source-" + spec.namespace() + "-" + spec.name() + "-" + i);
            thread.setDaemon(true);
            loops.add(loop);
            threads.add(thread);
            thread.start();
        }
    }

    /** Records read from Kafka (each attempt's first), accepted by the target, refused attempts. */
    public long received() {
        return sender.received.sum();
    }

    public long accepted() {
        return sender.accepted.sum();
    }

    public long refused() {
        return sender.refused.sum();
    }

    /** Records that claimed to be CloudEvents but were not valid ones (delivered as plain records). */
    public long malformed() {
        return sender.malformed.sum();
    }

    /** Each assigned partition's committed offset, end offset and lag (end - committed). */
    public List<PartitionLag> partitions() {
        List<PartitionLag> all = new ArrayList<>();
        loops.forEach(loop -> all.addAll(loop.partitions()));
        all.sort(Comparator.comparing(PartitionLag::topic).thenComparingInt(PartitionLag::partition));
        return all;
    }

    /** The sum of every assigned partition's lag. */
    public long lag() {
        return partitions().stream().mapToLong(PartitionLag::lag).sum();
    }

    /** {@code running} when every consumer is; otherwise the first consumer's problem. */
    public String state() {
        return loops.stream()
                .map(ConsumerLoop::state)
                .filter(s -> !s.equals("running"))
                .findFirst()
                .orElse(loops.isEmpty() ? "stopped" : "running");
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("state", state());
        status.put("received", received());
        status.put("accepted", accepted());
        status.put("refused", refused());
        status.put("lag", lag());
        status.put(
                "partitions",
                partitions().stream()
                        .map(p -> Map.of(
                                "topic", p.topic(),
                                "partition", p.partition(),
                                "committed", p.committed(),
                                "endOffset", p.endOffset(),
                                "lag", p.lag()))
                        .toList());
        return status;
    }

    /** Stops reading, lets records in flight finish (a few seconds at most), commits and closes. */
    @Override
    public synchronized void close() {
        loops.forEach(ConsumerLoop::close);
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sender.close();
        retries.shutdownNow();
        LOG.info("{} stopped", spec);
    }
}
