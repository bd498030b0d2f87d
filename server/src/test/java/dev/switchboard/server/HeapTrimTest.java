package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HeapTrimTest {
    private final HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    @Test
    void shouldLeaveTheHeapFreeRatiosAsTheyWere() {
        String min = hotspot.getVMOption("MinHeapFreeRatio").getValue();
        String max = hotspot.getVMOption("MaxHeapFreeRatio").getValue();

        HeapTrim.afterConfigurationLoad();

        assertThat(hotspot.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo(min);
        assertThat(hotspot.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo(max);
    }

    @Test
    void shouldLeaveRatiosTheUserSetAlone() {
        hotspot.setVMOption("MaxHeapFreeRatio", "90"); // as -XX:MaxHeapFreeRatio=90 would

        HeapTrim.afterConfigurationLoad();

        assertThat(hotspot.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("90");
        hotspot.setVMOption("MaxHeapFreeRatio", "70");
    }
}
