package io.github.keycloaksts.exchange;

import org.keycloak.Config;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.provider.Provider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.protocol.oidc.TokenExchangeProviderFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.TimerProvider;
import io.github.keycloaksts.store.RoleUsageTracker;
import org.jboss.logging.Logger;

import java.util.Set;

/**
 * Registers AssumeRole with the token endpoint. Keycloak asks providers in descending {@link #order()} and takes
 * the first that supports a request; the standard (V2) provider has order 10, so ours (100) sees requests first and
 * declines every one without a {@code role} parameter.
 */
public final class AssumeRoleTokenExchangeProviderFactory implements TokenExchangeProviderFactory {

    public static final String ID = "keycloak-sts-assume-role";
    private static final Logger LOG = Logger.getLogger(AssumeRoleTokenExchangeProviderFactory.class);

    /** How often each node writes "last used" (option {@code --spi-oauth2-token-exchange--keycloak-sts-assume-role--last-used-flush-seconds}). */
    private int lastUsedFlushSeconds = 60;
    /** How many sessions a role chain may hold (option {@code ...--max-chain-depth}); AWS has no such limit. */
    private int maxChainDepth = 5;
    private AssumeRoleTokenExchangeProvider provider = new AssumeRoleTokenExchangeProvider(maxChainDepth);
    private KeycloakSessionFactory sessionFactory;

    @Override
    public TokenExchangeProvider create(KeycloakSession session) {
        return provider;
    }

    @Override
    public void init(Config.Scope config) {
        lastUsedFlushSeconds = Math.max(1, config.getInt("last-used-flush-seconds", 60));
        maxChainDepth = Math.max(1, config.getInt("max-chain-depth", 5));
        provider = new AssumeRoleTokenExchangeProvider(maxChainDepth);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.sessionFactory = factory;
        KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(TimerProvider.class)
                .scheduleTask(RoleUsageTracker::flush, lastUsedFlushSeconds * 1000L, "keycloak-sts-last-used"));
    }

    /**
     * Keycloak closes provider factories in the reverse order of {@code dependsOn} (26.7's
     * {@code DefaultKeycloakSessionFactory.close}: a provider type's factories are closed before those of the types
     * they depend on; among independent types the order is a hash map's). The JPA connection factory closes the
     * EntityManagerFactory when it closes, so naming it here is what lets {@link #close()} still write the pending
     * last uses. Without it the order of the two is that of a hash map keyed by class (identity hash codes, so it
     * can differ from one JVM to the next), and when the JPA factory came first the last uses were lost ("Could not
     * write the last uses of IAM roles at shutdown: EntityManagerFactory is closed"). At start-up it makes
     * this factory's {@code postInit} run after the JPA connection's, which it needs anyway (it opens a transaction).
     */
    @Override
    public Set<Class<? extends Provider>> dependsOn() {
        return Set.of(JpaConnectionProvider.class);
    }

    @Override
    public void close() {
        if (sessionFactory != null) {
            try {
                KeycloakModelUtils.runJobInTransaction(sessionFactory, RoleUsageTracker::flush);
            } catch (RuntimeException e) {
                LOG.warnf("Could not write the last uses of IAM roles at shutdown: %s", e.getMessage());
            }
        }
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
