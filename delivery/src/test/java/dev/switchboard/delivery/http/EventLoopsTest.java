package dev.switchboard.delivery.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopsTest {
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldHandOutEveryLoopOnceBeforeAnyAgain() throws Exception {
        EventLoops loops = new EventLoops(vertx);
        // Contexts Vert.x makes on its own take loops from the same group: they do not shift the turn.
        vertx.getOrCreateContext();

        List<Context> handedOut = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            handedOut.add(loops.next());
        }

        assertThat(loops.size()).isEqualTo(3);
        List<String> threads = new ArrayList<>();
        for (Context context : handedOut) {
            threads.add(threadOf(context));
        }
        assertThat(new HashSet<>(threads.subList(0, 3))).hasSize(3);
        assertThat(threads.subList(3, 6)).isEqualTo(threads.subList(0, 3));
        assertThat(threads.get(6)).isEqualTo(threads.get(0));
        // One context per loop, shared by everything handed that loop.
        assertThat(handedOut.get(3)).isSameAs(handedOut.get(0));
        assertThat(Set.copyOf(handedOut)).hasSize(3);
        assertThat(handedOut).allMatch(Context::isEventLoopContext);
    }

    @Test
    void shouldNeverHandOutAReservedLoopWhileAnotherIsOpen() throws Exception {
        EventLoops loops = new EventLoops(vertx);

        Context ingress = loops.reserve();
        List<String> handedOut = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            handedOut.add(threadOf(loops.next()));
        }

        assertThat(loops.size()).isEqualTo(2);
        assertThat(handedOut).doesNotContain(threadOf(ingress));
        assertThat(new HashSet<>(handedOut)).hasSize(2);
        // Reserving every loop leaves the last one shared rather than none to hand out.
        Context second = loops.reserve();
        Context last = loops.reserve();
        assertThat(loops.size()).isEqualTo(1);
        assertThat(loops.next()).isSameAs(last).isNotSameAs(second).isNotSameAs(ingress);
    }

    private static String threadOf(Context context) throws Exception {
        CompletableFuture<String> thread = new CompletableFuture<>();
        context.runOnContext(ignored -> thread.complete(Thread.currentThread().getName()));
        return thread.get(10, TimeUnit.SECONDS);
    }
}
