package io.github.keycloaksts.admin;

import io.github.keycloaksts.role.PermissionNames;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * May this administrator grant these Keycloak roles through an IAM role? Whoever assumes the IAM role holds its
 * grants, so writing a grant is mapping a role, and it takes the permission Keycloak's own role-mapping API
 * ({@code RoleMapperResource}) asks for: {@code auth.roles().canMapRole(role)} (users with {@code manage-users}
 * map any role but the admin roles they lack; fine-grained admin permissions may allow more). Stricter than that
 * API in one point: every role in the granted role's effective composites is checked as well, since a composite
 * hands them all out (Keycloak checks only the role named in the request).
 */
final class GrantPermission {

    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;

    GrantPermission(RealmModel realm, AdminPermissionEvaluator auth) {
        this.realm = realm;
        this.auth = auth;
    }

    /**
     * @param roleIds Keycloak role ids that a write adds, keeps or removes: a change of an IAM role changes who holds
     *                every one of them, and removing a role is a mapping change too (Keycloak's
     *                {@code DELETE role-mappings} checks the same permission)
     * @throws GrantForbiddenException naming every role the administrator may not map, in the order of the
     *                                 permissions document (realm roles, then client roles by client id)
     */
    void require(Collection<String> roleIds) {
        List<Refusal> refused = refusals(roleIds);
        if (!refused.isEmpty()) {
            throw new GrantForbiddenException(refused);
        }
    }

    /** {@link #require(Collection)} for the grants, and {@link #targetRefusals} for the audiences and scopes. */
    void require(Collection<String> roleIds, Collection<String> audienceIds, Collection<String> scopeIds) {
        List<Refusal> refused = new ArrayList<>(refusals(roleIds));
        refused.addAll(targetRefusals(audienceIds, scopeIds));
        if (!refused.isEmpty()) {
            throw new GrantForbiddenException(refused);
        }
    }

    /** The roles refused, without throwing; empty when every role may be granted. */
    List<Refusal> refusals(Collection<String> roleIds) {
        List<Refusal> refused = new ArrayList<>();
        Set<String> named = new LinkedHashSet<>();
        PermissionNames names = PermissionResolver.toNames(realm, roleIds);
        for (String roleName : names.realmRoles()) {
            check(realm.getRole(roleName), "permissions.realmRoles", refused, named);
        }
        for (Map.Entry<String, SortedSet<String>> entry : names.clientRoles().entrySet()) {
            ClientModel client = realm.getClientByClientId(entry.getKey());
            for (String roleName : entry.getValue()) {
                check(client.getRole(roleName), "permissions.clientRoles." + entry.getKey(), refused, named);
            }
        }
        return refused;
    }

    /**
     * Checks the granted role, then its composites breadth-first. A refused role is reported and not descended into:
     * the parts of a role the administrator may not grant add nothing to the answer (refusing {@code realm-admin}
     * need not list the twenty roles it contains), while the parts of an allowed composite are checked in turn.
     */
    private void check(RoleModel granted, String field, List<Refusal> refused, Set<String> named) {
        Set<String> seen = new HashSet<>();
        Deque<RoleModel> queue = new ArrayDeque<>(List.of(granted));
        while (!queue.isEmpty()) {
            RoleModel role = queue.removeFirst();
            if (!seen.add(role.getId())) {
                continue;
            }
            if (!auth.roles().canMapRole(role)) {
                if (named.add(role.getId())) {
                    refused.add(new Refusal(displayName(role), field, role == granted ? null : displayName(granted)));
                }
                continue;
            }
            role.getCompositesStream().sorted(Comparator.comparing(GrantPermission::displayName)).forEach(queue::addLast);
        }
    }

    /**
     * The audiences and scopes of an IAM role, under the same rule as its grants: naming client X as an audience makes
     * X accept the role's sessions (it sees itself in {@code aud}, and our introspection answers it), which is what
     * adding an audience mapper to a client does, and that takes the right to manage X; a scope in a session's
     * {@code scope} is read by resource servers as a permission, and putting one there takes the right to manage that
     * client scope.
     *
     * @param audienceIds client internal ids a write adds, keeps or removes
     * @param scopeIds    client scope ids a write adds, keeps or removes
     */
    List<Refusal> targetRefusals(Collection<String> audienceIds, Collection<String> scopeIds) {
        List<Refusal> refused = new ArrayList<>();
        audienceIds.stream().map(realm::getClientById).filter(java.util.Objects::nonNull)
                .sorted(Comparator.comparing(ClientModel::getClientId))
                .filter(client -> !auth.clients().canManage(client))
                .forEach(client -> refused.add(new Refusal(client.getClientId(), "audiences", null)));
        scopeIds.stream().map(realm::getClientScopeById).filter(java.util.Objects::nonNull)
                .sorted(Comparator.comparing(org.keycloak.models.ClientScopeModel::getName))
                .filter(scope -> !auth.clients().canManage(scope))
                .forEach(scope -> refused.add(new Refusal(scope.getName(), "scopes", null)));
        return refused;
    }

    /** {@code name} for a realm role, {@code clientId:name} for a client role, as the admin console shows them. */
    static String displayName(RoleModel role) {
        return role.isClientRole() ? ((ClientModel) role.getContainer()).getClientId() + ":" + role.getName()
                : role.getName();
    }

    /**
     * One role the administrator may not grant.
     *
     * @param field where the granted role is named ({@code permissions.clientRoles.api})
     * @param via   the granted composite role that contains it, or null when it is granted itself
     */
    record Refusal(String role, String field, String via) {

        Refusal under(String prefix) {
            return new Refusal(role, prefix + "." + field, via);
        }

        String message() {
            if (field.endsWith("audiences")) {
                return "you may not manage client '" + role + "' in Keycloak (as adding an audience mapper to it takes),"
                        + " so you may not make it an audience of an IAM role's sessions either";
            }
            if (field.endsWith("scopes")) {
                return "you may not manage client scope '" + role + "' in Keycloak, so you may not put it in the scope"
                        + " of an IAM role's sessions either";
            }
            return "you may not map role '" + role + "'" + (via == null ? "" : " (a composite part of the granted role '"
                    + via + "')") + " to a user in Keycloak, so you may not grant it through an IAM role either";
        }
    }
}
