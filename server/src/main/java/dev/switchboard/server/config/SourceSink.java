package dev.switchboard.server.config;

import java.net.URI;
import java.util.Objects;

/** Where a source sends: a broker of this server (a {@code ref} to a Broker), or a URL. */
public sealed interface SourceSink permits SourceSink.ToBroker, SourceSink.ToUri {

    /** A broker, by {@code namespace/name}; events are published in-process, durable on accept. */
    record ToBroker(String broker) implements SourceSink {
        public ToBroker {
            Objects.requireNonNull(broker, "broker");
        }

        @Override
        public String toString() {
            return "broker " + broker;
        }
    }

    /** Any CloudEvents HTTP endpoint; accepted means a 2xx answer. */
    record ToUri(URI uri) implements SourceSink {
        public ToUri {
            Objects.requireNonNull(uri, "uri");
        }

        @Override
        public String toString() {
            return uri.toString();
        }
    }
}
