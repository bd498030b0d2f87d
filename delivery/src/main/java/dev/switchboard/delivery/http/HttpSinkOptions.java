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

    public static HttpSinkOptions binary() {
        return new HttpSinkOptions(false, HttpProtocol.HTTP_1_1);
    }

    public static HttpSinkOptions structuredJson() {
        return new HttpSinkOptions(true, HttpProtocol.HTTP_1_1);
    }

    public HttpSinkOptions withProtocol(HttpProtocol value) {
        return new HttpSinkOptions(structured, value);
    }
}
