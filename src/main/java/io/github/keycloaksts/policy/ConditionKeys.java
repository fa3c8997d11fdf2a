package io.github.keycloaksts.policy;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The condition keys a trust policy may test (see docs/policy-language.md). Names are compared ignoring case, as
 * AWS compares condition keys. Keys ending in {@code /} take a name after the slash; a key {@code <alias>:<claim>}
 * is a claim of an external token from the identity provider {@code alias} of the realm.
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
            if (!RESERVED_NAMESPACES.contains(alias.toLowerCase(Locale.ROOT))
                    && (identityProviders == null || identityProviders.contains(alias))) {
                return Optional.of(new Key(alias + ":", Type.STRING, true));
            }
        }
        return Optional.empty();
    }

    /** The form of a key in request contexts: lower case, as keys are compared ignoring case. */
    public static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
