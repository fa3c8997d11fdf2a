package io.github.keycloaksts.sts;

import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.Decision;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.policy.TrustPolicy;
import io.github.keycloaksts.principal.PrincipalFacts;
import io.github.keycloaksts.role.PermissionNames;
import io.github.keycloaksts.role.RoleKrn;
import io.github.keycloaksts.store.CompiledTrustPolicies;
import io.github.keycloaksts.store.IamRoleEntity;
import io.github.keycloaksts.store.IamRoleStore;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.representations.AccessToken;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The decision to issue a role session (kept apart from minting it): verify the subject token, find the role,
 * evaluate its compiled trust policy against facts of the verified principal and the request, then apply the
 * duration and audience rules. Unknown and untrusted roles end identically (403 access_denied).
 */
final class AssumeRoleExchange {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ClientModel requester;

    AssumeRoleExchange(KeycloakSession session, RealmModel realm, ClientModel requester) {
        this.session = session;
        this.realm = realm;
        this.requester = requester;
    }

    RoleSession decide(AssumeRoleRequest request) {
        VerifiedSubject subject = SubjectTokenVerifier.verify(session, request.subjectToken());
        Krn principal = principalKrn(subject);
        IamRoleEntity role = findRole(request.role())
                .orElseThrow(() -> StsException.accessDenied("role '" + request.role() + "' not found"));
        String roleKrn = RoleKrn.of(realm.getName(), role.getPath(), role.getName());
        String sessionName = request.roleSessionName().orElseGet(() -> defaultSessionName(subject));

        TrustPolicy policy = CompiledTrustPolicies.of(role, realm.getName());
        AccessRequest.Builder facts = facts(subject, principal, policy)
                .value("sts:RoleSessionName", sessionName)
                .value("sts:ExternalId", request.externalId().map(List::of).orElse(List.of()))
                .value("sts:SourceIdentity", request.sourceIdentity().map(List::of).orElse(List.of()))
                .value("kc:ClientId", requester.getClientId())
                .value("kc:SourceIp", session.getContext().getConnection().getRemoteAddr())
                .value("kc:TagKeys", request.sessionTags().keySet());
        request.sessionTags().forEach((key, value) -> facts.value("kc:RequestTag/" + key, value));
        Decision decision = allowed(policy, facts.action("sts:AssumeRole").build(), roleKrn);
        // As AWS: passing tags needs sts:TagSession, setting a source identity needs sts:SetSourceIdentity.
        if (!request.sessionTags().isEmpty()) {
            allowed(policy, facts.action("sts:TagSession").build(), roleKrn);
        }
        if (request.sourceIdentity().isPresent()) {
            allowed(policy, facts.action("sts:SetSourceIdentity").build(), roleKrn);
        }

        int duration = request.durationSeconds().orElse(Math.min(3600, role.getMaxSessionDuration()));
        if (duration > role.getMaxSessionDuration()) {
            throw StsException.invalidRequest("duration_seconds", "exceeds the role's maximum session duration ("
                    + role.getMaxSessionDuration() + " s)");
        }
        Set<String> granted = granted(role, request.sessionPolicy());
        return new RoleSession(role, roleKrn, subject, principal, sessionName, duration,
                audiences(granted, request.audiences()), decision, granted, request.sessionTags(),
                request.transitiveTagKeys(), request.sourceIdentity());
    }

    private static Decision allowed(TrustPolicy policy, AccessRequest request, String roleKrn) {
        Decision decision = policy.evaluate(request);
        if (!decision.allowed()) {
            throw StsException.accessDenied(request.action() + ": " + decision.outcome().json() + " by the trust policy of "
                    + roleKrn + (decision.matchedStatements().isEmpty() ? "" : " (statements " + decision.matchedStatements() + ")"));
        }
        return decision;
    }

