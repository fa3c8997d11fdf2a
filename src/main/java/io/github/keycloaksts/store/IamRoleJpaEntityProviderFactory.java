package io.github.keycloaksts.store;

import io.github.keycloaksts.compat.KeycloakInternals;
import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Our schema's factory. Its id names Liquibase's changelog table for us: Keycloak keeps the first ten letters, so
 * the table is {@code DATABASECHANGELOG_KCSTS}.
 */
public final class IamRoleJpaEntityProviderFactory implements JpaEntityProviderFactory {

    static final String ID = "kcsts";

    private static final IamRoleJpaEntityProvider PROVIDER = new IamRoleJpaEntityProvider();

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public void init(Config.Scope config) {
        // Every deployment loads our schema's factory: a server of an unsupported Keycloak version stops here, at
        // start-up, with a message naming the versions this jar supports.
        KeycloakInternals.start();
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(new KeycloakChangeListener());
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
