package dev.switchboard.delivery.http;

import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.message.MessageWriter;
import io.cloudevents.http.vertx.impl.CloudEventsHeaders;
import io.cloudevents.rw.CloudEventRWException;
import io.cloudevents.rw.CloudEventWriter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SDK's HTTP binding for a Vert.x core {@link HttpClientRequest}: the SDK ships one for the Web
 * client's request only, and this one writes the same headers. The SDK's reader drives it ({@link
 * #writeBinary}, {@link #writeStructured}); attribute values come formatted from the SDK, header
 * names from the SDK's own table.
 *
 * <p>Why the core client (benchmarks/RESULTS.md): on its way out a Web client request's headers are
 * copied twice more (into the request options, then into the core request), each copy validating and
 * hashing every name again, behind a pipeline of interceptors and futures; a profile of the server end
 * to end found 8% of its CPU there.
 *
 * <p>The SDK names the spec's attributes with Vert.x's optimized header names, whose case-insensitive
 * hash is computed once, but builds {@code "ce-" + name} for every extension of every event.
 * Extensions' header names are kept here, built once each, up to {@value #MAX_NAMES} of them (names
 * come from events: the bound keeps a stream of distinct ones from growing the map).
 */
final class ClientRequestWriter
        implements MessageWriter<CloudEventWriter<Future<HttpClientResponse>>, Future<HttpClientResponse>>,
                CloudEventWriter<Future<HttpClientResponse>> {
    private static final int MAX_NAMES = 1024;
    private static final Map<String, CharSequence> EXTENSION_HEADERS = new ConcurrentHashMap<>();

    private final HttpClientRequest request;
    private final MultiMap headers;

    ClientRequestWriter(HttpClientRequest request) {
        this.request = request;
        this.headers = request.headers();
    }

    @Override
    public CloudEventWriter<Future<HttpClientResponse>> create(SpecVersion version) {
        headers.add(CloudEventsHeaders.SPEC_VERSION, version.toString());
        return this;
    }

    @Override
    public ClientRequestWriter withContextAttribute(String name, String value) throws CloudEventRWException {
        CharSequence header = CloudEventsHeaders.ATTRIBUTES_TO_HEADERS.get(name);
        headers.add(header != null ? header : extensionHeader(name), value);
        return this;
    }

    @Override
    public Future<HttpClientResponse> end(CloudEventData data) throws CloudEventRWException {
        return request.send(Buffer.buffer(data.toBytes()));
    }

    @Override
    public Future<HttpClientResponse> end() {
        return request.send();
    }

    @Override
    public Future<HttpClientResponse> setEvent(EventFormat format, byte[] value) throws CloudEventRWException {
        headers.add(HttpHeaders.CONTENT_TYPE, format.serializedContentType());
        return request.send(Buffer.buffer(value));
    }

    private static CharSequence extensionHeader(String name) {
        CharSequence header = EXTENSION_HEADERS.get(name);
        if (header == null) {
            header = HttpHeaders.createOptimized(CloudEventsHeaders.CE_PREFIX + name);
            if (EXTENSION_HEADERS.size() < MAX_NAMES) {
                EXTENSION_HEADERS.putIfAbsent(name, header);
            }
        }
        return header;
    }
}
