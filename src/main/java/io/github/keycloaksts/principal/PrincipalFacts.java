package io.github.keycloaksts.principal;

import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.ConditionKeys;
import io.github.keycloaksts.policy.Krn;
import org.keycloak.common.util.Time;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.ModelToRepresentation;
import org.keycloak.models.utils.RoleUtils;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a trust policy can know about a principal of a realm: the KRNs it counts as, and the values of the
 * {@code kc:} condition keys. One implementation for the simulator and the token exchange, so that a simulation
 * answers exactly what an exchange would.
 */
public final class PrincipalFacts {

    private PrincipalFacts() {
    }

    /** Every fact: for the simulator, which shows them all. */
    public static final Predicate<String> ALL = key -> true;

    /**
     * Facts of a user (or a client's service-account user) of {@code realm}.
     *
     * @param self   the KRN the caller is seen as: {@code user/<username>}, or {@code client/<clientId>} for a
     *               service account
     * @param wanted which normalized condition keys to fill; the costlier facts (effective roles, attributes) are
     *               computed only when wanted. Principal KRNs (groups, federation) are always filled.
     */
    public static AccessRequest.Builder ofUser(RealmModel realm, UserModel user, Krn self, Predicate<String> wanted) {
        AccessRequest.Builder request = base(realm, self)
                .value("kc:Username", user.getUsername())
                .value("kc:UserId", user.getId());
        // A member of /engineering/sre is also a member of /engineering: both paths, both group KRNs.
        Set<String> groupPaths = new LinkedHashSet<>();
        user.getGroupsStream().forEach(group -> {
            for (GroupModel g = group; g != null; g = g.getParent()) {
                groupPaths.add(ModelToRepresentation.buildGroupPath(g));
            }
        });
        groupPaths.forEach(path -> request.principal(Krn.group(realm.getName(), path)));
        request.value("kc:Groups", groupPaths);
        if (wanted.test("kc:realmroles")) {
            request.value("kc:RealmRoles", RoleUtils.getDeepUserRoleMappings(user).stream()
                    .filter(role -> !role.isClientRole()).map(RoleModel::getName).sorted().toList());
        }
        for (Map.Entry<String, List<String>> attribute : user.getAttributes().entrySet()) {
            String key = "kc:PrincipalAttribute/" + attribute.getKey();
            if (wanted.test(ConditionKeys.normalize(key))) {
                request.value(key, attribute.getValue());
            }
        }
        if (user.getFederationLink() != null) {
            ComponentModel provider = realm.getComponent(user.getFederationLink());
            if (provider != null) {
                request.principal(Krn.userFederation(realm.getName(), provider.getName()));
                request.value("kc:FederationLink", provider.getName());
            }
        }
        return request;
    }

    /** Facts of a client acting as itself through its service-account user. */
    public static AccessRequest.Builder ofClient(RealmModel realm, ClientModel client, UserModel serviceAccount,
                                                 Predicate<String> wanted) {
        return ofUser(realm, serviceAccount, Krn.client(realm.getName(), client.getClientId()), wanted)
                .value("kc:ClientId", client.getClientId());
    }

    /**
     * Facts that follow from a KRN alone, for principals whose details are not at hand (another realm, an
     * identity provider, a user federation, a role session).
     */
    public static AccessRequest.Builder ofKrn(Krn krn) {
        AccessRequest.Builder request = base(null, krn).value("kc:Realm", krn.realm());
        String resource = krn.resource();
        switch (krn.kind().orElseThrow()) {
            case USER -> request.value("kc:Username", resource.substring("user/".length()));
            case CLIENT -> request.value("kc:ClientId", resource.substring("client/".length()));
            case IDENTITY_PROVIDER -> request.value("kc:IdentityProvider", resource.substring("identity-provider/".length()));
            case USER_FEDERATION -> request.value("kc:FederationLink", resource.substring("user-federation/".length()));
            case GROUP -> request.value("kc:Groups", resource.substring("group".length()));
            default -> {
            }
        }
        return request;
    }

    /**
     * Facts of a role session presented for role chaining: it is seen as itself (its session KRN), as a session of
     * its role (the role's KRN) and as a principal of its realm (root); its tags are {@code kc:PrincipalTag/<key>}.
     * Nothing of the principal behind it: AWS's rule, so that a chain never regains its origin's own rights.
     */
    public static AccessRequest.Builder ofRoleSession(Krn session, Krn role, Map<String, String> tags) {
        AccessRequest.Builder request = base(null, session).principal(role).value("kc:Realm", session.realm());
        tags.forEach((key, value) -> request.value("kc:PrincipalTag/" + key, value));
        return request;
    }

    private static AccessRequest.Builder base(RealmModel realm, Krn self) {
        long now = Time.currentTimeMillis();
        AccessRequest.Builder request = AccessRequest.builder().principal(self).principal(Krn.root(self.realm()))
                .value("kc:PrincipalKrn", self.toString())
                .value("kc:CurrentTime", Instant.ofEpochMilli(now).toString())
                .value("kc:EpochTime", String.valueOf(now / 1000));
        if (realm != null) {
            request.value("kc:Realm", realm.getName());
        }
        return request;
    }
}
