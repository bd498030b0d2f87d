package dev.switchboard.server.config;

import dev.switchboard.source.mns.MnsSpec;
import java.net.URI;
import java.util.Objects;

/** An {@code MNSSource}, validated, its keys resolved. */
public record MnsSourceResource(
        String namespace,
        String name,
        URI endpoint,
        String queueName,
        String accessKeyId,
        String accessKeySecret,
        int batchSize,
        int waitSeconds,
        boolean base64Decode,
        SourceSink sink)
        implements SourceResource {
    public MnsSourceResource {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(queueName, "queueName");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(accessKeySecret, "accessKeySecret");
        Objects.requireNonNull(sink, "sink");
    }

    @Override
    public String kind() {
        return "MNSSource";
    }

    @Override
    public String key() {
        return namespace + "/" + name;
    }

    public MnsSpec toSpec() {
        return new MnsSpec(
                namespace,
                name,
                endpoint,
                queueName,
                accessKeyId,
                accessKeySecret,
                batchSize,
                waitSeconds,
                base64Decode);
    }

    /** Never prints the keys. */
    @Override
    public String toString() {
        return "MNSSource " + key() + " (" + endpoint + ", queue " + queueName + ", sink " + sink + ")";
    }
}
