package io.github.keycloaksts.sts;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.protocol.oidc.TokenExchangeProviderFactory;

/**
 * Registers AssumeRole with the token endpoint. Keycloak asks providers in descending {@link #order()} and takes
 * the first that supports a request; the standard (V2) provider has order 10, so ours (100) sees requests first and
 * declines every one without a {@code role} parameter.
 */
public final class AssumeRoleTokenExchangeProviderFactory implements TokenExchangeProviderFactory {

    public static final String ID = "keycloak-sts-assume-role";
    private static final AssumeRoleTokenExchangeProvider PROVIDER = new AssumeRoleTokenExchangeProvider();

    @Override
    public TokenExchangeProvider create(KeycloakSession session) {
        return PROVIDER;
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
        return ID;
    }

    @Override
    public int order() {
        return 100;
    }
}
