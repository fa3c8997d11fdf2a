package io.github.keycloaksts.admin;

import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.Decision;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.policy.PolicyCompilation;
import io.github.keycloaksts.policy.PolicyCompiler;
import io.github.keycloaksts.policy.PolicyEnvironment;
import io.github.keycloaksts.policy.TrustPolicy;
import io.github.keycloaksts.facts.Authentication;
import io.github.keycloaksts.facts.CallerFacts;
import io.github.keycloaksts.facts.Origin;
import io.github.keycloaksts.facts.PrincipalFacts;
import io.github.keycloaksts.facts.SessionOrigin;
import io.github.keycloaksts.store.PrincipalBindings;
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
import java.util.Optional;
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
        Optional<IamRoleEntity> role = request.role().map(name -> new IamRoles(session, realm).get(name));
        TrustPolicy policy = role.map(r -> CompiledTrustPolicies.of(r, realm.getName()))
                .orElseGet(() -> inlinePolicy(request, environment));
        // A role's principals as bound when it was saved; an inline policy's as they would be bound if saved now.
        Map<String, String> bindings = role.map(r -> (Map<String, String>) PrincipalBindings.of(session, r))
                .orElseGet(() -> PrincipalBindings.resolve(session, unsavedRole(), request.policy().orElseThrow().toString())
                        .principalIds());
        CallerFacts caller = facts(request.principal(), bindings);
        AccessRequest.Builder facts = caller.request(bindings).action(request.action());
        request.context().forEach(facts::value);
        AccessRequest accessRequest = facts.build();
        Decision decision = policy.evaluate(accessRequest);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("decision", decision.outcome());
        result.put("matchedStatements", decision.matchedStatements());
        result.put("explanation", decision.explanation());
        result.put("origin", caller.origin().json());
        // Every KRN the caller counts as; the decision matched only those the role binds to the caller's ids.
        result.put("principals", caller.principals().keySet());
        result.put("action", accessRequest.action());
        result.put("context", new TreeMap<>(accessRequest.context()));
        return result;
    }

    /** Stands for the role an inline policy would belong to: of this realm, named like no role. */
    private IamRoleEntity unsavedRole() {
        IamRoleEntity unsaved = new IamRoleEntity();
        unsaved.setId("unsaved");
        unsaved.setRealmId(realm.getId());
        unsaved.setNameKey("");
        unsaved.setPath("/");
        return unsaved;
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

    /**
     * The same facts an exchange would build ({@link PrincipalFacts}): from the principal's real groups, realm
     * roles and attributes when it is a user or client of this realm (which needs the right to view users), from
     * its KRN alone otherwise, standing for the object the policy bound to that KRN. An identity provider is an
     * external identity (never one of the realm's own principals), a session KRN a session begun by a user of
     * this realm.
     */
    private CallerFacts facts(Krn principal, Map<String, String> bindings) {
        if (!principal.realm().equals(realm.getName())) {
            // Another realm's users are not this administrator's to read: the KRN and the context say it all.
            return PrincipalFacts.ofKrn(principal, realm.getName(), bindings).build();
        }
        return switch (principal.kind().orElseThrow()) {
            case USER -> {
                auth.users().requireView();
                String username = principal.resource().substring("user/".length());
                UserModel user = session.users().getUserByUsername(realm, username);
                if (user == null) {
                    throw new InvalidRoleException(new FieldError("principal", "no user '" + username + "' in realm " + realm.getName()));
                }
                yield PrincipalFacts.ofUser(realm, realm, user, PrincipalFacts.ALL).build();
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
                yield PrincipalFacts.ofServiceAccount(realm, realm, client, serviceAccount, PrincipalFacts.ALL).build();
            }
            case ASSUMED_ROLE -> {
                // A session of role R is also R itself for trust policies that name R's KRN (role chaining).
                String roleName = principal.resource().split("/")[1];
                Optional<IamRoleEntity> sessionRole = new IamRoles(session, realm).store().findByName(realm.getId(), roleName);
                if (sessionRole.isEmpty()) {
                    throw new InvalidRoleException(new FieldError("principal", "no role '" + roleName + "' in realm " + realm.getName()));
                }
                Krn roleKrn = Krn.parse(RoleKrn.of(realm.getName(), sessionRole.get().getPath(), sessionRole.get().getName())).orElseThrow();
                SessionOrigin origin = new SessionOrigin(Origin.USER, realm.getId(), "simulated", Optional.empty(), Authentication.NONE);
                yield PrincipalFacts.ofRoleSession(realm, realm, principal, roleKrn, sessionRole.get().getId(), origin, Map.of()).build();
            }
            default -> PrincipalFacts.ofKrn(principal, realm.getName(), bindings).build();
        };
    }
}
