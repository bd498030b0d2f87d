package dev.switchboard.delivery;

import java.time.Duration;

/** Runs a task after a delay, without blocking a thread meanwhile (a Vert.x or scheduler timer). */
@FunctionalInterface
public interface DeliveryTimer {
    void schedule(Duration delay, Runnable task);
}
