package dev.switchboard.delivery;

import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The answer to one delivery attempt. */
public sealed interface AttemptResult permits AttemptResult.Accepted, AttemptResult.Refused, AttemptResult.Failed {

    /** The subscriber took the event, and may have answered with a reply event. */
    record Accepted(Optional<CloudEvent> reply) implements AttemptResult {
        public Accepted {
            Objects.requireNonNull(reply, "reply");
        }

        public static Accepted withoutReply() {
            return new Accepted(Optional.empty());
        }
    }

    /** The subscriber answered with a non-2xx status. */
    record Refused(int status, byte[] body, Optional<Duration> retryAfter) implements AttemptResult {
        public Refused {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /** No answer: connection refused or reset, timeout, or an in-process handler that threw. */
    record Failed(Throwable cause) implements AttemptResult {
        public Failed {
            Objects.requireNonNull(cause, "cause");
        }
    }
}
