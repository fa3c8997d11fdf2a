package io.github.keycloaksts.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloaksts.json.StrictJson;
import io.github.keycloaksts.policy.Krn;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.UserStorageProvider;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Binds the principals a trust policy names to the immutable ids of what they name, when the role is saved: AWS
 * resolves a principal ARN to the principal's unique id at that moment, so that a user deleted and re-created under
 * the same name is not trusted by the policies that named the old one. Every {@code "Keycloak"} KRN of
 * {@code Principal} and {@code NotPrincipal} that names an object of a realm of this server is bound:
 *
 * <ul>
 *   <li>{@code root} → the realm's id</li>
 *   <li>{@code user/<username>} → the user's id</li>
 *   <li>{@code client/<clientId>} → the client's internal id</li>
 *   <li>{@code group<path>} → the group's id</li>
 *   <li>{@code identity-provider/<alias>} → the provider's internal id</li>
 *   <li>{@code user-federation/<name>} → the user-storage component's id</li>
 *   <li>{@code role<path><name>} → the IAM role's id; {@code sts} {@code assumed-role/<role>/<session>} → the id of
 *       that IAM role (a session of a role re-created under the same name is another role's session)</li>
 * </ul>
 *
 * A KRN that names nothing at save time is left out of the map: it is bound to nothing and must match no one
 * (re-saving the role binds it again). Names are compared exactly as the exchange compares KRNs (a username or
 * client id that differs in case names nothing). The evaluation (the exchange) compares caller ids with
 * {@link RoleSnapshot#principalIds()}; this class only records them.
 */
public final class PrincipalBindings {

    private static final Logger LOG = Logger.getLogger(PrincipalBindings.class);
    private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {
    };

    /** A principal KRN of a trust policy and where it is written (JSON Pointer into the policy document). */
    public record Principal(String pointer, Krn krn) {
    }

    /**
     * What saving a trust policy binds.
     *
     * @param principalIds KRN (as written, which is canonical) to id, for every KRN that names something
     * @param unbound      the KRNs that name nothing, in document order
     */
    public record Resolution(SortedMap<String, String> principalIds, List<Principal> unbound) {

        public Resolution {
            principalIds = Collections.unmodifiableSortedMap(new TreeMap<>(principalIds));
            unbound = List.copyOf(unbound);
        }
    }

    private PrincipalBindings() {
    }

    /**
     * Every {@code "Keycloak"} KRN of the policy's {@code Principal} and {@code NotPrincipal}, in document order.
     * Text that is not a principal KRN is skipped (the compiler refuses such a policy before it is saved).
     */
    public static List<Principal> principalsOf(JsonNode policy) {
        List<Principal> principals = new ArrayList<>();
        JsonNode statements = policy == null ? null : policy.get("Statement");
        if (statements == null) {
            return principals;
        }
        if (statements.isObject()) {
            principalsOfStatement(statements, "/Statement", principals);
        } else if (statements.isArray()) {
            for (int i = 0; i < statements.size(); i++) {
                principalsOfStatement(statements.get(i), "/Statement/" + i, principals);
            }
        }
        return principals;
    }

    private static void principalsOfStatement(JsonNode statement, String path, List<Principal> principals) {
        for (String key : List.of("Principal", "NotPrincipal")) {
            JsonNode keycloak = statement.path(key).get("Keycloak");
            String base = path + "/" + key + "/Keycloak";
            if (keycloak == null) {
                continue;
            }
            if (keycloak.isTextual()) {
                Krn.parse(keycloak.textValue()).ifPresent(krn -> principals.add(new Principal(base, krn)));
            } else if (keycloak.isArray()) {
                for (int i = 0; i < keycloak.size(); i++) {
                    int index = i;
                    Krn.parse(keycloak.get(i).asText(null))
                            .ifPresent(krn -> principals.add(new Principal(base + "/" + index, krn)));
                }
            }
        }
    }

    /**
     * Binds the principals of a trust policy as of now.
     *
     * @param self the role being saved (its id, realm, name and path already set), which a policy may name itself
     */
    public static Resolution resolve(KeycloakSession session, IamRoleEntity self, String trustPolicy) {
        JsonNode policy;
        try {
            policy = StrictJson.mapper().readTree(trustPolicy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("trust policy of IAM role " + self.getId() + " is not JSON", e);
        }
        SortedMap<String, String> ids = new TreeMap<>();
        List<Principal> unbound = new ArrayList<>();
        for (Principal principal : principalsOf(policy)) {
            String key = principal.krn().toString();
            Optional<String> id = ids.containsKey(key) ? Optional.of(ids.get(key)) : idOf(session, self, principal.krn());
            id.ifPresentOrElse(value -> ids.put(key, value), () -> unbound.add(principal));
        }
        return new Resolution(ids, unbound);
    }

    /** Binds the role's principals now and stores them on the entity (written with the role's other changes). */
    public static Resolution bind(KeycloakSession session, IamRoleEntity role) {
        Resolution resolution = resolve(session, role, role.getTrustPolicy());
        role.setPrincipalIds(StrictJson.write(resolution.principalIds()));
        // Saving binds by name, as AWS does: a restored role's digests have served their purpose.
        role.setPrincipalDigests(null);
        return resolution;
    }

    /**
     * A digest of a binding, for realm files: the file says which id each principal was bound to without telling
     * it (SHA-256 of the KRN, a newline and the id, base64url). A reader cannot turn it into an id (ids are random
     * UUIDs); a restore compares it with the id the KRN names then, so that a user deleted and re-created under the
     * same name is not trusted after a restore either.
     */
    public static String digest(String krn, String id) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((krn + "\n" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The digests of these bindings ({@link #digest}), by KRN. */
    public static SortedMap<String, String> digests(Map<String, String> bindings) {
        SortedMap<String, String> digests = new TreeMap<>();
        bindings.forEach((krn, id) -> digests.put(krn, digest(krn, id)));
        return digests;
    }

    /**
     * Bound now by name, but for a restored role only where the id matches the digest the file carried: a KRN that
     * named nothing when the role was saved (no digest), or that now names another object, stays unbound.
     */
    private static SortedMap<String, String> resolveUnbound(KeycloakSession session, IamRoleEntity role) {
        SortedMap<String, String> ids = resolve(session, role, role.getTrustPolicy()).principalIds();
        if (role.getPrincipalDigests() == null) {
            return ids;
        }
        SortedMap<String, String> carried = parse(role.getPrincipalDigests(), role.getId());
        SortedMap<String, String> kept = new TreeMap<>();
        ids.forEach((krn, id) -> {
            if (digest(krn, id).equals(carried.get(krn))) {
                kept.put(krn, id);
            }
        });
        return kept;
    }

    /**
     * The role's bindings. A row written before bindings existed (an upgrade) has none: it is bound now, in memory,
     * as if it were saved at this moment (see {@link #ofStoring} for the read that also stores them).
     */
    public static SortedMap<String, String> of(KeycloakSession session, IamRoleEntity role) {
        if (role.getPrincipalIds() != null) {
            return parse(role.getPrincipalIds(), role.getId());
        }
        return resolveUnbound(session, role);
    }

    /**
     * As {@link #of}, and a row without bindings gets the ones bound now stored, once, in a transaction of its own
     * (only if the row still has none), so that an upgrade keeps every role working and the role behaves from then
     * on as if it had been saved at its first read. For reads whose transaction has not written the role (the
     * exchange and introspection): the own transaction would wait for the row otherwise. The entity itself is left
     * untouched: a read must not turn into a versioned write of the role.
     */
    static SortedMap<String, String> ofStoring(KeycloakSession session, IamRoleEntity role) {
        if (role.getPrincipalIds() != null) {
            return parse(role.getPrincipalIds(), role.getId());
        }
        SortedMap<String, String> ids = resolveUnbound(session, role);
        String json = StrictJson.write(ids);
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), own -> {
                EntityManager em = own.getProvider(JpaConnectionProvider.class).getEntityManager();
                em.createQuery("update KcStsIamRole r set r.principalIds = :ids where r.id = :id and r.principalIds is null")
                        .setParameter("ids", json).setParameter("id", role.getId()).executeUpdate();
            });
        } catch (RuntimeException e) {
            // The bindings hold for this read; the next read binds again.
            LOG.warnf(e, "could not store the principal bindings of IAM role %s", role.getId());
        }
        return ids;
    }

    private static SortedMap<String, String> parse(String json, String roleId) {
        try {
            return Collections.unmodifiableSortedMap(StrictJson.mapper().readValue(json, MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("principal bindings of IAM role " + roleId + " are not a JSON object", e);
        }
    }

    private static Optional<String> idOf(KeycloakSession session, IamRoleEntity self, Krn krn) {
        RealmModel realm = session.realms().getRealmByName(krn.realm());
        if (realm == null) {
            return Optional.empty();
        }
        String resource = krn.resource();
        return switch (krn.kind().orElseThrow()) {
            case ROOT -> Optional.of(realm.getId());
            case USER -> Optional.ofNullable(session.users().getUserByUsername(realm, resource.substring("user/".length())))
                    .filter(user -> user.getUsername().equals(resource.substring("user/".length())))
                    // Not UserModel::getId: compiled against 26.7 that method reference links to UserModel's new
                    // super-interface org.keycloak.models.Model, which 26.4 and 26.5 lack (NoClassDefFoundError).
                    .map(user -> user.getId());
            case CLIENT -> Optional.ofNullable(realm.getClientByClientId(resource.substring("client/".length())))
                    .filter(client -> client.getClientId().equals(resource.substring("client/".length())))
                    .map(ClientModel::getId);
            case GROUP -> Optional.ofNullable(KeycloakModelUtils.findGroupByPath(session, realm, resource.substring("group".length())))
                    .map(GroupModel::getId);
            case IDENTITY_PROVIDER -> identityProvider(session, realm, resource.substring("identity-provider/".length()));
            case USER_FEDERATION -> realm.getComponentsStream(realm.getId(), UserStorageProvider.class.getName())
                    .filter(component -> resource.substring("user-federation/".length()).equals(component.getName()))
                    .map(ComponentModel::getId).findFirst();
            case ROLE -> iamRole(session, self, realm, krn.roleName(), krn.rolePath());
            case ASSUMED_ROLE -> iamRole(session, self, realm, resource.split("/", 3)[1], null);
        };
    }

    /** Identity providers are looked up in the context realm: switch to the KRN's realm for the look-up. */
    private static Optional<String> identityProvider(KeycloakSession session, RealmModel realm, String alias) {
        KeycloakContext context = session.getContext();
        RealmModel previous = context.getRealm();
        try {
            context.setRealm(realm);
            return Optional.ofNullable(session.identityProviders().getByAlias(alias))
                    .map(IdentityProviderModel::getInternalId);
        } finally {
            context.setRealm(previous);
        }
    }

    /** @param path the role's path, or null for any (session KRNs name the role by name only) */
    private static Optional<String> iamRole(KeycloakSession session, IamRoleEntity self, RealmModel realm, String name,
                                            String path) {
        if (self.getRealmId().equals(realm.getId()) && self.getNameKey().equals(io.github.keycloaksts.role.RoleDraft.nameKey(name))) {
            return path == null || path.equals(self.getPath()) ? Optional.of(self.getId()) : Optional.empty();
        }
        return new IamRoleStore(session).findByName(realm.getId(), name)
                .filter(role -> path == null || path.equals(role.getPath()))
                .map(IamRoleEntity::getId);
    }
}
