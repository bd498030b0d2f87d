package dev.switchboard.core;

import dev.switchboard.core.testing.TestEvents;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * A child process for {@link CrashSafetyTest}: publishes as fast as it can from several threads,
 * printing {@code ACK <id>} for each acknowledged event and {@code DLV <id>} for each event its
 * in-process subscription received, until it is killed.
 */
public final class CrashingPublisher {
    private static final int THREADS = 8;
    private static final int OUTSTANDING_PER_THREAD = 32;

    private CrashingPublisher() {}

    public static void main(String[] args) {
        Switchboard sb = Switchboard.builder().dataDir(Path.of(args[0])).build();
        Broker broker = sb.broker("orders");
        sb.subscribe(
                "orders",
                SubscriptionSpec.of("audit", sb.handlerSink(event -> System.out.println("DLV " + event.getId())))
                        .withStart(StartPosition.earliest()));
        System.out.println("READY");
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread publisher = new Thread(() -> {
                Semaphore window = new Semaphore(OUTSTANDING_PER_THREAD);
                for (long n = 0; ; n++) {
                    window.acquireUninterruptibly();
                    String id = "t" + thread + "-" + n;
                    broker.publish(TestEvents.event(id, "crash.test", 1024)).whenComplete((offset, error) -> {
                        window.release();
                        if (error == null) {
                            System.out.println("ACK " + id);
                        }
                    });
                }
            });
            publisher.start();
        }
    }
}
