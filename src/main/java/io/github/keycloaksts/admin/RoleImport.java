package io.github.keycloaksts.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloaksts.policy.Finding;
import io.github.keycloaksts.policy.PolicyEnvironment;
import io.github.keycloaksts.role.FieldError;
import io.github.keycloaksts.role.InvalidRoleException;
import io.github.keycloaksts.role.RoleDraft;
import io.github.keycloaksts.role.RoleDraftParser;
import io.github.keycloaksts.store.IamRoleEntity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an export document ({@code {"realm": ..., "roles": [...]}}) and works out, role by role, whether importing
 * it creates, updates or leaves alone the role of that name. All-or-nothing: every role is checked (fields and
 * permissions) before anything is written, and one bad role refuses the whole document naming
 * {@code roles[i].field} (trust-policy findings carry the JSON Pointer {@code /roles/i/trustPolicy/...}). Roles of
 * the realm that the document does not name are left alone, unless the import is a sync ({@link #notNamed}). A role that would be created or changed must grant only
 * roles the administrator may map ({@link GrantPermission}); otherwise the whole document is refused with 403 naming
 * {@code roles[i].permissions...} and the role, before anything is written (a dry run is refused the same way).
 */
final class RoleImport {

    static final int MAX_ROLES = 1000;
    /**
     * The order of an export: path, then name ignoring case (unique in a realm), compared in Java so that it does
     * not depend on the database's collation (MariaDB and PostgreSQL order {@code /a-b/} and {@code /a/} apart).
     */
    static final Comparator<IamRoleEntity> EXPORT_ORDER = Comparator.comparing(IamRoleEntity::getPath)
            .thenComparing(IamRoleEntity::getNameKey);
    private static final Set<String> FIELDS = Set.of("realm", "roles");

    enum Change { CREATED, UPDATED, UNCHANGED }

    /** @param unbound the trust policy's principals that name nothing (pointers into the role's trust policy) */
    record Item(RoleDraft draft, Optional<IamRoleEntity> existing, Change change,
                List<io.github.keycloaksts.store.PrincipalBindings.Principal> unbound) {
    }

    private RoleImport() {
    }

    /** The roles of the realm that a planned document does not name (by name ignoring case): what a sync deletes. */
    static List<IamRoleEntity> notNamed(List<Item> plan, List<IamRoleEntity> realmRoles) {
        Set<String> named = new java.util.HashSet<>();
        plan.forEach(item -> named.add(item.draft().nameKey()));
        return realmRoles.stream().filter(role -> !named.contains(role.getNameKey())).sorted(EXPORT_ORDER).toList();
    }

    static List<Item> plan(JsonNode document, IamRoles roles, String realmId, PolicyEnvironment environment,
                           GrantPermission permission) {
        if (!document.isObject()) {
            throw new InvalidRoleException(new FieldError("", "the import document must be a JSON object with 'roles'"));
        }
        List<FieldError> errors = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (Iterator<String> it = document.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(field, "unknown field; allowed fields are [realm, roles]"));
            }
        }
        JsonNode list = document.get("roles");
        if (list == null || !list.isArray()) {
            errors.add(new FieldError("roles", "is required: an array of roles"));
            throw new InvalidRoleException(errors);
        }
        if (list.size() > MAX_ROLES) {
            throw new InvalidRoleException(new FieldError("roles", "must hold at most " + MAX_ROLES + " roles"));
        }
        List<Item> plan = new ArrayList<>();
        List<GrantPermission.Refusal> refused = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String prefix = "roles[" + i + "]";
            try {
                RoleDraft draft = RoleDraftParser.parse(list.get(i), environment);
                Integer earlier = seen.putIfAbsent(draft.nameKey(), i);
                if (earlier != null) {
                    errors.add(new FieldError(prefix + ".name", "repeats the name of roles[" + earlier + "]"));
                    continue;
                }
                Set<String> grants = roles.grantsOf(draft);
                IamRoles.Targets targets = roles.targetsOf(draft);
                Optional<IamRoleEntity> existing = roles.store().findByName(realmId, draft.name());
                IamRoles.Probe probe = roles.probe(existing, draft);
                // A role whose document is unchanged is still updated when its principals now bind to other ids
                // (a principal created or re-created since): importing is saving, and saving re-binds.
                Change change = existing.isEmpty() ? Change.CREATED
                        : roles.differs(existing.get(), draft, grants) || probe.rebinds() ? Change.UPDATED
                        : Change.UNCHANGED;
                plan.add(new Item(draft, existing, change, probe.unbound()));
                if (change != Change.UNCHANGED) {
                    Set<String> touched = new java.util.HashSet<>(existing.map(role -> IamRoles.touchedGrants(role, grants)).orElse(grants));
                    // Changing who may assume a role changes who reaches the roles that trust its sessions.
                    touched.addAll(existing.map(roles::chainedGrants).orElseGet(() -> roles.chainedGrants("(new)")));
                    permission.refusals(touched).forEach(r -> refused.add(r.under(prefix)));
                    IamRoles.Targets touchedTargets = existing.map(targets::touching).orElse(targets)
                            .plus(roles.chainedTargets(existing.map(IamRoleEntity::getId).orElse("(new)")));
                    permission.targetRefusals(touchedTargets.audienceIds(), touchedTargets.scopeIds())
                            .forEach(r -> refused.add(r.under(prefix)));
                }
            } catch (InvalidRoleException e) {
                e.errors().forEach(error -> errors.add(error.under(prefix)));
                String pointer = "/roles/" + i + "/trustPolicy";
                e.findings().forEach(f -> findings.add(new Finding(f.severity(), pointer + f.path(), f.message())));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRoleException(errors, findings);
        }
        if (!refused.isEmpty()) {
            throw new GrantForbiddenException(refused);
        }
        return plan;
    }
}
