package io.github.keycloaksts.sts;

import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.Urls;
import org.keycloak.util.TokenUtil;

import io.github.keycloaksts.compat.KeycloakInternals;
import io.github.keycloaksts.facts.SessionOrigin;
import io.github.keycloaksts.policy.Krn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Mints the access token of a role session. The token is built here rather than by Keycloak's protocol mappers,
 * because mappers would add the caller's own roles; it carries as permissions only the role's grants, and is
 * signed with the realm's active key for access tokens ({@code session.tokens().encode}). No user session is
 * created and nothing is written: there is no {@code sid} and no refresh token.
 */
final class RoleSessionTokens {

    static final String ASSUMED_ROLE = "assumed_role";
    /** The IAM role's immutable id: a role deleted and re-created under the same name never revives a session. */
    static final String ASSUMED_ROLE_ID = "assumed_role_id";
    static final String ROLE_SESSION_NAME = "role_session_name";
    static final String PRINCIPAL = "principal";
    static final String SESSION_TAGS = "session_tags";
    static final String TRANSITIVE_TAG_KEYS = "transitive_tag_keys";
    static final String SOURCE_IDENTITY = "source_identity";
    /** RFC 8693 §4.1: the chain of earlier sessions, most recent outermost, each named by its session KRN. */
    static final String ACT = "act";
    /** The chain's length including this session, and when its first session expires (epoch seconds). */
    static final String ROLE_CHAIN = "role_chain";

    private RoleSessionTokens() {
    }

    static AccessToken build(KeycloakSession session, RealmModel realm, ClientModel requester, RoleSession roleSession) {
        long now = Time.currentTime();
        AccessToken token = new AccessToken();
        token.id(tokenId(session));
        token.issuer(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        token.subject(roleSession.caller().subject(realm));
        token.type(TokenUtil.TOKEN_TYPE_BEARER);
        token.issuedFor(requester.getClientId());
        token.iat(now);
        token.exp(now + roleSession.durationSeconds());
        roleSession.audiences().forEach(token::addAudience);
        grant(token, realm, roleSession.grantedRoleIds());
        token.setOtherClaims(ASSUMED_ROLE, roleSession.roleKrn());
        token.setOtherClaims(ASSUMED_ROLE_ID, roleSession.role().id());
        token.setOtherClaims(ROLE_SESSION_NAME, roleSession.sessionName());
        token.setOtherClaims(PRINCIPAL, roleSession.caller().principal().toString());
        token.setOtherClaims(SessionOrigin.CLAIM, roleSession.caller().origin(realm).toClaim());
        if (!roleSession.sessionTags().isEmpty()) {
            token.setOtherClaims(SESSION_TAGS, roleSession.sessionTags());
        }
        if (!roleSession.transitiveTagKeys().isEmpty()) {
            token.setOtherClaims(TRANSITIVE_TAG_KEYS, List.copyOf(roleSession.transitiveTagKeys()));
        }
        roleSession.sourceIdentity().ifPresent(identity -> token.setOtherClaims(SOURCE_IDENTITY, identity));
        roleSession.caller().chain().ifPresent(chain -> {
            token.setOtherClaims(ACT, act(chain.links(), chain.links().size() - 1));
            Map<String, Object> roleChain = new LinkedHashMap<>();
            roleChain.put("depth", chain.depthOfNext());
            roleChain.put("origin_exp", chain.originExpiry());
            token.setOtherClaims(ROLE_CHAIN, roleChain);
        });
        return token;
    }

    /** Puts the Keycloak roles with these ids into {@code realm_access} and {@code resource_access}. */
    static void grant(AccessToken token, RealmModel realm, Iterable<String> grantedRoleIds) {
        for (String roleId : grantedRoleIds) {
            RoleModel granted = realm.getRoleById(roleId);
            if (granted == null) {
                continue;
            }
            if (granted.isClientRole()) {
                token.addAccess(((ClientModel) granted.getContainer()).getClientId()).addRole(granted.getName());
            } else {
                AccessToken.Access realmAccess = token.getRealmAccess() == null ? new AccessToken.Access() : token.getRealmAccess();
                realmAccess.addRole(granted.getName());
                token.setRealmAccess(realmAccess);
            }
        }
    }

    private static Map<String, Object> act(List<String> links, int index) {
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("sub", links.get(index));
        if (index > 0) {
            actor.put(ACT, act(links, index - 1));
        }
        return actor;
    }

    /** {@code krn:keycloak:sts::<realm>:assumed-role/<role name>/<session name>} (DESIGN.md). */
    static Krn sessionKrn(String realmName, String roleName, String sessionName) {
        return Krn.parse("krn:keycloak:sts::" + realmName + ":assumed-role/" + roleName + "/" + sessionName).orElseThrow();
    }

    /** The session KRNs named by a verified token's {@code act} claim, most recent first. */
    static List<String> actors(Map<String, Object> claims) {
        List<String> actors = new ArrayList<>();
        Object act = claims.get(ACT);
        while (act instanceof Map<?, ?> actor && actors.size() < 64) {
            actors.add(String.valueOf(actor.get("sub")));
            act = actor.get(ACT);
        }
        return actors;
    }

    static Optional<Long> chainOriginExpiry(Map<String, Object> claims) {
        return claims.get(ROLE_CHAIN) instanceof Map<?, ?> chain && chain.get("origin_exp") instanceof Number exp
                ? Optional.of(exp.longValue()) : Optional.empty();
    }

    static SortedMap<String, String> sessionTags(Map<String, Object> claims) {
        SortedMap<String, String> tags = new TreeMap<>();
        if (claims.get(SESSION_TAGS) instanceof Map<?, ?> map) {
            map.forEach((key, value) -> tags.put(String.valueOf(key), String.valueOf(value)));
        }
        return tags;
    }

    static List<String> transitiveTagKeys(Map<String, Object> claims) {
        return claims.get(TRANSITIVE_TAG_KEYS) instanceof List<?> keys ? keys.stream().map(String::valueOf).toList() : List.of();
    }

    /**
     * The {@code jti}, carrying Keycloak's token context: an online session type, which forbids a transient user
     * session. A plain id would read as "unknown" context, for which Keycloak builds a transient session for
     * {@code sub} and so accepts the token as the user's own (standard token exchange, account API, userinfo):
     * a role session could be traded back for the caller's full rights. With this context, and no {@code sid},
     * every Keycloak endpoint refuses it (user session not found); only our introspection answers for it.
     */
    static String tokenId(KeycloakSession session) {
        return KeycloakInternals.onlineTokenExchangeTokenId(session);
    }
}
