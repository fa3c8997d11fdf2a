package io.github.keycloaksts.facts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.keycloaksts.json.StrictJson;
import org.keycloak.events.Details;
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
 * <p>
 * Nothing beyond a limit is left out quietly: a kept list that lacks values would make {@code ForAllValues}
 * conditions true and {@code ForAnyValue} denials miss. Every claim cut or left out for a limit is named in the
 * claim {@value #OVER_LIMIT} (so trust policies see it as {@code <alias>:kcsts:over-limit} and can refuse such a
 * login, e.g. {@code "Null": {"corp:kcsts:over-limit": "true"}}), and the mapper logs a warning. Claims of the
 * {@code kcsts:} namespace are ours: a provider asserting one is recorded there too, never taken.
 */
public final class AssertedClaims {

    public static final int MAX_CLAIMS = 50;
    public static final int MAX_VALUES = 100;
    public static final int MAX_VALUE_CHARS = 1024;
    /** The claim that names what was cut or left out for a limit (or asserted in our namespace). */
    public static final String OVER_LIMIT = "kcsts:over-limit";
    private static final String RESERVED = "kcsts:";
    /** The claim-count limit, as it appears in {@value #OVER_LIMIT} when more claims were asserted than kept. */
    public static final String TOO_MANY_CLAIMS = "*";
    private static final String PREFIX = "kcsts.asserted.";
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[\\w.:/-]{1,128}");

    private final Set<String> wanted;
    private final Map<String, List<String>> claims = new LinkedHashMap<>();
    private final Set<String> overLimit = new TreeSet<>();

    public AssertedClaims(Set<String> wanted) {
        this.wanted = wanted;
    }

    /** The configured claim names; empty means every claim. */
    public static Set<String> wanted(String config) {
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

    public void addToken(JsonWebToken token) {
        token.getOtherClaims().forEach((name, value) -> add(name, values(StrictJson.mapper().valueToTree(value))));
        add("sub", token.getSubject() == null ? List.of() : List.of(token.getSubject()));
        add("iss", token.getIssuer() == null ? List.of() : List.of(token.getIssuer()));
    }

    public void addJson(String name, JsonNode value) {
        add(name, values(value));
    }

    public void addAttribute(String name, String friendlyName, List<Object> values) {
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
                || (!wanted.isEmpty() && !wanted.contains(name))) {
            return;
        }
        if (name.regionMatches(true, 0, RESERVED, 0, RESERVED.length())) {
            overLimit.add(name);
            return;
        }
        if (claims.size() >= MAX_CLAIMS) {
            overLimit.add(TOO_MANY_CLAIMS);
            return;
        }
        List<String> kept = values.stream().filter(v -> v.length() <= MAX_VALUE_CHARS).limit(MAX_VALUES).toList();
        if (kept.size() < values.size()) {
            overLimit.add(name);
        }
        claims.put(name, kept);
    }

    /** What was cut or left out for a limit: claim names, and {@value #TOO_MANY_CLAIMS} for claims beyond the count. */
    public Set<String> overLimit() {
        return overLimit;
    }

    /** The claims as kept, with {@value #OVER_LIMIT} when anything was cut. */
    private Map<String, List<String>> recorded() {
        if (overLimit.isEmpty()) {
            return claims;
        }
        Map<String, List<String>> recorded = new LinkedHashMap<>(claims);
        recorded.put(OVER_LIMIT, List.copyOf(overLimit));
        return recorded;
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

    public String toJson() {
        return StrictJson.write(recorded());
    }

    /** Restores what {@link #toJson} wrote (our own, already bounded: taken as it is, the marker included). */
    public static AssertedClaims fromJson(String json) {
        AssertedClaims restored = new AssertedClaims(Set.of());
        try {
            StrictJson.mapper().readTree(json).fields().forEachRemaining(field -> {
                if (field.getKey().equals(OVER_LIMIT)) {
                    restored.overLimit.addAll(values(field.getValue()));
                } else {
                    restored.claims.put(field.getKey(), values(field.getValue()));
                }
            });
        } catch (JsonProcessingException e) {
            // Only our own toJson wrote it; nothing to restore otherwise.
        }
        return restored;
    }

    /** The user-session notes that keep these claims. */
    Map<String, String> notes() {
        Map<String, String> notes = new LinkedHashMap<>();
        recorded().forEach((name, values) -> {
            ArrayNode array = StrictJson.mapper().createArrayNode();
            values.forEach(array::add);
            notes.put(PREFIX + name, array.toString());
        });
        return notes;
    }

    public void writeTo(AuthenticationSessionModel authSession) {
        notes().forEach(authSession::setUserSessionNote);
    }

    /**
     * The identity provider a login came through: Keycloak's {@code identity_provider} user-session note, set at
     * brokered login. A user merely linked to a provider, who logged in otherwise, has none.
     */
    public static Optional<String> brokeredBy(Map<String, String> userSessionNotes) {
        String provider = userSessionNotes.get(Details.IDENTITY_PROVIDER);
        return provider == null || provider.isBlank() ? Optional.empty() : Optional.of(provider);
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
