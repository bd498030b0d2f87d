package dev.switchboard.source.mns;

import java.util.Objects;

/**
 * A message received from an MNS queue.
 *
 * @param messageId {@code MessageId}
 * @param receiptHandle {@code ReceiptHandle}: deletes this receipt of the message
 * @param body {@code MessageBody} as text
 * @param enqueueTime {@code EnqueueTime}, epoch ms
 * @param dequeueCount {@code DequeueCount}
 * @param priority {@code Priority}
 */
public record MnsMessage(
        String messageId, String receiptHandle, String body, long enqueueTime, int dequeueCount, int priority) {
    public MnsMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(receiptHandle, "receiptHandle");
        Objects.requireNonNull(body, "body");
    }
}
