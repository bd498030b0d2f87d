package dev.switchboard.source.mns;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MNS request signing (V2): {@code Authorization: MNS <AccessKeyId>:<Signature>}, the signature being
 * {@code base64(HMAC-SHA1(secret, VERB \n Content-MD5 \n Content-Type \n Date \n
 * CanonicalizedMNSHeaders CanonicalizedResource))}, where the MNS headers are the lower-cased {@code
 * x-mns-*} headers sorted, each {@code name:value\n}, and the resource is the path and query as sent.
 */
public final class MnsSignature {
    private MnsSignature() {}

    public static String sign(
            String secret,
            String verb,
            String contentMd5,
            String contentType,
            String date,
            Map<String, String> headers,
            String resource) {
        StringBuilder canonical = new StringBuilder()
                .append(verb)
                .append('\n')
                .append(contentMd5 == null ? "" : contentMd5)
                .append('\n')
                .append(contentType == null ? "" : contentType)
                .append('\n')
                .append(date)
                .append('\n');
        Map<String, String> mns = new TreeMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-mns-")) {
                mns.put(lower, value.strip());
            }
        });
        mns.forEach((name, value) ->
                canonical.append(name).append(':').append(value).append('\n'));
        canonical.append(resource);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder()
                    .encodeToString(mac.doFinal(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is always available", e);
        }
    }

    public static String authorization(String accessKeyId, String signature) {
        return "MNS " + accessKeyId + ":" + signature;
    }
}
