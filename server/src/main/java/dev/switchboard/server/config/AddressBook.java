package dev.switchboard.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves Knative destinations ({@code uri}, or {@code ref} plus an optional relative {@code uri})
 * through the server's address table, since there is no cluster DNS.
 */
final class AddressBook {
    private final Map<String, URI> addresses;

    AddressBook(Map<String, URI> addresses) {
        this.addresses = addresses;
    }

    Optional<URI> destination(Fields destination, String defaultNamespace) {
        destination.rejectUnknown(Set.of("uri", "ref", "CACerts", "audience"));
        destination.ignore("CACerts", "TLS to subscribers is not configured here");
        destination.ignore("audience", "OIDC audiences are a Kubernetes feature");
        Optional<String> uriText = destination.string("uri");
        Optional<Fields> ref = destination.mapping("ref");
        if (ref.isEmpty()) {
            if (uriText.isEmpty()) {
                destination.error("uri", "a destination needs a uri or a ref");
                return Optional.empty();
            }
            return absolute(destination, uriText.get());
        }
        Fields r = ref.get();
        r.rejectUnknown(Set.of("apiVersion", "kind", "name", "namespace"));
        Optional<String> name = r.requiredString("name");
        String namespace = r.string("namespace").orElse(defaultNamespace);
        String kind = r.string("kind").orElse("Service");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        URI base = addresses.get(namespace + "/" + name.get());
        if (base == null) {
            r.error(
                    "name",
                    kind + " " + namespace + "/" + name.get()
                            + " cannot be resolved: add it to the addresses table in switchboard.yaml");
            return Optional.empty();
        }
        if (uriText.isEmpty()) {
            return Optional.of(base);
        }
        try {
            return Optional.of(base.resolve(new URI(null, null, uriText.get(), null)));
        } catch (URISyntaxException e) {
            destination.error("uri", "is not a valid relative URI: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<URI> absolute(Fields destination, String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                destination.error("uri", "must be an absolute http(s) URL, found \"" + text + "\"");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            destination.error("uri", "is not a valid URI: " + e.getMessage());
            return Optional.empty();
        }
    }
}
