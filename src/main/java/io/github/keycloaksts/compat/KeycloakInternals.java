package io.github.keycloaksts.compat;

import org.keycloak.OAuth2Constants;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.common.VerificationException;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.crypto.SignatureVerifierContext;
import org.keycloak.models.ClientModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.encode.AccessTokenContext;
import org.keycloak.protocol.oidc.encode.TokenContextEncoderProvider;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.resources.IdentityBrokerService;

import java.util.Optional;

/**
 * Every call into a Keycloak-internal API whose shape changes between Keycloak minors, in one place: supporting
 * another minor means changing this class. What differs in 26.4.7 and 26.5.6, the newest patches of the earlier
 * minors on Maven Central, is noted at each method (docs/production.md, "Upgrading"); against 26.5.6 only
 * {@link #corsFor} does not compile. {@code AssumeRoleTokenExchangeProvider} also implements 26.5's
 * {@code getVersion()}. Public SPIs (models, providers, the token-exchange
 * context, the single-use-object store) are used directly elsewhere.
 */
public final class KeycloakInternals {

    /** A bearer access token verified as Keycloak verifies bearer tokens, with its user and user session. */
    public record VerifiedBearer(UserModel user, AccessToken token, UserSessionModel userSession) {
    }

    private KeycloakInternals() {
    }

    /**
     * {@code AuthenticationManager.verifyIdentityToken}: signature with one of the realm's active keys, expiry,
     * revocation, type Bearer, a valid user session of an enabled user and client. The context's realm must be
     * the token's. 26.4: {@code AuthResult} has getters, not record accessors.
     */
    public static Optional<VerifiedBearer> verifyAccessToken(KeycloakSession session, RealmModel realm, String token) {
        KeycloakContext context = session.getContext();
        AuthenticationManager.AuthResult result = AuthenticationManager.verifyIdentityToken(session, realm, context.getUri(),
                context.getConnection(), true, true, null, false, token, context.getRequestHeaders(), verifier -> {
                });
        return Optional.ofNullable(result).map(r -> new VerifiedBearer(r.user(), r.token(), r.session()));
    }

    /** {@code AppAuthManager.BearerTokenAuthenticator}, as Keycloak's own REST endpoints authenticate. 26.4: getters. */
    public static Optional<VerifiedBearer> authenticateBearer(KeycloakSession session, RealmModel realm, String token) {
        AuthenticationManager.AuthResult result = new AppAuthManager.BearerTokenAuthenticator(session)
                .setRealm(realm).setTokenString(token).authenticate();
        return Optional.ofNullable(result).map(r -> new VerifiedBearer(r.user(), r.token(), r.session()));
    }

    /** {@code IdentityBrokerService.getIdentityProvider}. 26.4: another signature. */
    public static OIDCIdentityProvider oidcIdentityProvider(KeycloakSession session, IdentityProviderModel model) {
        return IdentityBrokerService.getIdentityProvider(session, model, OIDCIdentityProvider.class);
    }

    /**
     * The realm's verifier for a JWS algorithm and key id: {@code alg=none} or an algorithm without a provider is
     * refused. Written against the provider lookup, which all these minors share (26.7's
     * {@code CryptoUtils.getSignatureProvider} does the same and is absent in 26.5).
     */
    public static SignatureVerifierContext signatureVerifier(KeycloakSession session, String algorithm, String keyId)
            throws VerificationException {
        SignatureProvider provider = algorithm == null ? null : session.getProvider(SignatureProvider.class, algorithm);
        if (provider == null) {
            throw new VerificationException("unsupported token algorithm: " + algorithm);
        }
        return provider.verifier(keyId);
    }

    /** CORS for an authenticated response to this client. 26.5 and earlier: {@code allowedOrigins(session, client)}. */
    public static Cors corsFor(KeycloakSession session, ClientModel client) {
        return Cors.builder().auth().checkAllowedOrigins(session, client);
    }

    /**
     * A fresh {@code jti} carrying Keycloak's token context for a regular token of an online session, obtained by
     * token exchange (see {@code RoleSessionTokens.tokenId} for why the context matters).
     */
    public static String onlineTokenExchangeTokenId(KeycloakSession session) {
        return session.getProvider(TokenContextEncoderProvider.class).encodeTokenId(new AccessTokenContext(
                AccessTokenContext.SessionType.ONLINE, AccessTokenContext.TokenType.REGULAR,
                OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE, KeycloakModelUtils.generateId()));
    }
}
