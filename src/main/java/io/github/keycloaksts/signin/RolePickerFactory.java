package io.github.keycloaksts.signin;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Registers the role picker; one stateless instance serves every login. */
public final class RolePickerFactory implements RequiredActionFactory {

    private static final RolePicker PICKER = new RolePicker();

    @Override
    public String getId() {
        return RolePicker.ID;
    }

    @Override
    public String getDisplayText() {
        return "Choose an IAM role";
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return PICKER;
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
}
