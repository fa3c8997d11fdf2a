package io.github.keycloaksts.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.keycloaksts.json.StrictJson;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an identity provider asserted at one login, kept as user-session notes {@code kcsts.asserted.<claim>} (a
 * JSON array of strings each) and read back by the exchange. Bounded so a provider cannot bloat sessions: at most
 * {@value #MAX_CLAIMS} claims of at most {@value #MAX_VALUES} values of at most {@value #MAX_VALUE_CHARS}
 * characters; claim names of letters, digits and {@code _ . : / -} up to 128 characters (others are skipped).
 */
public final class AssertedClaims {

    static final int MAX_CLAIMS = 50;
    static final int MAX_VALUES = 100;
    static final int MAX_VALUE_CHARS = 1024;
    private static final String PREFIX = "kcsts.asserted.";
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[\\w.:/-]{1,128}");

    private final Set<String> wanted;
    private final Map<String, List<String>> claims = new LinkedHashMap<>();

    AssertedClaims(Set<String> wanted) {
        this.wanted = wanted;
    }

    /** The configured claim names; empty means every claim. */
    static Set<String> wanted(String config) {
        Set<String> names = new TreeSet<>();
        if (config != null) {
            for (String name : config.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.trim());
                }
            }
        }
        return names;
    }

    void addToken(JsonWebToken token) {
        token.getOtherClaims().forEach((name, value) -> add(name, values(StrictJson.mapper().valueToTree(value))));
        add("sub", token.getSubject() == null ? List.of() : List.of(token.getSubject()));
        add("iss", token.getIssuer() == null ? List.of() : List.of(token.getIssuer()));
    }

    void addJson(String name, JsonNode value) {
        add(name, values(value));
    }

    void addAttribute(String name, String friendlyName, List<Object> values) {
        List<String> texts = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                texts.add(String.valueOf(value));
            }
        }
        add(name, texts);
        if (friendlyName != null && !friendlyName.equals(name)) {
            add(friendlyName, texts);
        }
    }

    private void add(String name, List<String> values) {
        if (name == null || !NAME.matcher(name).matches() || values.isEmpty() || claims.containsKey(name)
                || claims.size() >= MAX_CLAIMS || (!wanted.isEmpty() && !wanted.contains(name))) {
            return;
        }
        claims.put(name, values.stream().filter(v -> v.length() <= MAX_VALUE_CHARS).limit(MAX_VALUES).toList());
    }

    private static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(item -> {
                if (item.isValueNode() && !item.isNull()) {
                    values.add(item.asText());
                }
            });
        } else if (node.isValueNode() && !node.isNull()) {
            values.add(node.asText());
        }
        return values;
    }

    String toJson() {
        return StrictJson.write(claims);
    }

    static AssertedClaims fromJson(String json) {
        AssertedClaims restored = new AssertedClaims(Set.of());
        try {
            StrictJson.mapper().readTree(json).fields().forEachRemaining(field -> restored.add(field.getKey(), values(field.getValue())));
        } catch (JsonProcessingException e) {
            // Only our own toJson wrote it; nothing to restore otherwise.
        }
        return restored;
    }

    void writeTo(AuthenticationSessionModel authSession) {
        claims.forEach((name, values) -> {
            ArrayNode array = StrictJson.mapper().createArrayNode();
            values.forEach(array::add);
            authSession.setUserSessionNote(PREFIX + name, array.toString());
        });
    }

    /** The claims kept in a user session: claim name to values. */
    public static Map<String, List<String>> of(UserSessionModel userSession) {
        return of(userSession.getNotes());
    }

    /**
     * The claims in notes meant for a user session: those of a user session, or, during a login, the notes its
     * authentication session holds for the user session it will create.
     */
    public static Map<String, List<String>> of(Map<String, String> userSessionNotes) {
        Map<String, List<String>> claims = new LinkedHashMap<>();
        userSessionNotes.forEach((note, value) -> {
            if (note.startsWith(PREFIX)) {
                parse(value).ifPresent(values -> claims.put(note.substring(PREFIX.length()), values));
            }
        });
        return claims;
    }

    private static Optional<List<String>> parse(String json) {
        try {
            JsonNode node = StrictJson.mapper().readTree(json);
            return node.isArray() ? Optional.of(values(node)) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

}
