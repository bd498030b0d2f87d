package dev.switchboard.source.mns;

import dev.switchboard.core.EventSource;
import dev.switchboard.core.EventTarget;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes an Alibaba Cloud MNS queue: long-polls a batch, sends each message as a CloudEvent, and
 * deletes a message only after the target accepted its event. A message the target refuses is left
 * alone and reappears after its visibility timeout; errors from MNS (throttling, 5xx, unreadable
 * answers) back off exponentially up to 30 s.
 */
public final class MnsSource implements EventSource {
    public static final String TYPE = "mns:Queue:SendMessage";
    private static final Logger LOG = LoggerFactory.getLogger(MnsSource.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final MnsSpec spec;
    private final EventTarget target;
    private final Vertx vertx;
    private final MnsClient client;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private volatile boolean closed;
    private int failures;

    public MnsSource(MnsSpec spec, EventTarget target, Vertx vertx, WebClient webClient) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.target = Objects.requireNonNull(target, "target");
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.client = new MnsClient(webClient, spec.endpoint(), spec.accessKeyId(), spec.accessKeySecret());
    }

    @Override
    public String name() {
        return spec.namespace() + "/" + spec.name();
    }

    @Override
    public void start() {
        LOG.info("{} starts", spec);
        vertx.runOnContext(v -> poll());
    }

    /** Messages sent, deleted; refused by the target (left to reappear); failed MNS calls. */
    public long delivered() {
        return delivered.sum();
    }

    public long refused() {
        return refused.sum();
    }

    public long errors() {
        return errors.sum();
    }

    private void poll() {
        if (closed) {
            return;
        }
        client.receive(spec.queue(), spec.batchSize(), spec.waitSeconds())
                .compose(this::forward)
                .onComplete(done -> {
                    if (done.succeeded()) {
                        failures = 0;
                        vertx.runOnContext(v -> poll());
                    } else {
                        errors.increment();
                        long delay = Math.min(MAX_BACKOFF_MILLIS, 200L << Math.min(failures++, 10));
                        LOG.warn("{}: {}; retrying in {} ms", spec, done.cause().getMessage(), delay);
                        if (!closed) {
                            vertx.setTimer(delay, id -> poll());
                        }
                    }
                });
    }

    /** Sends every message; deletes each one whose event was accepted. Fails only for MNS errors. */
    private Future<Void> forward(List<MnsMessage> messages) {
        List<Future<Void>> each = new ArrayList<>();
        for (MnsMessage message : messages) {
            CloudEvent event;
            try {
                event = toCloudEvent(message);
            } catch (IllegalArgumentException e) {
                refused.increment();
                LOG.error(
                        "{}: message {} cannot be read ({}); left in the queue",
                        spec,
                        message.messageId(),
                        e.getMessage());
                continue;
            }
            Future<Void> one = Future.fromCompletionStage(target.send(event), vertx.getOrCreateContext())
                    .transform(sent -> {
                        if (sent.failed()) {
                            refused.increment();
                            LOG.warn(
                                    "{}: message {} not accepted ({}); it reappears after its visibility timeout",
                                    spec,
                                    message.messageId(),
                                    sent.cause().getMessage());
                            return Future.succeededFuture();
                        }
                        return client.delete(spec.queue(), message.receiptHandle())
                                .onSuccess(v -> delivered.increment());
                    });
            each.add(one);
        }
        return Future.all(each).mapEmpty();
    }

    CloudEvent toCloudEvent(MnsMessage message) {
        byte[] data = spec.base64Body()
                ? Base64.getDecoder().decode(message.body().strip())
                : message.body().getBytes(StandardCharsets.UTF_8);
        return CloudEventBuilder.v1()
                .withId(message.messageId())
                .withType(TYPE)
                .withSource(URI.create(spec.resourceName()))
                .withTime(OffsetDateTime.ofInstant(Instant.ofEpochMilli(message.enqueueTime()), ZoneOffset.UTC))
                .withData(data)
                .withExtension("dequeuecount", message.dequeueCount())
                .withExtension("priority", message.priority())
                .build();
    }

    @Override
    public void close() {
        closed = true;
    }
}
