package dev.switchboard.source.ping;

import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code PingSource}'s spec.
 *
 * @param namespace {@code metadata.namespace}
 * @param name {@code metadata.name}
 * @param schedule {@code spec.schedule}
 * @param timezone {@code spec.timezone} (UTC by default)
 * @param contentType {@code spec.contentType}, if set
 * @param data the payload: {@code spec.data} as UTF-8, or {@code spec.dataBase64} decoded
 * @param extensions {@code spec.ceOverrides.extensions}
 */
public record PingSpec(
        String namespace,
        String name,
        PingSchedule schedule,
        ZoneId timezone,
        Optional<String> contentType,
        Optional<byte[]> data,
        Map<String, String> extensions) {
    public PingSpec {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(data, "data");
        extensions = Map.copyOf(extensions);
    }

    /** Knative's source attribute for a PingSource. */
    public String source() {
        return "/apis/v1/namespaces/" + namespace + "/pingsources/" + name;
    }
}
