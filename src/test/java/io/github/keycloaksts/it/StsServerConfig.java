package io.github.keycloaksts.it;

import org.keycloak.testframework.server.KeycloakServerConfig;
import org.keycloak.testframework.server.KeycloakServerConfigBuilder;

/** The server every integration test runs: stock Keycloak with this project's classes deployed as a provider. */
public final class StsServerConfig implements KeycloakServerConfig {

    @Override
    public KeycloakServerConfigBuilder configure(KeycloakServerConfigBuilder config) {
        // "Last used" is written every second instead of every minute, so tests can see it reach the database.
        // Metrics on, as production would run, so that MetricsIT reads them from the management endpoint.
        return config.dependencyCurrentProject()
                .option("metrics-enabled", "true")
                .spiOption("oauth2-token-exchange", "keycloak-sts-assume-role", "last-used-flush-seconds", "1");
    }
}
