package io.github.keycloaksts.policy;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Keycloak resource name, shaped like an AWS ARN: six colon-separated parts
 * {@code krn:keycloak:<service>::<realm>:<resource>}. Principals use the {@code iam} service
 * ({@code root}, {@code user/<username>}, {@code group/<path>}, {@code client/<clientId>}, {@code role<path><name>},
 * {@code identity-provider/<alias>}, {@code user-federation/<name>}); role sessions the {@code sts} service
 * ({@code assumed-role/<role>/<session>}).
 *
 * @param service  {@code iam} or {@code sts}
 * @param realm    the realm name, never empty
 * @param resource everything after the fifth colon
 */
public record Krn(String service, String realm, String resource) {

    /** Realm names: Keycloak allows most characters but not '/', ':' or whitespace in a realm that we can name. */
    private static final Pattern REALM = Pattern.compile("[^:/\\s]+");

    public enum Kind {
        ROOT, USER, GROUP, CLIENT, ROLE, IDENTITY_PROVIDER, USER_FEDERATION, ASSUMED_ROLE
    }

    /** Parses a KRN, or returns empty when the text is not a well-formed principal KRN. */
    public static Optional<Krn> parse(String text) {
        if (text == null || !text.startsWith("krn:keycloak:")) {
            return Optional.empty();
        }
        String[] parts = text.split(":", 6);
        if (parts.length != 6 || !parts[3].isEmpty() || !REALM.matcher(parts[4]).matches() || parts[5].isEmpty()) {
            return Optional.empty();
        }
        Krn krn = new Krn(parts[2], parts[4], parts[5]);
        return krn.kind().isPresent() ? Optional.of(krn) : Optional.empty();
    }

    public static Krn root(String realm) {
        return new Krn("iam", realm, "root");
    }

    public static Krn user(String realm, String username) {
        return new Krn("iam", realm, "user/" + username);
    }

    /** @param groupPath Keycloak group path, starting with '/' */
    public static Krn group(String realm, String groupPath) {
        return new Krn("iam", realm, "group" + groupPath);
    }

    public static Krn client(String realm, String clientId) {
        return new Krn("iam", realm, "client/" + clientId);
    }

    public static Krn identityProvider(String realm, String alias) {
        return new Krn("iam", realm, "identity-provider/" + alias);
    }

    public static Krn userFederation(String realm, String providerName) {
        return new Krn("iam", realm, "user-federation/" + providerName);
    }

    public Optional<Kind> kind() {
        if (service.equals("sts")) {
            return resource.matches("assumed-role/[^/]+/[^/]+") ? Optional.of(Kind.ASSUMED_ROLE) : Optional.empty();
        }
        if (!service.equals("iam")) {
            return Optional.empty();
        }
        if (resource.equals("root")) {
            return Optional.of(Kind.ROOT);
        }
        if (resource.startsWith("user/") && resource.length() > 5) {
            return Optional.of(Kind.USER);
        }
        if (resource.startsWith("group/") && resource.length() > 6 && !resource.endsWith("/")) {
            return Optional.of(Kind.GROUP);
        }
        if (resource.startsWith("client/") && resource.length() > 7) {
            return Optional.of(Kind.CLIENT);
        }
        if (resource.startsWith("identity-provider/") && resource.length() > 18) {
            return Optional.of(Kind.IDENTITY_PROVIDER);
        }
        if (resource.startsWith("user-federation/") && resource.length() > 16) {
            return Optional.of(Kind.USER_FEDERATION);
        }
        if (resource.startsWith("role/") && resource.length() > 5 && !resource.endsWith("/")) {
            return Optional.of(Kind.ROLE);
        }
        return Optional.empty();
    }

    /** For a role KRN ({@code role/<path><name>}): the role's name. */
    public String roleName() {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    /** For a role KRN ({@code role/<path><name>}): the role's path, {@code /} or {@code /seg/.../}. */
    public String rolePath() {
        return resource.substring("role".length(), resource.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return "krn:keycloak:" + service + "::" + realm + ":" + resource;
    }
}
