package io.github.keycloaksts.endpoints;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProviderFactory;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;
import org.keycloak.protocol.oidc.TokenIntrospectionProviderFactory;

/**
 * Replaces one of Keycloak's introspection providers (same id, higher order: Keycloak keeps the highest-ordered
 * factory per id) with one that answers role sessions itself and hands every other token to Keycloak's own
 * provider for that id. One subclass per {@code token_type_hint} Keycloak dispatches on, so that no hint leads a
 * role session around {@link RoleSessionValidator}; this one is {@code access_token}, the default.
 */
public class RoleSessionIntrospectionProviderFactory implements TokenIntrospectionProviderFactory {

    private final TokenIntrospectionProviderFactory keycloaks;

    public RoleSessionIntrospectionProviderFactory() {
        this(new AccessTokenIntrospectionProviderFactory());
    }

    RoleSessionIntrospectionProviderFactory(TokenIntrospectionProviderFactory keycloaks) {
        this.keycloaks = keycloaks;
    }

    @Override
    public final TokenIntrospectionProvider create(KeycloakSession session) {
        // access_token: the provider is Keycloak's AccessTokenIntrospectionProvider itself (Keycloak casts it).
        return new RoleSessionIntrospectionProvider(session,
                getId().equals(AccessTokenIntrospectionProviderFactory.ACCESS_TOKEN_TYPE) ? null : keycloaks.create(session));
    }

    @Override
    public final void init(Config.Scope config) {
        keycloaks.init(config);
    }

    @Override
    public final void postInit(KeycloakSessionFactory factory) {
        keycloaks.postInit(factory);
    }

    @Override
    public final void close() {
        keycloaks.close();
    }

    @Override
    public final String getId() {
        return keycloaks.getId();
    }

    @Override
    public final int order() {
        return 100;
    }

    /** {@code token_type_hint=refresh_token}. */
    public static final class RefreshToken extends RoleSessionIntrospectionProviderFactory {
        public RefreshToken() {
            super(new org.keycloak.protocol.oidc.RefreshTokenIntrospectionProviderFactory());
        }
    }

    /**
     * {@code token_type_hint=requesting_party_token}: Keycloak's RPT introspection would report a revoked sign-in
     * role session active (it checks the user session, not the role session's record).
     */
    public static final class RequestingPartyToken extends RoleSessionIntrospectionProviderFactory {
        public RequestingPartyToken() {
            super(new org.keycloak.authorization.protection.introspect.RPTIntrospectionProviderFactory());
        }
    }
}
