package dev.switchboard.source.mns;

import java.net.URI;
import java.util.Objects;

/**
 * An {@code MNSSource}'s spec, its keys resolved.
 *
 * @param namespace {@code metadata.namespace}
 * @param name {@code metadata.name}
 * @param endpoint the MNS endpoint, e.g. {@code https://<account>.mns.<region>.aliyuncs.com}
 * @param queue the queue name
 * @param accessKeyId the AccessKey ID
 * @param accessKeySecret the AccessKey secret
 * @param batchSize messages per receive, 1-16
 * @param waitSeconds long-poll wait, 0-30
 * @param base64Body whether message bodies are Base64 (the SDK's default when sending)
 */
public record MnsSpec(
        String namespace,
        String name,
        URI endpoint,
        String queue,
        String accessKeyId,
        String accessKeySecret,
        int batchSize,
        int waitSeconds,
        boolean base64Body) {
    public MnsSpec {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(accessKeySecret, "accessKeySecret");
        if (batchSize < 1 || batchSize > 16) {
            throw new IllegalArgumentException("batchSize must be 1-16, was " + batchSize);
        }
        if (waitSeconds < 0 || waitSeconds > 30) {
            throw new IllegalArgumentException("waitSeconds must be 0-30, was " + waitSeconds);
        }
    }

    /**
     * The queue's resource name, as Alibaba EventBridge uses it for {@code source}: {@code
     * acs:mns:<region>:<account>:queues/<queue>}, region and account read from the endpoint's host name.
     */
    public String resourceName() {
        String host = endpoint.getHost();
        String[] parts = host.split("\\.");
        boolean aliyun = parts.length >= 4 && parts[1].equals("mns");
        String account = aliyun ? parts[0] : "";
        String region = aliyun ? parts[2].replace("-internal", "").replace("-vpc", "") : "";
        return "acs:mns:" + region + ":" + account + ":queues/" + queue;
    }

    @Override
    public String toString() {
        return "MNSSource " + namespace + "/" + name + " (" + endpoint + ", queue " + queue + ")";
    }
}
