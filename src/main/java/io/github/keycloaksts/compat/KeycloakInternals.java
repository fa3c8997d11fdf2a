package io.github.keycloaksts.compat;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.broker.provider.IdentityProvider;
import org.keycloak.broker.provider.IdentityProviderFactory;
import org.keycloak.broker.social.SocialIdentityProvider;
import org.keycloak.common.ClientConnection;
import org.keycloak.common.Version;
import org.keycloak.common.VerificationException;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.crypto.SignatureVerifierContext;
import org.keycloak.models.ClientModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.SingleUseObjectProvider;
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

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Collections;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Every call into a Keycloak-internal API whose shape changes between Keycloak minors, in one place: supporting
 * another minor means changing this class. One jar runs on Keycloak 26.4 to 26.7 ({@link KeycloakVersion}); what
 * differs is resolved once, by {@link #start()} from {@code IamRoleJpaEntityProviderFactory.init} (every deployment
 * loads our schema), so that a server of
 * another version, or one missing a method we call, fails to start with a message that says why instead of
 * answering 500 at the first request. What differs between 26.4.7, 26.5.6, 26.6.4 and 26.7.x (found by compiling
 * against each minor's SPI jars and by {@code src/test/compat/LinkageCheck.java} on each distribution):
 * <ul>
 *   <li>CORS for a client: {@code Cors.checkAllowedOrigins(session, client)} from 26.6, {@code allowedOrigins}
 *       before (a method handle);</li>
 *   <li>revoking an access token: {@code session.revokedTokens()} from 26.7, the single-use store's
 *       {@code <jti>.revoked} entry before (method handles);</li>
 *   <li>{@code AuthenticationManager.AuthResult} is a record from 26.5 on: its getters exist in every minor and
 *       are the ones called;</li>
 *   <li>{@code IdentityBrokerService.getIdentityProvider} has other signatures in 26.4: identity providers are
 *       created through the public provider SPI instead, as that method does;</li>
 *   <li>26.5's {@code verifyIdentityToken} throws for an algorithm it has no provider for: tokens pass
 *       {@link VerifiableSignature} first;</li>
 *   <li>{@code UserModel::getId} compiled against 26.7 links to its new super-interface {@code Model}, absent
 *       in 26.4 and 26.5 (see {@code PrincipalBindings}).</li>
 * </ul>
 * {@code AssumeRoleTokenExchangeProvider} also implements 26.5's abstract {@code getVersion()}. Public SPIs
 * (models, providers, the token-exchange context, the single-use-object store) are used directly elsewhere.
 */
public final class KeycloakInternals {

    private static final Logger LOG = Logger.getLogger(KeycloakInternals.class);

    /** A bearer access token verified as Keycloak verifies bearer tokens, with its user and user session. */
    public record VerifiedBearer(UserModel user, AccessToken token, UserSessionModel userSession) {
    }

    /** What {@link #start()} resolved for this server. */
    private record Resolved(KeycloakVersion version, MethodHandle corsForClient, MethodHandle revokedTokens,
                            MethodHandle revokedTokenPut) {
    }

    private static volatile Resolved resolved;

    private KeycloakInternals() {
    }

    /**
     * Detects the server's version and resolves the calls that differ between minors, once; later calls return at
     * once. Logs the detected version at INFO.
     *
     * @throws IllegalStateException if the server is not a supported version or lacks a method this jar calls
     */
    public static synchronized void start() {
        if (resolved == null) {
            resolved = resolve(KeycloakVersion.parse(Version.VERSION));
            LOG.infof("keycloak-sts: Keycloak %s detected (supported: %s); CORS through %s, token revocation through %s",
                    resolved.version(), KeycloakVersion.supportedRange(),
                    resolved.version().atLeast(26, 6) ? "Cors.checkAllowedOrigins" : "Cors.allowedOrigins",
                    resolved.revokedTokens() != null ? "the revoked-token store" : "the single-use-object store");
        }
    }

    private static Resolved resolved() {
        Resolved current = resolved;
        if (current == null) {
            start();
            current = resolved;
        }
        return current;
    }

    static Resolved resolve(KeycloakVersion version) {
        if (!version.supported()) {
            throw new IllegalStateException("keycloak-sts supports Keycloak " + KeycloakVersion.supportedRange()
                    + "; this server is Keycloak " + version + ". Use a keycloak-sts release made for this version"
                    + " (docs/production.md, \"Upgrading\").");
        }
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            // Calls made directly below: their absence would otherwise surface as NoSuchMethodError at a request.
            lookup.findStatic(AuthenticationManager.class, "verifyIdentityToken", MethodType.methodType(
                    AuthenticationManager.AuthResult.class, KeycloakSession.class, RealmModel.class, UriInfo.class,
                    ClientConnection.class, boolean.class, boolean.class, String.class, boolean.class, String.class,
                    HttpHeaders.class, Consumer.class));
            for (String getter : new String[] {"getUser", "getToken", "getSession"}) {
                lookup.findVirtual(AuthenticationManager.AuthResult.class, getter,
                        MethodType.methodType(AuthenticationManager.AuthResult.class.getMethod(getter).getReturnType()));
            }
            lookup.findVirtual(AppAuthManager.BearerTokenAuthenticator.class, "authenticate",
                    MethodType.methodType(AuthenticationManager.AuthResult.class));
            lookup.findConstructor(AccessTokenContext.class, MethodType.methodType(void.class,
                    AccessTokenContext.SessionType.class, AccessTokenContext.TokenType.class, String.class, String.class));

            MethodType corsType = MethodType.methodType(Cors.class, KeycloakSession.class, ClientModel.class);
            MethodHandle cors = lookup.findVirtual(Cors.class,
                    version.atLeast(26, 6) ? "checkAllowedOrigins" : "allowedOrigins", corsType);
            MethodHandle revokedTokens = null;
            MethodHandle revokedTokenPut = null;
            if (version.atLeast(26, 7)) {
                Class<?> store = Class.forName("org.keycloak.models.RevokedTokenProvider", false,
                        KeycloakSession.class.getClassLoader());
                revokedTokens = lookup.findVirtual(KeycloakSession.class, "revokedTokens", MethodType.methodType(store));
                revokedTokenPut = lookup.findVirtual(store, "put",
                        MethodType.methodType(boolean.class, String.class, long.class));
            }
            return new Resolved(version, cors, revokedTokens, revokedTokenPut);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("keycloak-sts cannot run on Keycloak " + version
                    + ": a Keycloak method it calls is missing (" + e.getMessage() + "). Supported: "
                    + KeycloakVersion.supportedRange() + ".", e);
        }
    }

    /**
     * {@code AuthenticationManager.verifyIdentityToken}: signature with one of the realm's active keys, expiry,
     * revocation, type Bearer, a valid user session of an enabled user and client. The context's realm must be
     * the token's. A token whose algorithm or key the realm does not have is refused before Keycloak sees it
     * ({@link VerifiableSignature}).
     */
    public static Optional<VerifiedBearer> verifyAccessToken(KeycloakSession session, RealmModel realm, String token) {
        if (!VerifiableSignature.verifiable(session, realm, token)) {
            return Optional.empty();
        }
        KeycloakContext context = session.getContext();
        AuthenticationManager.AuthResult result = AuthenticationManager.verifyIdentityToken(session, realm, context.getUri(),
                context.getConnection(), true, true, null, false, token, context.getRequestHeaders(), verifier -> {
                });
        return Optional.ofNullable(result).map(KeycloakInternals::verified);
    }

    /** {@code AppAuthManager.BearerTokenAuthenticator}, as Keycloak's own REST endpoints authenticate. */
    public static Optional<VerifiedBearer> authenticateBearer(KeycloakSession session, RealmModel realm, String token) {
        if (!VerifiableSignature.verifiable(session, realm, token)) {
            return Optional.empty();
        }
        AuthenticationManager.AuthResult result = new AppAuthManager.BearerTokenAuthenticator(session)
                .setRealm(realm).setTokenString(token).authenticate();
        return Optional.ofNullable(result).map(KeycloakInternals::verified);
    }

    /** The getters, not the record accessors of 26.5+: 26.4's {@code AuthResult} has only the getters. */
    private static VerifiedBearer verified(AuthenticationManager.AuthResult result) {
        return new VerifiedBearer(result.getUser(), result.getToken(), result.getSession());
    }

    /**
     * The OIDC identity provider of a model, created by its factory as {@code IdentityBrokerService.getIdentityProvider}
     * does (whose signatures differ in 26.4): through the public {@code IdentityProvider} and
     * {@code SocialIdentityProvider} SPIs.
     *
     * @throws IllegalStateException if the model's provider is not installed or is not an OIDC provider
     */
    public static OIDCIdentityProvider oidcIdentityProvider(KeycloakSession session, IdentityProviderModel model) {
        KeycloakSessionFactory factories = session.getKeycloakSessionFactory();
        IdentityProviderFactory<?> factory = Stream.concat(factories.getProviderFactoriesStream(IdentityProvider.class),
                        factories.getProviderFactoriesStream(SocialIdentityProvider.class))
                .filter(f -> f.getId().equals(model.getProviderId()))
                .map(IdentityProviderFactory.class::cast)
                .findFirst().orElseThrow(() -> new IllegalStateException("no identity provider " + model.getProviderId()));
        IdentityProvider<?> provider = factory.create(session, model);
        if (!(provider instanceof OIDCIdentityProvider oidc)) {
            throw new IllegalStateException("identity provider " + model.getAlias() + " is not an OIDC provider");
        }
        return oidc;
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

    /** CORS for an authenticated response to this client: {@code checkAllowedOrigins} from 26.6, {@code allowedOrigins} before. */
    public static Cors corsFor(KeycloakSession session, ClientModel client) {
        try {
            return (Cors) resolved().corsForClient().invoke(Cors.builder().auth(), session, client);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Marks an access token revoked for Keycloak's own verifiers (bearer authentication, introspection, userinfo)
     * until it would have expired: the revoked-token store from 26.7, the single-use store's {@code <jti>.revoked}
     * entry (as 26.4-26.6's revocation endpoint writes it) before.
     */
    public static void revokeAccessToken(KeycloakSession session, String tokenId, long lifespanSeconds) {
        Resolved calls = resolved();
        try {
            if (calls.revokedTokens() != null) {
                calls.revokedTokenPut().invoke(calls.revokedTokens().invoke(session), tokenId, lifespanSeconds);
            } else {
                session.singleUseObjects().put(tokenId + SingleUseObjectProvider.REVOKED_KEY, lifespanSeconds,
                        Collections.emptyMap());
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
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
