package io.github.keycloaksts.realmfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloaksts.admin.RoleDocuments;
import io.github.keycloaksts.json.StrictJson;
import io.github.keycloaksts.role.InvalidRoleException;
import io.github.keycloaksts.role.RoleDraft;
import io.github.keycloaksts.store.IamRoleEntity;
import io.github.keycloaksts.store.IamRoleStore;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The mirror of a realm's IAM roles in its components: one component per role, its id the role's id, its name the
 * role's name, and one config value {@code role} holding the whole role ({@link RoleDocuments#of}).
 *
 * <p>Why components: {@code kc.sh export} writes a realm with Keycloak's own {@code ExportUtils}, which calls no
 * extension and knows only Keycloak's model, and {@code kc.sh import}, {@code --import-realm}, the Operator (which runs
 * {@code kc.sh import}) and {@code POST /admin/realms} read a realm file into {@code RealmRepresentation}, whose unknown
 * fields they refuse. Components are the one part of that model an extension may define (a provider type of its own),
 * that every one of those paths exports and imports as they are, ids included, and whose values are large text columns
 * (since Keycloak 23). A realm attribute would be exported too, but the console's realm settings send every attribute
 * back on save, so a page opened before a role change would write an old copy of the roles over the new one.
 */
final class RoleCarriers {

    static final String TYPE = IamRoleComponent.class.getName();
    static final String ROLE = "role";

