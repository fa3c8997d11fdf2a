package io.github.keycloaksts.realmfile;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * Registers {@link IamRoleComponent} as a provider type, so that Keycloak accepts components of that type in a realm
 * and in a realm file (it refuses components whose type no SPI declares).
 */
public final class IamRoleComponentSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return "kcsts-iam-role";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return IamRoleComponent.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return IamRoleComponentFactory.class;
    }
}
