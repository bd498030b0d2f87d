package dev.switchboard.source.mns;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads MNS's XML answers with StAX, by element name, ignoring namespaces (the documentation and the
 * SDK disagree on the namespace URI).
 */
final class MnsXml {
    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
    }

    private MnsXml() {}

    /** The messages of a {@code <Message>} or {@code <Messages>} answer. */
    static List<MnsMessage> messages(byte[] xml) {
        List<MnsMessage> messages = new ArrayList<>();
        Map<String, String> fields = null;
        String element = null;
        StringBuilder text = new StringBuilder();
        try {
            XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        String name = localName(reader.getLocalName());
                        if (name.equals("Message")) {
                            fields = new HashMap<>();
                        } else if (fields != null) {
                            element = name;
                            text.setLength(0);
                        }
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> text.append(reader.getText());
                    case XMLStreamConstants.END_ELEMENT -> {
                        String name = localName(reader.getLocalName());
                        if (name.equals("Message") && fields != null) {
                            messages.add(toMessage(fields));
                            fields = null;
                        } else if (fields != null && name.equals(element)) {
                            fields.put(element, text.toString());
                            element = null;
                        }
                    }
                    default -> {}
                }
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("unreadable MNS answer: " + e.getMessage(), e);
        }
        return messages;
    }

    /** The {@code Code} of an {@code <Error>} answer, or {@code null}. */
    static String errorCode(byte[] xml) {
        try {
            XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
            while (reader.hasNext()) {
                if (reader.next() == XMLStreamConstants.START_ELEMENT
                        && localName(reader.getLocalName()).equals("Code")) {
                    return reader.getElementText();
                }
            }
        } catch (XMLStreamException e) {
            return null;
        }
        return null;
    }

    private static String localName(String name) {
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(colon + 1);
    }

    private static MnsMessage toMessage(Map<String, String> fields) {
        String id = fields.get("MessageId");
        String handle = fields.get("ReceiptHandle");
        if (id == null || handle == null) {
            throw new IllegalArgumentException("an MNS message without MessageId or ReceiptHandle");
        }
        return new MnsMessage(
                id,
                handle,
                fields.getOrDefault("MessageBody", ""),
                number(fields.get("EnqueueTime")),
                (int) number(fields.get("DequeueCount")),
                (int) number(fields.get("Priority")));
    }

    private static long number(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number in an MNS message: " + text);
        }
    }
}
