package dev.switchboard.source.mns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MnsSignatureTest {
    @Test
    void shouldSignTheCanonicalStringAsMnsDocumentsIt() {
        // Expected value computed independently (Python hmac/hashlib) over:
        // GET\n\ntext/xml;charset=UTF-8\nMon, 23 Nov 2026 15:00:00 GMT\nx-mns-version:2015-06-06\n<resource>
        String signature = MnsSignature.sign(
                "test-secret",
                "GET",
                "",
                "text/xml;charset=UTF-8",
                "Mon, 23 Nov 2026 15:00:00 GMT",
                Map.of("X-MNS-Version", " 2015-06-06", "Host", "ignored"),
                "/queues/orders/messages?numOfMessages=16&waitseconds=30");

        assertThat(signature).isEqualTo("sG31cprYAM5+guiXuU6jMSROdeo=");
        assertThat(MnsSignature.authorization("LTAI-test", signature))
                .isEqualTo("MNS LTAI-test:sG31cprYAM5+guiXuU6jMSROdeo=");
    }

    @Test
    void shouldReadMessagesByElementNameWhateverTheNamespace() {
        String xml = "<?xml version=\"1.0\"?><Messages xmlns=\"http://mns.aliyuncs.com/doc/v1\"><Message>"
                + "<MessageId>M1</MessageId><ReceiptHandle>H1</ReceiptHandle><MessageBody>aGk=</MessageBody>"
                + "<EnqueueTime>1700000000000</EnqueueTime><DequeueCount>3</DequeueCount><Priority>8</Priority>"
                + "</Message></Messages>";

        assertThat(MnsXml.messages(xml.getBytes(StandardCharsets.UTF_8)))
                .containsExactly(new MnsMessage("M1", "H1", "aGk=", 1_700_000_000_000L, 3, 8));
        assertThat(MnsXml.errorCode("<Error><Code>MessageNotExist</Code></Error>".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("MessageNotExist");
    }
}
