package dev.switchboard.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands back to the OS the heap that loading a large configuration used and left free. Parsing 10,000
 * triggers peaks at several times the heap they keep; with the JVM's default free-heap ratios (keep
 * 40–70% of the heap free after a full collection) G1 would keep most of that peak committed for
 * good. One full collection with low ratios shrinks the heap to what is live plus a margin; the ratios
 * are then set back, so the heap grows under load as it always would. Ratios set on the command line
 * are left alone.
 */
final class HeapTrim {
    private static final Logger LOG = LoggerFactory.getLogger(HeapTrim.class);
    private static final String MIN = "MinHeapFreeRatio";
    private static final String MAX = "MaxHeapFreeRatio";

    private HeapTrim() {}

    static void afterConfigurationLoad() {
        Runnable restore = lowerFreeRatios();
        try {
            System.gc();
        } finally {
            restore.run();
        }
        trimNativeHeap();
    }

    /**
     * Sets low free ratios unless the command line set them; returns what sets them back. Does
     * nothing where the JVM has no such options or does not let them change.
     */
    private static Runnable lowerFreeRatios() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotspot == null) {
                return () -> {};
            }
            VMOption min = hotspot.getVMOption(MIN);
            VMOption max = hotspot.getVMOption(MAX);
            if (min.getOrigin() != VMOption.Origin.DEFAULT || max.getOrigin() != VMOption.Origin.DEFAULT) {
                return () -> {};
            }
            // Min before max on the way down, max before min on the way back: the JVM refuses a
            // maximum below the minimum.
            hotspot.setVMOption(MIN, "10");
            Runnable restoreMin = () -> set(hotspot, MIN, min.getValue());
            try {
                hotspot.setVMOption(MAX, "20");
            } catch (IllegalArgumentException e) {
                restoreMin.run();
                throw e;
            }
            return () -> {
                set(hotspot, MAX, max.getValue());
                restoreMin.run();
            };
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            LOG.debug("heap free ratios left as they are", e);
            return () -> {};
        }
    }

    private static void set(HotSpotDiagnosticMXBean hotspot, String option, String value) {
        try {
            hotspot.setVMOption(option, value);
        } catch (IllegalArgumentException e) {
            LOG.warn("could not set {} back to {}", option, value, e);
        }
    }

    /**
     * The C heap keeps what the JIT and class loading used at startup (tens of MB) unless told to give
     * it back: {@code jcmd System.trim_native_heap}, run through its management bean (here once, and by
     * {@link IdleTrim} whenever the server goes quiet). Absent on
     * JDKs before 17.0.9 and on C libraries other than glibc; then there is nothing to do.
     */
    static void trimNativeHeap() {
        try {
            Object result = ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "systemTrimNativeHeap",
                            new Object[0],
                            new String[0]);
            LOG.debug("{}", result);
        } catch (JMException | RuntimeException e) {
            LOG.debug("native heap not trimmed", e);
        }
    }
}
