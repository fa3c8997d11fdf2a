package io.github.keycloaksts.federation;

import io.github.keycloaksts.oauth.StsException;
import io.github.keycloaksts.subject.ExternalIdentity;

import io.github.keycloaksts.compat.KeycloakInternals;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.JsonWebToken;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies a token of an external OpenID Connect provider configured in the realm (AWS AssumeRoleWithWebIdentity):
 * the caller is a mobile or single-page app with no secret and no user in the realm. The token is verified by the
 * provider's own Keycloak code ({@link OIDCIdentityProvider#validateToken(String)}: signature with the provider's
 * keys or JWKS, {@code exp}/{@code nbf} with its clock skew, {@code aud} containing the provider's client id,
 * {@code azp} if present equal to it, {@code iss} one of its issuers).
 */
public final class WebIdentityTokens {

    public static final String ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
    public static final String ACTION = "sts:AssumeRoleWithWebIdentity";

    private WebIdentityTokens() {
    }
    /**
     * The OIDC identity provider a subject token is for: the one named by {@code subject_issuer}, else the enabled
     * OIDC provider whose issuer is the token's {@code iss}.
     */
    public static Optional<IdentityProviderModel> providerFor(KeycloakSession session, Optional<String> subjectIssuer, String issuer) {
        if (subjectIssuer.isPresent()) {
            IdentityProviderModel named = session.identityProviders().getByAlias(subjectIssuer.get());
            if (named == null || !named.isEnabled() || !isOidc(named)) {
                throw StsException.invalidRequest("subject_issuer", "no enabled OpenID Connect identity provider '"
                        + subjectIssuer.get() + "' in this realm");
            }
            return Optional.of(named);
        }
        if (issuer == null) {
            return Optional.empty();
        }
        List<IdentityProviderModel> matching = session.identityProviders().getAllStream()
                .filter(IdentityProviderModel::isEnabled).filter(WebIdentityTokens::isOidc)
                .filter(model -> issuers(model).contains(issuer)).toList();
        if (matching.size() > 1) {
            throw StsException.invalidRequest("subject_issuer", "several identity providers have the issuer of this"
                    + " token; name one by its alias");
        }
        return matching.stream().findFirst();
    }

    public static ExternalIdentity verify(KeycloakSession session, RealmModel realm, IdentityProviderModel model, String token) {
        OIDCIdentityProviderConfig config = new OIDCIdentityProviderConfig(model);
        // An unsigned or unchecked token proves nothing: refuse providers configured not to validate signatures
        // or without an issuer to check.
        if (!config.isValidateSignature() || config.getIssuer() == null || config.getIssuer().isBlank()) {
            throw StsException.invalidRequest("subject_issuer", "identity provider '" + model.getAlias()
                    + "' must validate signatures and name its issuer to be used for web identity");
        }
        OIDCIdentityProvider provider = KeycloakInternals.oidcIdentityProvider(session, model);
        JsonWebToken verified;
        try {
            verified = provider.validateToken(token);
        } catch (RuntimeException e) { // IdentityBrokerException, or a malformed token
            throw StsException.invalidRequest("subject_token", "not a valid token of identity provider '"
                    + model.getAlias() + "' (signature, issuer, audience or expiry)");
        }
        if (verified.getSubject() == null || verified.getSubject().isBlank() || verified.getExp() == null) {
            throw StsException.invalidRequest("subject_token", "a web identity token needs 'sub' and 'exp'");
        }
        return new ExternalIdentity(realm, model, io.github.keycloaksts.facts.Origin.WEB_IDENTITY, verified.getSubject(), claims(verified), ACTION);
    }

    private static boolean isOidc(IdentityProviderModel model) {
        return "oidc".equals(model.getProviderId()) || "keycloak-oidc".equals(model.getProviderId());
    }

    private static List<String> issuers(IdentityProviderModel model) {
        String issuers = new OIDCIdentityProviderConfig(model).getIssuer();
        return issuers == null ? List.of() : List.of(issuers.split("\\s*,\\s*"));
    }

    /** Every claim with text, number or boolean values (arrays give several values; objects are left out). */
    private static Map<String, List<String>> claims(JsonWebToken token) {
        Map<String, Object> raw = new java.util.LinkedHashMap<>(token.getOtherClaims());
        raw.put("sub", token.getSubject());
        raw.put("iss", token.getIssuer());
        if (token.getAudience() != null) {
            raw.put("aud", List.of(token.getAudience()));
        }
        if (token.getIssuedFor() != null) {
            raw.put("azp", token.getIssuedFor());
        }
        Map<String, List<String>> claims = new java.util.LinkedHashMap<>();
        raw.forEach((name, value) -> {
            List<String> values = values(value);
            if (!values.isEmpty()) {
                claims.put(name, values);
            }
        });
        return claims;
    }

    private static List<String> values(Object value) {
        if (value instanceof Collection<?> many) {
            List<String> values = new ArrayList<>();
            for (Object item : many) {
                if (item instanceof String || item instanceof Number || item instanceof Boolean) {
                    values.add(String.valueOf(item));
                }
            }
            return values;
        }
        return value instanceof String || value instanceof Number || value instanceof Boolean
                ? List.of(String.valueOf(value)) : List.of();
    }
}
