package io.github.keycloaksts.it;

import org.keycloak.testframework.server.KeycloakServerConfig;
import org.keycloak.testframework.server.KeycloakServerConfigBuilder;

/** The server every integration test runs: stock Keycloak with this project's classes deployed as a provider. */
public final class StsServerConfig implements KeycloakServerConfig {

    @Override
    public KeycloakServerConfigBuilder configure(KeycloakServerConfigBuilder config) {
        // "Last used" is written every second instead of every minute, so tests can see it reach the database.
        return config.dependencyCurrentProject()
                .spiOption("oauth2-token-exchange", "keycloak-sts-assume-role", "last-used-flush-seconds", "1");
    }
}
