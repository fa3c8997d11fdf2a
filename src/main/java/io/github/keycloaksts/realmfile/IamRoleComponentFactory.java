package io.github.keycloaksts.realmfile;

import org.keycloak.Config;
import org.keycloak.component.ComponentFactory;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.List;

/**
 * The one provider of {@link IamRoleComponent}: validates carrier components as Keycloak writes them and registers
 * the listener that keeps carriers and roles in step ({@link RealmFileListener}).
 */
public final class IamRoleComponentFactory implements ComponentFactory<IamRoleComponent, IamRoleComponent> {

    static final String ID = "iam-role";
    private static final IamRoleComponent NOTHING = () -> {
    };
    private static final List<ProviderConfigProperty> CONFIG = List.of(new ProviderConfigProperty(RoleCarriers.ROLE,
            "IAM role", "The role as JSON, as GET /admin/realms/{realm}/iam/roles/{name} returns it (without lastUsed)",
            ProviderConfigProperty.TEXT_TYPE, null));

    @Override
    public IamRoleComponent create(KeycloakSession session, ComponentModel model) {
        return NOTHING;
    }

    /**
     * Internal: Keycloak's admin API neither lists nor reads, creates, changes or deletes internal components (403),
     * so a carrier cannot change a role around the IAM API's checks (trust policy, permission to map each granted
     * role) and its admin events; realm export and import, which do not go through that API, still carry them.
     */
    @Override
    public boolean isInternal() {
        return true;
    }

    @Override
    public String getHelpText() {
        return "An IAM role of keycloak-sts, carried in the realm so that realm export and import keep it";
    }

    /** Declared, because Keycloak's representations of a component (and so its exports) show declared values only. */
    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(new RealmFileListener());
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
