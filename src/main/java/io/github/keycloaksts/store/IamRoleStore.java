package io.github.keycloaksts.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

import java.util.List;
import java.util.Optional;

import io.github.keycloaksts.role.RoleDraft;

/**
 * Reads and writes IAM roles in the current Keycloak transaction. Roles are found by name ignoring case, as AWS
 * does. Every read here goes to the database (the token exchange reads through {@link RoleSnapshots}); every write
 * tells {@link RoleSnapshots} so that no node keeps using the old role once the transaction has committed.
 */
public final class IamRoleStore {

    private final KeycloakSession session;
    private final EntityManager em;

    public IamRoleStore(KeycloakSession session) {
        this.session = session;
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    public Optional<IamRoleEntity> findByName(String realmId, String name) {
        return em.createQuery("select r from KcStsIamRole r where r.realmId = :realmId and r.nameKey = :nameKey",
                        IamRoleEntity.class)
                .setParameter("realmId", realmId)
                .setParameter("nameKey", RoleDraft.nameKey(name))
                .getResultStream()
                .findFirst();
    }

    /**
     * The role with its grants in one query, for the token exchange (which needs no tags).
     */
    public Optional<IamRoleEntity> findByNameWithGrants(String realmId, String name) {
        return em.createQuery("select distinct r from KcStsIamRole r left join fetch r.grantedRoleIds"
                                + " where r.realmId = :realmId and r.nameKey = :nameKey", IamRoleEntity.class)
                .setParameter("realmId", realmId)
                .setParameter("nameKey", RoleDraft.nameKey(name))
                .getResultStream()
                .findFirst();
    }

    /**
     * One page of a realm's roles, ordered by path then name (the order AWS ListRoles uses).
     *
     * @param nameContains case-insensitive substring of the name, or null for any
     * @param pathPrefix   path prefix as AWS ListRoles PathPrefix, or null for any
     */
    public List<IamRoleEntity> search(String realmId, String nameContains, String pathPrefix, int first, int max) {
        TypedQuery<IamRoleEntity> query = em.createQuery("select r from KcStsIamRole r" + where(nameContains, pathPrefix)
                + " order by r.path, r.nameKey", IamRoleEntity.class);
        bind(query, realmId, nameContains, pathPrefix);
        return query.setFirstResult(first).setMaxResults(max).getResultList();
    }

    public long count(String realmId, String nameContains, String pathPrefix) {
        TypedQuery<Long> query = em.createQuery("select count(r) from KcStsIamRole r" + where(nameContains, pathPrefix),
                Long.class);
        bind(query, realmId, nameContains, pathPrefix);
        return query.getSingleResult();
    }

    public List<IamRoleEntity> all(String realmId) {
        return em.createQuery("select r from KcStsIamRole r where r.realmId = :realmId order by r.path, r.nameKey",
                        IamRoleEntity.class)
                .setParameter("realmId", realmId)
                .getResultList();
    }

    /** The roles whose permissions grant the Keycloak role with this id, in any realm. */
    public List<IamRoleEntity> grantingKeycloakRole(String keycloakRoleId) {
        return em.createQuery("select distinct r from KcStsIamRole r join r.grantedRoleIds g where g = :roleId",
                        IamRoleEntity.class)
                .setParameter("roleId", keycloakRoleId)
                .getResultList();
    }

    public void persist(IamRoleEntity role) {
        RoleSnapshots.changed(session);
        em.persist(role);
        // Flush now so that a unique-name race surfaces here, inside the request, not at commit.
        em.flush();
        changed(role.getRealmId(), role.getId());
    }

    /** Writes the changes made to roles of this realm read from this store. */
    public void flush(String realmId) {
        RoleSnapshots.changed(session);
        em.flush();
        changed(realmId, null);
    }

    /** Writes the changes made to this one role. */
    public void flush(IamRoleEntity role) {
        RoleSnapshots.changed(session);
        em.flush();
        changed(role.getRealmId(), role.getId());
    }

    public void remove(IamRoleEntity role) {
        RoleSnapshots.changed(session);
        em.remove(role);
        em.flush();
        changed(role.getRealmId(), role.getId());
    }

    /** The role with this id, or empty. */
    public Optional<IamRoleEntity> findById(String id) {
        return Optional.ofNullable(em.find(IamRoleEntity.class, id));
    }

    private void changed(String realmId, String roleId) {
        session.getKeycloakSessionFactory().publish(new IamRolesChangedEvent(session, realmId, roleId));
    }

    /** Removes every role of a realm with their tags and grants; called when Keycloak deletes the realm. */
    public int removeRealm(String realmId) {
        List<IamRoleEntity> roles = all(realmId);
        RoleSnapshots.changed(session);
        roles.forEach(em::remove);
        em.flush();
        return roles.size();
    }

    private static String where(String nameContains, String pathPrefix) {
        StringBuilder where = new StringBuilder(" where r.realmId = :realmId");
        if (nameContains != null) {
            where.append(" and r.nameKey like :name escape '!'");
        }
        if (pathPrefix != null) {
            where.append(" and r.path like :path escape '!'");
        }
        return where.toString();
    }

    private static void bind(TypedQuery<?> query, String realmId, String nameContains, String pathPrefix) {
        query.setParameter("realmId", realmId);
        if (nameContains != null) {
            query.setParameter("name", "%" + escapeLike(RoleDraft.nameKey(nameContains)) + "%");
        }
        if (pathPrefix != null) {
            query.setParameter("path", escapeLike(pathPrefix) + "%");
        }
    }

    /** Role names may contain '_' and paths '%': both are LIKE wildcards and must match only themselves. */
    static String escapeLike(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
