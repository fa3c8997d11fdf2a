package io.github.keycloaksts.store;

import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;

import java.util.List;

/** Registers our entities and changelog with Keycloak's persistence unit. */
final class IamRoleJpaEntityProvider implements JpaEntityProvider {

    @Override
    public List<Class<?>> getEntities() {
        return List.of(IamRoleEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/keycloak-sts/changelog-master.xml";
    }

    @Override
    public String getFactoryId() {
        return IamRoleJpaEntityProviderFactory.ID;
    }

    @Override
    public void close() {
    }
}
