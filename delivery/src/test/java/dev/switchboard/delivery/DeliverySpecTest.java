package dev.switchboard.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliverySpecTest {
    private final DeliverySpec broker = DeliverySpec.defaults().withRetry(3);
    private final DeliverySpec trigger = DeliverySpec.defaults().withRetry(7);

    @Test
    void shouldLetTheTriggersSpecReplaceTheBrokersAsAWhole() {
        assertThat(DeliverySpec.effective(Optional.of(trigger), Optional.of(broker)))
                .isEqualTo(trigger);
        assertThat(DeliverySpec.effective(Optional.empty(), Optional.of(broker)))
                .isEqualTo(broker);
        assertThat(DeliverySpec.effective(Optional.empty(), Optional.empty())).isEqualTo(DeliverySpec.defaults());
    }

    @Test
    void shouldDefaultToKnativesShippedBrokerDelivery() {
        DeliverySpec defaults = DeliverySpec.defaults();

        assertThat(defaults.retry()).isEqualTo(10);
        assertThat(defaults.backoffPolicy()).isEqualTo(BackoffPolicy.EXPONENTIAL);
        assertThat(defaults.backoffDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(defaults.deadLetterSink()).isEmpty();
    }

    @Test
    void shouldRefuseNonsense() {
        assertThatThrownBy(() -> DeliverySpec.defaults().withRetry(-1))
                .hasMessageContaining("retry must not be negative");
        assertThatThrownBy(() -> DeliverySpec.defaults().withTimeout(Duration.ZERO))
                .hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> DeliverySpec.defaults().withBackoff(BackoffPolicy.LINEAR, Duration.ofSeconds(-1)))
                .hasMessageContaining("backoffDelay must not be negative");
    }
}
