package io.github.keycloaksts.discovery;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.OIDCWellKnownProviderFactory;
import org.keycloak.wellknown.WellKnownProvider;
import org.keycloak.wellknown.WellKnownProviderFactory;

/**
 * Answers {@code /realms/{realm}/.well-known/openid-configuration} in place of Keycloak's provider, with Keycloak's
 * document plus {@link StsDiscoveryProvider#CLAIM}.
 * <p>
 * The supported route on Keycloak 26.7.3 (read from its bytecode, not its docs): {@code RealmsResource} resolves a
 * well-known alias with {@code WellKnownProviderUtil.resolveFromAlias}, which takes, among the factories whose
 * {@link #getAlias()} equals the alias, the one with the <em>lowest</em> {@link #getPriority()}
 * ({@code Stream.min(comparingInt(getPriority))}); Keycloak's {@link OIDCWellKnownProviderFactory} has priority 100.
 * So this factory has its own id, the alias {@code openid-configuration} and priority {@value #PRIORITY}. It does not
 * rebuild the document: it asks Keycloak's provider (by its id) for it, so Keycloak's options of that provider
 * ({@code openid-configuration-override}, {@code include-client-scopes}) still apply.
 */
public final class StsDiscoveryProviderFactory implements WellKnownProviderFactory {

    public static final String ID = "keycloak-sts-openid-configuration";
    /** Below Keycloak's 100: the lowest priority wins the alias. */
    static final int PRIORITY = 50;

    @Override
    public WellKnownProvider create(KeycloakSession session) {
        return new StsDiscoveryProvider(session,
                session.getProvider(WellKnownProvider.class, OIDCWellKnownProviderFactory.PROVIDER_ID));
    }

    @Override
    public String getAlias() {
        return OIDCWellKnownProviderFactory.PROVIDER_ID;
    }

    @Override
    public int getPriority() {
        return PRIORITY;
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
}
