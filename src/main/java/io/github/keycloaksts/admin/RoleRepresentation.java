package io.github.keycloaksts.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloaksts.json.StrictJson;
import io.github.keycloaksts.role.PermissionNames;
import io.github.keycloaksts.role.RoleKrn;
import io.github.keycloaksts.store.IamRoleEntity;
import io.github.keycloaksts.store.RoleUsageTracker;
import org.keycloak.models.RealmModel;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of a role that the admin API returns and accepts. {@code krn}, {@code createdAt},
 * {@code updatedAt} and {@code lastUsed} are read-only: accepted on input and ignored.
 */
@JsonPropertyOrder({"name", "path", "krn", "description", "maxSessionDuration", "maxChainedSessionDuration", "tags", "trustPolicy", "permissions",
        "createdAt", "updatedAt", "lastUsed"})
record RoleRepresentation(String name, String path, String krn, String description, int maxSessionDuration,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxChainedSessionDuration,
                          Map<String, String> tags, JsonNode trustPolicy, PermissionNames permissions,
                          String createdAt, String updatedAt, LastUsed lastUsed) {

    /** When the role was last assumed and through which client; null when never (AWS RoleLastUsed). */
    record LastUsed(String at, String clientId) {
    }


    static RoleRepresentation of(RealmModel realm, IamRoleEntity role) {
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
                Instant.ofEpochMilli(role.getCreatedAt()).toString(), Instant.ofEpochMilli(role.getUpdatedAt()).toString(),
                RoleUsageTracker.written(role).map(u -> new LastUsed(Instant.ofEpochMilli(u.at()).toString(), u.clientId()))
                        .orElse(null));
    }
}
