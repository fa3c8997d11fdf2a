package io.github.keycloaksts.sts;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProviderFactory;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;
import org.keycloak.protocol.oidc.TokenIntrospectionProviderFactory;

/**
 * Replaces Keycloak's {@code access_token} introspection provider (same id, higher order: Keycloak keeps the
 * highest-ordered factory per id) with one that handles role sessions and delegates every other token to
 * Keycloak's own code.
 */
public final class RoleSessionIntrospectionProviderFactory implements TokenIntrospectionProviderFactory {

    @Override
    public TokenIntrospectionProvider create(KeycloakSession session) {
        return new RoleSessionIntrospectionProvider(session);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return AccessTokenIntrospectionProviderFactory.ACCESS_TOKEN_TYPE;
    }

    @Override
    public int order() {
        return 100;
    }
}
