package io.github.keycloaksts.admin;

import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.Decision;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.policy.PolicyCompilation;
import io.github.keycloaksts.policy.PolicyCompiler;
import io.github.keycloaksts.policy.PolicyEnvironment;
import io.github.keycloaksts.policy.TrustPolicy;
import io.github.keycloaksts.principal.PrincipalFacts;
import io.github.keycloaksts.role.FieldError;
import io.github.keycloaksts.role.InvalidRoleException;
import io.github.keycloaksts.role.RoleKrn;
import io.github.keycloaksts.store.CompiledTrustPolicies;
import io.github.keycloaksts.store.IamRoleEntity;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * "Can X assume R, and why (not)?" Builds the same {@link AccessRequest} an exchange would, from the principal's
 * real groups, realm roles and attributes when it is a user or client of this realm (which needs the right to view
 * users), from its KRN alone otherwise; then applies the request's context values on top and evaluates the
 * compiled policy.
 */
final class Simulator {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;

    Simulator(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
    }

    Map<String, Object> simulate(SimulationRequest request, PolicyEnvironment environment) {
        TrustPolicy policy = request.role().map(this::rolePolicy).orElseGet(() -> inlinePolicy(request, environment));
        AccessRequest.Builder facts = facts(request.principal()).action(request.action());
        request.context().forEach(facts::value);
        AccessRequest accessRequest = facts.build();
        Decision decision = policy.evaluate(accessRequest);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("decision", decision.outcome());
        result.put("matchedStatements", decision.matchedStatements());
        result.put("explanation", decision.explanation());
        result.put("principals", accessRequest.principals());
        result.put("action", accessRequest.action());
        result.put("context", new TreeMap<>(accessRequest.context()));
        return result;
    }

    private TrustPolicy rolePolicy(String name) {
        IamRoleEntity role = new IamRoles(session, realm).get(name);
        return CompiledTrustPolicies.of(role, realm.getName());
    }

    private static TrustPolicy inlinePolicy(SimulationRequest request, PolicyEnvironment environment) {
        PolicyCompilation compilation = PolicyCompiler.compile(request.policy().orElseThrow(), environment);
        if (!compilation.valid()) {
            throw new InvalidRoleException(compilation.errors().stream()
                    .map(e -> new FieldError("policy", (e.path().isEmpty() ? "" : e.path() + ": ") + e.message())).toList(),
                    compilation.findings());
        }
        return compilation.policy().orElseThrow();
    }

    private AccessRequest.Builder facts(Krn principal) {
        if (!principal.realm().equals(realm.getName())) {
            // Another realm's users are not this administrator's to read: the KRN and the context say it all.
            return PrincipalFacts.ofKrn(principal).fromOtherRealm(true);
        }
        return switch (principal.kind().orElseThrow()) {
            case USER -> {
                auth.users().requireView();
                String username = principal.resource().substring("user/".length());
                UserModel user = session.users().getUserByUsername(realm, username);
                if (user == null) {
                    throw new InvalidRoleException(new FieldError("principal", "no user '" + username + "' in realm " + realm.getName()));
                }
                yield PrincipalFacts.ofUser(realm, user, principal, PrincipalFacts.ALL);
            }
            case CLIENT -> {
                auth.users().requireView();
                String clientId = principal.resource().substring("client/".length());
                ClientModel client = realm.getClientByClientId(clientId);
                UserModel serviceAccount = client == null ? null : session.users().getServiceAccount(client);
                if (serviceAccount == null) {
                    throw new InvalidRoleException(new FieldError("principal", "no client '" + clientId
                            + "' with a service account in realm " + realm.getName()));
                }
                yield PrincipalFacts.ofClient(realm, client, serviceAccount, PrincipalFacts.ALL);
            }
            case ASSUMED_ROLE -> {
                // A session of role R is also R itself for trust policies that name R's KRN (role chaining).
                String roleName = principal.resource().split("/")[1];
                AccessRequest.Builder facts = PrincipalFacts.ofKrn(principal);
                new IamRoles(session, realm).store().findByName(realm.getId(), roleName).ifPresent(role ->
                        facts.principal(RoleKrn.of(realm.getName(), role.getPath(), role.getName())));
                yield facts;
            }
            default -> PrincipalFacts.ofKrn(principal);
        };
    }
}
