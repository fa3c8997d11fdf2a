package io.github.keycloaksts.role;

/**
 * Keycloak resource name of an IAM role, after AWS's {@code arn:aws:iam::<account>:role<path><name>}: the realm
 * plays the account. Derived, never stored, so renaming a realm renames its roles' KRNs.
 */
public final class RoleKrn {

    private RoleKrn() {
    }

    public static String of(String realmName, String path, String name) {
        return "krn:keycloak:iam::" + realmName + ":role" + path + name;
    }
}
