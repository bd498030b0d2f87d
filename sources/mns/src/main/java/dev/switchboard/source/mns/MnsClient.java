package dev.switchboard.source.mns;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The three MNS queue calls a consumer needs, signed: batch receive with long polling, and delete by
 * receipt handle.
 */
public final class MnsClient {
    static final String VERSION = "2015-06-06";
    static final String CONTENT_TYPE = "text/xml;charset=UTF-8";

    private final WebClient client;
    private final URI endpoint;
    private final String accessKeyId;
    private final String accessKeySecret;

    public MnsClient(WebClient client, URI endpoint, String accessKeyId, String accessKeySecret) {
        this.client = client;
        this.endpoint = endpoint;
        this.accessKeyId = accessKeyId;
        this.accessKeySecret = accessKeySecret;
    }

    /**
     * {@code BatchReceiveMessage}: up to {@code count} (≤ 16) messages, waiting up to {@code
     * waitSeconds} (≤ 30) for one to arrive; an empty queue is an empty list.
     */
    public Future<List<MnsMessage>> receive(String queue, int count, int waitSeconds) {
        String resource = "/queues/" + queue + "/messages?numOfMessages=" + count + "&waitseconds=" + waitSeconds;
        return send(HttpMethod.GET, resource, (long) waitSeconds * 1000 + 10_000)
                .map(response -> {
                    if (response.statusCode() == 200) {
                        return MnsXml.messages(bytes(response));
                    }
                    String code = MnsXml.errorCode(bytes(response));
                    if (response.statusCode() == 404 && "MessageNotExist".equals(code)) {
                        return List.of();
                    }
                    throw new MnsException(
                            response.statusCode(),
                            code,
                            "receive from " + queue + " failed: HTTP " + response.statusCode()
                                    + (code == null ? "" : " " + code));
                });
    }

    /** {@code DeleteMessage}: the message is gone for good once the broker has it. */
    public Future<Void> delete(String queue, String receiptHandle) {
        // Sent as the SDK sends it: the handle is not encoded in the signed resource.
        String resource = "/queues/" + queue + "/messages?ReceiptHandle=" + receiptHandle;
        return send(HttpMethod.DELETE, resource, 10_000).map(response -> {
            if (response.statusCode() == 204 || response.statusCode() == 200) {
                return null;
            }
            String code = MnsXml.errorCode(bytes(response));
            throw new MnsException(
                    response.statusCode(),
                    code,
                    "delete from " + queue + " failed: HTTP " + response.statusCode()
                            + (code == null ? "" : " " + code));
        });
    }

    private Future<HttpResponse<Buffer>> send(HttpMethod method, String resource, long timeoutMillis) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String signature = MnsSignature.sign(
                accessKeySecret, method.name(), "", CONTENT_TYPE, date, Map.of("x-mns-version", VERSION), resource);
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : ("https".equals(endpoint.getScheme()) ? 443 : 80);
        HttpRequest<Buffer> request = client.request(method, port, endpoint.getHost(), encodeHandle(resource))
                .ssl("https".equals(endpoint.getScheme()))
                .timeout(timeoutMillis)
                .putHeader("Date", date)
                .putHeader("x-mns-version", VERSION)
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("Authorization", MnsSignature.authorization(accessKeyId, signature));
        return request.send();
    }

    /** Receipt handles are URL-safe in practice; encode anything that is not, on the wire only. */
    private static String encodeHandle(String resource) {
        int at = resource.indexOf("ReceiptHandle=");
        if (at < 0) {
            return resource;
        }
        String prefix = resource.substring(0, at + "ReceiptHandle=".length());
        String handle = resource.substring(prefix.length());
        return handle.matches("[A-Za-z0-9\\-_.~]*")
                ? resource
                : prefix + URLEncoder.encode(handle, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(HttpResponse<Buffer> response) {
        return response.body() == null ? new byte[0] : response.body().getBytes();
    }
}
