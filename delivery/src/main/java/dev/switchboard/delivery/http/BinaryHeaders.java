package dev.switchboard.delivery.http;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.CloudEventUtils;
import io.cloudevents.core.message.MessageWriter;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.cloudevents.rw.CloudEventContextWriter;
import io.cloudevents.rw.CloudEventRWException;
import io.cloudevents.rw.CloudEventWriter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binary mode as the SDK's Vert.x writer sends it, except for the header names of extensions.
 *
 * <p>The SDK names the spec's attributes with Vert.x's optimized header names, whose case-insensitive
 * hash is computed once, but builds {@code "ce-" + name} as a new string for every extension of every
 * event. On its way out a request's headers are copied three times (the Web client's, the core
 * client's, Netty's), each copy hashing every name again, and a JFR profile of the server end to end
 * found a fifth of its Java samples hashing header names. Extensions' header names are kept here, built
 * once each, up to {@value #MAX_NAMES} of them (names come from events: the bound keeps a stream of
 * distinct ones from growing the map).
 */
final class BinaryHeaders implements CloudEventWriter<Future<HttpResponse<Buffer>>> {
    private static final int MAX_NAMES = 1024;
    private static final Map<String, CharSequence> EXTENSION_HEADERS = new ConcurrentHashMap<>();

    private final CloudEventWriter<Future<HttpResponse<Buffer>>> sdk;
    private final MultiMap headers;

    private BinaryHeaders(CloudEventWriter<Future<HttpResponse<Buffer>>> sdk, MultiMap headers) {
        this.sdk = sdk;
        this.headers = headers;
    }

    /** Sends {@code event} in binary mode with {@code request}. */
    static Future<HttpResponse<Buffer>> write(HttpRequest<Buffer> request, CloudEvent event) {
        MessageWriter<CloudEventWriter<Future<HttpResponse<Buffer>>>, Future<HttpResponse<Buffer>>> writer =
                VertxMessageFactory.createWriter(request);
        return CloudEventUtils.toReader(event)
                .read(version -> new BinaryHeaders(writer.create(version), request.headers()));
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, String value) throws CloudEventRWException {
        if (SpecVersion.V1.getAllAttributes().contains(name)) {
            sdk.withContextAttribute(name, value);
        } else {
            headers.add(extensionHeader(name), value);
        }
        return this;
    }

    @Override
    public Future<HttpResponse<Buffer>> end(CloudEventData data) throws CloudEventRWException {
        return sdk.end(data);
    }

    @Override
    public Future<HttpResponse<Buffer>> end() throws CloudEventRWException {
        return sdk.end();
    }

    private static CharSequence extensionHeader(String name) {
        CharSequence header = EXTENSION_HEADERS.get(name);
        if (header == null) {
            header = HttpHeaders.createOptimized("ce-" + name);
            if (EXTENSION_HEADERS.size() < MAX_NAMES) {
                EXTENSION_HEADERS.putIfAbsent(name, header);
            }
        }
        return header;
    }
}
