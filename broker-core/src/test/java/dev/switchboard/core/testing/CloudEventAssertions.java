package dev.switchboard.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;

/** Comparisons of events that went through an encoding. */
public final class CloudEventAssertions {
    private CloudEventAssertions() {}

    /**
     * Same attributes, extensions and data bytes: an event read back from JSON holds its data as a
     * JSON node, so {@code equals} would tell it from the event it was written from.
     */
    public static void assertSameEvent(CloudEvent actual, CloudEvent expected) {
        assertThat(actual.getAttributeNames()).containsExactlyInAnyOrderElementsOf(expected.getAttributeNames());
        expected.getAttributeNames()
                .forEach(name -> assertThat(actual.getAttribute(name)).as(name).isEqualTo(expected.getAttribute(name)));
        assertThat(actual.getExtensionNames()).containsExactlyInAnyOrderElementsOf(expected.getExtensionNames());
        expected.getExtensionNames()
                .forEach(name -> assertThat(actual.getExtension(name)).as(name).isEqualTo(expected.getExtension(name)));
        assertThat(actual.getData().toBytes()).isEqualTo(expected.getData().toBytes());
    }
}
