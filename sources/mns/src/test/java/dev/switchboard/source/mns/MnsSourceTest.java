package dev.switchboard.source.mns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The MNS source against a local endpoint that follows the MNS queue API. */
@Timeout(60)
class MnsSourceTest {
    private Vertx vertx;
    private WebClient client;
    private FakeMns mns;
    private final List<CloudEvent> accepted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
        mns = new FakeMns(vertx, 1_000);
    }

    @AfterEach
    void stop() throws Exception {
        mns.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private MnsSource source(String secret, dev.switchboard.core.EventTarget target) {
        MnsSpec spec = new MnsSpec("default", "orders", mns.endpoint(), "orders", FakeMns.KEY_ID, secret, 4, 1, true);
        return new MnsSource(spec, target, vertx, client);
    }

    private dev.switchboard.core.EventTarget accepting() {
        return event -> {
            accepted.add(event);
            return CompletableFuture.completedFuture(null);
        };
    }

    @Test
    void shouldReceiveInBatchesAndDeleteOnlyAfterTheBrokerAccepted() {
        for (int i = 0; i < 6; i++) {
            mns.send("order-" + i);
        }
        MnsSource source = source(FakeMns.SECRET, accepting());
        source.start();

        await().untilAsserted(() -> assertThat(accepted).hasSize(6));
        await().untilAsserted(() -> assertThat(mns.size()).isZero());
        source.close();
        CloudEvent first = accepted.get(0);
        assertThat(first.getType()).isEqualTo("mns:Queue:SendMessage");
        assertThat(first.getSource()).hasToString("acs:mns:::queues/orders");
        assertThat(new String(first.getData().toBytes(), StandardCharsets.UTF_8))
                .startsWith("order-");
        assertThat(first.getExtension("dequeuecount")).isEqualTo(1);
        assertThat(first.getExtension("priority")).isEqualTo(8);
        assertThat(first.getTime()).isNotNull();
        assertThat(source.delivered()).isEqualTo(6);
    }

    @Test
    void shouldLeaveARefusedMessageToReappearAfterItsVisibilityTimeout() {
        mns.send("retry-me");
        AtomicInteger refusals = new AtomicInteger(1);
        MnsSource source = source(FakeMns.SECRET, event -> {
            if (refusals.getAndDecrement() > 0) {
                return CompletableFuture.failedFuture(new IllegalStateException("buffer full"));
            }
            accepted.add(event);
            return CompletableFuture.completedFuture(null);
        });
        source.start();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(accepted).hasSize(1));
        await().untilAsserted(() -> assertThat(mns.size()).isZero());
        source.close();
        assertThat(accepted.get(0).getExtension("dequeuecount")).isEqualTo(2);
        assertThat(source.refused()).isEqualTo(1);
    }

    @Test
    void shouldBackOffOnThrottling5xxAndGarbageAndCarryOn() {
        mns.failNext(2, 503);
        mns.send("after-the-storm");
        MnsSource source = source(FakeMns.SECRET, accepting());
        source.start();

        await().untilAsserted(() -> assertThat(accepted).hasSize(1));
        mns.garbageNext();
        mns.send("after-garbage");
        await().untilAsserted(() -> assertThat(accepted).hasSize(2));
        source.close();
        assertThat(source.errors()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void shouldBeRefusedWithAWrongSignatureAndDeliverNothing() {
        mns.send("secret");
        MnsSource source = source("wrong-secret", accepting());
        source.start();

        await().untilAsserted(() -> assertThat(mns.rejectedSignatures.get()).isGreaterThanOrEqualTo(1));
        await().untilAsserted(() -> assertThat(source.errors()).isGreaterThanOrEqualTo(1));
        source.close();
        assertThat(accepted).isEmpty();
        assertThat(mns.size()).isEqualTo(1);
    }
}
