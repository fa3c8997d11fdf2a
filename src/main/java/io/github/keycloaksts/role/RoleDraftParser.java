package io.github.keycloaksts.role;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloaksts.policy.Finding;
import io.github.keycloaksts.policy.PolicyCompilation;
import io.github.keycloaksts.policy.PolicyCompiler;
import io.github.keycloaksts.policy.PolicyEnvironment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the JSON representation of a role into a {@link RoleDraft}, checking every field and reporting every
 * problem at once with the field's path. Unknown fields are errors (a typo such as {@code maxSesionDuration} must
 * not silently fall back to a default); the read-only fields that {@code GET} returns are accepted and ignored so
 * that a representation can be fetched, edited and sent back as it is.
 */
public final class RoleDraftParser {

    private static final Set<String> FIELDS = Set.of(
            "name", "path", "description", "maxSessionDuration", "maxChainedSessionDuration", "tags", "trustPolicy", "permissions",
            "audiences", "scopes");
    private static final Set<String> READ_ONLY_FIELDS = Set.of("krn", "principalIds", "principalDigests", "createdAt", "updatedAt", "lastUsed", "sessionsRevokedAt", "findings");
    private static final Set<String> PERMISSION_FIELDS = Set.of("realmRoles", "clientRoles");

    private RoleDraftParser() {
    }

