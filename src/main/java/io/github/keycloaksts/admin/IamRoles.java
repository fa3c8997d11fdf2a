package io.github.keycloaksts.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.keycloaksts.json.StrictJson;
import io.github.keycloaksts.role.RoleDraft;
import io.github.keycloaksts.store.IamRoleEntity;
import io.github.keycloaksts.store.IamRoleStore;
import jakarta.persistence.PersistenceException;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.github.keycloaksts.store.PrincipalBindings;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The administrative use cases on a realm's IAM roles: every create and change goes through here, after the draft
 * was parsed and before an admin event is sent. Permissions are resolved to Keycloak role ids, so an unknown role
 * name is refused here with a 400 naming it.
 */
final class IamRoles {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final IamRoleStore store;
    private ChainedGrants chained;

    IamRoles(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.store = new IamRoleStore(session);
    }

    IamRoleStore store() {
        return store;
    }

    IamRoleEntity get(String name) {
        return store.findByName(realm.getId(), name).orElseThrow(() -> new RoleNotFoundException(name));
    }

    /**
     * A role as a write left it, with the principals of its trust policy that the write bound to nothing (the
     * resource turns those the administrator may see into warnings, see {@link PrincipalWarnings}).
     */
    record Saved(IamRoleEntity role, List<PrincipalBindings.Principal> unbound) {
    }

    /** @throws GrantForbiddenException when the draft grants a role the administrator may not map */
    Saved create(RoleDraft draft, GrantPermission permission) {
        Set<String> grants = PermissionResolver.toRoleIds(realm, draft.permissions());
        Targets targets = Targets.of(realm, draft);
        String id = KeycloakModelUtils.generateId();
        // A new role's sessions may be admitted by roles that trust "*" or root (ChainedGrants).
        Set<String> required = new java.util.HashSet<>(grants);
        required.addAll(chainedGrants(id));
        Targets requiredTargets = targets.plus(chainedTargets(id));
        permission.require(required, requiredTargets.audienceIds(), requiredTargets.scopeIds());
        if (store.findByName(realm.getId(), draft.name()).isPresent()) {
            throw new RoleConflictException(draft.name());
        }
        IamRoleEntity role = new IamRoleEntity();
        role.setId(id);
        role.setRealmId(realm.getId());
        role.setCreatedAt(Time.currentTimeMillis());
        apply(role, draft, grants, targets);
        List<PrincipalBindings.Principal> unbound = PrincipalBindings.bind(session, role).unbound();
        try {
            store.persist(role);
        } catch (PersistenceException e) {
            // Lost a race with a concurrent create of the same name: the unique key refused the second row.
            session.getTransactionManager().setRollbackOnly();
            throw new RoleConflictException(draft.name());
        }
        return new Saved(role, unbound);
    }

    /**
     * Replaces every field of the role (PUT semantics); the name may change only in case.
     *
     * @throws GrantForbiddenException when the role grants, before or after, a role the administrator may not map,
     *                                 or a role that trusts its sessions does ({@link ChainedGrants})
     */
    Saved replace(IamRoleEntity role, RoleDraft draft, GrantPermission permission) {
        Set<String> grants = PermissionResolver.toRoleIds(realm, draft.permissions());
        Targets targets = Targets.of(realm, draft);
        Set<String> touched = touchedGrants(role, grants);
        touched.addAll(chainedGrants(role));
        Targets touchedTargets = targets.touching(role).plus(chainedTargets(role.getId()));
        permission.require(touched, touchedTargets.audienceIds(), touchedTargets.scopeIds());
        apply(role, draft, grants, targets);
        List<PrincipalBindings.Principal> unbound = PrincipalBindings.bind(session, role).unbound();
        store.flush(role);
        return new Saved(role, unbound);
    }

    /**
     * What saving the draft would bind, without saving: the principals it would bind to nothing, and whether the
     * bindings differ from the stored ones (then import updates the role although its document is unchanged:
     * re-saving re-binds).
     *
     * @param existing the stored role, or empty for a role the save would create
     */
    Probe probe(Optional<IamRoleEntity> existing, RoleDraft draft) {
        IamRoleEntity self = new IamRoleEntity();
        self.setId(existing.map(IamRoleEntity::getId).orElse("(new)"));
        self.setRealmId(realm.getId());
        self.setName(draft.name());
        self.setNameKey(draft.nameKey());
        self.setPath(draft.path());
        PrincipalBindings.Resolution resolution = PrincipalBindings.resolve(session, self, draft.trustPolicy());
        boolean rebinds = existing.isPresent()
                && !resolution.principalIds().equals(PrincipalBindings.of(session, existing.get()));
        return new Probe(resolution.unbound(), rebinds);
    }

    record Probe(List<PrincipalBindings.Principal> unbound, boolean rebinds) {
    }

