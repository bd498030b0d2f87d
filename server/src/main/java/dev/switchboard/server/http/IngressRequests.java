package dev.switchboard.server.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The server's request handler: a {@code POST} to {@code /{namespace}/{broker}} goes straight to the
 * {@link IngressHandler}; every other request goes to the router.
 *
 * <p>Why not a route like the others: the router tries each route before it in turn, matching
 * regular expressions for the ones with path parameters, and builds a routing context and a body
 * handler per request. In a JFR profile of the ingress under load that was 18% of the event loop's
 * samples, as much as encoding the event. Only plain paths take this way ({@code /a/b}: two
 * non-empty segments, nothing to percent-decode); the rest keep the router's route, so both give the
 * same answers.
 */
public final class IngressRequests implements Handler<HttpServerRequest> {
    private final IngressHandler ingress;
    private final Handler<HttpServerRequest> router;
    private final long maxBodyBytes;

    public IngressRequests(IngressHandler ingress, Handler<HttpServerRequest> router, long maxBodyBytes) {
        this.ingress = ingress;
        this.router = router;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(HttpServerRequest request) {
        int split = request.method() == HttpMethod.POST ? brokerPathSplit(request.path()) : -1;
        if (split < 0) {
            router.handle(request);
            return;
        }
        String path = request.path();
        String namespace = path.substring(1, split);
        String broker = path.substring(split + 1);
        readBody(request, body -> {
            try {
                ingress.handle(request, body, namespace, broker);
            } catch (RuntimeException e) {
                Problem.send(request.response(), 500, "error", String.valueOf(e));
            }
        });
    }

    /**
     * Where the second slash of a plain {@code /namespace/broker} path is, or -1 for any other path
     * (more or fewer segments, an empty one, a trailing slash, or a {@code %} escape).
     */
    static int brokerPathSplit(String path) {
        if (path == null || path.length() < 4 || path.charAt(0) != '/' || path.indexOf('%') >= 0) {
            return -1;
        }
        int split = path.indexOf('/', 1);
        if (split <= 1 || split == path.length() - 1 || path.indexOf('/', split + 1) >= 0) {
            return -1;
        }
        return split;
    }

    /**
     * Reads the whole body, at most {@code maxBodyBytes} of it: a larger declared length is refused
     * before reading, a larger chunked body as soon as it passes the limit; the rest of it is
     * discarded as it arrives. The answer is the router's for the same case.
     */
    private void readBody(HttpServerRequest request, Handler<Buffer> then) {
        long declared = declaredLength(request);
        if (declared > maxBodyBytes) {
            tooLarge(request);
            request.handler(ignored -> {});
            return;
        }
        Buffer body = Buffer.buffer(declared > 0 ? (int) declared : 1024);
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > maxBodyBytes) {
                refused[0] = true;
                tooLarge(request);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(ignored -> {
            if (!refused[0]) {
                then.handle(body);
            }
        });
        request.exceptionHandler(ignored -> {}); // the connection went away: nobody to answer
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // Vert.x refuses such a request before it gets here
        }
    }

    private void tooLarge(HttpServerRequest request) {
        Problem.tooLarge(request.response(), maxBodyBytes);
    }
}
