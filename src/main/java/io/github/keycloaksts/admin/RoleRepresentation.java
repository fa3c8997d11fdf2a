package io.github.keycloaksts.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloaksts.json.StrictJson;
import io.github.keycloaksts.role.PermissionNames;
import io.github.keycloaksts.role.RoleKrn;
import io.github.keycloaksts.store.IamRoleEntity;
import io.github.keycloaksts.store.RoleUsageTracker;
import io.github.keycloaksts.policy.Finding;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.store.PrincipalBindings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of a role that the admin API returns and accepts. {@code krn}, {@code principalIds},
 * {@code createdAt}, {@code updatedAt}, {@code lastUsed}, {@code sessionsRevokedAt} and {@code findings} are read-only:
 * accepted on input and ignored.
 *
 * @param principalIds the ids the trust policy's principal KRNs were bound to when the role was saved, as far as the
 *                     reader may see them (see {@link PrincipalVisibility}; principals of other realms are bound too,
 *                     but never shown)
 * @param sessionsRevokedAt when the role's sessions were last revoked (revoke-sessions), or null when never: the
 *                     console shows it, so an administrator sees which sessions are already dead
 * @param findings     warnings about the saved role (principals that name nothing), only in the answer to a write
 */
@JsonPropertyOrder({"name", "path", "krn", "description", "maxSessionDuration", "maxChainedSessionDuration", "tags", "trustPolicy", "permissions",
        "audiences", "scopes", "principalIds", "createdAt", "updatedAt", "lastUsed", "sessionsRevokedAt", "findings"})
record RoleRepresentation(String name, String path, String krn, String description, int maxSessionDuration,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxChainedSessionDuration,
                          Map<String, String> tags, JsonNode trustPolicy, PermissionNames permissions,
                          java.util.SortedSet<String> audiences, java.util.SortedSet<String> scopes,
                          Map<String, String> principalIds, String createdAt, String updatedAt, LastUsed lastUsed,
                          String sessionsRevokedAt, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Finding> findings) {

    /** When the role was last assumed and through which client; null when never (AWS RoleLastUsed). */
    record LastUsed(String at, String clientId) {
    }


    /** The same role with the warnings of the write that produced it. */
    RoleRepresentation withFindings(List<Finding> warnings) {
        return new RoleRepresentation(name, path, krn, description, maxSessionDuration, maxChainedSessionDuration, tags,
                trustPolicy, permissions, audiences, scopes, principalIds, createdAt, updatedAt, lastUsed, sessionsRevokedAt, List.copyOf(warnings));
    }

    /** The fields that change without an administrator changing the role; a stable export leaves them out. */
    static final List<String> VOLATILE_FIELDS = List.of("createdAt", "updatedAt", "lastUsed", "sessionsRevokedAt");

    /** This representation without {@link #VOLATILE_FIELDS}, in the same field order. */
    com.fasterxml.jackson.databind.node.ObjectNode stable() {
        com.fasterxml.jackson.databind.node.ObjectNode node = StrictJson.mapper().valueToTree(this);
        node.remove(VOLATILE_FIELDS);
        return node;
    }

    /**
     * @param visible which principal bindings the reader may see ({@link PrincipalVisibility})
     */
    static RoleRepresentation of(KeycloakSession session, RealmModel realm, IamRoleEntity role, Predicate<Krn> visible) {
        return of(session, realm, role, visibleBindings(session, role, visible));
    }

    /** Without any binding, and without resolving any: for documents that never show bindings (RoleDocuments). */
    static RoleRepresentation withoutBindings(KeycloakSession session, RealmModel realm, IamRoleEntity role) {
        return of(session, realm, role, Map.of());
    }

    private static RoleRepresentation of(KeycloakSession session, RealmModel realm, IamRoleEntity role,
                                         Map<String, String> bindings) {
        JsonNode trustPolicy;
        try {
            trustPolicy = StrictJson.mapper().readTree(role.getTrustPolicy());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Only our own parser ever wrote this column; reaching here means the row was edited by hand.
            throw new IllegalStateException("stored trust policy of IAM role " + role.getId() + " is not JSON", e);
        }
        return new RoleRepresentation(role.getName(), role.getPath(), RoleKrn.of(realm.getName(), role.getPath(), role.getName()),
                role.getDescription(), role.getMaxSessionDuration(), role.getMaxChainedSessionDuration(), new TreeMap<>(role.getTags()), trustPolicy,
                PermissionResolver.toNames(realm, role.getGrantedRoleIds()),
                io.github.keycloaksts.store.RoleTargets.audiences(realm, role.getAudienceIds()),
                io.github.keycloaksts.store.RoleTargets.scopes(realm, role.getScopeIds()),
                bindings,
                Instant.ofEpochMilli(role.getCreatedAt()).toString(), Instant.ofEpochMilli(role.getUpdatedAt()).toString(),
                RoleUsageTracker.written(role).map(u -> new LastUsed(Instant.ofEpochMilli(u.at()).toString(), u.clientId()))
                        .orElse(null),
                role.getSessionsRevokedAt() == 0 ? null : Instant.ofEpochSecond(role.getSessionsRevokedAt()).toString(), List.of());
    }

    private static Map<String, String> visibleBindings(KeycloakSession session, IamRoleEntity role, Predicate<Krn> visible) {
        Map<String, String> shown = new TreeMap<>();
        PrincipalBindings.of(session, role).forEach((krn, id) -> {
            if (Krn.parse(krn).map(visible::test).orElse(false)) {
                shown.put(krn, id);
            }
        });
        return shown;
    }
}
