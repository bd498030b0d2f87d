package dev.switchboard.trigger;

import java.util.Optional;

/**
 * Whether an event matches one trigger, and if not, why.
 *
 * @param trigger the trigger
 * @param reason empty when it matches; otherwise the first clause that failed
 */
public record TriggerVerdict<T>(T trigger, Optional<String> reason) {
    public boolean matches() {
        return reason.isEmpty();
    }
}
