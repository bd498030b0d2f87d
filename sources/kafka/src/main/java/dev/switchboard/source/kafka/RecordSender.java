package dev.switchboard.source.kafka;

import dev.switchboard.core.EventTarget;
import io.cloudevents.CloudEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records to the target until it accepts them. A refused record is tried again with
 * exponential backoff (100 ms doubling to 30 s) for as long as its partition stays with this
 * consumer: the source never gives a record up, so its offset is never committed before the target
 * took it. (Knative's Kafka source commits past records its sink never took.)
 */
final class RecordSender {
    private static final Logger LOG = LoggerFactory.getLogger(RecordSender.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final KafkaSourceSpec spec;
    private final RecordMapper mapper;
    private final EventTarget target;
    private final ScheduledExecutorService retries;
    final LongAdder received = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder malformed = new LongAdder();
    private volatile boolean closed;

    RecordSender(KafkaSourceSpec spec, EventTarget target, ScheduledExecutorService retries) {
        this.spec = spec;
        this.mapper = new RecordMapper(spec);
        this.target = target;
        this.retries = retries;
    }

    /** Sends the entry's record, and after it the partition's next one in ordered mode. */
    void send(PartitionProgress progress, PartitionProgress.Entry entry) {
        received.increment();
        attempt(progress, entry, toEvent(entry.record), 0);
    }

    void close() {
        closed = true;
    }

    private void attempt(PartitionProgress progress, PartitionProgress.Entry entry, CloudEvent event, int failures) {
        CompletionStage<?> sent;
        try {
            sent = target.send(event);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> {
            if (error == null) {
                accepted.increment();
                PartitionProgress.Entry next = progress.finish(entry);
                if (next != null) {
                    send(progress, next);
                }
                return;
            }
            refused.increment();
            if (closed || progress.revoked()) {
                return; // read again by whoever owns the partition next, from the committed offset
            }
            long delay = Math.min(MAX_BACKOFF_MILLIS, 100L << Math.min(failures, 20));
            if (failures == 0 || Long.bitCount(failures) == 1) {
                LOG.warn(
                        "{}: {} offset {} not accepted ({}), attempt {}; retrying in {} ms",
                        spec,
                        progress.partition(),
                        entry.record.offset(),
                        error.getMessage(),
                        failures + 1,
                        delay);
            }
            try {
                retries.schedule(() -> attempt(progress, entry, event, failures + 1), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // the source closed meanwhile; the record is read again after a restart
            }
        });
    }

    /**
     * The record's event. A record that claims to be a CloudEvent but is not a valid one is delivered
     * as a plain record, so the bytes reach the sink instead of blocking the partition forever.
     */
    private CloudEvent toEvent(ConsumerRecord<byte[], byte[]> record) {
        try {
            return mapper.toCloudEvent(record);
        } catch (IllegalArgumentException e) {
            malformed.increment();
            LOG.warn(
                    "{}: {}-{} offset {}: {}; delivered as a plain record",
                    spec,
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return mapper.toPlainCloudEvent(record);
        }
    }
}
