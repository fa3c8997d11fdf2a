package io.github.keycloaksts.sts;

import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.Krn;
import org.keycloak.common.util.Time;
import org.keycloak.models.RealmModel;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A caller known only by what an external identity provider of the realm asserted in a token it verified: an
 * OpenID Connect token ({@link WebIdentityTokens}, AWS AssumeRoleWithWebIdentity) or a SAML assertion
 * ({@link SamlAssertions}, AWS AssumeRoleWithSAML). The identity is transient: no user is created or linked.
 *
 * @param provider        the identity provider's alias
 * @param principal       the provider's KRN, {@code identity-provider/<alias>}
 * @param externalSubject who the provider says it is ({@code sub}, or the SAML NameID)
 * @param claims          what the provider asserted, as text values per claim or attribute name
 * @param action          the trust-policy action of the request
 */
record ExternalIdentity(RealmModel realm, String provider, Krn principal, String externalSubject,
                        Map<String, List<String>> claims, String action) implements Caller {

    ExternalIdentity {
        claims = Map.copyOf(claims);
    }

    /**
     * Only the provider's KRN is the principal: never the realm's root or "*", which mean the realm's own
     * principals. Every claim is {@code <alias>:<claim>}.
     */
    @Override
    public AccessRequest.Builder facts(RealmModel target, Predicate<String> wanted) {
        long now = Time.currentTimeMillis();
        AccessRequest.Builder facts = AccessRequest.builder().principal(principal).fromOtherRealm(true)
                .value("kc:PrincipalKrn", principal.toString())
                .value("kc:IdentityProvider", provider)
                .value("kc:Realm", realm.getName())
                .value("kc:CurrentTime", Instant.ofEpochMilli(now).toString())
                .value("kc:EpochTime", String.valueOf(now / 1000));
        claims.forEach((name, values) -> facts.value(provider + ":" + name, values));
        return facts;
    }

    /** {@code <provider KRN>/<external subject>}: stable per person and provider, and never a local user id. */
    @Override
    public String subject(RealmModel target) {
        return principal + "/" + externalSubject;
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
