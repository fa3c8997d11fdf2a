package io.github.keycloaksts.policy;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The condition keys a trust policy may test (see docs/policy-language.md). Key names are compared ignoring case,
 * as AWS compares condition keys. Keys ending in {@code /} take a name after the slash; a key {@code <alias>:<claim>}
 * is a claim of an external token from the identity provider {@code alias} of the realm. What names an attribute or
 * a claim keeps its exact case, so that two distinct attributes (or claims) never merge into one key.
 */
public final class ConditionKeys {

    /** What values a key carries; operators of another type can never match it. */
    public enum Type { STRING, NUMBER, DATE, BOOL, IP, KRN }

    /** @param multiValued whether a request may carry several values (then use ForAnyValue/ForAllValues) */
    public record Key(String name, Type type, boolean multiValued) {
    }

    private static final Map<String, Key> FIXED = Map.ofEntries(
            entry("sts:ExternalId", Type.STRING, false),
            entry("sts:RoleSessionName", Type.STRING, false),
            entry("sts:SourceIdentity", Type.STRING, false),
            entry("kc:Username", Type.STRING, false),
            entry("kc:UserId", Type.STRING, false),
            entry("kc:ClientId", Type.STRING, false),
            entry("kc:SubjectClientId", Type.STRING, false),
            entry("kc:Realm", Type.STRING, false),
            entry("kc:PrincipalKrn", Type.KRN, false),
            entry("kc:Groups", Type.STRING, true),
            entry("kc:RealmRoles", Type.STRING, true),
            entry("kc:TagKeys", Type.STRING, true),
            entry("kc:SourceIp", Type.IP, false),
            entry("kc:CurrentTime", Type.DATE, false),
            entry("kc:EpochTime", Type.NUMBER, false),
            entry("kc:MultiFactorAuthPresent", Type.BOOL, false),
            entry("kc:MultiFactorAuthAge", Type.NUMBER, false),
            entry("kc:Acr", Type.STRING, false),
            entry("kc:Amr", Type.STRING, true),
            entry("kc:AuthTime", Type.DATE, false),
            entry("kc:IdentityProvider", Type.STRING, false),
            entry("kc:FederationLink", Type.STRING, false));

    /** Prefixes that take a name: principal attributes are multi-valued in Keycloak, tags are single strings. */
    private static final Map<String, Key> PREFIXED = Map.of(
            "kc:principalattribute/", new Key("kc:PrincipalAttribute/", Type.STRING, true),
            "kc:requesttag/", new Key("kc:RequestTag/", Type.STRING, false),
            "kc:principaltag/", new Key("kc:PrincipalTag/", Type.STRING, false));

    /**
     * Prefixes whose name part is compared ignoring case: tag keys, as AWS treats session tag keys (two tags that
     * differ only in case are one tag, so the request must refuse such a pair; it cannot carry both). Attribute
     * names are not among them: Keycloak keeps {@code department} and {@code DEPartment} as two attributes.
     */
    private static final Set<String> CASE_INSENSITIVE_NAMES = Set.of("kc:requesttag/", "kc:principaltag/");

    private static final Set<String> RESERVED_NAMESPACES = Set.of("kc", "sts", "aws");

    private ConditionKeys() {
    }

    private static Map.Entry<String, Key> entry(String name, Type type, boolean multiValued) {
        return Map.entry(name.toLowerCase(Locale.ROOT), new Key(name, type, multiValued));
    }

    /**
     * @param identityProviders aliases of the realm's identity providers, or null when unknown (then any
     *                          {@code alias:claim} key is accepted)
     * @return the key, or empty with no reason when the name is unknown
     */
    public static Optional<Key> lookup(String name, Set<String> identityProviders) {
        String lower = name.toLowerCase(Locale.ROOT);
        Key fixed = FIXED.get(lower);
        if (fixed != null) {
            return Optional.of(fixed);
        }
        for (Map.Entry<String, Key> prefix : PREFIXED.entrySet()) {
            if (lower.startsWith(prefix.getKey()) && lower.length() > prefix.getKey().length()) {
                return Optional.of(prefix.getValue());
            }
        }
        int colon = name.indexOf(':');
        if (colon > 0 && colon < name.length() - 1) {
            String alias = name.substring(0, colon);
            if (!reservedNamespace(alias) && (identityProviders == null || identityProviders.contains(alias))) {
                return Optional.of(new Key(alias + ":", Type.STRING, true));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code alias} is one of our namespaces ({@code kc}, {@code sts}, {@code aws}, in any case). */
    public static boolean reservedNamespace(String alias) {
        return RESERVED_NAMESPACES.contains(alias.toLowerCase(Locale.ROOT));
    }

    /**
     * The form of a key in request contexts, so that two names of the same key meet and two different keys never
     * do: a fixed key and a tag key ({@code kc:RequestTag/<key>}, {@code kc:PrincipalTag/<key>}) in lower case, as
     * AWS compares condition keys and tag keys ignoring case; for {@code kc:PrincipalAttribute/<name>} the prefix
     * in lower case and the attribute name as it is; a claim key {@code <alias>:<claim>} (and any unknown name)
     * as it is, since identity providers' aliases and claim names are case-sensitive.
     */
    public static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (FIXED.containsKey(lower) || CASE_INSENSITIVE_NAMES.stream().anyMatch(lower::startsWith)) {
            return lower;
        }
        for (String prefix : PREFIXED.keySet()) {
            if (name.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return prefix + name.substring(prefix.length());
            }
        }
        return name;
    }
}
