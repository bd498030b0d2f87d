package dev.switchboard.source.mns;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local endpoint that follows the documented MNS queue API, since no MNS server can run here:
 * signed requests (a wrong signature gets 403 {@code SignatureDoesNotMatch}), XML bodies, receipt
 * handles that change with every receive, a visibility timeout, long polling, {@code MessageNotExist}
 * on an empty poll, and injectable throttling, 5xx and garbage answers.
 */
public final class FakeMns implements AutoCloseable {
    public static final String KEY_ID = "LTAI-test";
    public static final String SECRET = "test-secret";

    private static final class Stored {
        final String id = UUID.randomUUID().toString().replace("-", "").toUpperCase();
        final String body;
        final long enqueueTime = System.currentTimeMillis();
        long visibleAt;
        int dequeueCount;
        String handle;

        Stored(String body) {
            this.body = body;
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final List<Stored> queue = new ArrayList<>();
    private final long visibilityMillis;
    private final AtomicInteger faultsLeft = new AtomicInteger();
    private volatile int faultStatus;
    private volatile boolean garbage;
    final AtomicInteger rejectedSignatures = new AtomicInteger();

    public FakeMns(Vertx vertx, long visibilityMillis) throws Exception {
        this.vertx = vertx;
        this.visibilityMillis = visibilityMillis;
        this.server = vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    /** Sends a message as the SDK does: Base64 body. */
    public synchronized void send(String text) {
        queue.add(
                new Stored(Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    public synchronized int size() {
        return queue.size();
    }

    /** The next {@code count} requests fail with {@code status}. */
    void failNext(int count, int status) {
        faultStatus = status;
        faultsLeft.set(count);
    }

    /** The next receive answers 200 with a body that is not XML. */
    void garbageNext() {
        garbage = true;
    }

    private void handle(HttpServerRequest request) {
        String resource = request.uri();
        String expected = MnsSignature.sign(
                SECRET,
                request.method().name(),
                request.getHeader("Content-MD5"),
                request.getHeader("Content-Type"),
                request.getHeader("Date"),
                Map.of("x-mns-version", String.valueOf(request.getHeader("x-mns-version"))),
                decodedHandle(resource));
        if (!MnsSignature.authorization(KEY_ID, expected).equals(request.getHeader("Authorization"))) {
            rejectedSignatures.incrementAndGet();
            error(request, 403, "SignatureDoesNotMatch");
            return;
        }
        if (faultsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            error(request, faultStatus, faultStatus == 503 ? "ServiceUnavailable" : "Throttled");
            return;
        }
        if (request.method().name().equals("GET")) {
            if (garbage) {
                garbage = false;
                request.response().setStatusCode(200).end("<Messages><Message><MessageId>broken");
                return;
            }
            int count = Integer.parseInt(request.getParam("numOfMessages", "1"));
            long deadline = System.currentTimeMillis() + Integer.parseInt(request.getParam("waitseconds", "0")) * 1000L;
            receive(request, count, deadline);
        } else if (request.method().name().equals("DELETE")) {
            delete(request, request.getParam("ReceiptHandle"));
        } else {
            error(request, 405, "InvalidArgument");
        }
    }

    /** The resource as the client signed it: the SDK signs the receipt handle un-encoded. */
    private static String decodedHandle(String uri) {
        return java.net.URLDecoder.decode(uri, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void receive(HttpServerRequest request, int count, long deadline) {
        List<Stored> taken = take(count);
        if (taken.isEmpty() && System.currentTimeMillis() < deadline) {
            vertx.setTimer(50, id -> receive(request, count, deadline)); // long poll
            return;
        }
        if (taken.isEmpty()) {
            error(request, 404, "MessageNotExist");
            return;
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<Messages xmlns=\"http://mns.aliyuncs.com/doc/v1/\">");
        for (Stored m : taken) {
            xml.append("<Message><MessageId>")
                    .append(m.id)
                    .append("</MessageId><ReceiptHandle>")
                    .append(m.handle)
                    .append("</ReceiptHandle><MessageBodyMD5>00</MessageBodyMD5><MessageBody>")
                    .append(m.body)
                    .append("</MessageBody><EnqueueTime>")
                    .append(m.enqueueTime)
                    .append("</EnqueueTime><NextVisibleTime>")
                    .append(m.visibleAt)
                    .append("</NextVisibleTime><FirstDequeueTime>")
                    .append(m.enqueueTime)
                    .append("</FirstDequeueTime><DequeueCount>")
                    .append(m.dequeueCount)
                    .append("</DequeueCount><Priority>8</Priority></Message>");
        }
        request.response()
                .setStatusCode(200)
                .putHeader("Content-Type", "text/xml;charset=utf-8")
                .end(xml.append("</Messages>").toString());
    }

    private synchronized List<Stored> take(int count) {
        long now = System.currentTimeMillis();
        List<Stored> taken = new ArrayList<>();
        for (Stored m : queue) {
            if (taken.size() < count && m.visibleAt <= now) {
                m.visibleAt = now + visibilityMillis;
                m.dequeueCount++;
                m.handle = "handle-" + m.id + "-" + m.dequeueCount;
                taken.add(m);
            }
        }
        return taken;
    }

    private synchronized void delete(HttpServerRequest request, String handle) {
        boolean removed = queue.removeIf(m -> handle != null && handle.equals(m.handle));
        if (removed) {
            request.response().setStatusCode(204).end();
        } else {
            error(request, 404, "ReceiptHandleError");
        }
    }

    private static void error(HttpServerRequest request, int status, String code) {
        request.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/xml;charset=utf-8")
                .end("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error xmlns=\"http://mns.aliyuncs.com/doc/v1\"><Code>"
                        + code + "</Code><Message>" + code
                        + "</Message><RequestId>r</RequestId><HostId>h</HostId></Error>");
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
