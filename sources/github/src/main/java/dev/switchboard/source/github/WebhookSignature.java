package dev.switchboard.source.github;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's webhook signatures: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>},
 * and the legacy {@code X-Hub-Signature: sha1=<hex HMAC-SHA1>}, which is accepted only when no SHA-256
 * header is sent. Compared in constant time.
 */
public final class WebhookSignature {
    private WebhookSignature() {}

    /**
     * Whether the request is signed with {@code secret}.
     *
     * @param sha256 the {@code X-Hub-Signature-256} header, or {@code null}
     * @param sha1 the {@code X-Hub-Signature} header, or {@code null}
     */
    public static boolean verify(byte[] body, String secret, String sha256, String sha1) {
        if (sha256 != null) {
            return matches(body, secret, sha256, "sha256=", "HmacSHA256");
        }
        if (sha1 != null) {
            return matches(body, secret, sha1, "sha1=", "HmacSHA1");
        }
        return false;
    }

    private static boolean matches(byte[] body, String secret, String header, String prefix, String algorithm) {
        if (!header.startsWith(prefix)) {
            return false;
        }
        byte[] expected =
                HexFormat.of().formatHex(hmac(algorithm, secret, body)).getBytes(StandardCharsets.US_ASCII);
        byte[] given = header.substring(prefix.length())
                .toLowerCase(java.util.Locale.ROOT)
                .getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    static byte[] hmac(String algorithm, String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(algorithm + " is always available", e);
        }
    }
}