    /**
     * The Keycloak roles the session carries: the role's grants, or with a session policy their intersection with
     * it (AWS session policies only ever narrow; naming something the role does not grant is not an error).
     */
    private Set<String> granted(IamRoleEntity role, Optional<PermissionNames> sessionPolicy) {
        if (sessionPolicy.isEmpty()) {
            return Set.copyOf(role.getGrantedRoleIds());
        }
        Set<String> kept = new LinkedHashSet<>();
        for (String roleId : role.getGrantedRoleIds()) {
            RoleModel grantedRole = realm.getRoleById(roleId);
            if (grantedRole == null) {
                continue;
            }
            boolean wanted = grantedRole.isClientRole()
                    ? sessionPolicy.get().clientRoles().getOrDefault(((ClientModel) grantedRole.getContainer()).getClientId(),
                    java.util.Collections.emptySortedSet()).contains(grantedRole.getName())
                    : sessionPolicy.get().realmRoles().contains(grantedRole.getName());
            if (wanted) {
                kept.add(roleId);
            }
        }
        return kept;
    }

    private Optional<IamRoleEntity> findRole(String nameOrKrn) {
        if (nameOrKrn.startsWith("krn:")) {
            Optional<Krn> krn = Krn.parse(nameOrKrn);
            if (krn.isEmpty() || krn.get().kind().orElseThrow() != Krn.Kind.ROLE || !krn.get().realm().equals(realm.getName())) {
                return Optional.empty();
            }
            String path = krn.get().rolePath();
            return store().findByNameWithGrants(realm.getId(), krn.get().roleName()).filter(r -> r.getPath().equals(path));
        }
        return store().findByNameWithGrants(realm.getId(), nameOrKrn);
    }

    /** Facts of the verified principal, plus those its token carries (authentication strength and time). */
    private AccessRequest.Builder facts(VerifiedSubject subject, Krn principal, TrustPolicy policy) {
        Predicate<String> wanted = policy.referencedKeys()::contains;
        AccessRequest.Builder facts = subject.serviceAccountOf() != null
                ? PrincipalFacts.ofClient(subject.realm(), subject.serviceAccountOf(), subject.user(), wanted)
                : PrincipalFacts.ofUser(subject.realm(), subject.user(), principal, wanted);
        facts.fromOtherRealm(!subject.realm().getId().equals(realm.getId()));
        AccessToken token = subject.token();
        if (token.getAcr() != null) {
            facts.value("kc:Acr", token.getAcr());
        }
        if (token.getAuth_time() != null && token.getAuth_time() > 0) {
            facts.value("kc:AuthTime", Instant.ofEpochSecond(token.getAuth_time()).toString());
        }
        Authentication.of(token).apply(facts);
        return facts;
    }

    private static Krn principalKrn(VerifiedSubject subject) {
        return subject.serviceAccountOf() != null
                ? Krn.client(subject.realm().getName(), subject.serviceAccountOf().getClientId())
                : Krn.user(subject.realm().getName(), subject.user().getUsername());
    }

    /** AWS derives nothing; we default to the username (or client id), made to fit the session-name rules. */
    private static String defaultSessionName(VerifiedSubject subject) {
        String base = subject.serviceAccountOf() != null ? subject.serviceAccountOf().getClientId() : subject.user().getUsername();
        String name = base.replaceAll("[^\\w+=,.@-]", "-");
        if (name.length() > 64) {
            name = name.substring(0, 64);
        }
        return name.length() < 2 ? name + "-session" : name;
    }

    /**
     * {@code aud}: the clients whose roles the session carries (a resource server sees itself in {@code aud}
     * exactly when the session carries roles for it). A requested audience must be one of those: RFC 8693 invalid_target.
     */
    private List<String> audiences(Set<String> grantedRoleIds, List<String> requested) {
        Set<String> granted = new LinkedHashSet<>();
        for (String roleId : grantedRoleIds) {
            RoleModel grantedRole = realm.getRoleById(roleId);
            if (grantedRole != null && grantedRole.isClientRole()) {
                granted.add(((ClientModel) grantedRole.getContainer()).getClientId());
            }
        }
        if (requested.isEmpty()) {
            return List.copyOf(granted);
        }
        for (String audience : requested) {
            if (!granted.contains(audience)) {
                throw StsException.invalidTarget(audience);
            }
        }
        return List.copyOf(new LinkedHashSet<>(requested));
    }

    private IamRoleStore store() {
        return new IamRoleStore(session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }
}
