package io.github.keycloaksts.facts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who began a role chain, carried in every role session of it (claim {@value #CLAIM}, written only by us and
 * signed with the realm's key): the origin, the immutable ids of its realm and of its user (for users and service
 * accounts, so that a session ends when its user is deleted or disabled), the identity provider it came through,
 * and how it authenticated. A chained request is judged with these facts, never as a bare principal of the realm.
 *
 * @param userId the user (or service-account user) behind the chain, null for external identities
 */
public record SessionOrigin(Origin origin, String realmId, String userId, Optional<String> identityProvider,
                            Authentication authentication) {

    public static final String CLAIM = "origin";

    public Map<String, Object> toClaim() {
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("kind", origin.json());
        claim.put("realm_id", realmId);
        if (userId != null) {
            claim.put("user_id", userId);
        }
        identityProvider.ifPresent(alias -> claim.put("identity_provider", alias));
        claim.put("authentication", authentication.toClaim());
        return claim;
    }

    /** Reads the claim of a verified role session; empty when it is missing or malformed (then the session is not live). */
    public static Optional<SessionOrigin> fromClaim(Object claim) {
        if (!(claim instanceof Map<?, ?> map) || !(map.get("realm_id") instanceof String realmId)) {
            return Optional.empty();
        }
        Optional<Origin> origin = Origin.fromJson(String.valueOf(map.get("kind")));
        Optional<Authentication> authentication = Authentication.fromClaim(map.get("authentication"));
        if (origin.isEmpty() || authentication.isEmpty()) {
            return Optional.empty();
        }
        String userId = map.get("user_id") instanceof String id ? id : null;
        if (userId == null && (origin.get() == Origin.USER || origin.get() == Origin.SERVICE_ACCOUNT
                || origin.get() == Origin.OTHER_REALM_USER || origin.get() == Origin.OTHER_REALM_SERVICE_ACCOUNT)) {
            return Optional.empty();
        }
        return Optional.of(new SessionOrigin(origin.get(), realmId, userId,
                Optional.ofNullable(map.get("identity_provider")).map(String::valueOf), authentication.get()));
    }
}
