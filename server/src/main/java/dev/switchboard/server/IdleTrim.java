package dev.switchboard.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Gives the C heap's free memory back to the OS while the server is quiet. glibc
 * keeps what the JIT, class loading, RocksDB and the HTTP stack freed (16 MB with 10,000 triggers a
 * few seconds after start, measured with {@code jcmd System.trim_native_heap}), so an idle server
 * would stay at the resident size of its busiest moment. The JVM can do this by itself on a timer
 * ({@code -XX:TrimNativeHeapInterval}, JDK 17.0.9 and later); when that is set this does nothing.
 *
 * <p>A trim runs at the end of each interval in which the process used little CPU, never while it is
 * busy: a loaded server does not pay for it, and one at rest also hands back what the JIT keeps
 * compiling for a while after start (6 MB in the 20 s after a first trim, C2's arenas). A trim that
 * finds nothing to return takes about 0.3 ms.
 */
final class IdleTrim implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final long timer;

    private IdleTrim(Vertx vertx, long timer) {
        this.vertx = vertx;
        this.timer = timer;
    }

    /** Starts watching, unless the JVM trims by itself. */
    static IdleTrim start(Vertx vertx, WorkerExecutor worker) {
        if (jvmTrimsItself()) {
            return new IdleTrim(vertx, -1);
        }
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os)) {
            return new IdleTrim(vertx, -1); // no process CPU time on this JVM: no way to tell quiet
        }
        QuietIntervals intervals = new QuietIntervals(os::getProcessCpuTime, System::nanoTime);
        long timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> {
            if (intervals.quiet()) {
                worker.executeBlocking(() -> {
                    HeapTrim.trimNativeHeap();
                    return null;
                });
            }
        });
        return new IdleTrim(vertx, timer);
    }

    private static boolean jvmTrimsItself() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot != null
                    && !"0".equals(hotspot.getVMOption("TrimNativeHeapInterval").getValue());
        } catch (IllegalArgumentException e) {
            return false; // a JDK without the option
        }
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Tells quiet intervals by the process's CPU time: under a tenth of one core. */
    static final class QuietIntervals {
        private static final double QUIET_BELOW = 0.10;

        private final LongSupplier cpuNanos;
        private final LongSupplier wallNanos;
        private long lastCpu;
        private long lastWall;

        QuietIntervals(LongSupplier cpuNanos, LongSupplier wallNanos) {
            this.cpuNanos = cpuNanos;
            this.wallNanos = wallNanos;
            this.lastCpu = cpuNanos.getAsLong();
            this.lastWall = wallNanos.getAsLong();
        }

        /** Called once per interval: whether the one that just ended was quiet. */
        boolean quiet() {
            long cpu = cpuNanos.getAsLong();
            long wall = wallNanos.getAsLong();
            boolean quiet = wall > lastWall && (double) (cpu - lastCpu) / (wall - lastWall) < QUIET_BELOW;
            lastCpu = cpu;
            lastWall = wall;
            return quiet;
        }
    }
}
