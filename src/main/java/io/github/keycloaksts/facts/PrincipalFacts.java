package io.github.keycloaksts.facts;

import io.github.keycloaksts.policy.ConditionKeys;
import io.github.keycloaksts.policy.Krn;
import org.keycloak.common.util.Time;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.ModelToRepresentation;
import org.keycloak.models.utils.RoleUtils;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Builds {@link CallerFacts}: the one place that decides what a trust policy knows about each kind of caller. The
 * exchange, the sign-in role picker and the simulator all start here, so a simulation answers what an exchange
 * would, and no origin is handled by a path of its own.
 */
public final class PrincipalFacts {

    /** Every fact: for the simulator and the sign-in picker, which evaluate many policies. */
    public static final Predicate<String> ALL = key -> true;

    private PrincipalFacts() {
    }

    /**
     * A user of {@code home} (local, brokered or from a user federation), asking for a role of {@code target}.
     *
     * @param wanted which normalized condition keys to fill; the costlier facts (effective roles, attributes) are
     *               computed only when wanted. Principal KRNs are always filled.
     */
    public static CallerFacts.Builder ofUser(RealmModel home, RealmModel target, UserModel user, Predicate<String> wanted) {
        Origin origin = sameRealm(home, target) ? Origin.USER : Origin.OTHER_REALM_USER;
        CallerFacts.Builder facts = CallerFacts.builder(origin, Krn.user(home.getName(), user.getUsername()), user.getId());
        return account(facts, home, user, wanted);
    }

    /** A client of {@code home} acting as itself through its service-account user. */
    public static CallerFacts.Builder ofServiceAccount(RealmModel home, RealmModel target, ClientModel client,
                                                       UserModel serviceAccount, Predicate<String> wanted) {
        Origin origin = sameRealm(home, target) ? Origin.SERVICE_ACCOUNT : Origin.OTHER_REALM_SERVICE_ACCOUNT;
        CallerFacts.Builder facts = CallerFacts.builder(origin, Krn.client(home.getName(), client.getClientId()), client.getId());
        return account(facts, home, serviceAccount, wanted).value("kc:ClientId", client.getClientId());
    }

    /**
     * A caller known only by what an external identity provider of {@code realm} asserted (web identity, SAML).
     * Only the provider's KRN is its principal: never the realm's root, so never {@code "*"} in an Allow.
     */
    public static CallerFacts.Builder ofExternal(RealmModel realm, IdentityProviderModel provider, Origin origin,
                                                 Map<String, List<String>> claims) {
        CallerFacts.Builder facts = CallerFacts.builder(origin, Krn.identityProvider(realm.getName(), provider.getAlias()),
                provider.getInternalId());
        base(facts, realm.getName()).value("kc:IdentityProvider", provider.getAlias());
        claims(facts, provider.getAlias(), claims);
        return facts;
    }

    /**
     * A user session that came through an identity provider (brokered login) is also that provider's principal,
     * and carries what the provider asserted at that login as {@code <alias>:<claim>}.
     */
    public static void brokered(KeycloakSession session, CallerFacts.Builder facts, RealmModel realm, String alias,
                                Map<String, List<String>> asserted) {
        IdentityProviderModel provider = session.identityProviders().getByAlias(alias);
        // A provider deleted since the login binds to nothing: its KRN can no longer admit anyone.
        facts.principal(Krn.identityProvider(realm.getName(), alias), provider == null ? "deleted:" + alias : provider.getInternalId())
                .value("kc:IdentityProvider", alias);
        claims(facts, alias, asserted);
    }

    /**
     * A role session presented for role chaining: it is seen as itself (its session KRN), as a session of its role
     * (the role's KRN, bound to the role's id), and, only when the chain began with a principal of the session's
     * realm, as a principal of that realm (root). Its tags are {@code kc:PrincipalTag/<key>}; its origin's
     * authentication and identity provider carry over (so guardrails on them hold along a chain); nothing else of
     * the principal behind it (AWS's rule: a chain never regains its origin's own rights).
     */
    public static CallerFacts.Builder ofRoleSession(RealmModel sessionRealm, RealmModel target, Krn session, Krn role,
                                                    String roleId, SessionOrigin origin, Map<String, String> tags) {
        Origin seen = sameRealm(sessionRealm, target) ? origin.origin() : origin.origin().seenFromOtherRealm();
        // A session KRN is bound to its role's id, like the role's KRN.
        CallerFacts.Builder facts = CallerFacts.builder(seen, session, roleId).principal(role, roleId);
        if (origin.origin().ownRealm()) {
            facts.principal(Krn.root(sessionRealm.getName()), sessionRealm.getId());
        }
        base(facts, sessionRealm.getName());
        tags.forEach((key, value) -> facts.value("kc:PrincipalTag/" + key, value));
        origin.identityProvider().ifPresent(alias -> facts.value("kc:IdentityProvider", alias));
        origin.authentication().apply(facts);
        return facts;
    }

