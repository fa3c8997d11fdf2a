package io.github.keycloaksts.policy;

/**
 * One result of validating a policy: an {@code error} makes the policy unusable, a {@code warning} flags a legal
 * but dangerous or pointless construct.
 *
 * @param path JSON Pointer (RFC 6901) into the policy document, e.g. {@code /Statement/0/Condition/StringEquals/sts:ExternalId}
 */
public record Finding(Severity severity, String path, String message) {

    public enum Severity {
        ERROR, WARNING;

        @com.fasterxml.jackson.annotation.JsonValue
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static Finding error(String path, String message) {
        return new Finding(Severity.ERROR, path, message);
    }

    static Finding warning(String path, String message) {
        return new Finding(Severity.WARNING, path, message);
    }

    @Override
    public String toString() {
        return severity.json() + " at " + (path.isEmpty() ? "/" : path) + ": " + message;
    }
}
