package dev.switchboard.server.config;

/**
 * Qualified names ({@code namespace/name}), one instance per name. Thousands of triggers name the same
 * broker, and a trigger's key is kept by its subscription, its metrics, its parking lot and the
 * runtime: built afresh each time, the 10,000-trigger configuration held six copies of every key.
 */
final class Names {
    private Names() {}

    static String qualified(String namespace, String name) {
        return (namespace + "/" + name).intern();
    }
}
