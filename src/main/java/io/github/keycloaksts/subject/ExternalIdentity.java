package io.github.keycloaksts.subject;

import io.github.keycloaksts.session.RoleChain;
import io.github.keycloaksts.session.SessionNames;

import io.github.keycloaksts.facts.Authentication;
import io.github.keycloaksts.facts.CallerFacts;
import io.github.keycloaksts.facts.Origin;
import io.github.keycloaksts.facts.PrincipalFacts;
import io.github.keycloaksts.facts.SessionOrigin;
import io.github.keycloaksts.policy.Krn;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A caller known only by what an external identity provider of the realm asserted in a token it verified: an
 * OpenID Connect token ({@link WebIdentityTokens}, AWS AssumeRoleWithWebIdentity) or a SAML assertion
 * ({@link SamlAssertions}, AWS AssumeRoleWithSAML). The identity is transient: no user is created or linked.
 *
 * @param provider        the identity provider
 * @param origin          {@link Origin#WEB_IDENTITY} or {@link Origin#SAML}
 * @param externalSubject who the provider says it is ({@code sub}, or the SAML NameID)
 * @param claims          what the provider asserted, as text values per claim or attribute name
 * @param action          the trust-policy action of the request
 */
public record ExternalIdentity(RealmModel realm, IdentityProviderModel provider, Origin origin, String externalSubject,
                        Map<String, List<String>> claims, String action) implements Caller {

    public ExternalIdentity {
        claims = Map.copyOf(claims);
    }

    public String alias() {
        return provider.getAlias();
    }

    @Override
    public Krn principal() {
        return Krn.identityProvider(realm.getName(), provider.getAlias());
    }

    @Override
    public CallerFacts facts(KeycloakSession session, RealmModel target, Predicate<String> wanted) {
        return PrincipalFacts.ofExternal(realm, provider, origin, claims).build();
    }

    /** An external token's authentication is the provider's to state: policies read it as {@code <alias>:amr}. */
    @Override
    public SessionOrigin origin(RealmModel target) {
        return new SessionOrigin(origin, realm.getId(), null, Optional.of(provider.getAlias()), Authentication.NONE);
    }

    /** {@code <provider KRN>/<external subject>}: stable per person and provider, and never a local user id. */
    @Override
    public String subject(RealmModel target) {
        return principal() + "/" + externalSubject;
    }

    @Override
    public Optional<String> localUserId(RealmModel target) {
        return Optional.empty();
    }

    @Override
    public String defaultSessionName() {
        return SessionNames.derivedFrom(externalSubject);
    }

    @Override
    public Optional<RoleChain> chain() {
        return Optional.empty();
    }
}