    /**
     * Facts that follow from a KRN alone, for the simulator's principals whose details are not at hand (another
     * realm, an identity provider, a user federation): the KRN, and for a principal of a realm that realm's root,
     * each standing for the object the role bound to it (a KRN the role binds to nothing admits no one).
     *
     * @param bindings the role's principal bindings (KRN to id)
     */
    public static CallerFacts.Builder ofKrn(Krn krn, String realmName, Map<String, String> bindings) {
        Origin origin = switch (krn.kind().orElseThrow()) {
            case IDENTITY_PROVIDER -> Origin.WEB_IDENTITY;
            case CLIENT -> krn.realm().equals(realmName) ? Origin.SERVICE_ACCOUNT : Origin.OTHER_REALM_SERVICE_ACCOUNT;
            default -> krn.realm().equals(realmName) ? Origin.USER : Origin.OTHER_REALM_USER;
        };
        CallerFacts.Builder facts = CallerFacts.builder(origin, krn, boundOrNothing(bindings, krn));
        if (origin != Origin.WEB_IDENTITY) {
            Krn root = Krn.root(krn.realm());
            facts.principal(root, boundOrNothing(bindings, root));
        }
        base(facts, krn.realm());
        String resource = krn.resource();
        switch (krn.kind().orElseThrow()) {
            case USER -> facts.value("kc:Username", resource.substring("user/".length()));
            case CLIENT -> facts.value("kc:ClientId", resource.substring("client/".length()));
            case IDENTITY_PROVIDER -> facts.value("kc:IdentityProvider", resource.substring("identity-provider/".length()));
            case USER_FEDERATION -> facts.value("kc:FederationLink", resource.substring("user-federation/".length()));
            case GROUP -> facts.value("kc:Groups", resource.substring("group".length()));
            default -> {
            }
        }
        return facts;
    }

    private static String boundOrNothing(Map<String, String> bindings, Krn krn) {
        String id = bindings.get(krn.toString());
        return id == null ? "unbound:" + krn : id;
    }

    /** The user account's own facts: realm, groups (with their parents), roles, attributes, federation link. */
    private static CallerFacts.Builder account(CallerFacts.Builder facts, RealmModel home, UserModel user,
                                               Predicate<String> wanted) {
        facts.principal(Krn.root(home.getName()), home.getId());
        base(facts, home.getName()).value("kc:Username", user.getUsername()).value("kc:UserId", user.getId());
        // A member of /engineering/sre is also a member of /engineering: both paths, both group KRNs.
        Map<String, String> groups = new java.util.LinkedHashMap<>();
        user.getGroupsStream().forEach(group -> {
            for (GroupModel g = group; g != null; g = g.getParent()) {
                groups.putIfAbsent(ModelToRepresentation.buildGroupPath(g), g.getId());
            }
        });
        groups.forEach((path, id) -> facts.principal(Krn.group(home.getName(), path), id));
        facts.value("kc:Groups", groups.keySet());
        if (wanted.test("kc:realmroles")) {
            facts.value("kc:RealmRoles", RoleUtils.getDeepUserRoleMappings(user).stream()
                    .filter(role -> !role.isClientRole()).map(RoleModel::getName).sorted().toList());
        }
        // Attribute names are case-sensitive in Keycloak: each is its own key, so two attributes never merge.
        for (Map.Entry<String, List<String>> attribute : user.getAttributes().entrySet()) {
            String key = "kc:PrincipalAttribute/" + attribute.getKey();
            if (wanted.test(ConditionKeys.normalize(key))) {
                facts.value(key, attribute.getValue());
            }
        }
        if (user.getFederationLink() != null) {
            ComponentModel provider = home.getComponent(user.getFederationLink());
            if (provider != null) {
                facts.principal(Krn.userFederation(home.getName(), provider.getName()), provider.getId());
                facts.value("kc:FederationLink", provider.getName());
            }
        }
        return facts;
    }

    private static CallerFacts.Builder base(CallerFacts.Builder facts, String realmName) {
        long now = Time.currentTimeMillis();
        return facts.value("kc:PrincipalKrn", facts.principalKrn().toString())
                .value("kc:Realm", realmName)
                .value("kc:CurrentTime", Instant.ofEpochMilli(now).toString())
                .value("kc:EpochTime", String.valueOf(now / 1000));
    }

    /** An identity provider's claims as {@code <alias>:<claim>}; never under a reserved namespace. */
    private static void claims(CallerFacts.Builder facts, String alias, Map<String, List<String>> claims) {
        if (ConditionKeys.reservedNamespace(alias)) {
            return; // "kc:Username" must never come from a provider aliased "kc"; trust policies cannot name it either
        }
        claims.forEach((name, values) -> facts.value(alias + ":" + name, values));
    }

    private static boolean sameRealm(RealmModel a, RealmModel b) {
        return a.getId().equals(b.getId());
    }
}
