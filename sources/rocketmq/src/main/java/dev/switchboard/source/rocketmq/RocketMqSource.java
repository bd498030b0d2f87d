package dev.switchboard.source.rocketmq;

import dev.switchboard.core.EventSource;
import dev.switchboard.core.EventTarget;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.MessageSelector;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes a RocketMQ topic with the remoting push consumer and sends each message, as a CloudEvent,
 * to a target. A message is acknowledged ({@code CONSUME_SUCCESS}) only after the target accepted its
 * event; otherwise RocketMQ redelivers it: concurrently consumed messages go through the group's
 * retry topic (after 16 failed rounds, RocketMQ's own dead-letter topic {@code %DLQ%<group>} keeps
 * them), orderly consumed ones hold their queue and are retried in place.
 */
public final class RocketMqSource implements EventSource {
    private static final Logger LOG = LoggerFactory.getLogger(RocketMqSource.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
    private static final DateTimeFormatter CONSUME_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneId.systemDefault());

    private final RocketMqSourceSpec spec;
    private final EventTarget target;
    private final LongAdder received = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private volatile String state = "starting";
    private DefaultMQPushConsumer consumer;

    public RocketMqSource(RocketMqSourceSpec spec, EventTarget target) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.target = Objects.requireNonNull(target, "target");
    }

    @Override
    public String name() {
        return spec.namespace() + "/" + spec.name();
    }

    @Override
    public synchronized void start() {
        consumer = spec.accessKey().isPresent()
                ? new DefaultMQPushConsumer(
                        spec.group(),
                        new AclClientRPCHook(new SessionCredentials(
                                spec.accessKey().get(), spec.secretKey().orElseThrow())))
                : new DefaultMQPushConsumer(spec.group());
        consumer.setNamesrvAddr(spec.nameServer());
        // Routes are refreshed every 5 s instead of 30 s: the group's retry topic only exists after
        // the first refused message, and its redeliveries wait for the consumer to learn its route.
        consumer.setPollNameServerInterval(5_000);
        // One client instance per source, so two sources of one group in this process stay apart.
        consumer.setInstanceName("switchboard-" + spec.namespace() + "-" + spec.name());
        switch (spec.consumeFrom()) {
            case FIRST -> consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            case LAST -> consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET);
            case TIMESTAMP -> {
                consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_TIMESTAMP);
                consumer.setConsumeTimestamp(
                        CONSUME_TIMESTAMP.format(spec.consumeTimestamp().orElseThrow()));
            }
        }
        try {
            consumer.subscribe(
                    spec.topic(),
                    spec.selectorType() == RocketMqSourceSpec.SelectorType.SQL92
                            ? MessageSelector.bySql(spec.selector())
                            : MessageSelector.byTag(spec.selector()));
            if (spec.ordering() == RocketMqSourceSpec.Ordering.ORDERLY) {
                consumer.registerMessageListener((MessageListenerOrderly) (messages, context) -> deliver(messages)
                        ? ConsumeOrderlyStatus.SUCCESS
                        : ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT);
            } else {
                consumer.registerMessageListener((MessageListenerConcurrently) (messages, context) -> deliver(messages)
                        ? ConsumeConcurrentlyStatus.CONSUME_SUCCESS
                        : ConsumeConcurrentlyStatus.RECONSUME_LATER);
            }
            consumer.start();
            state = "running";
            LOG.info("{} starts", spec);
        } catch (MQClientException e) {
            state = "failed: " + e.getErrorMessage();
            LOG.error("{} cannot start: {}", spec, e.getErrorMessage());
        }
    }

    /** Sends every message of the batch and waits until the target accepted them all. */
    private boolean deliver(List<MessageExt> messages) {
        List<CompletableFuture<?>> sends = new ArrayList<>(messages.size());
        for (MessageExt message : messages) {
            received.increment();
            try {
                sends.add(target.send(toEvent(message)).toCompletableFuture());
            } catch (RuntimeException e) {
                sends.add(CompletableFuture.failedFuture(e));
            }
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            accepted.add(messages.size());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn(
                    "{}: message {} not accepted ({}); RocketMQ redelivers it",
                    spec,
                    messages.get(0).getMsgId(),
                    e.getCause() == null ? e.toString() : e.getCause().getMessage());
        }
        refused.add(messages.size());
        return false;
    }

    /** A message that claims to be a CloudEvent but is not a valid one goes as a plain message. */
    private CloudEvent toEvent(MessageExt message) {
        try {
            return MessageMapper.toCloudEvent(message);
        } catch (IllegalArgumentException e) {
            malformed.increment();
            LOG.warn("{}: message {}: {}; delivered as a plain message", spec, message.getMsgId(), e.getMessage());
            return MessageMapper.plain(message);
        }
    }

    /** Messages handed to this source (redeliveries count again), accepted, and refused by the target. */
    public long received() {
        return received.sum();
    }

    public long accepted() {
        return accepted.sum();
    }

    public long refused() {
        return refused.sum();
    }

    public long malformed() {
        return malformed.sum();
    }

    public String state() {
        return state;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("state", state);
        status.put("received", received());
        status.put("accepted", accepted());
        status.put("refused", refused());
        return status;
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.shutdown();
            consumer = null;
        }
        state = "stopped";
        LOG.info("{} stopped", spec);
    }
}