    /**
     * The Keycloak roles a replace must be allowed to map: those granted after it and those it takes away. Any change
     * of a role (its trust policy above all) changes who holds every grant it keeps, so kept grants count as well.
     */
    static Set<String> touchedGrants(IamRoleEntity role, Set<String> newGrants) {
        Set<String> touched = new HashSet<>(newGrants);
        touched.addAll(role.getGrantedRoleIds());
        return touched;
    }

    /** The grants reachable by chaining from the role's sessions ({@link ChainedGrants}), read once per request. */
    Set<String> chainedGrants(IamRoleEntity role) {
        return chainedGrants(role.getId());
    }

    /** The audiences and scopes reachable by chaining from the role's sessions ({@link ChainedGrants}). */
    Targets chainedTargets(String roleId) {
        chainedGrants(roleId); // reads the realm's roles once
        return chained.targetsReachableFrom(roleId);
    }

    /** @param roleId a role's id, or for a role about to be created one that no binding names */
    Set<String> chainedGrants(String roleId) {
        if (chained == null) {
            chained = new ChainedGrants(session, realm.getId(), realm.getName());
        }
        return chained.reachableFrom(roleId);
    }

    void delete(IamRoleEntity role) {
        store.remove(role);
    }

    /** The Keycloak role ids the draft's permissions name; throws naming every one that does not exist. */
    Set<String> grantsOf(RoleDraft draft) {
        return PermissionResolver.toRoleIds(realm, draft.permissions());
    }

    /** The draft's audiences and scopes as ids; throws naming every unknown client or client scope. */
    Targets targetsOf(RoleDraft draft) {
        return Targets.of(realm, draft);
    }

    /** True when storing the draft would change the role; import reports unchanged roles and leaves them alone. */
    boolean differs(IamRoleEntity role, RoleDraft draft, Set<String> grants) {
        return !role.getName().equals(draft.name())
                || !role.getPath().equals(draft.path())
                || !role.getDescription().equals(draft.description())
                || role.getMaxSessionDuration() != draft.maxSessionDuration()
                || !Objects.equals(role.getMaxChainedSessionDuration(), draft.maxChainedSessionDuration())
                || !role.getTags().equals(draft.tags())
                || !role.getGrantedRoleIds().equals(grants)
                || !role.getAudienceIds().equals(Targets.of(realm, draft).audienceIds())
                || !role.getScopeIds().equals(Targets.of(realm, draft).scopeIds())
                || !sameJson(role.getTrustPolicy(), draft.trustPolicy());
    }

    /**
     * The audiences and scopes of a draft as ids.
     *
     * @throws io.github.keycloaksts.role.InvalidRoleException naming each unknown client or client scope
     */
    record Targets(Set<String> audienceIds, Set<String> scopeIds) {

        static Targets of(RealmModel realm, RoleDraft draft) {
            return new Targets(PermissionResolver.audienceIds(realm, draft.audiences()),
                    PermissionResolver.scopeIds(realm, draft.scopes()));
        }

        /** These and those. */
        Targets plus(Targets other) {
            Set<String> audiences = new HashSet<>(audienceIds);
            audiences.addAll(other.audienceIds());
            Set<String> scopes = new HashSet<>(scopeIds);
            scopes.addAll(other.scopeIds());
            return new Targets(audiences, scopes);
        }

        /** These and the role's current ones: a change of the role changes who reaches every one of them. */
        Targets touching(IamRoleEntity role) {
            Set<String> audiences = new HashSet<>(audienceIds);
            audiences.addAll(role.getAudienceIds());
            Set<String> scopes = new HashSet<>(scopeIds);
            scopes.addAll(role.getScopeIds());
            return new Targets(audiences, scopes);
        }
    }

    static void apply(IamRoleEntity role, RoleDraft draft, Set<String> grants, Targets targets) {
        role.setName(draft.name());
        role.setNameKey(draft.nameKey());
        role.setPath(draft.path());
        role.setDescription(draft.description());
        role.setMaxSessionDuration(draft.maxSessionDuration());
        role.setMaxChainedSessionDuration(draft.maxChainedSessionDuration());
        role.setTrustPolicy(draft.trustPolicy());
        role.getTags().clear();
        role.getTags().putAll(draft.tags());
        role.getGrantedRoleIds().clear();
        role.getGrantedRoleIds().addAll(grants);
        role.setAudienceIds(targets.audienceIds());
        role.setScopeIds(targets.scopeIds());
        role.setUpdatedAt(Time.currentTimeMillis());
    }

    /** JSON objects are equal whatever the order of their keys. */
    private static boolean sameJson(String a, String b) {
        try {
            return Objects.equals(StrictJson.mapper().readTree(a), StrictJson.mapper().readTree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
