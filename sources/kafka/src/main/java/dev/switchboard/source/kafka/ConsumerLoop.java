package dev.switchboard.source.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of the source's group, on its own thread: polls, hands records to the sender, pauses
 * its partitions while too many records are unfinished, and commits, every commit interval, the
 * offsets below which every record was accepted.
 *
 * <p>On a rebalance, revoked partitions stop sending, wait briefly for what is in flight and commit
 * what is safe; lost partitions (the group moved on without us) commit nothing. On close the loop
 * stops reading, waits for records in flight and commits.
 */
final class ConsumerLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PAUSED_POLL = Duration.ofMillis(2);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);
    private static final Duration DRAIN = Duration.ofSeconds(5);

    private final KafkaSourceSpec spec;
    private final int index;
    private final RecordSender sender;
    private final Map<TopicPartition, PartitionProgress> partitions = new ConcurrentHashMap<>();
    private final Map<TopicPartition, PartitionLag> statuses = new ConcurrentHashMap<>();
    private volatile String state = "starting";
    private volatile boolean closing;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private boolean paused;
    private Instant nextCommit = Instant.EPOCH;
    private Instant nextProbe = Instant.EPOCH;
    private Instant lastRecord = Instant.now();

    ConsumerLoop(KafkaSourceSpec spec, int index, RecordSender sender) {
        this.spec = spec;
        this.index = index;
        this.sender = sender;
    }

    String state() {
        return state;
    }

    Collection<PartitionLag> partitions() {
        return statuses.values();
    }

    /** Asks the loop to stop; it drains and commits on its own thread. */
    void close() {
        closing = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    @Override
    public void run() {
        KafkaConsumer<byte[], byte[]> c;
        try {
            c = new KafkaConsumer<>(properties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (KafkaException e) {
            state = "failed: " + e.getMessage();
            LOG.error("{} consumer {} cannot start", spec, index, e);
            return;
        }
        try {
            consumer = c;
            c.subscribe(spec.topics(), new Rebalance(c));
            while (!closing) {
                try {
                    pollOnce(c);
                } catch (WakeupException e) {
                    // closing
                } catch (KafkaException e) {
                    state = "error: " + e.getMessage();
                    LOG.warn("{} consumer {}: {}", spec, index, e.toString());
                    sleep(Duration.ofSeconds(1));
                }
            }
            drain(c);
        } catch (RuntimeException e) {
            state = "failed: " + e.getMessage();
            LOG.error("{} consumer {} stopped", spec, index, e);
        } finally {
            // A static member leaves explicitly on a clean stop, so its partitions move at once; after
            // a crash it stays a member and its restart takes them back without a rebalance.
            c.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(10)));
        }
        state = "stopped";
    }

    private void pollOnce(KafkaConsumer<byte[], byte[]> c) {
        // Paused, a poll returns nothing and would block its whole timeout while the target drains
        // the backlog; a short poll resumes the partitions as soon as there is room.
        ConsumerRecords<byte[], byte[]> records = c.poll(paused ? PAUSED_POLL : POLL);
        for (TopicPartition tp : records.partitions()) {
            PartitionProgress progress = partitions.get(tp);
            if (progress == null) {
                continue; // revoked within this poll; its new owner reads it from the committed offset
            }
            for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                PartitionProgress.Entry entry = progress.add(record);
                if (entry != null) {
                    sender.send(progress, entry);
                }
            }
        }
        Instant now = Instant.now();
        if (!records.isEmpty()) {
            lastRecord = now;
        }
        flowControl(c);
        if (!now.isBefore(nextCommit)) {
            commitAsync(c);
            refreshStatus(c);
            nextCommit = now.plus(spec.commitInterval());
        }
        if (!now.isBefore(nextProbe) && (c.assignment().isEmpty() || now.isAfter(lastRecord.plus(PROBE_INTERVAL)))) {
            probe(c);
            nextProbe = now.plus(PROBE_INTERVAL);
        } else if (!c.assignment().isEmpty() && records.count() > 0) {
            state = "running";
        }
    }

    /**
     * Pauses every partition while one more poll could take the consumer over {@code maxInFlight}
     * unfinished records; resumes below half of it.
     */
    private void flowControl(KafkaConsumer<byte[], byte[]> c) {
        int unfinished = 0;
        for (PartitionProgress progress : partitions.values()) {
            unfinished += progress.unfinished();
        }
        if (!paused && unfinished + maxPollRecords() > spec.maxInFlight()) {
            c.pause(c.assignment());
            paused = true;
        } else if (paused && unfinished <= spec.maxInFlight() / 2) {
            c.resume(c.paused());
            paused = false;
        }
    }

    /**
     * Commits every partition whose safe offset moved without waiting for Kafka, so an unreachable
     * broker never stalls the loop; Kafka answers in order, and offsets only move forward.
     */
    private void commitAsync(KafkaConsumer<byte[], byte[]> c) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions.keySet());
        if (offsets.isEmpty()) {
            return;
        }
        c.commitAsync(offsets, (done, error) -> {
            if (error == null) {
                markCommitted(done);
            } else {
                LOG.debug("{} consumer {}: commit failed ({}); retried next interval", spec, index, error.toString());
            }
        });
    }

    private Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : which) {
            PartitionProgress progress = partitions.get(tp);
            long offset = progress == null ? -1 : progress.toCommit();
            if (offset >= 0) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        }
        return offsets;
    }

    private void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, offset) -> {
            PartitionProgress progress = partitions.get(tp);
            if (progress != null) {
                progress.committed(offset.offset());
            }
        });
    }

    /** Commits, synchronously, every partition whose safe offset moved: on revocation and close. */
    private void commit(KafkaConsumer<byte[], byte[]> c, Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(which);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            c.commitSync(offsets, Duration.ofSeconds(10));
            markCommitted(offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // Safe to retry next time: the offsets only ever move forward.
            LOG.warn("{} consumer {}: commit failed ({}); retried next interval", spec, index, e.toString());
        }
    }

    /** Whether Kafka answers and the topics exist; sets the state users see. */
    private void probe(KafkaConsumer<byte[], byte[]> c) {
        try {
            Set<String> existing = c.listTopics(Duration.ofSeconds(2)).keySet();
            Set<String> missing = new TreeSet<>(spec.topics());
            missing.removeAll(existing);
            if (!missing.isEmpty()) {
                state = "topic(s) " + String.join(", ", missing) + " do not exist";
            } else if (c.assignment().isEmpty()) {
                state = "waiting for partitions";
            } else {
                state = "running";
            }
        } catch (TimeoutException e) {
            state = "cannot reach Kafka at " + String.join(",", spec.bootstrapServers());
        }
        if (!state.equals("running")) {
            LOG.warn("{} consumer {}: {}", spec, index, state);
        }
    }

    private void refreshStatus(KafkaConsumer<byte[], byte[]> c) {
        for (TopicPartition tp : c.assignment()) {
            PartitionProgress progress = partitions.get(tp);
            OptionalLong lag = c.currentLag(tp);
            if (progress == null || lag.isEmpty()) {
                continue;
            }
            long position;
            try {
                position = c.position(tp, Duration.ZERO);
            } catch (TimeoutException e) {
                continue;
            }
            long end = position + lag.getAsLong();
            long committed = progress.commitPosition() >= 0
                    ? progress.commitPosition()
                    : Math.max(0, position - progress.unfinished());
            statuses.put(tp, new PartitionLag(tp.topic(), tp.partition(), committed, end, end - committed));
        }
        statuses.keySet().retainAll(c.assignment());
    }

    /** Stops reading, gives records in flight a moment to be accepted, and commits what is safe. */
    private void drain(KafkaConsumer<byte[], byte[]> c) {
        Instant deadline = Instant.now().plus(DRAIN);
        while (Instant.now().isBefore(deadline) && outstanding(partitions.keySet()) > 0) {
            sleep(Duration.ofMillis(20));
        }
        commit(c, partitions.keySet());
    }

    private int outstanding(Collection<TopicPartition> which) {
        int sum = 0;
        for (TopicPartition tp : which) {
            PartitionProgress progress = partitions.get(tp);
            sum += progress == null ? 0 : progress.outstanding();
        }
        return sum;
    }

    private Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", spec.bootstrapServers()));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, spec.consumerGroup());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "switchboard-" + spec.namespace() + "-" + spec.name() + "-" + index);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                spec.initialOffset().name().toLowerCase(java.util.Locale.ROOT));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords());
        // A topic created after the source started is found within seconds, not the default 5 min.
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
        p.putAll(spec.clientProperties());
        Object instance = p.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        if (instance != null) {
            p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance + "-" + index);
        }
        return p;
    }

    /** A quarter of {@code maxInFlight}, at most Kafka's default of 500. */
    private int maxPollRecords() {
        return Math.max(1, Math.min(500, spec.maxInFlight() / 4));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps {@link #partitions} in step with the group's assignment. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> c;

        Rebalance(KafkaConsumer<byte[], byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            boolean ordered = spec.ordering() == KafkaSourceSpec.Ordering.ORDERED;
            for (TopicPartition tp : assigned) {
                partitions.put(tp, new PartitionProgress(tp, ordered));
            }
            if (paused) {
                c.pause(assigned);
            }
            LOG.info("{} consumer {}: assigned {}", spec, index, assigned);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            List<TopicPartition> ours = new ArrayList<>(revoked);
            ours.retainAll(partitions.keySet());
            ours.forEach(tp -> partitions.get(tp).revoke());
            Instant deadline = Instant.now().plus(DRAIN);
            while (Instant.now().isBefore(deadline) && outstanding(ours) > 0) {
                sleep(Duration.ofMillis(20));
            }
            commit(c, ours);
            ours.forEach(partitions::remove);
            statuses.keySet().removeAll(ours);
            LOG.info("{} consumer {}: revoked {}", spec, index, revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            lost.forEach(tp -> {
                PartitionProgress progress = partitions.remove(tp);
                if (progress != null) {
                    progress.revoke();
                }
                statuses.remove(tp);
            });
            LOG.warn("{} consumer {}: lost {}; their records are read again by the new owner", spec, index, lost);
        }
    }
}
