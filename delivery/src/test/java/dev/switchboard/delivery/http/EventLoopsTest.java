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
            handedOut.add(loops.context(loops.nextIndex()));
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
            handedOut.add(threadOf(loops.context(loops.nextIndex())));
        }

        assertThat(loops.size()).isEqualTo(2);
        assertThat(handedOut).doesNotContain(threadOf(ingress));
        assertThat(new HashSet<>(handedOut)).hasSize(2);
        // Reserving every loop leaves the last one shared rather than none to hand out.
        Context second = loops.reserve();
        Context last = loops.reserve();
        assertThat(loops.size()).isEqualTo(1);
        assertThat(loops.context(loops.nextIndex()))
                .isSameAs(last)
                .isNotSameAs(second)
                .isNotSameAs(ingress);
    }

    @Test
    void shouldLendALoopUntilItIsBusyAndRunPassesOnlyOnAQuietOne() throws Exception {
        EventLoops loops = new EventLoops(vertx);
        int loop = loops.nextIndex();

        // Off the loops there is nothing to run on.
        assertThat(loops.current()).isEqualTo(-1);
        assertThat(loops.quietLoopOfCaller()).isNull();
        assertThat(onLoop(loops, loop, loops::current)).isEqualTo(loop);
        assertThat(onLoop(loops, loop, () -> loops.quietLoopOfCaller() != null)).isTrue();

        for (int i = 0; i < EventLoops.BUSY_AT; i++) {
            assertThat(loops.tryBorrow(loop)).isTrue();
        }
        assertThat(loops.tryBorrow(loop)).isFalse();
        assertThat(onLoop(loops, loop, () -> loops.quietLoopOfCaller() == null)).isTrue();
        // The pass a sink's answer signals runs on the busy loop all the same, and never off the loops.
        assertThat(onLoop(loops, loop, () -> loops.loopOfCaller() != null)).isTrue();
        assertThat(loops.loopOfCaller()).isNull();
        // Another loop is as quiet as before.
        int other = loops.nextIndex();
        assertThat(other).isNotEqualTo(loop);
        assertThat(loops.tryBorrow(other)).isTrue();
        loops.done(other);

        // A place given back can be taken again; a loop's own attempts count as well.
        loops.done(loop);
        assertThat(loops.tryBorrow(loop)).isTrue();
        loops.start(other);
        assertThat(loops.tryBorrow(other)).isTrue();
        loops.start(other);
        loops.start(other);
        assertThat(loops.tryBorrow(other)).isFalse();
        for (int i = 0; i < EventLoops.BUSY_AT; i++) {
            loops.done(loop);
        }
        // The loop's executor runs a pass on that loop, after the task that asked for it.
        CompletableFuture<String> ranOn = new CompletableFuture<>();
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        loops.context(loop).runOnContext(ignored -> {
            loops.quietLoopOfCaller().execute(() -> {
                order.add("pass");
                ranOn.complete(Thread.currentThread().getName());
            });
            order.add("caller");
        });
        assertThat(ranOn.get(10, TimeUnit.SECONDS)).isEqualTo(threadOf(loops.context(loop)));
        assertThat(order).containsExactly("caller", "pass");
    }

    private static <T> T onLoop(EventLoops loops, int loop, java.util.function.Supplier<T> what) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loops.context(loop).runOnContext(ignored -> result.complete(what.get()));
        return result.get(10, TimeUnit.SECONDS);
    }

    private static String threadOf(Context context) throws Exception {
        CompletableFuture<String> thread = new CompletableFuture<>();
        context.runOnContext(ignored -> thread.complete(Thread.currentThread().getName()));
        return thread.get(10, TimeUnit.SECONDS);
    }
}