    private static final Logger LOG = Logger.getLogger(RoleCarriers.class);
    private static final String PENDING = RoleCarriers.class.getName() + ".pending";
    /**
     * ASCII only (every other character as a JSON escape): Keycloak's COMPONENT_CONFIG.VALUE is an NCLOB, which on
     * MariaDB and MySQL is a 3-byte utf8 column, so an emoji in a role's description would fail the write there
     * (found by RoleCrudIT on MariaDB); escaped, the same document parses back to the same text.
     */
    private static final com.fasterxml.jackson.databind.ObjectWriter ASCII = StrictJson.mapper().writer()
            .with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());

    private RoleCarriers() {
    }

    /**
     * Brings the realm's carriers in line with its roles just before the transaction commits (once per realm and
     * transaction, whatever the number of writes: an import of a thousand roles rewrites the mirror once). Runs in
     * Keycloak's prepare phase, so the carriers commit with the roles or not at all, and the realm cache's
     * invalidation (run after completion) covers them on every node.
     */
    static void syncBeforeCommit(KeycloakSession session, String realmId) {
        @SuppressWarnings("unchecked")
        Set<String> pending = session.getAttribute(PENDING, Set.class);
        if (pending != null) {
            pending.add(realmId);
            return;
        }
        Set<String> realms = new LinkedHashSet<>();
        realms.add(realmId);
        session.setAttribute(PENDING, realms);
        session.getTransactionManager().enlistPrepare(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                session.removeAttribute(PENDING);
                RealmModel bound = session.getContext().getRealm();
                try {
                    for (String id : realms) {
                        RealmModel realm = session.realms().getRealm(id);
                        if (realm != null) { // null: the realm itself is being deleted, its components with it
                            // Bound to the realm, as every request that writes a role is: kc.sh import has
                            // unbound the session by the time its transaction commits.
                            session.getContext().setRealm(realm);
                            sync(session, realm);
                        }
                    }
                } finally {
                    session.getContext().setRealm(bound);
                }
            }

            @Override
            protected void rollbackImpl() {
                session.removeAttribute(PENDING);
            }
        });
    }

    /**
     * Brings one role's carrier in line at once, inside the request that wrote the role, and flushes: two requests
     * that change the same role at the same time then conflict here, where the admin API answers 409, not at commit
     * (which Keycloak answers with a 500; seen with concurrent PUTs on PostgreSQL).
     */
    static void syncRoleNow(KeycloakSession session, String realmId, String roleId) {
        RealmModel realm = session.realms().getRealm(realmId);
        if (realm == null) {
            return;
        }
        RealmModel bound = session.getContext().getRealm();
        session.getContext().setRealm(realm);
        try {
            Optional<IamRoleEntity> role = new IamRoleStore(session).findById(roleId);
            ComponentModel carrier = realm.getComponent(roleId);
            if (role.isEmpty()) {
                if (carrier != null) {
                    realm.removeComponent(carrier);
                }
            } else {
                write(realm, role.get(), ascii(RoleDocuments.of(session, realm, role.get())), carrier);
            }
            session.getProvider(JpaConnectionProvider.class).getEntityManager().flush();
        } finally {
            session.getContext().setRealm(bound);
        }
    }

    /** @return whether the carrier was written */
    private static boolean write(RealmModel realm, IamRoleEntity role, String document, ComponentModel carrier) {
        if (carrier == null) {
            carrier = new ComponentModel();
            carrier.setId(role.getId());
            carrier.setParentId(realm.getId());
            carrier.setProviderType(TYPE);
            carrier.setProviderId(IamRoleComponentFactory.ID);
            carrier.setName(role.getName());
            carrier.put(ROLE, document);
            realm.addComponentModel(carrier);
            return true;
        }
        if (!document.equals(carrier.get(ROLE)) || !role.getName().equals(carrier.getName())) {
            carrier.setName(role.getName());
            carrier.put(ROLE, document);
            realm.updateComponent(carrier);
            return true;
        }
        return false;
    }

    static void syncAll(KeycloakSession session) {
        session.realms().getRealmsStream().forEach(realm -> {
            session.getContext().setRealm(realm);
            int written = sync(session, realm);
            if (written > 0) {
                LOG.infof("Wrote %d IAM role carrier(s) of realm %s (realm export and import carry them)", written,
                        realm.getName());
            }
        });
    }

    /** @return how many carriers were created, changed or removed */
    static int sync(KeycloakSession session, RealmModel realm) {
        Map<String, ComponentModel> carriers = realm.getComponentsStream(realm.getId(), TYPE)
                .collect(Collectors.toMap(ComponentModel::getId, Function.identity()));
        List<IamRoleEntity> roles = new IamRoleStore(session).all(realm.getId());
        int written = 0;
        for (IamRoleEntity role : roles) {
            if (write(realm, role, ascii(RoleDocuments.of(session, realm, role)), carriers.remove(role.getId()))) {
                written++;
            }
        }
        for (ComponentModel orphan : carriers.values()) {
            realm.removeComponent(orphan);
            written++;
        }
        return written;
    }

    private static String ascii(JsonNode document) {
        try {
            return ASCII.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /**
     * Turns the carriers of a realm just created from a realm file into roles. All or nothing: every carrier is
     * checked as the admin API checks a role (fields, trust policy, every granted realm and client role exists in the
     * file's realm) before any is stored, and a bad one fails the realm's creation naming the role and the field, so
     * the transaction rolls back and neither the realm nor any role is left half-imported.
     */
    static void restore(KeycloakSession session, RealmModel realm) {
        List<ComponentModel> carriers = realm.getComponentsStream(realm.getId(), TYPE).toList();
        if (carriers.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        List<IamRoleEntity> restored = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (ComponentModel carrier : carriers) {
            String label = "IAM role '" + carrier.getName() + "' (component " + carrier.getId() + ")";
            try {
                JsonNode document = StrictJson.mapper().readTree(carrier.get(ROLE) == null ? "" : carrier.get(ROLE));
                if (document == null || document.isMissingNode()) {
                    problems.add(label + ": config.role: is required, the role as JSON");
                    continue;
                }
                IamRoleEntity role = RoleDocuments.restore(session, realm, carrier.getId(), document);
                String earlier = names.putIfAbsent(RoleDraft.nameKey(role.getName()), carrier.getId());
                if (earlier != null) {
                    problems.add(label + ": name: repeats the name of component " + earlier);
                    continue;
                }
                restored.add(role);
            } catch (JsonProcessingException e) {
                problems.add(label + ": config.role: is not JSON (" + e.getOriginalMessage() + ")");
            } catch (InvalidRoleException e) {
                StringBuilder problem = new StringBuilder(label + ": " + e.getMessage());
                e.findings().forEach(finding -> problem.append("; trustPolicy ").append(finding));
                problems.add(problem.toString());
            }
        }
        if (!problems.isEmpty()) {
            throw new ModelException("Realm " + realm.getName() + " was not imported: its IAM roles are invalid: "
                    + String.join(" | ", problems));
        }
        IamRoleStore store = new IamRoleStore(session);
        restored.forEach(store::persist);
        LOG.infof("Imported %d IAM role(s) of realm %s from the realm file", restored.size(), realm.getName());
    }
}