    /**
     * @param document    the parsed request body; may be any JSON value
     * @param environment the realm the role belongs to, for the trust policy's checks
     * @return the checked draft, never null
     * @throws InvalidRoleException listing every field that breaks a rule, and the trust policy's findings
     */
    public static RoleDraft parse(JsonNode document, PolicyEnvironment environment) {
        List<FieldError> errors = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        if (document == null || !document.isObject()) {
            throw new InvalidRoleException(new FieldError("", "the role must be a JSON object"));
        }
        for (Iterator<String> it = document.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field) && !READ_ONLY_FIELDS.contains(field)) {
                errors.add(new FieldError(field, "unknown field; allowed fields are " + new TreeSet<>(FIELDS)));
            }
        }
        String name = name(document.get("name"), errors);
        String path = path(document.get("path"), errors);
        String description = description(document.get("description"), errors);
        int maxSessionDuration = maxSessionDuration(document.get("maxSessionDuration"), errors);
        Integer maxChainedSessionDuration = maxChainedSessionDuration(document.get("maxChainedSessionDuration"),
                maxSessionDuration, errors);
        SortedMap<String, String> tags = tags(document.get("tags"), "tags", errors);
        String trustPolicy = trustPolicy(document.get("trustPolicy"), environment, errors, findings);
        PermissionNames permissions = permissions(document.get("permissions"), "permissions", errors);
        SortedSet<String> audiences = names(document.get("audiences"), "audiences", "client id", errors);
        SortedSet<String> scopes = names(document.get("scopes"), "scopes", "client scope name", errors);
        for (String scope : scopes) {
            if (!RoleLimits.SCOPE_TOKEN.matcher(scope).matches()) {
                errors.add(new FieldError("scopes", "'" + scope + "' is not a scope name (RFC 6749 section 3.3: printable"
                        + " ASCII without spaces, quotes or backslashes)"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRoleException(errors, findings);
        }
        return new RoleDraft(name, path, description, maxSessionDuration, maxChainedSessionDuration, tags, trustPolicy,
                permissions, audiences, scopes);
    }

    /** A set of at most {@link RoleLimits#AUDIENCES_MAX} distinct non-blank names; absent is none. */
    private static SortedSet<String> names(JsonNode node, String field, String what, List<FieldError> errors) {
        SortedSet<String> names = new TreeSet<>();
        if (node == null || node.isNull()) {
            return names;
        }
        if (!node.isArray()) {
            errors.add(new FieldError(field, "must be an array of " + what + "s"));
            return names;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            if (!element.isTextual() || element.textValue().isBlank() || element.textValue().length() > 255) {
                errors.add(new FieldError(field + "[" + i + "]", "must be a " + what + " (1-255 characters)"));
            } else if (!names.add(element.textValue())) {
                errors.add(new FieldError(field + "[" + i + "]", "repeats '" + element.textValue() + "'"));
            }
        }
        if (names.size() > RoleLimits.AUDIENCES_MAX) {
            errors.add(new FieldError(field, "must name at most " + RoleLimits.AUDIENCES_MAX));
        }
        return names;
    }

    private static String name(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("name", "is required"));
            return null;
        }
        if (!node.isTextual() || !RoleLimits.NAME.matcher(node.textValue()).matches()) {
            errors.add(new FieldError("name", "must be 1-64 characters of letters, digits and + = , . @ _ -"));
            return null;
        }
        return node.textValue();
    }

    private static String path(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return "/";
        }
        if (!node.isTextual() || node.textValue().length() > RoleLimits.PATH_MAX
                || !RoleLimits.PATH.matcher(node.textValue()).matches()) {
            errors.add(new FieldError("path", "must be '/' or '/segment/.../' (1-" + RoleLimits.PATH_MAX
                    + " printable ASCII characters without spaces, starting and ending with '/')"));
            return null;
        }
        return node.textValue();
    }

    private static String description(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("description", "must be a string"));
            return null;
        }
        String text = node.textValue();
        if (text.codePointCount(0, text.length()) > RoleLimits.DESCRIPTION_MAX) {
            errors.add(new FieldError("description", "must be at most " + RoleLimits.DESCRIPTION_MAX + " characters"));
            return null;
        }
        if (text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')) {
            errors.add(new FieldError("description", "must not contain control characters"));
            return null;
        }
        return text;
    }

    private static int maxSessionDuration(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return RoleLimits.DEFAULT_SESSION_DURATION;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()
                || node.intValue() < RoleLimits.MIN_SESSION_DURATION
                || node.intValue() > RoleLimits.MAX_SESSION_DURATION) {
            errors.add(new FieldError("maxSessionDuration", "must be a whole number of seconds from "
                    + RoleLimits.MIN_SESSION_DURATION + " to " + RoleLimits.MAX_SESSION_DURATION));
            return 0;
        }
        return node.intValue();
    }

    /** Optional; when set, from the minimum session duration up to the role's own maximum. */
    private static Integer maxChainedSessionDuration(JsonNode node, int maxSessionDuration, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        int upper = maxSessionDuration > 0 ? maxSessionDuration : RoleLimits.MAX_SESSION_DURATION;
        if (!node.isIntegralNumber() || !node.canConvertToInt()
                || node.intValue() < RoleLimits.MIN_SESSION_DURATION || node.intValue() > upper) {
            errors.add(new FieldError("maxChainedSessionDuration", "must be a whole number of seconds from "
                    + RoleLimits.MIN_SESSION_DURATION + " to the role's maxSessionDuration (" + upper + "), or absent for 3600"));
            return null;
        }
        return node.intValue();
    }

    /**
     * Tags in AWS's rules (at most 50; key 1-128, value 0-256 characters of letters, digits, spaces and
     * {@code _ . : / = + - @}; keys unique ignoring case), for role tags and session tags alike.
     *
     * @param name the field's name in error messages ({@code tags}, {@code session_tags})
     */
    public static SortedMap<String, String> tags(JsonNode node, String name, List<FieldError> errors) {
        SortedMap<String, String> tags = new TreeMap<>();
        if (node == null || node.isNull()) {
            return tags;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(name, "must be a JSON object of tag keys to string values"));
            return tags;
        }
        if (node.size() > RoleLimits.TAGS_MAX) {
            errors.add(new FieldError(name, "must have at most " + RoleLimits.TAGS_MAX + " tags"));
            return tags;
        }
        // AWS IAM treats tag keys that differ only in case as the same key.
        Set<String> seenKeys = new HashSet<>();
        for (Map.Entry<String, JsonNode> tag : node.properties()) {
            String key = tag.getKey();
            String field = name + "." + key;
            if (key.isEmpty() || key.length() > RoleLimits.TAG_KEY_MAX || !RoleLimits.TAG_KEY.matcher(key).matches()) {
                errors.add(new FieldError(field, "tag keys must be 1-" + RoleLimits.TAG_KEY_MAX
                        + " characters of letters, digits, spaces and _ . : / = + - @"));
                continue;
            }
            if (!seenKeys.add(key.toLowerCase(Locale.ROOT))) {
                errors.add(new FieldError(field, "duplicates another tag key that differs only in case"));
                continue;
            }
            JsonNode value = tag.getValue();
            if (!value.isTextual() || value.textValue().length() > RoleLimits.TAG_VALUE_MAX
                    || !RoleLimits.TAG_VALUE.matcher(value.textValue()).matches()) {
                errors.add(new FieldError(field, "tag values must be strings of 0-" + RoleLimits.TAG_VALUE_MAX
                        + " characters of letters, digits, spaces and _ . : / = + - @"));
                continue;
            }
            tags.put(key, value.textValue());
        }
        return tags;
    }

    private static String trustPolicy(JsonNode node, PolicyEnvironment environment, List<FieldError> errors,
                                      List<Finding> findings) {
        // AWS CreateRole requires AssumeRolePolicyDocument; a role nobody may assume is still explicit about it.
        if (node == null || node.isNull()) {
            errors.add(new FieldError("trustPolicy", "is required (a JSON object)"));
            return null;
        }
        if (!(node instanceof ObjectNode)) {
            errors.add(new FieldError("trustPolicy", "must be a JSON object"));
            return null;
        }
        String compact = node.toString();
        if (compact.getBytes(StandardCharsets.UTF_8).length > RoleLimits.TRUST_POLICY_MAX_BYTES) {
            errors.add(new FieldError("trustPolicy", "must be at most " + RoleLimits.TRUST_POLICY_MAX_BYTES
                    + " bytes of compact JSON"));
            return null;
        }
        PolicyCompilation compilation = PolicyCompiler.compile(node, environment);
        if (!compilation.valid()) {
            findings.addAll(compilation.findings());
            compilation.errors().forEach(error -> errors.add(new FieldError("trustPolicy",
                    (error.path().isEmpty() ? "" : error.path() + ": ") + error.message())));
            return null;
        }
        return compact;
    }

    /**
     * Permissions by name: {@code {"realmRoles": [...], "clientRoles": {"<clientId>": [...]}}}, for a role's
     * grants and for session policies alike.
     *
     * @param name the field's name in error messages ({@code permissions}, {@code session_policy})
     */
    public static PermissionNames permissions(JsonNode node, String name, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return PermissionNames.NONE;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(name, "must be an object with 'realmRoles' and 'clientRoles'"));
            return PermissionNames.NONE;
        }
        int before = errors.size();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!PERMISSION_FIELDS.contains(field)) {
                errors.add(new FieldError(name + "." + field, "unknown field; allowed fields are "
                        + new TreeSet<>(PERMISSION_FIELDS)));
            }
        }
        SortedSet<String> realmRoles = roleNames(node.get("realmRoles"), name + ".realmRoles", errors);
        SortedMap<String, SortedSet<String>> clientRoles = new TreeMap<>();
        JsonNode clients = node.get("clientRoles");
        if (clients != null && !clients.isNull()) {
            if (!clients.isObject()) {
                errors.add(new FieldError(name + ".clientRoles", "must be an object of client ids to role names"));
            } else {
                for (Map.Entry<String, JsonNode> client : clients.properties()) {
                    String field = name + ".clientRoles." + client.getKey();
                    if (client.getKey().isBlank()) {
                        errors.add(new FieldError(field, "client ids must not be blank"));
                        continue;
                    }
                    clientRoles.put(client.getKey(), roleNames(client.getValue(), field, errors));
                }
            }
        }
        PermissionNames permissions = new PermissionNames(realmRoles, clientRoles);
        if (errors.size() == before && permissions.size() > RoleLimits.PERMISSIONS_MAX) {
            errors.add(new FieldError(name, "must name at most " + RoleLimits.PERMISSIONS_MAX + " roles"));
        }
        return permissions;
    }

    private static SortedSet<String> roleNames(JsonNode node, String field, List<FieldError> errors) {
        SortedSet<String> names = new TreeSet<>();
        if (node == null || node.isNull()) {
            return names;
        }
        if (!node.isArray()) {
            errors.add(new FieldError(field, "must be an array of role names"));
            return names;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            if (!element.isTextual() || element.textValue().isBlank()) {
                errors.add(new FieldError(field + "[" + i + "]", "must be a non-blank role name"));
                continue;
            }
            names.add(element.textValue());
        }
        return names;
    }
}
