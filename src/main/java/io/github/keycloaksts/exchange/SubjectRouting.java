package io.github.keycloaksts.exchange;

import io.github.keycloaksts.federation.SamlAssertions;
import io.github.keycloaksts.federation.WebIdentityTokens;
import io.github.keycloaksts.oauth.StsException;
import io.github.keycloaksts.subject.Caller;
import io.github.keycloaksts.subject.PriorSession;
import io.github.keycloaksts.subject.SubjectBinding;
import io.github.keycloaksts.subject.SubjectToken;
import io.github.keycloaksts.subject.SubjectTokenVerifier;
import io.github.keycloaksts.subject.VerifiedSubject;
import org.keycloak.models.ClientModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

import java.util.Optional;

/**
 * Which verifier a subject token goes to, and so who the caller is: a role session (chaining), a SAML assertion or
 * a token of one of the realm's identity providers (AssumeRoleWithSAML, web identity), or an access token of a
 * realm of this server. Then, for tokens of this server, which client may exchange them ({@link SubjectBinding}).
 */
final class SubjectRouting {

    private SubjectRouting() {
    }

    static Caller caller(KeycloakSession session, RealmModel realm, ClientModel requester, AssumeRoleRequest request) {
        SubjectToken token = SubjectToken.of(session, request.subjectToken()).orElse(null);
        if (token != null && token.claimsRoleSession()) {
            PriorSession prior = PriorSession.verify(session, token);
            SubjectBinding.require(requester, prior.token(), prior.realm().getId().equals(realm.getId()));
            return prior;
        }
        if (request.subjectTokenType().equals(SamlAssertions.SAML2_TYPE)) {
            return SamlAssertions.verify(session, realm, request.subjectIssuer(), request.subjectToken());
        }
        String issuer = token == null ? null : token.issuer();
        // The realm's own tokens (the common case) are never an identity provider's: skip looking through the
        // realm's providers, which costs a provider lookup per exchange (measured with JFR in ExchangeBenchmark).
        boolean ownRealm = request.subjectIssuer().isEmpty() && !request.subjectTokenType().equals(WebIdentityTokens.ID_TOKEN_TYPE)
                && issuer != null && issuer.equals(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        Optional<IdentityProviderModel> provider = ownRealm ? Optional.empty()
                : WebIdentityTokens.providerFor(session, request.subjectIssuer(), issuer);
        if (provider.isPresent()) {
            return WebIdentityTokens.verify(session, realm, provider.get(), request.subjectToken());
        }
        if (request.subjectTokenType().equals(WebIdentityTokens.ID_TOKEN_TYPE)) {
            throw StsException.invalidRequest("subject_token", "an ID token must come from an identity provider of this realm");
        }
        if (token == null) {
            throw StsException.invalidRequest("subject_token", "not a token this server issued");
        }
        VerifiedSubject subject = SubjectTokenVerifier.verify(session, token);
        SubjectBinding.require(requester, subject.token(), subject.realm().getId().equals(realm.getId()));
        return subject;
    }
}
