package io.github.keycloaksts.realmfile;

import org.keycloak.provider.Provider;

/**
 * The provider type of the components that carry IAM roles in a realm ({@link IamRoleComponentSpi}). Nothing ever
 * runs one: Keycloak needs a provider type to export, import and validate components, and this is it.
 */
public interface IamRoleComponent extends Provider {
}
