package io.github.keycloaksts.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloaksts.json.StrictJson;
import io.github.keycloaksts.role.FieldError;
import io.github.keycloaksts.role.InvalidRoleException;
import io.github.keycloaksts.role.RoleDraft;
import io.github.keycloaksts.role.RoleDraftParser;
import io.github.keycloaksts.store.IamRoleEntity;
import io.github.keycloaksts.store.PrincipalBindings;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A role as one JSON document for the realm file: the representation the admin API returns without
 * {@code lastUsed} (kept per node, written in batches) and with {@code principalDigests} instead of
 * {@code principalIds}. The ids stay out because a realm file is read by more than the server's operator (the
 * console's partial export needs {@code manage-realm}, not the right to view users or other realms), and they would
 * tell such a reader which users, or which objects of other realms, a KRN names; the admin API shows a binding only
 * to a reader allowed to see what it names. The digests let a restore bind a KRN only to the object it was bound to
 * ({@link PrincipalBindings#digest}). The realm file's components carry roles in this form (see the
 * {@code realmfile} package); restoring one does what creating it through the API does, except that the
 * timestamps, the revocation time and the digests come from the document.
 */
public final class RoleDocuments {

    private RoleDocuments() {
    }

    /** The role as a document, in the representation's field order. */
    public static ObjectNode of(KeycloakSession session, RealmModel realm, IamRoleEntity role) {
        ObjectNode node = StrictJson.mapper().valueToTree(RoleRepresentation.withoutBindings(session, realm, role));
        node.remove("lastUsed");
        node.remove("findings");
        node.remove("principalIds");
        node.set("principalDigests", StrictJson.mapper().valueToTree(
                PrincipalBindings.digests(PrincipalBindings.of(session, role))));
        return node;
    }

    /**
     * A new role of the realm from a document written by {@link #of} (or by hand, in the same form), not yet stored.
     *
     * @param id the role's id to keep (the realm file keeps ids, as Keycloak's own import keeps those of users and
     *           clients, so sessions and bindings that name the role still do)
     * @throws InvalidRoleException naming each field that breaks a rule of the admin API, or each permission that
     *                              names a realm role, client or client role the realm does not have
     */
    public static IamRoleEntity restore(KeycloakSession session, RealmModel realm, String id, JsonNode document) {
        RoleDraft draft = RoleDraftParser.parse(document, RealmPolicyEnvironment.of(session, realm));
        List<FieldError> errors = new ArrayList<>();
        long createdAt = instant(document.get("createdAt"), "createdAt", errors, Time.currentTimeMillis());
        long updatedAt = instant(document.get("updatedAt"), "updatedAt", errors, createdAt);
        long revokedAt = instant(document.get("sessionsRevokedAt"), "sessionsRevokedAt", errors, 0) / 1000;
        if (!errors.isEmpty()) {
            throw new InvalidRoleException(errors);
        }
        IamRoleEntity role = new IamRoleEntity();
        role.setId(id);
        role.setRealmId(realm.getId());
        role.setCreatedAt(createdAt);
        IamRoles.apply(role, draft, PermissionResolver.toRoleIds(realm, draft.permissions()),
                IamRoles.Targets.of(realm, draft));
        role.setUpdatedAt(updatedAt);
        role.setSessionsRevokedAt(revokedAt);
        // Bound at the role's first read (PrincipalBindings), where each KRN's id then must match the carried digest;
        // a hand-written document without digests binds by name, as a role saved at that moment.
        role.setPrincipalIds(null);
        role.setPrincipalDigests(digests(document.get("principalDigests"), errors));
        if (!errors.isEmpty()) {
            throw new InvalidRoleException(errors);
        }
        return role;
    }

    private static String digests(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        java.util.SortedMap<String, String> digests = new java.util.TreeMap<>();
        if (!node.isObject()) {
            errors.add(new FieldError("principalDigests", "must be an object of principal KRN to digest"));
            return null;
        }
        node.properties().forEach(entry -> {
            if (entry.getValue().isTextual()) {
                digests.put(entry.getKey(), entry.getValue().asText());
            } else {
                errors.add(new FieldError("principalDigests." + entry.getKey(), "must be a string"));
            }
        });
        return StrictJson.write(digests);
    }

    /** Epoch milliseconds of an ISO-8601 instant such as {@code 2026-12-01T10:00:00Z}. */
    private static long instant(JsonNode node, String field, List<FieldError> errors, long absent) {
        if (node == null || node.isNull()) {
            return absent;
        }
        if (node.isTextual()) {
            try {
                return Instant.parse(node.asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        errors.add(new FieldError(field, "must be an ISO-8601 instant such as 2026-12-01T10:00:00Z"));
        return absent;
    }
}
