package dev.switchboard.delivery.http;

import java.util.Objects;

/**
 * How a sink talks to its subscriber.
 *
 * @param structured structured-mode JSON (Knative's delivery {@code format: json}) instead of binary
 * @param protocol HTTP/1.1 with keep-alive, or HTTP/2 over cleartext with prior knowledge
 */
public record HttpSinkOptions(boolean structured, HttpProtocol protocol) {
    /** The wire protocol. */
    public enum HttpProtocol {
        HTTP_1_1,
        H2C
    }

    public HttpSinkOptions {
        Objects.requireNonNull(protocol, "protocol");
    }

    // Shared: a server may hold one sink per trigger, ten thousand of them.
    private static final HttpSinkOptions BINARY = new HttpSinkOptions(false, HttpProtocol.HTTP_1_1);
    private static final HttpSinkOptions STRUCTURED_JSON = new HttpSinkOptions(true, HttpProtocol.HTTP_1_1);

    public static HttpSinkOptions binary() {
        return BINARY;
    }

    public static HttpSinkOptions structuredJson() {
        return STRUCTURED_JSON;
    }

    public HttpSinkOptions withProtocol(HttpProtocol value) {
        return new HttpSinkOptions(structured, value);
    }
}
